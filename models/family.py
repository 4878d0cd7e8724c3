"""What a model family is (FLUX.1, SD 3.5, HiDream-I1), and the configured model.

A family module (`models/flux.py`) supplies one `ModelFamily`: how to load a local diffusers-format
directory, its recommended settings per variant, its size limits, and how to build a tiny
random-weight copy for the demo and tests. Nothing here imports torch or diffusers, so the API layer
may read model configs without loading them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch
    from diffusers import DiffusionPipeline


@dataclass(frozen=True)
class Preset:
    """A variant's recommended settings; guidance is always passed explicitly (pipeline defaults differ)."""

    steps: int
    guidance: float
    max_sequence_length: int
    width: int = 1024
    height: int = 1024


@dataclass(frozen=True)
class ModelConfig:
    """One configured model: where its weights are and the settings a job gets unless it says otherwise."""

    name: str
    family: str
    path: Path
    steps: int
    guidance: float
    width: int
    height: int
    max_sequence_length: int
    is_demo: bool = False


@dataclass(frozen=True)
class ModelFamily:
    """One architecture family: what each family module supplies so the engine can run any of them."""

    name: str
    # The diffusers pipeline class, as named in the directory's model_index.json.
    pipeline_class: str
    presets: Mapping[str, Preset]
    # Which preset a directory is, read from its configs (e.g. FLUX schnell has no guidance embedding).
    detect_preset: Callable[[Path], str]
    # (path, device, dtype, quantization config or None) -> the pipeline on `device`, in eval mode.
    load: Callable[[Path, str, torch.dtype | None, Any], DiffusionPipeline]
    # Writes a tiny random-weight pipeline of this family's architecture to the directory.
    build_tiny: Callable[[Path], None]
    # Width and height must be multiples of this (VAE downscale times the transformer's patching).
    size_multiple: int
    # What bnb memory modes quantize: the denoiser and the large text encoders (not CLIP, not the VAE).
    quantize_components: tuple[str, ...] = ("transformer",)
    min_size: int = 256
    max_size: int = 2048
    max_steps: int = 100
    # (width, height) asked -> (width, height) rendered, for a family that picks its own size
    # (HiDream renders about a megapixel at the asked aspect ratio); None renders the size asked.
    render_size: Callable[[int, int], tuple[int, int]] | None = None
    # Encodes each distinct prompt once: (pipe, prompts, index: which prompt each image has, guidance,
    # max_sequence_length) -> the pipeline call's embedding arguments, one row per image. A batch of
    # four images of one prompt then runs T5 (and CLIP, Llama) once, not four times. None: the
    # pipeline is given the prompts and encodes them itself.
    encode: Callable[[Any, list[str], list[int], float, int], dict[str, Any]] | None = None

    def output_size(self, width: int, height: int) -> tuple[int, int]:
        """The (width, height) of the images rendered when this size is asked for."""
        return self.render_size(width, height) if self.render_size is not None else (width, height)

    def check_settings(self, width: int, height: int, steps: int, guidance: float) -> None:
        """Raise ValueError naming the first setting this family cannot render."""
        for label, value in (("width", width), ("height", height)):
            if not self.min_size <= value <= self.max_size or value % self.size_multiple:
                raise ValueError(
                    f"{label} must be a multiple of {self.size_multiple} between "
                    f"{self.min_size} and {self.max_size}, got {value}"
                )
        if not 1 <= steps <= self.max_steps:
            raise ValueError(f"steps must be between 1 and {self.max_steps}, got {steps}")
        if not math.isfinite(guidance) or guidance < 0:
            raise ValueError(f"guidance must be a non-negative number, got {guidance}")

    def model_config(
        self, name: str, path: str | Path, preset: str | None = None, *, is_demo: bool = False
    ) -> ModelConfig:
        """The config for a model directory, with the preset's settings (detected from the directory if not named)."""
        path = Path(path)
        preset = preset or self.detect_preset(path)
        if preset not in self.presets:
            raise ValueError(f"{self.name} has no preset {preset!r}; known: {', '.join(self.presets)}")
        chosen = self.presets[preset]
        return ModelConfig(
            name=name,
            family=self.name,
            path=path,
            steps=chosen.steps,
            guidance=chosen.guidance,
            width=chosen.width,
            height=chosen.height,
            max_sequence_length=chosen.max_sequence_length,
            is_demo=is_demo,
        )


# Filled by `models/__init__.py`, which registers each built-in family module. Registering there
# rather than importing the family modules here avoids an import cycle (they import this module).
FAMILIES: dict[str, ModelFamily] = {}


def register(family: ModelFamily) -> ModelFamily:
    if family.name in FAMILIES and FAMILIES[family.name] is not family:
        raise ValueError(f"model family {family.name!r} is already registered")
    FAMILIES[family.name] = family
    return family


def get_family(name: str) -> ModelFamily:
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown model family {name!r}; known: {', '.join(sorted(FAMILIES))}") from None


def read_model_json(model_dir: Path, relative: str) -> dict[str, Any]:
    """A JSON file of a diffusers model directory, with a concise error when it is not one."""
    try:
        return json.loads((Path(model_dir) / relative).read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"not a diffusers model directory (no {relative}): {model_dir}") from None


def rows(tensor: torch.Tensor, index: list[int], dim: int = 0) -> torch.Tensor:
    """The rows of `tensor` along `dim` in the order `index` names them (a prompt's embedding per image)."""
    import torch

    return tensor.index_select(dim, torch.tensor(index, device=tensor.device))


def load_local_pipeline(
    pipeline_cls: type,
    path: Path,
    device: str,
    dtype: torch.dtype | None,
    quantization: Any,
    extra_components: Callable[[dict, torch.dtype], dict] | None = None,
) -> DiffusionPipeline:
    """Load a pipeline from a local diffusers directory (never the Hub), ready to infer.

    Every family loads the same way; `extra_components(index, dtype)` passes in what a directory's
    model_index.json leaves out (HiDream's Llama).
    """
    import torch

    path = Path(path)
    # Checked first: given a missing directory, diffusers would take the path for a Hub repo id and
    # fail with a confusing message about being offline.
    index = read_model_json(path, "model_index.json")
    if index.get("_class_name") != pipeline_cls.__name__:
        raise ValueError(f"{path} holds a {index.get('_class_name')}, not a {pipeline_cls.__name__}")
    if dtype is None:
        dtype = torch.bfloat16 if torch.device(device).type == "cuda" else torch.float32
    extra = extra_components(index, dtype) if extra_components else {}
    pipe = pipeline_cls.from_pretrained(
        path, dtype=dtype, local_files_only=True, quantization_config=quantization, **extra
    )
    pipe.to(device)
    # Modules built from a config start in training mode: T5 dropout would make output vary run to
    # run, and HiDream's transformer would take its training path and fail with a shape error.
    for component in pipe.components.values():
        if isinstance(component, torch.nn.Module):
            component.eval()
    # Decode one image at a time: a batch of 16 1024x1024 images through the real VAE would hold
    # tens of GiB of activations at once, while one by one costs little speed at this size. (No
    # tiling: it blends tile seams, so the same seed would render differently above some size.)
    pipe.vae.enable_slicing()
    pipe.set_progress_bar_config(disable=True)
    return pipe
