"""The fast mode's fp8 layers: close to full precision, LoRAs still apply and hotswap, FLUX renders close."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from models.fp8 import Fp8Linear, dequantize, quantize_fp8, quantize_rows

# e4m3 keeps 3 mantissa bits: each value within 1/16 relative, so a dot product's error is a few %.
REL_ERROR_BOUND = 0.06


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a.float() - b.float()).norm() / b.float().norm()).item()


def quantized_copy(linear: nn.Linear) -> nn.Linear:
    model = nn.Sequential(nn.Linear(linear.in_features, linear.out_features))
    model[0].load_state_dict(linear.state_dict())
    model.to(linear.weight.dtype)
    assert quantize_fp8(model) == 1
    return model[0]


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])  # emulated matmul / torch._scaled_mm
@pytest.mark.parametrize("shape", [(3, 64), (2, 50, 64)])
def test_fp8_linear_is_close_to_the_full_precision_one(dtype: torch.dtype, shape: tuple[int, ...]) -> None:
    torch.manual_seed(0)
    linear = nn.Linear(64, 96).to(dtype)
    x = torch.randn(*shape, dtype=dtype)
    fp8 = quantized_copy(linear)
    assert isinstance(fp8, Fp8Linear) and fp8.weight.dtype == torch.float8_e4m3fn
    with torch.no_grad():
        out, reference = fp8(x), linear(x)
    assert out.dtype == dtype and out.shape == reference.shape
    assert 0 < relative_error(out, reference) < REL_ERROR_BOUND


def test_scaled_mm_and_the_emulated_matmul_agree() -> None:
    torch.manual_seed(1)
    fp8 = quantized_copy(nn.Linear(64, 32).bfloat16())
    x = torch.randn(9, 64, dtype=torch.bfloat16)
    q, scale = quantize_rows(x)
    emulated = (q.float() * scale) @ dequantize(fp8.weight, fp8.weight_scale).t() + fp8.bias.float()
    with torch.no_grad():
        assert relative_error(fp8(x), emulated) < 0.01  # bf16 output rounding only


def test_quantization_round_trips_within_e4m3_precision_and_keeps_zero_rows() -> None:
    torch.manual_seed(2)
    t = torch.randn(8, 64)
    t[3] = 0
    q, scale = quantize_rows(t)
    back = q.float() * scale
    assert torch.all(back[3] == 0)
    assert ((back - t).abs() <= t.abs() / 16 + scale * 2**-9).all()


def test_only_large_interior_linears_are_quantized() -> None:
    model = nn.ModuleDict({
        "x_embedder": nn.Linear(64, 64),
        "blocks": nn.ModuleList([nn.Linear(64, 128), nn.Linear(128, 64), nn.Linear(64, 12)]),
        # A block's own output projection (FLUX's single blocks have one) is interior: quantized.
        "single": nn.ModuleDict({"proj_out": nn.Linear(64, 64)}),
        "proj_out": nn.Linear(64, 64),
    })
    assert quantize_fp8(model) == 3
    assert [type(m) for m in model["blocks"]] == [Fp8Linear, Fp8Linear, nn.Linear]  # 12 is no multiple of 16
    assert type(model["single"]["proj_out"]) is Fp8Linear
    assert type(model["x_embedder"]) is nn.Linear and type(model["proj_out"]) is nn.Linear
    assert quantize_fp8(model) == 0  # idempotent


def lora_model(dtype: torch.dtype = torch.bfloat16) -> nn.Module:
    from peft import LoraConfig, inject_adapter_in_model

    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 64)).to(dtype)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["0", "2"], init_lora_weights=False)
    return inject_adapter_in_model(config, model, adapter_name="brand")


@pytest.mark.parametrize("before", [True, False])
def test_lora_still_applies_on_fp8_base_weights(before: bool) -> None:
    from peft import LoraConfig, inject_adapter_in_model

    if before:  # the documented order: the LoRA slot first, then fp8
        model = lora_model()
        assert quantize_fp8(model) == 2
    else:  # a LoRA added to already quantized layers stays in the compute dtype too
        torch.manual_seed(3)
        model = nn.Sequential(nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 64)).bfloat16()
        assert quantize_fp8(model) == 2
        config = LoraConfig(r=4, lora_alpha=8, target_modules=["0", "2"], init_lora_weights=False)
        model = inject_adapter_in_model(config, model, adapter_name="brand")
    layer = model[0]
    assert layer.base_layer.weight.dtype == torch.float8_e4m3fn
    assert layer.lora_A["brand"].weight.dtype == torch.bfloat16
    x = torch.randn(5, 64, dtype=torch.bfloat16)
    with torch.no_grad():
        styled = layer(x)
        layer.enable_adapters(False)
        plain = layer(x)
    delta = layer.lora_B["brand"](layer.lora_A["brand"](x)) * layer.scaling["brand"]
    assert delta.abs().max() > 0.1
    assert relative_error(styled - plain, delta) < 0.02  # the LoRA's delta, unquantized, on top


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import ensure_demo_model

    return ensure_demo_model(tmp_path_factory.mktemp("demo")).path


def load_bf16(demo_dir: Path):  # noqa: ANN201
    from models import get_family

    return get_family("flux").load(demo_dir, "cpu", torch.bfloat16)


def render(pipe, seed: int = 0) -> np.ndarray:  # noqa: ANN001
    out = pipe(prompt=["a brand mug"], width=256, height=256, num_inference_steps=2, guidance_scale=3.5,
               generator=[torch.Generator().manual_seed(seed)], output_type="np", max_sequence_length=32)
    return out.images[0]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * np.log10(1.0 / mse)


def test_tiny_flux_in_fp8_renders_close_to_but_not_equal_to_bf16(demo_dir: Path) -> None:
    plain_pipe, fp8_pipe = load_bf16(demo_dir), load_bf16(demo_dir)
    assert quantize_fp8(fp8_pipe.transformer) > 0
    with torch.inference_mode():
        plain, fast = render(plain_pipe), render(fp8_pipe)
    value = psnr(fast, plain)
    print(f"tiny FLUX fp8 vs bf16: PSNR {value:.1f} dB, max difference {np.abs(fast - plain).max():.3f}")
    assert np.abs(fast - plain).max() > 0  # lossy: really on
    assert value > 30  # and the same picture


@pytest.mark.xdist_group("fp8_hotswap")
def test_styles_hotswap_on_a_compiled_fp8_transformer_without_recompiling(tmp_path: Path, demo_dir: Path) -> None:
    from loras.hotswap import HotswapAdapterSet
    from loras.registry import discover
    from tests.lora_factory import make_style

    make_style(tmp_path / "styles", "acme", demo_dir, seed=1)
    make_style(tmp_path / "styles", "globex", demo_dir, seed=2)
    styles, _ = discover(tmp_path / "styles", "flux")
    pipe = load_bf16(demo_dir)
    adapters = HotswapAdapterSet(pipe)
    assert adapters.load(styles) == []
    assert quantize_fp8(pipe.transformer) > 0  # after the slot is open, before compiling
    pipe.transformer = torch.compile(pipe.transformer, fullgraph=True, backend="aot_eager")
    torch._dynamo.reset()
    with torch.inference_mode():
        base = render(pipe)
        seen = []
        with torch._dynamo.config.patch(error_on_recompile=True):
            for name in ("acme", "globex", "acme"):
                adapters.activate(name, 1.0)
                seen.append(render(pipe))
    assert np.abs(seen[0] - base).max() > 0.01  # the style shows
    assert np.abs(seen[1] - seen[0]).max() > 0.01  # and each style differently
    assert np.array_equal(seen[2], seen[0])  # switching back gives the same image


def test_the_cuda_scaled_mm_call_is_well_formed() -> None:
    """PyTorch's meta kernel checks _scaled_mm's layouts and scales, on fake CUDA tensors (no GPU needed)."""
    from types import SimpleNamespace

    from torch._subclasses.fake_tensor import FakeTensorMode

    with FakeTensorMode():
        # What Fp8Linear.forward reads of itself, as quantize_fp8 lays it out (fake tensors cannot be
        # randomly initialised on a device this build lacks, so no real Linear here).
        layer = SimpleNamespace(weight=torch.empty(96, 64, dtype=torch.float8_e4m3fn, device="cuda"),
                                weight_scale=torch.empty(96, device="cuda"), out_features=96,
                                bias=torch.empty(96, dtype=torch.bfloat16, device="cuda"))
        x = torch.empty(2, 37, 64, dtype=torch.bfloat16, device="cuda")
        out = Fp8Linear.forward(layer, x)
        assert (out.shape, out.dtype, out.device.type) == ((2, 37, 96), torch.bfloat16, "cuda")
