"""Style switches on a compiled FLUX transformer swap weights in place and never recompile."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from loras.hotswap import HotswapAdapterSet
from loras.registry import discover
from tests.lora_factory import load_pipe, make_style


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import ensure_demo_model

    return ensure_demo_model(tmp_path_factory.mktemp("demo")).path


def render(pipe) -> torch.Tensor:  # noqa: ANN001
    return pipe(prompt=["brand"], width=256, height=256, num_inference_steps=2, guidance_scale=3.5,
                generator=[torch.Generator().manual_seed(0)], output_type="pt", max_sequence_length=32).images


def test_hotswap_under_compile_switches_styles_without_recompiling(tmp_path: Path, demo_dir: Path) -> None:
    styles_dir = tmp_path / "styles"
    make_style(styles_dir, "acme", demo_dir, seed=1)
    make_style(styles_dir, "globex", demo_dir, seed=2)
    styles, _ = discover(styles_dir, "flux")

    reference = load_pipe(demo_dir)  # plain adapters, not compiled: what each style should look like
    base = render(reference)
    from loras.adapters import AdapterSet

    plain = AdapterSet(reference)
    plain.load(styles)
    expected = {}
    for name in ("acme", "globex"):
        plain.activate(name, 1.0)
        expected[name] = render(reference)

    pipe = load_pipe(demo_dir)
    adapters = HotswapAdapterSet(pipe)
    assert adapters.load(styles) == []
    # Dynamo's "eager" backend: the guards, and so any recompilation, are Dynamo's whatever the
    # backend, and this one keeps the arithmetic identical to the uncompiled reference.
    pipe.transformer = torch.compile(pipe.transformer, backend="eager")
    torch._dynamo.reset()
    assert torch.allclose(render(pipe), base, atol=1e-5)  # the empty slot is the base model
    with torch._dynamo.config.patch(error_on_recompile=True):
        for name in ("acme", "globex", "acme"):
            adapters.activate(name, 1.0)
            assert torch.allclose(render(pipe), expected[name], atol=1e-5), name
        adapters.activate(None, 0.0)
        assert torch.allclose(render(pipe), base, atol=1e-5)


def test_hotswap_refuses_a_style_on_other_layers(tmp_path: Path, demo_dir: Path) -> None:
    styles_dir = tmp_path / "styles"
    make_style(styles_dir, "acme", demo_dir, seed=1)
    make_style(styles_dir, "narrow", demo_dir, seed=2, targets=("to_q",))
    styles, _ = discover(styles_dir, "flux")
    adapters = HotswapAdapterSet(load_pipe(demo_dir))
    refused = adapters.load(styles)
    assert [r.directory for r in refused] == ["narrow"]
    assert "same layers" in refused[0].reason
    assert set(adapters.styles) == {"acme"}
