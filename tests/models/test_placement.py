"""Memory modes: where they can run, and that fp8 storage keeps brand styles working (pitfall 3)."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pytest

from runner.schemas import RenderRequest
from runner.worker import RunnerCore
from settings import Settings
from tests.lora_factory import make_style


@pytest.mark.parametrize("mode", ["model_offload", "group_offload"])
def test_offload_modes_need_a_gpu(tmp_path: Path, mode: str) -> None:
    with pytest.raises(ValueError, match="no GPU"):
        RunnerCore(Settings(_env_file=None, data_dir=tmp_path, memory_mode=mode))


def test_unknown_memory_mode_is_refused_by_the_settings() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(_env_file=None, memory_mode="tpu")


def test_fp8_storage_renders_close_to_full_precision_with_styles(tmp_path: Path) -> None:
    from models.demo import ensure_demo_model

    demo = ensure_demo_model(tmp_path).path
    make_style(tmp_path / "styles", "acme", demo, seed=1)
    job = RenderRequest(job_id="j", prompt="a mug", seed=3, num_images=1, model="demo-flux", width=256,
                        height=256, steps=2, guidance=3.5, style="acme", style_weight=1.0)
    full = RunnerCore(Settings(_env_file=None, data_dir=tmp_path)).render([job])[0]
    fp8 = RunnerCore(Settings(_env_file=None, data_dir=tmp_path, memory_mode="fp8_layerwise")).render([job])[0]
    assert fp8.error is None, fp8.error
    a = np.frombuffer(base64.b64decode(full.images[0]), np.uint8).astype(int)
    b = np.frombuffer(base64.b64decode(fp8.images[0]), np.uint8).astype(int)
    assert np.abs(a - b).mean() < 20  # the same picture, at fp8's precision
    assert np.abs(a - b).max() > 0  # and fp8 really is on


@pytest.mark.parametrize("mode", ["bnb_4bit", "bnb_8bit"])
def test_quantized_modes_say_what_they_need(tmp_path: Path, mode: str) -> None:
    from models.placement import quantization_config

    with pytest.raises(ValueError, match="GPU"):
        RunnerCore(Settings(_env_file=None, data_dir=tmp_path, memory_mode=mode))
    # On a GPU machine without the package, the refusal names it.
    import importlib.util

    if importlib.util.find_spec("bitsandbytes") is None:
        with pytest.raises(ValueError, match="pip install bitsandbytes"):
            quantization_config(mode, "cuda", ("transformer",))


def test_every_family_names_its_large_components() -> None:
    from models import get_family

    assert get_family("flux").quantize_components == ("transformer", "text_encoder_2")
    assert get_family("sd3").quantize_components == ("transformer", "text_encoder_3")
    assert get_family("hidream").quantize_components == ("transformer", "text_encoder_3", "text_encoder_4")
