"""Brand styles for a compiled transformer: one adapter slot whose weights are swapped in place.

`torch.compile` specialises on the module structure, so adding adapters or switching them with
`set_adapters` after compiling would recompile (minutes for a real model). diffusers' hotswap keeps
one LoRA slot, padded to the largest rank, and copies another adapter's weights into it: no new
modules, no recompilation. Each style's weights stay in host memory, ready to copy in; a style's
weight is applied by scaling its B matrices, and "no style" is the slot with B all zeros.
"""

from __future__ import annotations

import logging
from typing import Any

from loras.adapters import _wrapped_modules, check_shapes
from loras.registry import RefusedStyle, Style

log = logging.getLogger(__name__)

SLOT = "brand"


def _is_b(key: str) -> bool:
    return "lora_B" in key or "lora_up" in key


class HotswapAdapterSet:
    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe
        self.styles: dict[str, Style] = {}
        self.active: tuple[str | None, float] | None = None
        self._weights: dict[str, dict[str, Any]] = {}
        self._zero: dict[str, Any] | None = None

    def load(self, styles: list[Style]) -> list[RefusedStyle]:
        """Read and check every style, then set up the slot. Call before compiling."""
        from safetensors.torch import load_file

        refused = []
        keys: frozenset[str] | None = None
        for style in styles:
            try:
                check_shapes(self.pipe, style.adapter_path)
                weights = load_file(str(style.adapter_path))
                if keys is not None and frozenset(weights) != keys:
                    raise ValueError("it targets other layers than the first style, and hotswapping for a "
                                     "compiled model needs every style to target the same layers")
                keys = frozenset(weights)
            except Exception as exc:  # safetensors and our checks raise several types
                reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
                refused.append(RefusedStyle(style.adapter_path.parent.name, f"adapter does not fit the model: {reason}"))
                log.error("style %s refused: %s", style.name, reason)
                continue
            self._weights[style.name] = weights
            self.styles[style.name] = style
        if self.styles:
            self._open_slot()
        self.active = (None, 0.0)
        return refused

    def _open_slot(self) -> None:
        first = next(iter(self._weights.values()))
        rank = max(v.shape[0] for w in self._weights.values() for k, v in w.items() if not _is_b(k))
        # Copies: the slot may keep the very tensors it is given and later hotswaps write into them,
        # which would overwrite the stored style they came from.
        self._zero = {k: v.new_zeros(v.shape) if _is_b(k) else v.clone() for k, v in first.items()}
        self.pipe.enable_lora_hotswap(target_rank=rank)
        self.pipe.load_lora_weights({k: v.clone() for k, v in self._zero.items()}, adapter_name=SLOT)
        expected = sum(1 for k in first if not _is_b(k))
        if _wrapped_modules(self.pipe, SLOT) != expected:
            raise ValueError("the styles' LoRA layers do not all match layers of the model")

    def activate(self, name: str | None, weight: float) -> None:
        if (name, weight) == self.active or (name is None and self.active and self.active[0] is None):
            return
        if name is not None and name not in self.styles:
            raise ValueError(f"unknown style {name!r}")
        if self._zero is None:  # no styles at all: the base model is all there is
            self.active = (None, 0.0)
            return
        source = self._zero if name is None else self._weights[name]
        # Fresh tensors every time (see _open_slot); the weight scales the B side.
        weights = {k: v * weight if _is_b(k) and name is not None else v.clone() for k, v in source.items()}
        self.pipe.load_lora_weights(weights, adapter_name=SLOT, hotswap=True)
        self.active = (name, weight)
