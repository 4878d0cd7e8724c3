from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.family import FAMILIES, ModelConfig, get_family

ROOT = Path(__file__).resolve().parents[2]


def test_flux_is_registered_with_diffusers_pipeline() -> None:
    assert get_family("flux") is FAMILIES["flux"]
    assert get_family("flux").pipeline_class == "FluxPipeline"


def test_unknown_family_raises_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown model family 'sdxl'; known: flux"):
        get_family("sdxl")


@pytest.mark.parametrize(
    ("preset", "steps", "guidance", "max_sequence_length"),
    [("dev", 28, 3.5, 512), ("schnell", 4, 0.0, 256)],
)
def test_flux_presets_follow_the_recommended_settings(
    preset: str, steps: int, guidance: float, max_sequence_length: int
) -> None:
    config = get_family("flux").model_config("m", "/weights/m", preset=preset)
    assert (config.steps, config.guidance, config.max_sequence_length) == (steps, guidance, max_sequence_length)
    assert (config.width, config.height, config.family, config.is_demo) == (1024, 1024, "flux", False)


@pytest.mark.parametrize(("guidance_embeds", "preset"), [(True, "dev"), (False, "schnell")])
def test_flux_preset_is_detected_from_the_transformer_config(
    tmp_path: Path, guidance_embeds: bool, preset: str
) -> None:
    (tmp_path / "transformer").mkdir()
    (tmp_path / "transformer" / "config.json").write_text(json.dumps({"guidance_embeds": guidance_embeds}))
    config = get_family("flux").model_config("m", tmp_path)
    assert config == get_family("flux").model_config("m", tmp_path, preset=preset)


def test_detecting_preset_of_a_non_model_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not a diffusers model directory"):
        get_family("flux").model_config("m", tmp_path)


def test_unknown_preset_raises() -> None:
    with pytest.raises(ValueError, match="flux has no preset 'pro'"):
        get_family("flux").model_config("m", "/weights/m", preset="pro")


@pytest.mark.parametrize(
    ("width", "height", "steps", "guidance", "message"),
    [
        (1000, 1024, 28, 3.5, "width must be a multiple of 16"),
        (1024, 240, 28, 3.5, "height must be a multiple of 16 between 256 and 2048, got 240"),
        (2064, 1024, 28, 3.5, "width must be a multiple of 16 between 256 and 2048, got 2064"),
        (1024, 1024, 0, 3.5, "steps must be between 1 and 100, got 0"),
        (1024, 1024, 101, 3.5, "steps must be between 1 and 100"),
        (1024, 1024, 28, -1.0, "guidance must be a non-negative number"),
        (1024, 1024, 28, float("nan"), "guidance must be a non-negative number"),
    ],
)
def test_flux_rejects_settings_it_cannot_render(
    width: int, height: int, steps: int, guidance: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        get_family("flux").check_settings(width, height, steps, guidance)


def test_flux_accepts_the_size_and_step_bounds() -> None:
    family = get_family("flux")
    for width, height, steps in ((256, 2048, 1), (2048, 256, 100), (512, 768, 28)):
        family.check_settings(width, height, steps, 0.0)


def test_model_config_is_frozen() -> None:
    config = ModelConfig("m", "flux", Path("/m"), 28, 3.5, 1024, 1024, 512)
    with pytest.raises(AttributeError):
        config.steps = 4  # type: ignore[misc]


def test_reading_model_configs_does_not_import_torch() -> None:
    # The API layer reads model configs and must stay light: no torch, diffusers or transformers.
    code = (
        "import sys, models.family, models.demo;"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_flux_refuses_a_directory_holding_another_pipeline(tmp_path: Path) -> None:
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusion3Pipeline"}))
    with pytest.raises(ValueError, match="holds a StableDiffusion3Pipeline, not a FluxPipeline"):
        get_family("flux").load(tmp_path, "cpu", None)
