"""The speed parts of the GPU check: eager + LoRA against the lossless and fast modes, per family.

speed  builds the family at real size with three brand styles in the runner's hotswap slot, times
       the plain diffusers call (eager, LoRA unfused: the 1.00x baseline), then the same pipeline
       through models.speed.accelerate(..., "lossless") and Engine.render: the same seeds, so the
       pixels are compared; compile seconds are the first call minus a warm call of the same
       shapes; three style switches under torch._dynamo's error_on_recompile prove the hotswap
       does not recompile.
fast   a fresh build with the same styles through accelerate(..., "fast") (fp8 weights and
       activations): speed against eager, PSNR against eager on the timed job and against lossless
       on 8 prompts (images kept by `speed`), and one side-by-side PNG: eager | lossless | fast.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench.gpu_builders import make_pipeline  # noqa: E402
from bench.gpu_common import (  # noqa: E402
    Check,
    State,
    baseline_call,
    engine_call,
    error_note,
    max_pixel_diff,
    measure,
    model_config,
    psnr,
    resident_gib,
    row,
    say,
    sync,
)
from bench.gpu_loras import STYLE_NAMES, load_styles  # noqa: E402


def build(check: Check, args: argparse.Namespace, styles_dir: Path) -> tuple[Any, Any]:
    """The family's pipeline on the device with the three styles loaded, the first one active."""
    t0 = time.perf_counter()
    pipe, params = make_pipeline(check.family, args.tiny, args.device)
    adapters = load_styles(pipe, check.family, styles_dir, args.lora_rank)
    sync(args.device)
    say(f"# {check.label}: built {params / 1e9:.2f} B parameters with a rank-{args.lora_rank} LoRA slot in "
        f"{time.perf_counter() - t0:.1f} s, {resident_gib(args.device):.1f} GiB resident")
    return pipe, adapters


def accelerated_engine(pipe: Any, check: Check, mode: str, args: argparse.Namespace) -> tuple[Any, Any, float]:
    """accelerate() the pipeline, then an Engine around it; (engine, the Acceleration, seconds accelerate took)."""
    from models.engine import Engine
    from models.speed import accelerate

    t0 = time.perf_counter()
    acceleration = accelerate(pipe, check.family, mode, args.device, cache_dir=args.cache_dir,
                              cuda_graphs=args.cuda_graphs, backend=args.backend)
    seconds = time.perf_counter() - t0
    say(f"# {check.label} {mode}: {acceleration}")
    # The timed job's image count per call, so the 8 prompts run in calls of the same shapes.
    engine = Engine.from_pipeline(pipe, model_config(check, args.steps, args.size), device=args.device,
                                  max_images_per_call=args.images)
    return engine, acceleration, seconds


def compile_seconds(engine: Any, args: argparse.Namespace) -> tuple[float, float]:
    """(first call, warm call) seconds of a short job of the timed job's shapes: the first compiles."""
    first, _, _ = measure(args.device, lambda: engine_call(engine, args.images, args.warmup_steps, args.size))
    warm, _, _ = measure(args.device, lambda: engine_call(engine, args.images, args.warmup_steps, args.size))
    return first, warm


def recompile_check(engine: Any, adapters: Any, args: argparse.Namespace) -> str:
    """Switch between the three styles under error_on_recompile, rendering after each switch."""
    import torch._dynamo

    firsts = []
    try:
        with torch._dynamo.config.patch(error_on_recompile=True):
            for name in (*STYLE_NAMES[1:], STYLE_NAMES[0]):
                adapters.activate(name, 1.0)
                firsts.append(engine_call(engine, args.images, args.warmup_steps, args.size)[0])
    except Exception as exc:  # the failure is the finding: print it
        adapters.activate(STYLE_NAMES[0], 1.0)
        return f"recompiles: FAILED at a style switch ({error_note(exc)})"
    differ = all(max_pixel_diff(a, b) > 0 for a, b in zip(firsts, firsts[1:], strict=False))
    return f"recompiles: 0 across {len(firsts)} style switches (styles' images differ: {'yes' if differ else 'NO'})"


def part_speed(check: Check, args: argparse.Namespace, state: State) -> None:
    n, steps, size, device = args.images, args.steps, args.size, args.device
    st = state.get(check.family)
    with tempfile.TemporaryDirectory() as tmp:
        pipe, adapters = build(check, args, Path(tmp))
        t0 = time.perf_counter()
        baseline_call(pipe, check, n, args.warmup_steps, size, device)
        say(f"# {check.label}: eager warm-up ({args.warmup_steps} steps) {time.perf_counter() - t0:.1f} s")
        seconds, peak, eager = measure(device, lambda: baseline_call(pipe, check, n, steps, size, device))
        st.eager_s, st.eager_images = seconds / n, eager
        state.save(check.family)
        row(check.label, "eager+LoRA (pipe call)", s_per_image=st.eager_s, speedup=1.0, peak=peak, max_diff=0,
            note=f"{n} images, {steps} steps, LoRA rank {args.lora_rank} unfused")

        engine, _, setup = accelerated_engine(pipe, check, "lossless", args)
        first, warm = compile_seconds(engine, args)
        switches = recompile_check(engine, adapters, args)
        say(f"# {check.label} lossless: {switches}")
        seconds, peak, ours = measure(device, lambda: engine_call(engine, n, steps, size))
        st.lossless_s = seconds / n
        diff = max_pixel_diff(eager, ours)
        row(check.label, "lossless (Engine)", s_per_image=st.lossless_s, speedup=st.eager_s / st.lossless_s,
            peak=peak, compile_s=first - warm + setup, max_diff=diff, psnr_db=psnr(eager, ours),
            note=f"{switches}; accelerate {setup:.1f} s, first call {first:.1f} s, warm {warm:.1f} s")
        if check.family in args.fast_families:
            t0 = time.perf_counter()
            st.prompts_lossless = engine_call(engine, 1, steps, size, prompts=args.prompts)
            say(f"# {check.label}: {len(args.prompts)} prompts through lossless for the fast mode's PSNR "
                f"{time.perf_counter() - t0:.1f} s")
        state.save(check.family)


def part_fast(check: Check, args: argparse.Namespace, state: State) -> None:
    n, steps, size, device = args.images, args.steps, args.size, args.device
    st = state.get(check.family)
    with tempfile.TemporaryDirectory() as tmp:
        pipe, _ = build(check, args, Path(tmp))
        engine, _, setup = accelerated_engine(pipe, check, "fast", args)
        first, warm = compile_seconds(engine, args)
        seconds, peak, fast = measure(device, lambda: engine_call(engine, n, steps, size))
        notes = [f"accelerate {setup:.1f} s, first call {first:.1f} s, warm {warm:.1f} s"]
        prompts_fast = engine_call(engine, 1, steps, size, prompts=args.prompts)
        if st.prompts_lossless is not None:
            per_image = [psnr(a, b) for a, b in zip(st.prompts_lossless, prompts_fast, strict=True)]
            notes.insert(0, f"PSNR vs lossless on {len(args.prompts)} prompts {psnr(st.prompts_lossless, prompts_fast):.1f}"
                            f" dB (lowest image {min(per_image):.1f} dB)")
            if st.eager_images is not None:
                picture = side_by_side(check, args, st.eager_images[0], st.prompts_lossless[0], prompts_fast[0])
                notes.append(f"side by side: {picture}")
        else:
            notes.insert(0, "no PSNR vs lossless: no lossless images of the prompts (the speed stage renders them "
                            "when a fast stage of the family follows in the same run)")
        eager = st.eager_images
        row(check.label, "fast (Engine, fp8, lossy)", s_per_image=seconds / n,
            speedup=st.eager_s / (seconds / n) if st.eager_s else None, peak=peak, compile_s=first - warm + setup,
            max_diff=max_pixel_diff(eager, fast) if eager is not None else None,
            psnr_db=psnr(eager, fast) if eager is not None else None, note="; ".join(notes))


def side_by_side(check: Check, args: argparse.Namespace, *images: np.ndarray) -> str:
    """eager | lossless | fast of prompt 0, each panel at half size, as a PNG under --out-dir."""
    from PIL import Image

    panels = [Image.fromarray(image) for image in images]
    width, height = panels[0].width // 2, panels[0].height // 2
    canvas = Image.new("RGB", (width * len(panels), height), "white")
    for i, panel in enumerate(panels):
        canvas.paste(panel.resize((width, height), Image.Resampling.LANCZOS), (i * width, 0))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    path = args.out_dir / f"side_by_side_{check.family}.png"
    canvas.save(path)
    return str(path)


def free_compiled() -> None:
    """Drop compiled graphs between stages: each stage builds fresh modules (the disk cache stays)."""
    import torch._dynamo

    torch._dynamo.reset()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
