"""HiDream's mixture-of-experts feed-forward without a host sync, so a whole block compiles and captures.

diffusers' `MOEFeedForwardSwiGLU.moe_infer` counts each expert's tokens on the host
(`bincount().cpu()`), then runs each expert on a slice whose length depends on that count: one
device-to-host sync per MoE layer (48 of them in HiDream-I1, every step) and data-dependent shapes,
so `torch.compile` breaks the graph there and CUDA graphs cannot capture the block.

`use_fused_moe` swaps each MoE layer's class for one with a static-shape forward. Same gate, same
top-k experts and weights, same shared expert; per token the same arithmetic, so outputs match
diffusers' within rounding (the sum of a token's two expert outputs is exact whatever the order).

Two formulations, chosen per call from what the experts are (decided while tracing, so free when
compiled):

- grouped (bf16 plain or LoRA-wrapped `nn.Linear` experts, the lossless mode): the N*k (token,
  expert) rows are sorted by expert on the device, and each of w1/w3/w2 is one `torch._grouped_mm`
  over the experts' stacked weights with device-side group ends (`searchsorted`, a static shape).
  FLOPs are exactly diffusers' (k of E experts per token). The cost is a copy: the experts' weights
  are stacked every call (HiDream-I1: 4 experts x 3 x 2560 x 6912 bf16 = 425 MB per layer, about
  0.2 ms of H200 bandwidth, some 10 ms of a ~0.7 s four-image step across 48 layers, ~1.5%) and the
  gathered rows (N*k x 2560). Stacking at call time rather than keeping a stacked copy means nothing
  can go stale: LoRA hotswap, `load_state_dict` or fp8 storage change the experts' own tensors and
  the next call reads them. `_grouped_mm` takes bf16 only under the compiler (and on CUDA) and
  16-byte-aligned widths, hence the condition.
  With the fast mode's fp8 experts (models/fp8.py) the rows are quantized per row as Fp8Linear does
  and multiplied by `torch._scaled_grouped_mm` on Hopper or later (the fp8 rate, exact FLOPs);
  elsewhere the same quantized values go through a bf16 `_grouped_mm`.
- dense (anything else: fp32, bitsandbytes, DoRA or mixed experts): every expert runs on every token and
  tokens it was not routed to are weighted by an exact zero. Static and exact, and it calls the
  expert modules themselves, so any wrapper (PEFT, fp8, bitsandbytes) applies as usual, at E/k
  times the routed FLOPs (HiDream: 2x, or 1.8x of the whole MoE layer with its shared expert).

Weighed and left out: gathering each (token, k)'s expert weights for a batched matmul moves a
weight matrix per token (4,096 tokens x 35 MB), far beyond memory; a fixed per-expert capacity
(token dropping) changes the images.

LoRA: the brand LoRA may wrap the experts' w1/w2/w3 (PEFT `lora.Linear`). Stacking bypasses those
wrappers, so the grouped path applies their deltas itself, as PEFT does (`B(A(x)) * scaling` per
active adapter, reading the live A/B tensors each call: hotswap copies into them, no recompile).
The experts' ranks are padded with zeros to a multiple of 8 for `_grouped_mm`'s alignment, which
adds nothing to the result.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch
    from torch import nn

# _grouped_mm's operands need 16-byte-aligned rows: 8 bf16 values.
_ALIGN = 8


def use_fused_moe(transformer: Any) -> int:
    """Give every HiDream MoE feed-forward the sync-free forward; returns how many it changed.

    Idempotent (a second call changes none). Weights and state-dict keys stay as they are, so call
    it before or after loading LoRAs, and before compiling.
    """
    from diffusers.models.transformers.transformer_hidream_image import MOEFeedForwardSwiGLU

    fused = _fused_class()
    replaced = 0
    for module in transformer.modules():
        if type(module) is MOEFeedForwardSwiGLU:
            module.__class__ = fused
            replaced += 1
    return replaced


@functools.cache
def _fused_class() -> type:
    from diffusers.models.transformers.transformer_hidream_image import MOEFeedForwardSwiGLU

    class FusedMOEFeedForwardSwiGLU(MOEFeedForwardSwiGLU):
        """diffusers' MoE feed-forward with a forward that never waits on the host."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.training and not self._force_inference_output:
                return super().forward(x)  # the training path is never ours to change
            topk_idx, topk_weight, _ = self.gate(x)
            flat = x.reshape(-1, x.shape[-1])
            k = self.num_activated_experts
            idx, weights = topk_idx.reshape(-1, k), topk_weight.reshape(-1, k)
            if can_group(self.experts, flat):
                routed = grouped_experts(self.experts, flat, idx, weights)
            else:
                routed = dense_experts(self.experts, flat, idx, weights)
            return routed.view(x.shape) + self.shared_experts(x)

    return FusedMOEFeedForwardSwiGLU


def dense_experts(experts: nn.ModuleList, flat: torch.Tensor, idx: torch.Tensor,
                  weights: torch.Tensor) -> torch.Tensor:
    """Every expert on every token, weighted by the gate where routed and by exactly 0 elsewhere."""
    import torch

    per_expert = torch.zeros(flat.shape[0], len(experts), dtype=weights.dtype, device=weights.device)
    per_expert = per_expert.scatter(1, idx, weights)
    out = None
    # In expert order, as moe_infer adds them; the zero-weighted terms add exact zeros.
    for e, expert in enumerate(experts):
        y = expert(flat) * per_expert[:, e : e + 1]
        out = y if out is None else out + y
    return out


def can_group(experts: nn.ModuleList, flat: torch.Tensor) -> bool:
    """Whether the grouped path computes these experts exactly as their own modules would."""
    import torch
    from torch import nn

    from models.fp8 import Fp8Linear

    if flat.dtype != torch.bfloat16:
        return False
    kinds = set()
    for expert in experts:
        for name in ("w1", "w2", "w3"):
            layer = getattr(expert, name)
            base = _base(layer)
            kinds.add(type(base))
            if type(base) is Fp8Linear:
                if base.compute_dtype != flat.dtype:
                    return False
            elif type(base) is not nn.Linear or base.weight.dtype != flat.dtype:
                return False
            if base.in_features % _ALIGN or base.out_features % _ALIGN:
                return False
            if layer is not base and not _plain_lora(layer, flat.dtype):
                return False
    return len(kinds) == 1  # all fp8 or all bf16: one stacked weight per linear


def _base(layer: nn.Module) -> nn.Module:
    return layer.get_base_layer() if hasattr(layer, "get_base_layer") else layer


def _plain_lora(layer: Any, dtype: torch.dtype) -> bool:
    """A PEFT LoRA Linear whose forward is base + B(A(x)) * scaling (no DoRA, bias or mixed batch)."""
    from peft.tuners.lora import Linear as LoraLinear

    if type(layer) is not LoraLinear:
        return False
    for adapter in _active(layer):
        if adapter in layer.lora_variant or layer.lora_B[adapter].bias is not None:
            return False
        if layer.lora_A[adapter].weight.dtype != dtype or layer.lora_B[adapter].weight.dtype != dtype:
            return False
    return True


def _active(layer: Any) -> list[str]:
    """The adapters PEFT's forward would add for this layer (none when disabled or merged)."""
    if not hasattr(layer, "lora_A") or layer.disable_adapters or layer.merged:
        return []
    return [a for a in layer.active_adapters if a in layer.lora_A]


def grouped_experts(experts: nn.ModuleList, flat: torch.Tensor, idx: torch.Tensor,
                    weights: torch.Tensor) -> torch.Tensor:
    """Each token through its k experts as three grouped matmuls over rows sorted by expert."""
    import torch
    import torch.nn.functional as F

    n, k = idx.shape
    # Stable, so each expert's rows keep token order, as moe_infer's argsort gives them.
    expert_of_row, order = torch.sort(idx.reshape(-1), stable=True)
    # Where each expert's rows end: computed on the device, a static [E] shape.
    ends = torch.searchsorted(expert_of_row, torch.arange(len(experts), device=idx.device), right=True)
    ends = ends.to(torch.int32)
    rows = flat[order // k]
    w1, w2, w3 = ([getattr(e, name) for e in experts] for name in ("w1", "w2", "w3"))
    hidden = F.silu(_grouped_linear(w1, rows, ends, expert_of_row)) * _grouped_linear(w3, rows, ends, expert_of_row)
    out = _grouped_linear(w2, hidden, ends, expert_of_row)
    out = out * weights.reshape(-1, 1)[order]
    # Back to (token, k) order and summed per token: a deterministic sum, no atomics.
    unsorted = torch.empty_like(out).index_copy_(0, order, out)
    return unsorted.view(n, k, -1).sum(dim=1)


def _grouped_linear(layers: list[nn.Module], rows: torch.Tensor, ends: torch.Tensor,
                    expert_of_row: torch.Tensor) -> torch.Tensor:
    """Rows of group e through layers[e] (nn.Linear, maybe LoRA-wrapped), as the layers would."""
    import torch

    from models.fp8 import Fp8Linear

    bases = [_base(layer) for layer in layers]
    if type(bases[0]) is Fp8Linear:
        result = _fp8_grouped_mm(bases, rows, ends)
    else:
        weight = torch.stack([b.weight for b in bases])  # [E, out, in]
        result = torch._grouped_mm(rows, weight.transpose(-2, -1), offs=ends)
    if bases[0].bias is not None:
        result = result + torch.stack([b.bias for b in bases])[expert_of_row]
    adapters = list(dict.fromkeys(a for layer in layers for a in _active(layer)))
    for adapter in adapters:
        result = result + _lora_delta(layers, bases, adapter, rows, ends, expert_of_row)
    return result


def _lora_delta(layers: list[Any], bases: list[nn.Module], adapter: str, rows: torch.Tensor,
                ends: torch.Tensor, expert_of_row: torch.Tensor) -> torch.Tensor:
    """One adapter's B(A(x)) * scaling per expert; experts without it contribute zeros."""
    import torch
    import torch.nn.functional as F

    rank = max(layer.lora_A[adapter].weight.shape[0] for layer in layers if adapter in _active(layer))
    padded = -(-rank // _ALIGN) * _ALIGN
    a_stack, b_stack, scales = [], [], []
    for layer, base in zip(layers, bases, strict=True):
        if adapter in _active(layer):
            a, b = layer.lora_A[adapter].weight, layer.lora_B[adapter].weight
            scale = layer.scaling[adapter]
        else:
            a = rows.new_zeros(rank, base.in_features)
            b = rows.new_zeros(base.out_features, rank)
            scale = 0.0
        r = a.shape[0]
        a_stack.append(F.pad(a, (0, 0, 0, padded - r)))  # [padded, in]
        b_stack.append(F.pad(b, (0, padded - r)))  # [out, padded]
        # A tensor from hotswap's prepare step (so new styles never recompile), else a float.
        scales.append(torch.as_tensor(scale, dtype=torch.float32, device=rows.device))
    low = torch._grouped_mm(rows, torch.stack(a_stack).transpose(-2, -1), offs=ends)
    delta = torch._grouped_mm(low, torch.stack(b_stack).transpose(-2, -1), offs=ends)
    # After B, as PEFT scales; cast so the scale does not promote bf16 to fp32.
    return delta * torch.stack(scales)[expert_of_row].unsqueeze(1).to(delta.dtype)


def _fp8_grouped_mm(bases: list[Any], rows: torch.Tensor, ends: torch.Tensor) -> torch.Tensor:
    """Fp8Linear experts (the fast mode) on their rows: the rows quantized per row, as Fp8Linear does.

    On Hopper and later, one `torch._scaled_grouped_mm` at the fp8 rate. Elsewhere (the CPU tests, an
    Ada card) the same quantized values are dequantized into one bf16 `_grouped_mm`: the numerics of
    Fp8Linear within bf16 rounding of the dequantized weights, at the bf16 rate.
    """
    import torch

    from models.fp8 import quantize_rows

    q, row_scale = quantize_rows(rows)
    weight = torch.stack([b.weight for b in bases])  # [E, out, in] e4m3
    weight_scale = torch.stack([b.weight_scale for b in bases])  # [E, out] fp32
    if rows.is_cuda and _has_scaled_grouped_mm(rows.device):
        return torch._scaled_grouped_mm(q, weight.transpose(-2, -1), row_scale.view(-1), weight_scale, offs=ends,
                                        out_dtype=rows.dtype)
    a = (q.float() * row_scale).to(rows.dtype)
    b = (weight.float() * weight_scale.unsqueeze(-1)).to(rows.dtype)
    return torch._grouped_mm(a, b.transpose(-2, -1), offs=ends)


def _has_scaled_grouped_mm(device: torch.device) -> bool:
    """Hopper or later (the fp8 grouped kernels); get_device_properties is constant to the compiler."""
    import torch

    props = torch.cuda.get_device_properties(device)
    return (props.major, props.minor) >= (9, 0) and hasattr(torch, "_scaled_grouped_mm")
