"""The runner's core with the demo model and real brand adapters: styles per batch, same pixels."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from runner.schemas import RenderRequest
from runner.worker import MAX_REMEMBERED_CANCELS, RunnerCore
from settings import Settings
from tests.lora_factory import make_style


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> RunnerCore:
    from models.demo import ensure_demo_model

    data = tmp_path_factory.mktemp("data")
    demo = ensure_demo_model(data).path
    styles = data / "styles"
    make_style(styles, "acme", demo, seed=1, trigger_words=["acme style"])
    make_style(styles, "globex", demo, seed=2, default_weight=0.7)
    make_style(styles, "other", demo, seed=3, family="sd3", built_for="flux")
    return RunnerCore(Settings(_env_file=None, data_dir=data))


def request(job_id: str, style: str | None, seed: int = 5, prompt: str = "a mug") -> RenderRequest:
    return RenderRequest(job_id=job_id, prompt=prompt, seed=seed, num_images=2, model="demo-flux",
                         width=256, height=256, steps=2, guidance=3.5, style=style, style_weight=1.0)


def pixels(result) -> np.ndarray:  # noqa: ANN001
    return np.stack([np.asarray(Image.open(io.BytesIO(base64.b64decode(i)))) for i in result.images]).astype(int)


def test_images_come_back_as_png_files_of_the_rendered_size(core: RunnerCore) -> None:
    (result,) = core.render([request("p1", None)])
    for data in result.images:
        with Image.open(io.BytesIO(base64.b64decode(data))) as image:
            assert (image.format, image.mode, image.size) == ("PNG", "RGB", (result.width, result.height))


def test_health_lists_loaded_and_refused_styles(core: RunnerCore) -> None:
    health = core.health()
    assert sorted(s.name for s in health.styles) == ["acme", "globex"]
    assert [r.directory for r in health.refused_styles] == ["other"]
    assert "sd3" in health.refused_styles[0].reason


def test_a_job_has_the_same_pixels_alone_or_batched_with_other_styles(core: RunnerCore) -> None:
    (alone,) = core.render([request("a1", "acme")])
    batch = core.render([request("b1", "globex", seed=9), request("a2", "acme"), request("n1", None, seed=9)])
    assert [r.job_id for r in batch] == ["b1", "a2", "n1"]
    assert np.abs(pixels(alone) - pixels(batch[1])).max() <= 1
    # The styles do change the picture: the same seed without a style, or with another, differs.
    assert np.abs(pixels(batch[0]) - pixels(batch[2])).max() > 1
    (base,) = core.render([request("n2", None)])
    assert np.abs(pixels(base) - pixels(alone)).max() > 1


def test_a_cancel_stops_only_the_run_it_names(core: RunnerCore) -> None:
    # A cancel sent for a run that was taken over must not stop the job's next run.
    core.cancel("c1", 1)
    (old,) = core.render([request("c1", None).model_copy(update={"claim": 1})])
    (new,) = core.render([request("c1", None).model_copy(update={"claim": 2})])
    assert old.cancelled and (old.job_id, old.claim) == ("c1", 1)
    assert not new.cancelled and len(new.images) == 2 and (new.job_id, new.claim) == ("c1", 2)


def test_cancels_for_runs_that_never_come_are_forgotten_oldest_first(core: RunnerCore) -> None:
    for claim in range(MAX_REMEMBERED_CANCELS + 5):
        core.cancel("never-sent", claim)
    remembered = core.board._cancelled
    assert len(remembered) == MAX_REMEMBERED_CANCELS
    assert "never-sent/0" not in remembered and f"never-sent/{MAX_REMEMBERED_CANCELS + 4}" in remembered
    remembered.clear()


def test_batch_runs_one_call_per_style_in_the_fewest_switches(core: RunnerCore) -> None:
    switches = []
    original = core.models["demo-flux"].adapters.activate

    def recording(name, weight):  # noqa: ANN001, ANN202
        if core.models["demo-flux"].adapters.active != (name, weight):
            switches.append(name)
        original(name, weight)

    core.models["demo-flux"].adapters.activate = recording
    try:
        core.models["demo-flux"].adapters.activate("globex", 1.0)
        switches.clear()
        core.render([request("s1", "acme"), request("s2", None), request("s3", "globex"), request("s4", "acme")])
    finally:
        core.models["demo-flux"].adapters.activate = original
    # The active style (globex) runs first with no switch, then each other style once.
    assert len(switches) == 2 and set(switches) == {"acme", None}


def test_unknown_style_fails_only_its_own_jobs(core: RunnerCore) -> None:
    results = core.render([request("u1", "nope"), request("ok1", None)])
    assert results[0].error and "nope" in results[0].error
    assert results[1].error is None and len(results[1].images) == 2


def test_runner_holds_several_models_and_routes_jobs_to_each(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path,
                        models=[{"family": "flux", "demo": True}, {"family": "sd3", "demo": True}],
                        default_model="demo-sd3")
    core = RunnerCore(settings)
    assert [m.name for m in core.health().models] == ["demo-sd3", "demo-flux"]  # the default first
    flux = request("f1", None)
    sd3 = request("s1", None).model_copy(update={"model": "demo-sd3", "job_id": "s1"})
    unknown = request("x1", None).model_copy(update={"model": "nope", "job_id": "x1"})
    results = {r.job_id: r for r in core.render([flux, sd3, unknown])}
    assert results["f1"].error is None and results["s1"].error is None
    assert "unknown model" in results["x1"].error
    assert np.abs(pixels(results["f1"]) - pixels(results["s1"])).max() > 1


def test_configured_default_must_be_a_configured_model(tmp_path: Path) -> None:
    from runner.loading import model_entries

    settings = Settings(_env_file=None, data_dir=tmp_path, models=[{"family": "flux", "demo": True}],
                        default_model="flux-dev")
    with pytest.raises(ValueError, match="flux-dev"):
        model_entries(settings)


def test_model_entry_needs_a_path_or_demo() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(_env_file=None, models=[{"family": "flux"}])


def test_compiled_runner_switches_styles_without_recompiling(tmp_path: Path) -> None:
    import torch

    from models.demo import ensure_demo_model

    demo = ensure_demo_model(tmp_path).path
    make_style(tmp_path / "styles", "acme", demo, seed=1)
    make_style(tmp_path / "styles", "globex", demo, seed=2)
    # Dynamo's guards decide recompilation whatever the backend; "eager" keeps the test fast.
    core = RunnerCore(Settings(_env_file=None, data_dir=tmp_path, compile_transformer=True, compile_backend="eager"))
    torch._dynamo.reset()
    (first,) = core.render([request("c0", "acme")])
    with torch._dynamo.config.patch(error_on_recompile=True):
        results = [core.render([request(f"c{i}", style)])[0] for i, style in enumerate(["globex", None, "acme"], 1)]
    assert all(r.error is None for r in results), [r.error for r in results]
    assert np.abs(pixels(results[2]) - pixels(first)).max() <= 1  # back to the first style, same image
    assert np.abs(pixels(results[0]) - pixels(first)).max() > 1
