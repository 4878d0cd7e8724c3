"""What every part of bench/gpu_check.py shares: the families, the job, measuring, comparing, the table.

One table for the whole run; each row is printed (and flushed) as soon as it is measured, so a run
cut short by its time limit still reports what it got.
"""

from __future__ import annotations

import gc
import json
import math
import pickle
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

GIB = 1024**3
START = time.monotonic()
PROMPT = "a minimal flat logo of a blue fox on a white background, modern brand style"
# The fast mode's quality check: 8 prompts, prompt i with seed SEED + i. The first is PROMPT with
# SEED, so its image is also image 0 of the timed job (eager, lossless): the side-by-side picture.
PROMPTS = [
    PROMPT,
    "a coffee mug with a geometric mountain logo, product photo, studio light",
    "a billboard for a running shoe brand, bold orange and black, city street",
    "an isometric illustration of a cloud storage app icon, pastel colours",
    "a tote bag with a hand-drawn lemon pattern, flat lay on linen",
    "a neon sign reading OPEN in a rainy window at night",
    "a minimalist poster of a lighthouse, two colours, lots of empty space",
    "a set of three app icons in the same friendly rounded style",
]
SEED = 1234
COLUMNS = ["family", "mode", "s/image", "x vs eager+LoRA", "peak GiB", "compile s", "max pixel diff vs eager",
           "PSNR vs eager dB", "note"]


def say(line: str = "") -> None:
    print(line, flush=True)


def elapsed() -> float:
    return time.monotonic() - START


def header() -> None:
    say("| " + " | ".join(COLUMNS) + " |")
    say("|" + " --- |" * len(COLUMNS))


def _num(value: float | None, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return f"{value:.{digits}f}"


def row(family: str, mode: str, *, s_per_image: float | None = None, speedup: float | None = None,
        peak: float | None = None, compile_s: float | None = None, max_diff: int | None = None,
        psnr_db: float | None = None, note: str = "") -> None:
    cells = [family, mode, _num(s_per_image, 3), _num(speedup, 2), _num(peak, 1), _num(compile_s, 1),
             "-" if max_diff is None else str(max_diff), _num(psnr_db, 1), note.replace("|", "/")]
    say("| " + " | ".join(cells) + " |")


def error_note(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:240] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"


# --------------------------------------------------------------------------------------------------
# The families


@dataclass(frozen=True)
class Check:
    label: str  # what the rows say
    family: str  # our registered family (models/), also the pipeline builder's key
    preset: str  # the registered preset whose guidance and max_sequence_length are used
    guidance: float = 0.0
    max_sequence_length: int = 0


CHECKS = {
    "flux": Check("FLUX.1-dev", "flux", "dev"),
    "sd3": Check("SD3.5-Large", "sd3", "large"),
    "hidream": Check("HiDream-I1-Dev", "hidream", "dev"),
}


def with_preset(check: Check) -> Check:
    from models import get_family

    preset = get_family(check.family).presets[check.preset]
    return replace(check, guidance=preset.guidance, max_sequence_length=preset.max_sequence_length)


def model_config(check: Check, steps: int, size: int) -> Any:
    from models.family import ModelConfig

    return ModelConfig(name=check.label, family=check.family, path=Path("/nonexistent/in-memory"), steps=steps,
                       guidance=check.guidance, width=size, height=size,
                       max_sequence_length=check.max_sequence_length)


# --------------------------------------------------------------------------------------------------
# Measuring


def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def free(device: str) -> None:
    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()


def measure(device: str, fn: Any) -> tuple[float, float, Any]:
    """(seconds, peak GiB allocated during the call (nan off CUDA), the call's result)."""
    free(device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    sync(device)
    t0 = time.perf_counter()
    result = fn()
    sync(device)
    seconds = time.perf_counter() - t0
    peak = torch.cuda.max_memory_allocated() / GIB if device == "cuda" else float("nan")
    return seconds, peak, result


def resident_gib(device: str) -> float:
    return torch.cuda.memory_allocated() / GIB if device == "cuda" else float("nan")


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """A pipeline's output_type="pt" images as the Engine converts them: NxHxWx3 uint8."""
    pixels = (images.clamp(0, 1) * 255).round_().to(torch.uint8).permute(0, 2, 3, 1)
    return pixels.contiguous().cpu().numpy()


def max_pixel_diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(np.int16) - b.astype(np.int16)).max())


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio of b against a, uint8 images, in dB (inf when equal)."""
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255.0**2 / mse)


def baseline_call(pipe: Any, check: Check, n: int, steps: int, size: int, device: str) -> np.ndarray:
    """The plain diffusers pipeline call: n images of PROMPT, seeds SEED.. SEED+n-1, as uint8."""
    out = pipe(
        prompt=[PROMPT] * n, width=size, height=size, num_inference_steps=steps, guidance_scale=check.guidance,
        num_images_per_prompt=1, generator=[torch.Generator(device).manual_seed(SEED + i) for i in range(n)],
        max_sequence_length=check.max_sequence_length, output_type="pt",
    )
    return to_uint8(out.images)


def engine_call(engine: Any, n: int, steps: int, size: int, prompts: list[str] | None = None) -> np.ndarray:
    """Through Engine.render: one job of n images of PROMPT (seeds as baseline_call), or one 1-image job
    per prompt (prompt i with seed SEED + i). The images as NxHxWx3 uint8."""
    from models.engine import RenderItem, RenderSettings

    settings = RenderSettings(model=engine.model_name, width=size, height=size, steps=steps,
                              guidance=engine.config.guidance)
    if prompts is None:
        items = [RenderItem(job_id="check", prompt=PROMPT, seed=SEED, num_images=n, settings=settings)]
    else:
        items = [RenderItem(job_id=f"p{i}", prompt=p, seed=SEED + i, num_images=1, settings=settings)
                 for i, p in enumerate(prompts)]
    result = engine.render(items)
    images = [image for item in items for image in result[item.job_id]]
    return np.stack(images)


# --------------------------------------------------------------------------------------------------
# What one part measures and a later part compares against (kept on disk too, so a second run of
# the script on the same machine, with other parts, can compare against the first one's baseline)


@dataclass
class FamilyState:
    eager_s: float | None = None  # s/image, eager + LoRA
    eager_images: np.ndarray | None = None  # the timed job's images
    lossless_s: float | None = None
    prompts_lossless: np.ndarray | None = None  # PROMPTS through lossless, for the fast mode's PSNR
    extra: dict[str, Any] = field(default_factory=dict)


class State:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.families: dict[str, FamilyState] = {}

    def get(self, family: str) -> FamilyState:
        if family not in self.families:
            path = self._path(family)
            if path is not None and path.exists():
                with path.open("rb") as f:
                    self.families[family] = pickle.load(f)  # noqa: S301 - our own file, written below
                say(f"# {family}: baseline figures from an earlier run of this script ({path})")
            else:
                self.families[family] = FamilyState()
        return self.families[family]

    def save(self, family: str) -> None:
        path = self._path(family)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as f:
                pickle.dump(self.families[family], f)

    def _path(self, family: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{family}.pkl"


def versions() -> str:
    import diffusers
    import transformers

    return json.dumps({"torch": torch.__version__, "diffusers": diffusers.__version__,
                       "transformers": transformers.__version__})
