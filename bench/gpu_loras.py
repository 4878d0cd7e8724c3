"""Brand styles for the GPU check: random LoRAs of a real rank, loaded as the runner loads them.

Each style is a diffusers-format safetensors file (the keys `save_lora_weights` writes) on the
transformer's attention projections, the layers tests/lora_factory.py targets, at rank 16 by
default. They are loaded through loras.hotswap.HotswapAdapterSet, the runner's loader for a
compiled transformer: one unfused adapter slot whose weights are swapped in place. The eager
baseline uses the same slot, so every row carries the same LoRA the same way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

# The attention projections each family's LoRAs usually train: the tests' own list.
from tests.lora_factory import TARGETS  # noqa: E402

STYLE_NAMES = ("acme", "globex", "initech")


def lora_weights(transformer: Any, family: str, rank: int, seed: int) -> dict[str, torch.Tensor]:
    """A random LoRA for every targeted Linear: B A adds about a tenth of the base layer's output."""
    generator = torch.Generator("cpu").manual_seed(seed)
    dtype = next(transformer.parameters()).dtype
    weights = {}
    for name, module in transformer.named_modules():
        if not isinstance(module, torch.nn.Linear):
            continue
        if not any(name == t or name.endswith("." + t) for t in TARGETS[family]):
            continue
        a = torch.randn(rank, module.in_features, generator=generator) / module.in_features**0.5
        b = torch.randn(module.out_features, rank, generator=generator) * (0.05 / rank**0.5)
        weights[f"transformer.{name}.lora_A.weight"] = a.to(dtype)
        weights[f"transformer.{name}.lora_B.weight"] = b.to(dtype)
    if not weights:
        raise RuntimeError(f"no {TARGETS[family]} layers in the {family} transformer")
    return weights


def make_styles(pipe: Any, family: str, directory: Path, rank: int = 16) -> list[Any]:
    """Three styles (acme, globex, initech) written under `directory`, as registry Styles."""
    from safetensors.torch import save_file

    from loras.manifest import StyleManifest
    from loras.registry import Style

    styles = []
    for seed, name in enumerate(STYLE_NAMES, start=1):
        folder = directory / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "pytorch_lora_weights.safetensors"
        save_file(lora_weights(pipe.transformer, family, rank, seed), str(path))
        manifest = {"name": name, "family": family}
        (folder / "style.json").write_text(json.dumps(manifest))
        styles.append(Style(StyleManifest(**manifest), path))
    return styles


def load_styles(pipe: Any, family: str, directory: Path, rank: int = 16) -> Any:
    """The runner's hotswap slot with the three styles in it, the first one active at weight 1."""
    from loras.hotswap import HotswapAdapterSet

    adapters = HotswapAdapterSet(pipe)
    refused = adapters.load(make_styles(pipe, family, directory, rank))
    if refused:
        raise RuntimeError(f"styles refused: {refused}")
    adapters.activate(STYLE_NAMES[0], 1.0)
    return adapters
