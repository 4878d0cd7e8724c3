"""Brand styles for tests: LoRAs made with PEFT on the demo transformer, saved as diffusers does."""

from __future__ import annotations

import json
from pathlib import Path

import torch


def load_pipe(path: Path):  # noqa: ANN201
    from models import get_family

    return get_family("flux").load(path, "cpu", None)


def make_style(styles: Path, name: str, demo: Path, seed: int, family: str = "flux",
               targets: tuple[str, ...] = ("to_q", "to_k", "to_v", "to_out.0"), **manifest) -> Path:  # noqa: ANN003
    """A LoRA made with PEFT on the demo transformer, with random (non-zero) weights, saved as diffusers does."""
    from diffusers import FluxPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    torch.manual_seed(seed)
    transformer = load_pipe(demo).transformer
    transformer.add_adapter(LoraConfig(r=4, lora_alpha=4, target_modules=list(targets), init_lora_weights=False))
    directory = styles / name
    FluxPipeline.save_lora_weights(directory, transformer_lora_layers=get_peft_model_state_dict(transformer))
    (directory / "style.json").write_text(json.dumps({"name": name, "family": family, **manifest}))
    return directory
