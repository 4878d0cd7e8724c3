"""Each family: a LoRA made with PEFT changes the output, switching styles and back gives the first
output again, and without a style the base output returns."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from loras.adapters import AdapterSet
from loras.registry import discover
from tests.lora_factory import load_pipe, make_style

SIZE = {"flux": 256, "sd3": 256, "hidream": 256}


def render(pipe, family: str) -> torch.Tensor:  # noqa: ANN001
    return pipe(prompt=["brand"], width=SIZE[family], height=SIZE[family], num_inference_steps=2,
                guidance_scale=0.0 if family == "hidream" else 3.5,
                generator=[torch.Generator().manual_seed(0)], output_type="pt").images


@pytest.mark.parametrize("family", ["flux", "sd3", "hidream"])
def test_style_changes_switches_back_and_unloads(tmp_path: Path, family: str) -> None:
    from models.demo import ensure_demo_model

    demo = ensure_demo_model(tmp_path, family).path
    make_style(tmp_path / "styles", "acme", demo, seed=1, family=family)
    make_style(tmp_path / "styles", "globex", demo, seed=2, family=family)
    styles, refused = discover(tmp_path / "styles", family)
    assert refused == [] and len(styles) == 2

    pipe = load_pipe(demo, family)
    base = render(pipe, family)
    adapters = AdapterSet(pipe)
    assert adapters.load(styles) == []
    adapters.activate("acme", 1.0)
    acme = render(pipe, family)
    assert (acme - base).abs().max() > 1e-4
    adapters.activate("globex", 1.0)
    assert (render(pipe, family) - acme).abs().max() > 1e-4
    adapters.activate("acme", 1.0)
    assert torch.allclose(render(pipe, family), acme, atol=1e-6)
    adapters.activate(None, 0.0)
    assert torch.allclose(render(pipe, family), base, atol=1e-6)
