"""The fast (lossy) mode's fp8 transformer: e4m3 weights and activations in each large Linear.

Each quantized layer keeps its weight in float8_e4m3fn with one fp32 scale per output channel, and
quantizes its input per row (per token) on the fly from that row's absolute maximum, then multiplies
with `torch._scaled_mm` (rowwise scales, bf16 out): the fp8 tensor cores' rate, twice bf16's on
H100/H200, and half the weight memory. Models running in fp32 (the tiny CPU builds) take the same
quantized values through an ordinary matmul, so the numerics are the same and testable anywhere.

Why our own ~100 lines and not torchao's `float8_dynamic_activation_float8_weight` (torchao 0.18 on
PyPI): the recipe is the same, but torchao is another package to carry onto every GPU machine (only
torch, transformers, accelerate and peft are sure to be there), its tensor subclass must line up with
the torch release, and PEFT's LoRA over it is a separate code path. Here a quantized layer is still an
`nn.Linear` (its class is swapped for a subclass), so PEFT wraps it like any Linear, LoRA A/B stay in
the compute dtype beside it (`compute_dtype` is what PEFT reads for that), and hotswap copies into them
as before, with no recompilation.

Order: call after the brand LoRA slot is open (a LoRA loaded later also works: the layers are still
Linears and say their compute dtype) and before compiling. Not undone by `fuse_lora`: fusing a LoRA
into fp8 weights is not supported, and the hotswap path never fuses.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

FP8 = torch.float8_e4m3fn
FP8_MAX = torch.finfo(FP8).max  # 448
# _scaled_mm needs both dimensions of the fp8 weight, and the inner one of the input, divisible by 16.
_MULTIPLE = 16
# Layers left in the compute dtype: the input embedders (any depth) and the model's own output layers
# (top level only: FLUX's single blocks each have a `proj_out` too, 1.8 B parameters that are
# quantized), small layers whose errors every token carries; and PEFT's LoRA A/B, kept for the hotswap.
KEEP_PRECISE_ANYWHERE = ("embed", "lora_")
KEEP_PRECISE_TOP = ("proj_out", "norm_out", "final_layer")


class Fp8Linear(nn.Linear):
    """A Linear whose weight is e4m3 with per-output-channel scales; inputs are quantized per row."""

    weight_scale: torch.Tensor
    compute_dtype: torch.dtype

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        rows = x.reshape(-1, shape[-1])
        q, row_scale = quantize_rows(rows)
        if x.dtype == torch.bfloat16:
            out = torch._scaled_mm(q, self.weight.t(), scale_a=row_scale, scale_b=self.weight_scale.view(1, -1),
                                   out_dtype=torch.bfloat16)
        else:
            # fp32 (the CPU builds): the same quantized values, multiplied in full precision.
            out = ((q.float() * row_scale) @ dequantize(self.weight, self.weight_scale).t()).to(x.dtype)
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, fp8=e4m3, compute_dtype={self.compute_dtype}"


def quantize_rows(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each row of a 2-D tensor in e4m3 and its fp32 scale [rows, 1] (row = q * scale)."""
    amax = t.abs().amax(dim=1, keepdim=True).float()
    # A zero row gets a tiny scale rather than a division by zero; its values stay zero.
    scale = amax.clamp(min=1e-12) / FP8_MAX
    return (t.float() / scale).clamp(-FP8_MAX, FP8_MAX).to(FP8), scale


def dequantize(weight: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """An fp8 weight back in fp32 (for checks and the fp32 path)."""
    return weight.float() * scale.view(-1, 1)


def can_quantize(name: str, module: nn.Module) -> bool:
    """A plain Linear of _scaled_mm-compatible shape that is not an embedder, output layer or LoRA."""
    if type(module) is not nn.Linear:
        return False
    if module.in_features % _MULTIPLE or module.out_features % _MULTIPLE:
        return False
    parts = name.split(".")
    if parts[0] in KEEP_PRECISE_TOP:
        return False
    return not any(fragment in part for part in parts for fragment in KEEP_PRECISE_ANYWHERE)


def quantize_fp8(transformer: Any, device: str | torch.device | None = None,
                 store: str | torch.device | None = None) -> int:
    """Quantize the transformer's large Linear layers to fp8 in place; returns how many were.

    With `device`, each weight is moved there to be quantized (a GPU does it in seconds where a host
    takes minutes), one layer at a time, and its fp8 copy is kept on `store` (default: `device`).
    Idempotent: quantized layers are no longer plain Linears and are skipped on a second call.
    """
    count = 0
    for name, module in list(transformer.named_modules()):
        if can_quantize(name, module):
            _quantize_linear(module, device, store or device)
            count += 1
    return count


@torch.no_grad()
def _quantize_linear(linear: nn.Linear, device: str | torch.device | None, store: str | torch.device | None) -> None:
    weight = linear.weight if device is None else linear.weight.to(device)
    if store is not None and linear.bias is not None:
        linear.bias = nn.Parameter(linear.bias.to(store), requires_grad=False)
    q, scale = quantize_rows(weight)
    if store is not None:
        q, scale = q.to(store), scale.to(store)
    linear.weight = nn.Parameter(q, requires_grad=False)
    linear.register_buffer("weight_scale", scale.view(-1).contiguous())
    linear.compute_dtype = weight.dtype  # what PEFT casts new LoRA layers to
    linear.__class__ = Fp8Linear
