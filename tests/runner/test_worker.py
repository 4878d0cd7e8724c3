"""The runner's core with the demo model and real brand adapters: styles per batch, same pixels."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from runner.schemas import RenderRequest
from runner.worker import RunnerCore
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
    make_style(styles, "other", demo, seed=3, family="sd3")
    return RunnerCore(Settings(_env_file=None, data_dir=data))


def request(job_id: str, style: str | None, seed: int = 5, prompt: str = "a mug") -> RenderRequest:
    return RenderRequest(job_id=job_id, prompt=prompt, seed=seed, num_images=2, model="demo-flux",
                         width=256, height=256, steps=2, guidance=3.5, style=style, style_weight=1.0)


def pixels(result) -> np.ndarray:  # noqa: ANN001
    return np.stack([np.frombuffer(base64.b64decode(i), np.uint8) for i in result.images]).astype(int)


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


def test_batch_runs_one_call_per_style_in_the_fewest_switches(core: RunnerCore) -> None:
    switches = []
    original = core.adapters.activate

    def recording(name, weight):  # noqa: ANN001, ANN202
        if core.adapters.active != (name, weight):
            switches.append(name)
        original(name, weight)

    core.adapters.activate = recording
    try:
        core.adapters.activate("globex", 1.0)
        switches.clear()
        core.render([request("s1", "acme"), request("s2", None), request("s3", "globex"), request("s4", "acme")])
    finally:
        core.adapters.activate = original
    # The active style (globex) runs first with no switch, then each other style once.
    assert sorted(switches, key=str) == ["acme", None]


def test_unknown_style_fails_only_its_own_jobs(core: RunnerCore) -> None:
    results = core.render([request("u1", "nope"), request("ok1", None)])
    assert results[0].error and "nope" in results[0].error
    assert results[1].error is None and len(results[1].images) == 2
