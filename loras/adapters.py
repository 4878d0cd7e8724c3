"""Brand adapters loaded into the runner's pipeline, switched per batch without reloading.

Every style's LoRA is loaded once, under its own adapter name, when the runner starts; a batch then
activates one (`set_adapters`, about a millisecond) or none (`disable_lora`). Loading is also the
real check of an adapter: one whose keys do not all land on the model is refused at start, not at
generation time.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from loras.registry import RefusedStyle, Style, read_adapter_keys

log = logging.getLogger(__name__)


def _wrapped_modules(pipe: Any, adapter: str) -> int:
    """How many layers of the pipeline carry this adapter's LoRA weights."""
    from peft.tuners.tuners_utils import BaseTunerLayer

    count = 0
    for component in pipe.components.values():
        if not hasattr(component, "named_modules"):
            continue
        for _, module in component.named_modules():
            if isinstance(module, BaseTunerLayer) and adapter in getattr(module, "lora_A", {}):
                count += 1
    return count


_DIFFUSERS_KEY = re.compile(r"^(?P<component>\w+)\.(?P<layer>.+)\.lora_(?P<side>[AB])\.weight$")


def check_shapes(pipe: Any, path: Path) -> None:
    """Refuse an adapter (diffusers' key format) whose layers or sizes the model does not have.

    Checked before loading: given a LoRA wider than a layer, FLUX's loader widens the model's own
    layer to fit (a feature for control LoRAs), which would break the base model for every style.
    """
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        for key in f.keys():
            match = _DIFFUSERS_KEY.match(key)
            if match is None:
                continue  # other formats (kohya, XLabs) are converted by diffusers and checked after
            component = getattr(pipe, match["component"], None)
            try:
                layer = component.get_submodule(match["layer"])
            except AttributeError:
                raise ValueError(f"it has a layer the model lacks: {match['component']}.{match['layer']}") from None
            layer = getattr(layer, "base_layer", layer)
            shape = f.get_slice(key).get_shape()
            fits = shape[1] == layer.in_features if match["side"] == "A" else shape[0] == layer.out_features
            if not fits:
                raise ValueError(f"{key} has shape {tuple(shape)}, which does not fit that layer of the model")


class AdapterSet:
    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe
        self.styles: dict[str, Style] = {}
        # Unknown until the first activate(): loading an adapter also makes it active.
        self.active: tuple[str | None, float] | None = None

    def load(self, styles: list[Style]) -> list[RefusedStyle]:
        refused = []
        for style in styles:
            try:
                self._load_one(style)
            except Exception as exc:  # diffusers and peft raise many types for a bad adapter
                reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
                refused.append(RefusedStyle(style.adapter_path.parent.name, f"adapter does not fit the model: {reason}"))
                log.error("style %s refused: %s", style.name, reason)
                self._forget(style.name)
                continue
            self.styles[style.name] = style
        self.activate(None, 0.0)
        return refused

    def _load_one(self, style: Style) -> None:
        check_shapes(self.pipe, style.adapter_path)
        expected = sum(1 for k in read_adapter_keys(style.adapter_path) if k.endswith(("lora_A.weight", "lora_down.weight")))
        self.pipe.load_lora_weights(
            str(style.adapter_path.parent), weight_name=style.adapter_path.name, adapter_name=style.name
        )
        landed = _wrapped_modules(self.pipe, style.name)
        if landed != expected:
            # diffusers skips keys that match no layer with a warning; a style that only half
            # applies would look like a working one.
            raise ValueError(f"{expected - landed} of its {expected} LoRA layers match no layer of the model")

    def _forget(self, name: str) -> None:
        try:
            self.pipe.delete_adapters([name])
        except Exception:  # nothing was loaded under that name
            pass

    def activate(self, name: str | None, weight: float) -> None:
        """Make `name` at `weight` the only active adapter (None: the base model)."""
        if (name, weight) == self.active:
            return
        if name is None:
            if self.styles:
                self.pipe.disable_lora()
        else:
            if name not in self.styles:
                raise ValueError(f"unknown style {name!r}")
            self.pipe.enable_lora()
            self.pipe.set_adapters([name], [weight])
        self.active = (name, weight)
