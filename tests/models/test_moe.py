"""The sync-free HiDream MoE: equal to diffusers' forward, with LoRAs, compiled whole, hotswapped."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from diffusers.models.transformers.transformer_hidream_image import (
    HiDreamImageSingleTransformerBlock,
    MOEFeedForwardSwiGLU,
)

from models.moe import can_group, use_fused_moe

# Every SwiGLU's linears (the routed experts', the shared expert's and the text stream's) and attention.
EXPERT_TARGETS = ["w1", "w2", "w3"]
TOL = {torch.float32: 1e-6, torch.bfloat16: 2e-2}


def moe(dim: int = 64, experts: int = 4, k: int = 2, dtype: torch.dtype = torch.float32, seed: int = 0):
    torch.manual_seed(seed)
    return MOEFeedForwardSwiGLU(dim, 4 * dim, experts, k).eval().to(dtype)


def fused(module: torch.nn.Module) -> torch.nn.Module:
    copied = copy.deepcopy(module)
    assert use_fused_moe(copied) >= 1
    return copied


def with_lora(module: torch.nn.Module, rank: int, seed: int = 1) -> torch.nn.Module:
    from peft import LoraConfig, inject_adapter_in_model

    torch.manual_seed(seed)
    dtype = next(module.parameters()).dtype
    config = LoraConfig(r=rank, lora_alpha=2 * rank, target_modules=EXPERT_TARGETS, init_lora_weights=False)
    return inject_adapter_in_model(config, module, adapter_name="brand").to(dtype)


def assert_close(a: torch.Tensor, b: torch.Tensor, dtype: torch.dtype) -> None:
    scale = b.abs().max().item()
    assert (a.float() - b.float()).abs().max().item() <= TOL[dtype] * max(scale, 1.0)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("shape", [(1, 1), (2, 37), (3, 256)])
def test_fused_moe_equals_diffusers_forward(dtype: torch.dtype, shape: tuple[int, int]) -> None:
    reference = moe(dtype=dtype)
    x = torch.randn(*shape, 64, dtype=dtype)
    with torch.no_grad():
        assert_close(fused(reference)(x), reference(x), dtype)


@pytest.mark.parametrize("k", [1, 3])
def test_fused_moe_follows_other_top_k(k: int) -> None:
    reference = moe(dtype=torch.bfloat16, k=k)
    x = torch.randn(2, 50, 64, dtype=torch.bfloat16)
    with torch.no_grad():
        assert_close(fused(reference)(x), reference(x), torch.bfloat16)


def test_bf16_linear_experts_take_the_grouped_path_and_fp32_the_dense_one() -> None:
    flat = torch.zeros(4, 64)
    assert can_group(moe(dtype=torch.bfloat16).experts, flat.bfloat16())
    assert not can_group(moe().experts, flat)  # _grouped_mm is bf16-only under the compiler
    # Widths that break _grouped_mm's 16-byte alignment fall back too.
    assert not can_group(moe(dim=36, dtype=torch.bfloat16).experts, torch.zeros(4, 36, dtype=torch.bfloat16))


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("rank", [4, 16])  # 4 is padded to _grouped_mm's alignment
def test_fused_moe_applies_the_lora_on_the_experts(dtype: torch.dtype, rank: int) -> None:
    base = moe(dtype=dtype)
    reference = with_lora(copy.deepcopy(base), rank)
    x = torch.randn(2, 40, 64, dtype=dtype)
    with torch.no_grad():
        plain, styled = base(x), reference(x)
        assert (styled.float() - plain.float()).abs().max() > 0.05  # the LoRA really changes the output
        assert_close(fused(reference)(x), styled, dtype)


def test_disabled_adapters_are_left_out_as_peft_does() -> None:
    reference = with_lora(moe(dtype=torch.bfloat16), 8)
    for module in reference.modules():
        if hasattr(module, "enable_adapters") and hasattr(module, "lora_A"):
            module.enable_adapters(False)
    x = torch.randn(1, 24, 64, dtype=torch.bfloat16)
    with torch.no_grad():
        assert_close(fused(reference)(x), reference(x), torch.bfloat16)


def tiny_transformer():
    from diffusers import HiDreamImageTransformer2DModel

    torch.manual_seed(0)
    return HiDreamImageTransformer2DModel(
        patch_size=2, in_channels=4, out_channels=4, num_layers=1, num_single_layers=2, attention_head_dim=16,
        num_attention_heads=2, caption_channels=[32, 16], text_emb_dim=64, num_routed_experts=4,
        num_activated_experts=2, axes_dims_rope=(4, 6, 6), max_resolution=(32, 32), llama_layers=(0, 1, 1),
    ).eval()


def test_every_moe_layer_is_replaced_once() -> None:
    transformer = tiny_transformer()
    assert use_fused_moe(transformer) == 3  # one double-stream block and two single-stream ones
    assert use_fused_moe(transformer) == 0
    # Weights and their names are untouched: checkpoints and LoRAs still load.
    assert set(transformer.state_dict()) == set(tiny_transformer().state_dict())


def test_tiny_hidream_pipeline_renders_the_same_pixels_with_a_brand_lora(tmp_path: Path) -> None:
    from models import get_family
    from tests.lora_factory import load_pipe, make_style

    demo = tmp_path / "hidream"
    get_family("hidream").build_tiny(demo)
    style = make_style(tmp_path / "styles", "acme", demo, seed=2, family="hidream",
                       targets=("to_q", "to_v", *EXPERT_TARGETS))
    pipe = load_pipe(demo, "hidream")
    pipe.load_lora_weights(style, weight_name="pytorch_lora_weights.safetensors", adapter_name="acme")

    def render() -> np.ndarray:
        out = pipe(prompt="a red mug", width=256, height=256, num_inference_steps=1, guidance_scale=0.0,
                   generator=torch.Generator().manual_seed(5), output_type="np")
        return out.images[0]

    with torch.inference_mode():
        plain = render()
        assert use_fused_moe(pipe.transformer) == 2
        assert np.abs(render() - plain).max() < 1e-5


@pytest.fixture(scope="module")
def compiled_block() -> tuple:
    """A bf16 single-stream block (attention + MoE) with a LoRA on its experts, fused and compiled whole."""
    torch.manual_seed(0)
    block = HiDreamImageSingleTransformerBlock(dim=64, num_attention_heads=4, attention_head_dim=16).eval()
    block = with_lora(block.to(torch.bfloat16), rank=8)
    eager = copy.deepcopy(block)
    use_fused_moe(block)
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    # aot_eager: the same graph capture and fake-tensor tracing as inductor, without its C++ build.
    compiled = torch.compile(block, fullgraph=True, backend="aot_eager")
    inputs = block_inputs()
    with torch.no_grad():
        out = compiled(**inputs)
    return block, compiled, eager, out


def block_inputs() -> dict[str, torch.Tensor]:
    from diffusers.models.transformers.transformer_hidream_image import HiDreamImageEmbedND

    torch.manual_seed(3)
    ids = torch.stack(torch.meshgrid(torch.zeros(1), torch.arange(8.0), torch.arange(8.0), indexing="ij"), -1)
    rope = HiDreamImageEmbedND(theta=10000, axes_dim=[4, 6, 6])(ids.reshape(1, -1, 3))
    return {"hidden_states": torch.randn(2, 64, 64, dtype=torch.bfloat16),
            "temb": torch.randn(2, 64, dtype=torch.bfloat16), "image_rotary_emb": rope}


@pytest.mark.xdist_group("compiled_block")  # one worker compiles it once
def test_a_fused_block_compiles_as_one_graph(compiled_block: tuple) -> None:
    block, _, eager, out = compiled_block
    counters = torch._dynamo.utils.counters
    assert not counters["graph_break"]  # fullgraph=True would also have raised at the first one
    assert counters["stats"]["unique_graphs"] == 1
    with torch.no_grad():
        assert_close(out, eager(**block_inputs()), torch.bfloat16)


def test_diffusers_moe_cannot_compile_as_one_graph() -> None:
    torch.manual_seed(0)
    module = moe(dtype=torch.bfloat16)
    torch._dynamo.reset()
    with pytest.raises(Exception, match="(?i)graph break|data-dependent|dynamic"), torch.no_grad():
        torch.compile(module, fullgraph=True, backend="aot_eager")(torch.randn(1, 8, 64, dtype=torch.bfloat16))


@pytest.mark.xdist_group("compiled_block")
def test_swapping_lora_weights_into_the_compiled_block_never_recompiles(compiled_block: tuple) -> None:
    block, compiled, eager, before = compiled_block
    torch.manual_seed(9)
    # What hotswap does: copy the new style's weights into the slot's tensors in place.
    for module, twin in zip(block.modules(), eager.modules(), strict=True):
        if hasattr(module, "lora_B") and "brand" in module.lora_B:
            new = torch.randn_like(module.lora_B["brand"].weight) * 0.5
            module.lora_B["brand"].weight.data.copy_(new)
            twin.lora_B["brand"].weight.data.copy_(new)
    with torch._dynamo.config.patch(error_on_recompile=True), torch.no_grad():
        after = compiled(**block_inputs())
        assert (after.float() - before.float()).abs().max() > 0.05
        assert_close(after, eager(**block_inputs()), torch.bfloat16)


def test_fp8_experts_with_a_lora_take_the_grouped_path_close_to_their_own_forward() -> None:
    from models.fp8 import quantize_fp8

    reference = with_lora(moe(dtype=torch.bfloat16), 8)
    assert quantize_fp8(reference) > 0  # the fast mode's experts, the brand LoRA beside them in bf16
    fast = fused(reference)
    x = torch.randn(2, 45, 64, dtype=torch.bfloat16)
    assert can_group(fast.experts, x.reshape(-1, 64))
    with torch.no_grad():
        expected, got = reference(x).float(), fast(x).float()
    # The same quantized values; only bf16 rounding of the dequantized weights differs on the CPU.
    assert ((got - expected).norm() / expected.norm()).item() < 0.02


def test_the_cuda_fp8_grouped_call_is_well_formed(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyTorch's meta kernel checks _scaled_grouped_mm's layouts, on fake CUDA tensors (no GPU needed)."""
    from torch._subclasses.fake_tensor import FakeTensorMode

    from models import moe as moe_module

    monkeypatch.setattr(moe_module, "_has_scaled_grouped_mm", lambda device: True)
    with FakeTensorMode():
        # What _fp8_grouped_mm reads of each Fp8Linear, as quantize_fp8 lays it out (fake tensors cannot
        # be randomly initialised on a device this build lacks, so no real Linear here).
        experts = [SimpleNamespace(weight=torch.empty(96, 64, dtype=torch.float8_e4m3fn, device="cuda"),
                                   weight_scale=torch.empty(96, device="cuda")) for _ in range(4)]
        rows = torch.empty(50, 64, dtype=torch.bfloat16, device="cuda")
        ends = torch.empty(4, dtype=torch.int32, device="cuda")
        out = moe_module._fp8_grouped_mm(experts, rows, ends)
        assert (out.shape, out.dtype, out.device.type) == ((50, 96), torch.bfloat16, "cuda")
