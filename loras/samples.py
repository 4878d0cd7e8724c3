"""Two sample brand styles for the demo model, made on this machine, so the style picker can be tried.

A real brand style is a LoRA trained on a brand's own images for the model it serves. Nothing can be
downloaded and the demo model has random weights, so these are random LoRAs instead, made with PEFT
and saved as diffusers saves a trained one: they go through the same loading, checks and switching
as a real style. Their up-projections are scaled so the change to the demo's noise images is large
enough to see at a glance (`sample-bold` more than `sample-soft`); they carry no look of any brand.

    python -m loras.samples <data_dir>      (after python -m models.demo <data_dir>)
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loras.manifest import MANIFEST_NAME, StyleManifest
from models.family import ModelConfig, get_family

log = logging.getLogger(__name__)

REAL_STYLE = ("A real brand style is a LoRA trained on your brand's own images for your production model; "
              "your administrator adds it to the styles folder.")


@dataclass(frozen=True)
class Sample:
    name: str
    seed: int
    # How much the adapter's up-projection is scaled: how far the style moves the picture.
    strength: float
    look: str
    # Brand colours for the brand score (brand/score.py), picked from what the style does to the demo's
    # images at 1024x1024: k-means over their 128-pixel copies (the scorer's own view of them).
    palette: tuple[str, ...] = ()

    def description(self) -> str:
        return f"Sample made for the demo model, so the style picker can be tried: {self.look} {REAL_STYLE}"


SAMPLES = (
    # sample-bold turns the demo's dusty pinks towards violet: images scored against its cool violets
    # and indigo score about 0.59 with the style, 0.43 without. sample-soft changes the colours
    # little: its palette is the demo's own mauve, rose and violet, and most of any image is near it.
    Sample("sample-bold", seed=11, strength=8.0, look="a random adapter that changes the demo's noise images strongly.",
           palette=("#6a6890", "#856f98", "#4d567b")),
    Sample("sample-soft", seed=12, strength=3.0, look="a random adapter that changes the demo's noise images less.",
           palette=("#946d81", "#856f98", "#a06166")),
)
# The layers trained LoRAs usually adapt: the attention projections, and the output projection,
# which alone moves the demo's images enough to be seen.
_ATTENTION = {"hidream": ("to_q", "to_k", "to_v", "to_out")}
_DEFAULT_ATTENTION = ("to_q", "to_k", "to_v", "to_out.0")
RANK = 4


def taken_names(styles_dir: Path) -> set[str]:
    """Names already used under `styles_dir`: its folders, and the names their manifests give."""
    names: set[str] = set()
    if not styles_dir.is_dir():
        return names
    for directory in styles_dir.iterdir():
        names.add(directory.name)
        try:
            names.add(json.loads((directory / MANIFEST_NAME).read_text())["name"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not a style, or not a valid one: the registry says why when it loads
    return names


def ensure_sample_styles(styles_dir: Path, demo: ModelConfig) -> list[Path]:
    """Make each sample style under `styles_dir` unless a style of its name is there (a user's own
    style is never replaced); returns the folders made."""
    for sample in SAMPLES:
        _add_palette(styles_dir / sample.name, sample)
    missing = [s for s in SAMPLES if s.name not in taken_names(styles_dir)]
    if not missing:
        return []
    pipe = get_family(demo.family).load(demo.path, "cpu", None)
    made = []
    for sample in missing:
        if (path := _build(styles_dir, sample, pipe, demo.family)) is not None:
            made.append(path)
    return made


def _add_palette(directory: Path, sample: Sample) -> None:
    """Give a sample made before samples had palettes its palette, so its images get a brand score.
    Only our own sample's manifest is touched: same name and the sample's description, no palette."""
    path = directory / MANIFEST_NAME
    try:
        manifest = StyleManifest.model_validate_json(path.read_text())
    except (OSError, ValueError):
        return  # not there, or not valid: made below, or the registry says why
    if manifest.name != sample.name or manifest.description != sample.description() or manifest.palette:
        return
    updated = manifest.model_copy(update={"palette": list(sample.palette)})
    # Written beside it and renamed over it in one step: a runner starting now reads one or the other.
    partial = directory / f".{MANIFEST_NAME}.partial"
    partial.write_text(updated.model_dump_json(indent=2))
    partial.replace(path)


def _build(styles_dir: Path, sample: Sample, pipe: Any, family: str) -> Path | None:
    target = styles_dir / sample.name
    styles_dir.mkdir(parents=True, exist_ok=True)
    # Built beside the styles folder, not in it, and renamed into place in one step: the registry
    # never sees a half-written style, and a crash leaves nothing it would refuse.
    building = Path(tempfile.mkdtemp(prefix=f".{sample.name}-", dir=styles_dir.parent))
    try:
        building.chmod(0o755)  # mkdtemp's 0700 would hide the style from a server run as another user
        _write(building, sample, pipe, family)
        try:
            building.rename(target)
        except OSError:
            if not target.exists():
                raise
            return None  # made meanwhile (another process, or the user): theirs stays
        return target
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _write(directory: Path, sample: Sample, pipe: Any, family: str) -> None:
    import torch
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    transformer = pipe.transformer
    targets = [*_ATTENTION.get(family, _DEFAULT_ATTENTION), *(["proj_out"] if hasattr(transformer, "proj_out") else [])]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(sample.seed)
        transformer.add_adapter(LoraConfig(r=RANK, lora_alpha=RANK, target_modules=targets, init_lora_weights=False),
                                adapter_name=sample.name)
    try:
        layers = get_peft_model_state_dict(transformer, adapter_name=sample.name)
        layers = {k: v * sample.strength if ".lora_B." in k else v for k, v in layers.items()}
        type(pipe).save_lora_weights(directory, transformer_lora_layers=layers)
    finally:
        transformer.delete_adapters(sample.name)
    manifest = StyleManifest(name=sample.name, family=family, description=sample.description(),
                             palette=list(sample.palette))
    (directory / MANIFEST_NAME).write_text(manifest.model_dump_json(indent=2))


def main(argv: list[str] | None = None) -> None:
    from models.demo import DEMO_FAMILY, ensure_demo_model
    from settings import Settings

    parser = argparse.ArgumentParser(prog="python -m loras.samples", description="Make the sample styles.")
    parser.add_argument("data_dir", type=Path, help="the data directory (with the demo model under models/)")
    parser.add_argument("--family", default=DEMO_FAMILY, help="the demo model they are for: flux (default), sd3 or hidream")
    args = parser.parse_args(argv)
    # Where the served product looks: <data_dir>/styles unless BAG_STYLES_DIR says otherwise.
    styles_dir = Settings(data_dir=args.data_dir).resolved_styles_dir
    for path in ensure_sample_styles(styles_dir, ensure_demo_model(args.data_dir, args.family)):
        print(path)


if __name__ == "__main__":
    main()
