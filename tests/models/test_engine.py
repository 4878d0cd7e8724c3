from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from models.engine import Engine, RenderItem, RenderSettings

# Small and few steps where the size does not matter to what a test checks, to keep the suite fast.
SMALL = RenderSettings(model="demo-flux", width=256, height=256, steps=2, guidance=3.5)


def job(
    job_id: str, seed: int = 0, num_images: int = 1, prompt: str = "a blue logo", settings: RenderSettings = SMALL
) -> RenderItem:
    return RenderItem(job_id=job_id, prompt=prompt, seed=seed, num_images=num_images, settings=settings)


class CallRecorder:
    """Stands in for the pipeline, counting calls and passing them through."""

    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        return self.pipe(**kwargs)

    def __getattr__(self, name: str) -> Any:
        # The engine encodes prompts through the pipeline's own encode_prompt.
        return getattr(self.pipe, name)


@pytest.fixture
def recorder(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> CallRecorder:
    recorder = CallRecorder(engine.pipe)
    monkeypatch.setattr(engine, "pipe", recorder)
    return recorder


def test_demo_job_renders_four_1024_square_images_at_default_settings(engine: Engine) -> None:
    result = engine.render([job("a", num_images=4, settings=engine.default_settings())])
    images = result["a"]
    assert len(images) == 4
    for image in images:
        assert image.shape == (1024, 1024, 3) and image.dtype == np.uint8
    # Noise, but not blank: each seed gives its own image.
    assert not np.array_equal(images[0], images[1])
    assert images[0].std() > 5


def test_non_square_size_gives_height_by_width_arrays(engine: Engine) -> None:
    settings = RenderSettings(model="demo-flux", width=512, height=768, steps=1, guidance=3.5)
    (image,) = engine.render([job("a", settings=settings)])["a"]
    assert image.shape == (768, 512, 3)


def test_same_seed_renders_identical_pixels(engine: Engine) -> None:
    first = engine.render([job("a", seed=7)])["a"][0]
    second = engine.render([job("a", seed=7)])["a"][0]
    assert np.array_equal(first, second)


def test_different_seed_renders_different_pixels(engine: Engine) -> None:
    first = engine.render([job("a", seed=7)])["a"][0]
    second = engine.render([job("a", seed=8)])["a"][0]
    assert np.abs(first.astype(int) - second.astype(int)).mean() > 10


def test_image_i_of_a_job_uses_seed_plus_i(engine: Engine) -> None:
    images = engine.render([job("a", seed=40, num_images=3)])["a"]
    single = engine.render([job("b", seed=42)])["b"][0]
    np.testing.assert_allclose(images[2], single, atol=1)


def test_jobs_images_are_the_same_alone_and_batched_with_another_prompt(engine: Engine) -> None:
    alone = engine.render([job("a", seed=3, num_images=2)])["a"]
    batched = engine.render(
        [job("b", seed=3, num_images=3, prompt="a red poster with bold type"), job("a", seed=3, num_images=2)]
    )
    assert len(batched["b"]) == 3 and len(batched["a"]) == 2
    for solo, together in zip(alone, batched["a"], strict=True):
        np.testing.assert_allclose(solo, together, atol=1)


def test_prompt_and_guidance_change_the_image(engine: Engine) -> None:
    base = engine.render([job("a", seed=1)])["a"][0].astype(int)
    other_prompt = engine.render([job("a", seed=1, prompt="a green icon")])["a"][0]
    other_guidance = engine.render([job("a", seed=1, settings=RenderSettings("demo-flux", 256, 256, 2, 9.0))])["a"][0]
    assert np.abs(base - other_prompt).max() > 0
    assert np.abs(base - other_guidance).max() > 0


def test_compatible_jobs_share_one_pipeline_call(engine: Engine, recorder: CallRecorder) -> None:
    result = engine.render([job("a", num_images=2), job("b", seed=5, num_images=2, prompt="a red poster")])
    assert len(recorder.calls) == 1
    call = recorder.calls[0]
    # Each prompt encoded once, its embeddings repeated for each of its images, in job order.
    embeds = call["prompt_embeds"]
    assert embeds.shape[0] == 4
    assert torch.equal(embeds[0], embeds[1]) and torch.equal(embeds[2], embeds[3])
    assert not torch.equal(embeds[1], embeds[2])
    assert len(call["generator"]) == 4 and call["num_images_per_prompt"] == 1
    assert call["guidance_scale"] == 3.5 and call["max_sequence_length"] == engine.config.max_sequence_length
    assert {k: len(v) for k, v in result.items()} == {"a": 2, "b": 2}


def test_incompatible_settings_run_as_separate_calls(engine: Engine, recorder: CallRecorder) -> None:
    wide = RenderSettings(model="demo-flux", width=512, height=256, steps=1, guidance=3.5)
    more_steps = RenderSettings(model="demo-flux", width=256, height=256, steps=3, guidance=3.5)
    other_guidance = RenderSettings(model="demo-flux", width=256, height=256, steps=2, guidance=0.0)
    result = engine.render(
        [job("a"), job("b", settings=wide), job("c", settings=more_steps), job("d", settings=other_guidance), job("e")]
    )
    calls = [
        (c["width"], c["height"], c["num_inference_steps"], c["guidance_scale"], len(c["generator"]))
        for c in recorder.calls
    ]
    assert calls == [(256, 256, 2, 3.5, 2), (512, 256, 1, 3.5, 1), (256, 256, 3, 3.5, 1), (256, 256, 2, 0.0, 1)]
    assert result["b"][0].shape == (256, 512, 3)
    assert sorted(result) == ["a", "b", "c", "d", "e"]


def test_calls_hold_at_most_max_images_and_keep_jobs_whole(
    engine: Engine, recorder: CallRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "max_images_per_call", 4)
    result = engine.render([job("a", num_images=2), job("b", num_images=3), job("c", num_images=1)])
    assert [len(c["generator"]) for c in recorder.calls] == [2, 4]
    assert {k: len(v) for k, v in result.items()} == {"a": 2, "b": 3, "c": 1}


def test_job_larger_than_one_call_is_split_and_keeps_its_seeds(
    engine: Engine, recorder: CallRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = engine.render([job("a", seed=10, num_images=5)])["a"]
    monkeypatch.setattr(engine, "max_images_per_call", 2)
    split = engine.render([job("a", seed=10, num_images=5)])["a"]
    assert [len(c["generator"]) for c in recorder.calls] == [5, 2, 2, 1]
    for one, other in zip(whole, split, strict=True):
        np.testing.assert_allclose(one, other, atol=1)


def test_progress_reports_each_step_of_the_call(engine: Engine) -> None:
    seen: list[tuple[list[str], int, int]] = []
    settings = RenderSettings(model="demo-flux", width=256, height=256, steps=5, guidance=3.5)
    engine.render([job("a", settings=settings), job("b", settings=settings)], on_step=lambda *args: seen.append(args))
    assert seen == [(["a", "b"], step, 5) for step in range(1, 6)]


def test_should_stop_interrupts_the_call_and_leaves_its_jobs_out(engine: Engine) -> None:
    steps: list[int] = []
    settings = RenderSettings(model="demo-flux", width=256, height=256, steps=6, guidance=3.5)
    result = engine.render(
        [job("a", settings=settings), job("b")],
        on_step=lambda ids, step, total: steps.append(step) if ids == ["a"] else None,
        should_stop=lambda ids: "a" in ids and len(steps) >= 2,
    )
    assert steps == [1, 2]  # stopped after the second step, not run to six
    assert sorted(result) == ["b"]


def test_jobs_cancelled_before_their_call_never_run(engine: Engine, recorder: CallRecorder) -> None:
    result = engine.render(
        [job("a"), job("b", settings=RenderSettings("demo-flux", 512, 256, 1, 3.5))],
        should_stop=lambda ids: ids == ["a"],
    )
    assert sorted(result) == ["b"]
    assert len(recorder.calls) == 1


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (job("a", settings=RenderSettings("demo-flux", 1000, 1024, 2, 3.5)), "width must be a multiple of 16"),
        (job("a", settings=RenderSettings("demo-flux", 1024, 4096, 2, 3.5)), "height must be a multiple of 16"),
        (job("a", settings=RenderSettings("demo-flux", 128, 256, 2, 3.5)), "width must be a multiple of 16"),
        (job("a", settings=RenderSettings("demo-flux", 256, 256, 0, 3.5)), "steps must be between 1 and 100"),
        (job("a", settings=RenderSettings("other", 256, 256, 2, 3.5)), "job a is for model 'other'"),
        (job("a", num_images=0), "num_images must be at least 1"),
        (job("a", seed=-1), "seed must be between 0 and"),
        (job("a", seed=2**64 - 1, num_images=2), "seed must be between 0 and"),
    ],
)
def test_bad_requests_raise_value_error_before_anything_runs(
    engine: Engine, recorder: CallRecorder, item: RenderItem, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        engine.render([job("ok"), item])
    assert recorder.calls == []


def test_duplicate_job_ids_in_one_batch_raise(engine: Engine) -> None:
    with pytest.raises(ValueError, match="job a appears twice"):
        engine.render([job("a"), job("a", seed=1)])


def test_engine_reports_its_model_and_defaults(engine: Engine) -> None:
    assert engine.model_name == "demo-flux"
    assert engine.default_settings() == RenderSettings("demo-flux", 1024, 1024, 4, 3.5)


def test_engine_refuses_a_missing_model_directory(demo_config, tmp_path) -> None:  # noqa: ANN001
    import dataclasses

    with pytest.raises(FileNotFoundError, match="not a diffusers model directory"):
        Engine(dataclasses.replace(demo_config, path=tmp_path / "nothing"), device="cpu")
