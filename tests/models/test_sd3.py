"""The SD 3.5 family: presets, preset detection, and its tiny build rendered through the engine."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models.engine import Engine, RenderItem, RenderSettings
from models.family import ModelConfig, get_family

NAME = "tiny-sd3"
# Small and few steps: what these tests check does not depend on size or step count.
SMALL = RenderSettings(model=NAME, width=256, height=256, steps=2, guidance=4.0)


@pytest.fixture(scope="module")
def tiny_config(tmp_path_factory: pytest.TempPathFactory) -> ModelConfig:
    path = tmp_path_factory.mktemp("sd3") / NAME
    get_family("sd3").build_tiny(path)
    return get_family("sd3").model_config(NAME, path, preset="demo")


@pytest.fixture(scope="module")
def engine(tiny_config: ModelConfig) -> Engine:
    return Engine(tiny_config, device="cpu")


def job(
    job_id: str, seed: int = 0, num_images: int = 1, prompt: str = "a blue logo", settings: RenderSettings = SMALL
) -> RenderItem:
    return RenderItem(job_id=job_id, prompt=prompt, seed=seed, num_images=num_images, settings=settings)


def test_sd3_is_registered_with_its_diffusers_pipeline() -> None:
    assert get_family("sd3").pipeline_class == "StableDiffusion3Pipeline"


@pytest.mark.parametrize(
    ("preset", "steps", "guidance", "max_sequence_length"),
    [("large", 28, 4.0, 256), ("medium", 40, 4.5, 256), ("demo", 4, 4.0, 128)],
)
def test_presets_follow_the_recommended_settings(
    preset: str, steps: int, guidance: float, max_sequence_length: int
) -> None:
    config = get_family("sd3").model_config("m", "/weights/m", preset=preset)
    assert (config.steps, config.guidance, config.max_sequence_length) == (steps, guidance, max_sequence_length)
    assert (config.width, config.height, config.family) == (1024, 1024, "sd3")


@pytest.mark.parametrize(
    ("transformer_config", "preset"),
    [
        ({"num_layers": 38, "dual_attention_layers": []}, "large"),
        ({"num_layers": 24, "dual_attention_layers": list(range(13))}, "medium"),
        ({"num_layers": 24}, "medium"),
    ],
)
def test_preset_is_detected_from_the_transformer_config(tmp_path: Path, transformer_config: dict, preset: str) -> None:
    (tmp_path / "transformer").mkdir()
    (tmp_path / "transformer" / "config.json").write_text(json.dumps(transformer_config))
    assert get_family("sd3").detect_preset(tmp_path) == preset


def test_tiny_build_is_detected_as_medium_sized(tiny_config: ModelConfig) -> None:
    assert get_family("sd3").detect_preset(tiny_config.path) == "medium"


def test_loader_refuses_a_directory_holding_another_pipeline(tmp_path: Path) -> None:
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "FluxPipeline"}))
    with pytest.raises(ValueError, match="holds a FluxPipeline, not a StableDiffusion3Pipeline"):
        get_family("sd3").load(tmp_path, "cpu", None)


def test_loaded_components_are_in_eval_mode(engine: Engine) -> None:
    modules = [c for c in engine.pipe.components.values() if hasattr(c, "training")]
    assert len(modules) == 5  # transformer, VAE, three text encoders
    assert not any(module.training for module in modules)


def test_job_renders_its_images_at_the_size_asked(engine: Engine) -> None:
    images = engine.render([job("a", num_images=2)])["a"]
    assert len(images) == 2
    for image in images:
        assert image.shape == (256, 256, 3) and image.dtype == np.uint8
    assert not np.array_equal(images[0], images[1])
    assert images[0].std() > 5
    assert engine.output_size(SMALL) == (256, 256)


def test_non_square_size_gives_height_by_width_arrays(engine: Engine) -> None:
    settings = RenderSettings(model=NAME, width=256, height=384, steps=1, guidance=4.0)
    (image,) = engine.render([job("a", settings=settings)])["a"]
    assert image.shape == (384, 256, 3)
    assert engine.output_size(settings) == (256, 384)


def test_same_seed_renders_identical_pixels(engine: Engine) -> None:
    first = engine.render([job("a", seed=7)])["a"][0]
    second = engine.render([job("a", seed=7)])["a"][0]
    assert np.array_equal(first, second)


def test_jobs_images_are_the_same_alone_and_batched_with_another_prompt(engine: Engine) -> None:
    alone = engine.render([job("a", seed=3, num_images=2)])["a"]
    batched = engine.render([job("b", seed=3, prompt="a red poster with bold type"), job("a", seed=3, num_images=2)])
    assert len(batched["b"]) == 1 and len(batched["a"]) == 2
    for solo, together in zip(alone, batched["a"], strict=True):
        np.testing.assert_allclose(solo, together, atol=1)
    assert np.abs(batched["b"][0].astype(int) - batched["a"][0].astype(int)).max() > 0


def test_guidance_changes_the_image(engine: Engine) -> None:
    guided = engine.render([job("a", seed=1)])["a"][0].astype(int)
    unguided = engine.render([job("a", seed=1, settings=RenderSettings(NAME, 256, 256, 2, 0.0))])["a"][0]
    assert np.abs(guided - unguided).max() > 0


def test_progress_reports_each_step_and_should_stop_interrupts(engine: Engine) -> None:
    seen: list[tuple[list[str], int, int]] = []
    settings = RenderSettings(model=NAME, width=256, height=256, steps=3, guidance=4.0)
    engine.render([job("a", settings=settings)], on_step=lambda *args: seen.append(args))
    assert seen == [(["a"], step, 3) for step in range(1, 4)]

    steps: list[int] = []
    result = engine.render(
        [job("a", settings=RenderSettings(NAME, 256, 256, 6, 4.0))],
        on_step=lambda ids, step, total: steps.append(step),
        should_stop=lambda ids: len(steps) >= 2,
    )
    assert steps == [1, 2] and result == {}
