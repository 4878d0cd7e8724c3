"""The serving and start-up parts of the GPU check.

serving  FLUX.1-dev at real size through the runner's default GPU path (lossless), with a brand
         style: 8 jobs of the same settings and style one at a time (8 Engine.render calls) against
         the same 8 handed over together (one Engine.render of 8 jobs, which the Engine packs into
         calls of up to 16 images, as the runner does with a batch the service's dispatcher hands
         it). Images per second both ways. This is the GPU half of bench/serving.py's batching
         figure; the HTTP, queue and database half is measured there, on any machine.
startup  per family, a new Python process from its start to its first image (1 image, full steps):
         imports, building the model, loading the styles, accelerate(..., "lossless") and the first
         render, which compiles. Twice: with an empty compile cache (cold), then with the cache the
         first left (warm). The weights are random and built in memory, not read from disk, so
         reading a real checkpoint (tens of GB) comes on top of these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gpu_common import (  # noqa: E402
    PROMPT,
    SEED,
    Check,
    State,
    measure,
    model_config,
    row,
    say,
)

SERVING_JOBS = 8


def part_serving(check: Check, args: argparse.Namespace, state: State) -> None:
    from bench.gpu_speed import accelerated_engine, build
    from models.engine import Engine, RenderItem, RenderSettings

    device, steps, size, per_job = args.device, args.steps, args.size, args.serving_images
    with tempfile.TemporaryDirectory() as tmp:
        pipe, _ = build(check, args, Path(tmp))
        if args.serving_speed != "off":
            accelerated_engine(pipe, check, args.serving_speed, args)
        # The runner's own per-call limit on a GPU (runner/loading.py): 16 images.
        engine = Engine.from_pipeline(pipe, model_config(check, steps, size), device=device, max_images_per_call=16)
        settings = RenderSettings(model=engine.model_name, width=size, height=size, steps=steps,
                                  guidance=engine.config.guidance)

        def jobs(offset: int, count: int) -> list[RenderItem]:
            return [RenderItem(job_id=f"j{offset + i}", prompt=PROMPT, seed=SEED + 100 * (offset + i),
                               num_images=per_job, settings=settings) for i in range(count)]

        def short(items: list[RenderItem]) -> list[RenderItem]:
            quick = RenderSettings(settings.model, size, size, args.warmup_steps, settings.guidance)
            return [RenderItem(i.job_id, i.prompt, i.seed, i.num_images, quick) for i in items]

        # Both call shapes compile (or are replayed from the cache) before anything is timed.
        t0 = time.perf_counter()
        engine.render(short(jobs(0, 1)))
        engine.render(short(jobs(0, SERVING_JOBS)))
        say(f"# serving: warm-up of both call shapes {time.perf_counter() - t0:.1f} s")
        one_by_one, _, _ = measure(device, lambda: [engine.render(jobs(i, 1)) for i in range(SERVING_JOBS)])
        together, peak, _ = measure(device, lambda: engine.render(jobs(SERVING_JOBS, SERVING_JOBS)))
    images = SERVING_JOBS * per_job
    base = f"{SERVING_JOBS} jobs x {per_job} image(s), speed {args.serving_speed}"
    row(check.label, "serving: one job at a time", s_per_image=one_by_one / images,
        note=f"{images / one_by_one:.2f} images/s; {base}")
    row(check.label, f"serving: {SERVING_JOBS} jobs at once", s_per_image=together / images, peak=peak,
        note=f"{images / together:.2f} images/s, {one_by_one / together:.2f}x one at a time; {base}")


def part_startup(check: Check, args: argparse.Namespace, state: State) -> None:
    with tempfile.TemporaryDirectory() as cache:
        for label in ("cold", "warm"):
            command = [sys.executable, str(Path(__file__).resolve()), "--family", check.family,
                       "--cache-dir", cache, "--steps", str(args.steps), "--size", str(args.size),
                       "--lora-rank", str(args.lora_rank), "--backend", args.backend,
                       *(["--tiny"] if args.tiny else []), *(["--cuda-graphs"] if args.cuda_graphs else [])]
            started = time.perf_counter()
            child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
            figures, tail = None, []
            for line in child.stdout:
                if line.startswith("STARTUP "):
                    total = time.perf_counter() - started
                    figures = json.loads(line.removeprefix("STARTUP "))
                    break
                tail = (tail + [line.rstrip()])[-5:]
            child.stdout.close()
            child.wait()
            if figures is None:
                row(check.label, f"start-up, compile cache {label}", note=f"ERROR (exit {child.returncode}): "
                    + " / ".join(tail)[-300:])
                return
            # What the child did not time itself: the interpreter's start and the imports.
            figures = {"python and imports": total - sum(figures.values()), **figures}
            parts = ", ".join(f"{k} {v:.1f} s" for k, v in figures.items())
            row(check.label, f"start-up, compile cache {label}", s_per_image=total,
                note=f"seconds from process start to the first image (in s/image column): {parts}; "
                     "weights built in memory, not read from disk")


def main() -> None:
    parser = argparse.ArgumentParser(description="one start-up, for bench/gpu_check.py's startup part")
    parser.add_argument("--family", required=True)
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--lora-rank", type=int, default=16)
    parser.add_argument("--backend", default="inductor")
    parser.add_argument("--cuda-graphs", action="store_true")
    parser.add_argument("--tiny", action="store_true")
    args = parser.parse_args()
    import torch

    from bench.gpu_common import CHECKS, engine_call, with_preset
    from bench.gpu_speed import accelerated_engine, build

    args.device = "cpu" if args.tiny else "cuda"
    args.images, args.warmup_steps = 1, 1
    check = with_preset(CHECKS[args.family])
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        pipe, _ = build(check, args, Path(tmp))
        figures["build and styles"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        engine, _, _ = accelerated_engine(pipe, check, "lossless", args)
        engine_call(engine, 1, args.steps, args.size)
        if args.device == "cuda":
            torch.cuda.synchronize()
        figures["accelerate and first image"] = time.perf_counter() - t0
    print("STARTUP " + json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
