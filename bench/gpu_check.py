"""GPU check: plain diffusers against our fast paths, on real-size random-weight models (issue 14).

Builds each family's real architecture (FLUX.1-dev, SD 3.5 Large, HiDream-I1-Dev) with random bf16
weights directly on the GPU (the published configs, in bench/gpu_builders.py), loads three brand styles (random
rank-16 LoRAs on the attention projections) into the runner's hotswap slot, and prints one table:

  family | mode | s/image | x vs eager+LoRA | peak GiB | compile s | max pixel diff vs eager | PSNR vs eager dB | note

Parts (--parts, run in the order given; each family's stages in --families order):
  speed    eager+LoRA (the plain pipeline call: the 1.00x baseline) and lossless (models.speed.accelerate
           then Engine.render): same seeds, so the pixels are compared; compile seconds; zero
           recompiles across three style switches under torch._dynamo's error_on_recompile
  fast     the lossy fp8 mode: speed, PSNR against lossless on 8 prompts, a side-by-side PNG
  memory   the 16 GB mode under a --cap-gib cap, and fp8_layerwise, bnb_4bit, bnb_8bit uncapped
  serving  FLUX: 8 same-style jobs one at a time against the 8 together, images/s both ways
  startup  per family, a new process from start to first image, compile cache cold then warm
(bench/gpu_speed.py, gpu_memory.py and gpu_serving.py say exactly what each measures.)

A stage that would end after --budget-s (by the rough H200 durations in STAGE_SECONDS) is skipped
with a row saying so; every row is printed as soon as it is measured, so a run cut short reports.
The images are noise (random weights); the shapes, and so the work, are the real ones.

    python bench/gpu_check.py --tiny                  # every part with tiny models on a CPU (compile too)
    python bench/gpu_check.py --parts speed,fast      # on a GPU with about 70 GiB free
    python bench/gpu_check.py --stages speed:flux,fast:flux,memory:flux:bnb_4bit
    bash bench/gpu_run.sh 1                           # the device machine's prepared runs (docs/gpu-check.md)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from bench.gpu_common import (  # noqa: E402
    CHECKS,
    GIB,
    PROMPTS,
    State,
    elapsed,
    error_note,
    free,
    header,
    row,
    say,
    versions,
    with_preset,
)

PARTS = ("speed", "fast", "memory", "serving", "startup")
# Rough seconds of each stage on an H200 (build, warm-up, compile, timed calls), guessed from the
# 2026-11-27 run's figures: a stage that would end past --budget-s is skipped.
STAGE_SECONDS = {
    ("speed", "flux"): 100, ("speed", "sd3"): 90, ("speed", "hidream"): 120,
    ("fast", "flux"): 80, ("fast", "sd3"): 75, ("fast", "hidream"): 100,
    ("memory", "flux"): 100, ("memory", "sd3"): 90, ("memory", "hidream"): 150,
    ("serving", "flux"): 150,
    ("startup", "flux"): 170, ("startup", "sd3"): 160, ("startup", "hidream"): 220,
}
# The 8 prompts for the fast mode's PSNR, rendered by the speed stage when a fast stage follows.
FAST_PROMPTS_SECONDS = 30


def stages_from(args: argparse.Namespace) -> list[tuple[str, str, str | None]]:
    """(part, family, memory mode or None) in run order."""
    from bench.gpu_memory import memory_modes

    if args.stages:
        stages = []
        for text in args.stages.split(","):
            bits = text.strip().split(":")
            if bits[0] not in PARTS or len(bits) < 2 or bits[1] not in CHECKS:
                raise SystemExit(f"--stages: {text!r} is not part:family[:memory mode]")
            if bits[0] == "memory" and len(bits) == 2:
                stages += [("memory", bits[1], mode) for mode in memory_modes()]
            else:
                stages.append((bits[0], bits[1], bits[2] if len(bits) > 2 else None))
        return stages
    families = [f.strip() for f in args.families.split(",") if f.strip()]
    stages = []
    for part in [p.strip() for p in args.parts.split(",") if p.strip()]:
        if part not in PARTS:
            raise SystemExit(f"--parts: unknown part {part!r} (known: {', '.join(PARTS)})")
        if part == "serving":
            stages.append(("serving", "flux", None))
        elif part == "memory":
            stages += [("memory", family, mode) for mode in memory_modes() for family in families]
        else:
            stages += [(part, family, None) for family in families]
    return stages


def run_stage(part: str, family: str, mode: str | None, args: argparse.Namespace, state: State) -> None:
    from bench.gpu_memory import part_memory
    from bench.gpu_serving import part_serving, part_startup
    from bench.gpu_speed import free_compiled, part_fast, part_speed

    check = with_preset(CHECKS[family])
    label = f"{part} {mode}" if mode else part
    estimate = 0 if args.tiny else STAGE_SECONDS[(part, family)] + (
        FAST_PROMPTS_SECONDS if part == "speed" and family in args.fast_families else 0)
    if elapsed() + estimate > args.budget_s:
        row(check.label, label, note=f"skipped: time budget spent ({elapsed():.0f} s of {args.budget_s:.0f}, "
                                      f"this stage takes about {estimate} s)")
        return
    say(f"# {check.label}: {label} (at {elapsed():.0f} s)")
    try:
        if part == "speed":
            part_speed(check, args, state)
        elif part == "fast":
            part_fast(check, args, state)
        elif part == "memory":
            part_memory(check, mode, args, state)
        elif part == "serving":
            part_serving(check, args, state)
        else:
            part_startup(check, args, state)
    except Exception as exc:  # report and go on to the next stage
        row(check.label, label, note=f"ERROR {error_note(exc)}")
        traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
    finally:
        free_compiled()
        free(args.device)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="tiny shapes on the CPU: checks the whole flow")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, in run order: {', '.join(PARTS)}")
    parser.add_argument("--families", default="flux,sd3,hidream", help="comma-separated: flux, sd3, hidream")
    parser.add_argument("--stages", default="", help="instead of --parts/--families: part:family[:memory mode],...")
    parser.add_argument("--images", type=int, default=None, help="images per timed job (default 4; tiny 2)")
    parser.add_argument("--steps", type=int, default=None, help="denoising steps (default 28; tiny 2)")
    parser.add_argument("--warmup-steps", type=int, default=2, help="steps of the warm-up and compile calls")
    parser.add_argument("--size", type=int, default=None, help="width and height (default 1024; tiny 256)")
    parser.add_argument("--lora-rank", type=int, default=16)
    parser.add_argument("--cap-gib", type=float, default=16.0, help="GPU memory cap of the 16 GB mode")
    parser.add_argument("--memory-speed", default="lossless", choices=["off", "lossless", "fast"],
                        help="speed mode on top of each memory mode (the runner's GPU default: lossless)")
    parser.add_argument("--serving-images", type=int, default=None, help="images per serving job (default 1)")
    parser.add_argument("--serving-speed", default="lossless", choices=["off", "lossless", "fast"])
    parser.add_argument("--backend", default=None,
                        help="torch.compile backend given to accelerate() (default inductor; tiny: aot_eager, "
                             "which traces and guards as inductor does without minutes of C++ compiling)")
    parser.add_argument("--cuda-graphs", action="store_true", help="accelerate(cuda_graphs=True): BAG_CUDA_GRAPHS")
    parser.add_argument("--prompts", type=int, default=None,
                        help="prompts of the fast mode's PSNR against lossless (default 8; tiny 2)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="compile cache (default: a new empty folder, so compile seconds are cold)")
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="keep each family's eager/lossless figures and images here, for a later run's parts")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent / "out" / "gpu",
                        help="where the side-by-side PNGs go")
    parser.add_argument("--budget-s", type=float, default=float("inf"),
                        help="skip a stage that would end after this many seconds (a row says so)")
    args = parser.parse_args()
    args.images = args.images or (1 if args.tiny else 4)
    args.prompts = PROMPTS[: args.prompts or (2 if args.tiny else len(PROMPTS))]
    args.steps = args.steps or (2 if args.tiny else 28)
    args.size = args.size or (256 if args.tiny else 1024)
    args.serving_images = args.serving_images or 1
    args.backend = args.backend or ("aot_eager" if args.tiny else "inductor")
    args.device = "cpu" if args.tiny else "cuda"
    return args


def main() -> None:
    args = parse()
    if not args.tiny and not torch.cuda.is_available():
        sys.exit("no CUDA device: run with --tiny for the CPU flow check")
    stages = stages_from(args)
    args.fast_families = {family for part, family, _ in stages if part == "fast"}
    if args.cache_dir is None:
        args.cache_dir = Path(tempfile.mkdtemp(prefix="bag-compile-cache-"))
    if args.state_dir is not None:
        args.state_dir = args.state_dir / f"{args.device}-{args.size}px-{args.steps}steps-{args.images}images"
    if args.device == "cuda":
        gpu = torch.cuda.get_device_properties(0)
        say(f"# device: {gpu.name}, {gpu.total_memory / GIB:.1f} GiB")
    else:
        say("# device: CPU (--tiny: tiny shapes, fp32; the figures say nothing about speed)")
    say(f"# versions: {versions()}")
    say(f"# job: {args.images} images of {args.size}x{args.size}, {args.steps} steps; random weights, "
        f"{'fp32' if args.tiny else 'bf16'}; brand LoRA rank {args.lora_rank}; compile backend {args.backend}, "
        f"cache {args.cache_dir}")
    say(f"# stages: {', '.join(':'.join(s for s in stage if s) for stage in stages)}")
    say()
    header()
    state = State(args.state_dir)
    for part, family, mode in stages:
        run_stage(part, family, mode, args, state)
    say(f"# done in {elapsed():.0f} s")


if __name__ == "__main__":
    main()
