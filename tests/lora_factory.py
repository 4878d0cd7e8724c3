"""Brand styles for tests: LoRAs made with PEFT on a demo transformer, saved as diffusers does."""

from __future__ import annotations

import json
from pathlib import Path

import torch

# The attention projections each family's LoRAs usually train.
TARGETS = {
    "flux": ("to_q", "to_k", "to_v", "to_out.0"),
    "sd3": ("to_q", "to_k", "to_v", "to_out.0"),
    "hidream": ("to_q", "to_k", "to_v", "to_out"),
}


def load_pipe(path: Path, family: str = "flux"):  # noqa: ANN201
    from models import get_family

    return get_family(family).load(path, "cpu", None)


def make_style(styles: Path, name: str, demo: Path, seed: int, family: str = "flux",
               targets: tuple[str, ...] | None = None, built_for: str | None = None, **manifest) -> Path:  # noqa: ANN003
    """A LoRA with random (non-zero) weights for the demo model at `demo` (a `built_for` model,
    by default `family`), saved with the pipeline's save_lora_weights; `family` is what its
    manifest claims."""
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    built_for = built_for or family
    torch.manual_seed(seed)
    pipe = load_pipe(demo, built_for)
    pipe.transformer.add_adapter(LoraConfig(r=4, lora_alpha=4, target_modules=list(targets or TARGETS[built_for]),
                                            init_lora_weights=False))
    directory = styles / name
    type(pipe).save_lora_weights(directory, transformer_lora_layers=get_peft_model_state_dict(pipe.transformer))
    (directory / "style.json").write_text(json.dumps({"name": name, "family": family, **manifest}))
    return directory
