"""Brand styles on the FLUX demo pipeline: made with PEFT by the tests, saved in diffusers' format."""

from __future__ import annotations

import json
from pathlib import Path

import peft  # noqa: F401  (a dependency: without it no style can be made, and that must fail, not skip)
import pytest
import torch

from loras.adapters import AdapterSet
from loras.registry import discover
from tests.lora_factory import load_pipe, make_style


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import ensure_demo_model

    return ensure_demo_model(tmp_path_factory.mktemp("demo")).path


def render(pipe) -> torch.Tensor:  # noqa: ANN001
    generator = [torch.Generator().manual_seed(0)]
    return pipe(prompt=["brand"], width=256, height=256, num_inference_steps=2, guidance_scale=3.5,
                generator=generator, output_type="pt", max_sequence_length=32).images


@pytest.fixture(scope="module")
def styles_dir(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Path:
    styles = tmp_path_factory.mktemp("styles")
    make_style(styles, "acme", demo_dir, seed=1, trigger_words=["acme style"], default_weight=0.8)
    make_style(styles, "globex", demo_dir, seed=2)
    return styles


def test_styles_change_output_switch_back_and_unload(styles_dir: Path, demo_dir: Path) -> None:
    styles, refused = discover(styles_dir, "flux")
    assert refused == []
    assert [s.name for s in styles] == ["acme", "globex"]
    pipe = load_pipe(demo_dir)
    base = render(pipe)
    adapters = AdapterSet(pipe)
    assert adapters.load(styles) == []
    assert torch.equal(render(pipe), base)  # loaded but inactive: the base model
    adapters.activate("acme", 1.0)
    acme = render(pipe)
    assert (acme - base).abs().max() > 1e-3
    adapters.activate("globex", 1.0)
    globex = render(pipe)
    assert (globex - acme).abs().max() > 1e-3
    adapters.activate("acme", 1.0)
    assert torch.allclose(render(pipe), acme, atol=1e-6)
    adapters.activate(None, 0.0)
    assert torch.allclose(render(pipe), base, atol=1e-6)


def test_manifest_adds_trigger_words(styles_dir: Path) -> None:
    styles, _ = discover(styles_dir, "flux")
    acme = next(s for s in styles if s.name == "acme")
    assert acme.manifest.prompt_for("a mug") == "acme style, a mug"
    assert acme.manifest.default_weight == 0.8


def test_bad_styles_are_refused_when_the_registry_loads(tmp_path: Path, demo_dir: Path) -> None:
    styles = tmp_path / "styles"
    make_style(styles, "good", demo_dir, seed=3)
    make_style(styles, "other-family", demo_dir, seed=4, family="sd3", built_for="flux")
    missing = make_style(styles, "missing", demo_dir, seed=5)
    (missing / "pytorch_lora_weights.safetensors").unlink()
    corrupt = make_style(styles, "corrupt", demo_dir, seed=6)
    (corrupt / "pytorch_lora_weights.safetensors").write_bytes(b"\x00garbage" * 10)
    escape = make_style(styles, "escape", demo_dir, seed=7)
    (escape / "style.json").write_text(json.dumps({"name": "escape", "family": "flux", "adapter": "../good/x.safetensors"}))
    (styles / "no-manifest").mkdir()
    found, refused = discover(styles, "flux")
    assert [s.name for s in found] == ["good"]
    reasons = {r.directory: r.reason for r in refused}
    assert "sd3 family" in reasons["other-family"]
    assert "missing" in reasons["missing"]
    assert "safetensors" in reasons["corrupt"]
    assert "not a path" in reasons["escape"]
    assert "style.json" in reasons["no-manifest"]


def test_adapter_whose_keys_do_not_fit_the_model_is_refused(tmp_path: Path, demo_dir: Path) -> None:
    from safetensors.torch import load_file, save_file

    styles = tmp_path / "styles"
    make_style(styles, "good", demo_dir, seed=8)
    renamed = make_style(styles, "renamed", demo_dir, seed=9)
    weights = renamed / "pytorch_lora_weights.safetensors"
    tensors = load_file(weights)
    # Keys for layers this model does not have: diffusers would skip them with a warning.
    save_file({k.replace("transformer_blocks.0", "transformer_blocks.7"): v for k, v in tensors.items()}, weights)
    wrong_shape = make_style(styles, "wrong-shape", demo_dir, seed=10)
    weights = wrong_shape / "pytorch_lora_weights.safetensors"
    tensors = load_file(weights)
    save_file({k: (torch.zeros(v.shape[0], v.shape[1] * 2) if "lora_A" in k else v) for k, v in tensors.items()}, weights)
    found, refused = discover(styles, "flux")
    assert refused == []  # the files themselves are fine
    pipe = load_pipe(demo_dir)
    adapters = AdapterSet(pipe)
    refused = adapters.load(found)
    assert {r.directory for r in refused} == {"renamed", "wrong-shape"}
    assert set(adapters.styles) == {"good"}
    adapters.activate("good", 1.0)  # what was refused left the pipeline usable
    render(pipe)
