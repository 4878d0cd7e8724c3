"""The HiDream-I1 family: presets, preset detection, its ~1 MP sizing, and its tiny build via the engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from models.engine import Engine, RenderItem, RenderSettings
from models.family import ModelConfig, get_family
from models.hidream import render_size

NAME = "tiny-hidream"
# HiDream renders ~1 MP whatever the size asked, so only steps and guidance keep these tests fast:
# guidance 0 runs one transformer pass a step instead of two.
SMALL = RenderSettings(model=NAME, width=256, height=256, steps=1, guidance=0.0)


@pytest.fixture(scope="module")
def tiny_config(tmp_path_factory: pytest.TempPathFactory) -> ModelConfig:
    path = tmp_path_factory.mktemp("hidream") / NAME
    get_family("hidream").build_tiny(path)
    return get_family("hidream").model_config(NAME, path, preset="demo")


@pytest.fixture(scope="module")
def engine(tiny_config: ModelConfig) -> Engine:
    return Engine(tiny_config, device="cpu")


def job(
    job_id: str, seed: int = 0, num_images: int = 1, prompt: str = "a blue logo", settings: RenderSettings = SMALL
) -> RenderItem:
    return RenderItem(job_id=job_id, prompt=prompt, seed=seed, num_images=num_images, settings=settings)


def test_hidream_is_registered_with_its_diffusers_pipeline() -> None:
    assert get_family("hidream").pipeline_class == "HiDreamImagePipeline"


@pytest.mark.parametrize(
    ("preset", "steps", "guidance"), [("full", 50, 5.0), ("dev", 28, 0.0), ("fast", 16, 0.0), ("demo", 4, 5.0)]
)
def test_presets_follow_the_recommended_settings(preset: str, steps: int, guidance: float) -> None:
    config = get_family("hidream").model_config("m", "/weights/m", preset=preset)
    assert (config.steps, config.guidance, config.max_sequence_length) == (steps, guidance, 128)
    assert config.family == "hidream"


@pytest.mark.parametrize(
    ("scheduler_config", "preset"),
    [
        ({"_class_name": "UniPCMultistepScheduler", "flow_shift": 3.0, "use_flow_sigmas": True}, "full"),
        ({"_class_name": "FlowMatchEulerDiscreteScheduler", "shift": 6.0}, "dev"),
        ({"_class_name": "FlowMatchEulerDiscreteScheduler", "shift": 3.0}, "fast"),
    ],
)
def test_preset_is_detected_from_the_scheduler_config(tmp_path: Path, scheduler_config: dict, preset: str) -> None:
    (tmp_path / "scheduler").mkdir()
    (tmp_path / "scheduler" / "scheduler_config.json").write_text(json.dumps(scheduler_config))
    assert get_family("hidream").detect_preset(tmp_path) == preset


def test_tiny_build_has_fasts_scheduler(tiny_config: ModelConfig) -> None:
    assert get_family("hidream").detect_preset(tiny_config.path) == "fast"


@pytest.mark.parametrize(
    ("asked", "rendered"),
    [((1024, 1024), (1024, 1024)), ((256, 256), (1024, 1024)), ((2048, 2048), (1024, 1024)), ((512, 768), (832, 1248))],
)
def test_render_size_is_about_a_megapixel_at_the_asked_aspect_ratio(
    asked: tuple[int, int], rendered: tuple[int, int]
) -> None:
    assert render_size(*asked) == rendered
    assert get_family("hidream").output_size(*asked) == rendered


@pytest.mark.parametrize(("width", "height"), [(1920, 1088), (256, 2048), (2048, 512), (768, 1344)])
def test_render_size_keeps_multiples_of_16_and_the_area_under_a_megapixel(width: int, height: int) -> None:
    out_width, out_height = render_size(width, height)
    assert out_width % 16 == 0 and out_height % 16 == 0
    assert 0.9 * 1024**2 < out_width * out_height <= 1024**2
    assert out_width / out_height == pytest.approx(width / height, rel=0.05)


def test_loader_refuses_a_directory_holding_another_pipeline(tmp_path: Path) -> None:
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "FluxPipeline"}))
    with pytest.raises(ValueError, match="holds a FluxPipeline, not a HiDreamImagePipeline"):
        get_family("hidream").load(tmp_path, "cpu", None)


def _without_llama_in_the_index(source: Path, target: Path) -> Path:
    """A copy laid out as the published HiDream directories: Llama's folders, but not in model_index."""
    shutil.copytree(source, target)
    index = json.loads((target / "model_index.json").read_text())
    del index["text_encoder_4"], index["tokenizer_4"]
    (target / "model_index.json").write_text(json.dumps(index))
    return target


def test_loader_passes_llama_in_when_the_index_leaves_it_out(tiny_config: ModelConfig, tmp_path: Path) -> None:
    from transformers import LlamaForCausalLM

    path = _without_llama_in_the_index(tiny_config.path, tmp_path / "m")
    pipe = get_family("hidream").load(path, "cpu", None)
    assert isinstance(pipe.text_encoder_4, LlamaForCausalLM) and not pipe.text_encoder_4.training
    assert pipe.tokenizer_4.pad_token is not None


def test_loader_names_the_missing_llama_folder(tiny_config: ModelConfig, tmp_path: Path) -> None:
    path = _without_llama_in_the_index(tiny_config.path, tmp_path / "m")
    shutil.rmtree(path / "text_encoder_4")
    with pytest.raises(FileNotFoundError, match="no text_encoder_4/"):
        get_family("hidream").load(path, "cpu", None)


def test_loaded_components_are_in_eval_mode(engine: Engine) -> None:
    modules = [c for c in engine.pipe.components.values() if hasattr(c, "training")]
    assert len(modules) == 6  # transformer, VAE, four text encoders
    assert not any(module.training for module in modules)


def test_square_job_renders_a_megapixel_as_the_engine_reports(engine: Engine) -> None:
    images = engine.render([job("a", num_images=2)])["a"]
    assert engine.output_size(SMALL) == (1024, 1024)
    assert len(images) == 2
    for image in images:
        assert image.shape == (1024, 1024, 3) and image.dtype == np.uint8
    assert not np.array_equal(images[0], images[1])
    assert images[0].std() > 5


def test_non_square_job_keeps_its_aspect_ratio_as_the_engine_reports(engine: Engine) -> None:
    settings = RenderSettings(model=NAME, width=512, height=768, steps=1, guidance=0.0)
    (image,) = engine.render([job("a", settings=settings)])["a"]
    width, height = engine.output_size(settings)
    assert image.shape == (height, width, 3) == (1248, 832, 3)


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


def test_guided_render_runs_and_differs_from_unguided(engine: Engine) -> None:
    guided = engine.render([job("a", seed=1, settings=RenderSettings(NAME, 256, 256, 1, 5.0))])["a"][0]
    unguided = engine.render([job("a", seed=1)])["a"][0]
    assert np.abs(guided.astype(int) - unguided.astype(int)).max() > 0


def test_progress_reports_each_step_and_should_stop_interrupts(engine: Engine) -> None:
    seen: list[tuple[list[str], int, int]] = []
    settings = RenderSettings(model=NAME, width=256, height=256, steps=2, guidance=0.0)
    engine.render([job("a", settings=settings)], on_step=lambda *args: seen.append(args))
    assert seen == [(["a"], 1, 2), (["a"], 2, 2)]

    steps: list[int] = []
    result = engine.render(
        [job("a", settings=RenderSettings(NAME, 256, 256, 5, 0.0))],
        on_step=lambda ids, step, total: steps.append(step),
        should_stop=lambda ids: len(steps) >= 1,
    )
    assert steps == [1] and result == {}  # stopped after the first step, not run to five


def test_llama_tokenizer_round_trips_and_pads_with_end_of_text(tmp_path: Path) -> None:
    from transformers import PreTrainedTokenizerFast

    from models.tokenizers import LLAMA_BOS, LLAMA_EOS, build_llama_tokenizer

    tokenizer = build_llama_tokenizer()
    tokenizer.save_pretrained(tmp_path)
    loaded = PreTrainedTokenizerFast.from_pretrained(tmp_path)
    prompt = "A minimal blue logo for Café Acme, 2025 édition!"
    assert loaded(prompt).input_ids == tokenizer(prompt).input_ids
    assert loaded.pad_token == LLAMA_EOS and len(loaded) == len(tokenizer) < 400
    padded = loaded(prompt, padding="max_length", max_length=128, truncation=True)
    tokens = loaded.convert_ids_to_tokens(padded.input_ids)
    assert len(tokens) == 128 and tokens[0] == LLAMA_BOS and tokens[-1] == LLAMA_EOS
    assert "th" in loaded.convert_ids_to_tokens(loaded("the logo").input_ids)  # merges apply: BPE, not bytes only
    # Byte-level: text outside ASCII round-trips instead of becoming an unknown token.
    assert loaded.decode(loaded(prompt).input_ids, skip_special_tokens=True) == prompt
