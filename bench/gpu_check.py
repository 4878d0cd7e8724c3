"""GPU check: our Engine's render path against a plain diffusers call, on real-size random-weight models.

For each family (FLUX.1-dev, SD 3.5 Large, HiDream-I1-Dev) this builds the real architecture with
random weights in bf16 directly on the GPU (from the configs in shared/reference/model-configs.md),
with offline tokenizers, then times a 1024x1024 job of 4 images at 28 steps two ways:

  baseline  the pipeline called directly: 4 prompts, 4 generators, output_type="pt"
  ours      Engine.from_pipeline(pipe, config).render([RenderItem(...)]): the same call plus the
            per-step callback and the uint8 conversion and copy to the host

It reports seconds per image, peak GPU memory (torch.cuda.max_memory_allocated, reset before each
timed call) and ours/baseline. Last, FLUX.1-dev renders one image through the Engine under a 16 GiB
cap (model CPU offload, and group offload when model offload runs out of memory).

Random weights: the images are noise, and the timings are those of the real shapes. Each row is
printed (and flushed) as soon as it is measured, so a run cut short still reports.

    python bench/gpu_check.py            # on a GPU machine (about 5 minutes on an H200)
    python bench/gpu_check.py --tiny     # the same flow with tiny shapes on a CPU, in seconds

Only torch, transformers, accelerate and diffusers are needed; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run as a script from the repository root or from bench/: make `models` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from bench.gpu_builders import make_pipeline  # noqa: E402

GIB = 1024**3
# Rough seconds each stage takes on an H100/H200 (build, warm-up, two timed calls): a stage that would
# end past --budget-s is skipped (and says so), so a run under a time limit still ends cleanly.
STAGE_SECONDS = {"flux": 80, "sd3": 70, "hidream": 100, "offload": 60}
PROMPT = "a minimal flat logo of a blue fox on a white background, modern brand style"
START = time.monotonic()


def say(line: str = "") -> None:
    print(line, flush=True)


def elapsed() -> float:
    return time.monotonic() - START




# --------------------------------------------------------------------------------------------------
# The configs the Engine needs


@dataclass(frozen=True)
class Check:
    label: str  # what the rows say
    family: str  # our family key for the pipeline builder
    pipeline_class: str
    preset: str  # the registered family's preset whose guidance and max_sequence_length are used
    # Used when the family or preset is not registered (model-configs.md's recommended settings):
    guidance: float
    max_sequence_length: int


CHECKS = [
    Check("FLUX.1-dev", "flux", "FluxPipeline", "dev", 3.5, 512),
    Check("SD3.5-Large", "sd3", "StableDiffusion3Pipeline", "large", 3.5, 256),
    Check("HiDream-I1-Dev", "hidream", "HiDreamImagePipeline", "dev", 0.0, 128),
]


def with_preset(check: Check) -> Check:
    """The check with the registered family's preset settings, where there is one."""
    from dataclasses import replace

    from models.family import FAMILIES

    family = FAMILIES.get(engine_family(check))
    preset = family.presets.get(check.preset) if family is not None else None
    if preset is None:
        say(
            f"# note: {check.label}: no registered preset {check.preset!r}; using guidance {check.guidance}, "
            f"max_sequence_length {check.max_sequence_length}"
        )
        return check
    return replace(check, guidance=preset.guidance, max_sequence_length=preset.max_sequence_length)


def engine_family(check: Check) -> str:
    """The registered family for this pipeline class; a stand-in is registered when none is yet.

    Another change adds the SD3 and HiDream family modules; until then the Engine only needs a
    family for its size and steps checks, which a stand-in with the usual limits supplies.
    """
    import models
    from models.family import FAMILIES, ModelFamily, Preset, register

    for module in ("models.sd3", "models.hidream"):
        try:
            __import__(module)
        except Exception as exc:  # absent, or mid-change: the stand-in below serves
            say(f"# note: {module} not importable ({type(exc).__name__}: {str(exc)[:120]})")
    for name, family in FAMILIES.items():
        if family.pipeline_class == check.pipeline_class:
            return name
    del models

    def _no_load(*_: Any) -> Any:
        raise RuntimeError("stand-in family: pipelines come from Engine.from_pipeline")

    name = f"{check.family}-standin"
    register(
        ModelFamily(
            name=name,
            pipeline_class=check.pipeline_class,
            presets={check.preset: Preset(28, check.guidance, check.max_sequence_length)},
            detect_preset=lambda _path: check.preset,
            load=_no_load,
            build_tiny=_no_load,
            size_multiple=16,
        )
    )
    say(f"# note: no registered family for {check.pipeline_class}; the Engine uses a stand-in ({name})")
    return name


def model_config(check: Check, steps: int, size: int) -> Any:
    from models.family import ModelConfig

    return ModelConfig(
        name=check.label,
        family=engine_family(check),
        path=Path("/nonexistent/in-memory"),
        steps=steps,
        guidance=check.guidance,
        width=size,
        height=size,
        max_sequence_length=check.max_sequence_length,
    )


# --------------------------------------------------------------------------------------------------
# Measuring


def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def measure(device: str, fn: Any) -> tuple[float, float]:
    """(seconds, peak GiB allocated during the call; nan off CUDA)."""
    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    sync(device)
    t0 = time.perf_counter()
    fn()
    sync(device)
    seconds = time.perf_counter() - t0
    peak = torch.cuda.max_memory_allocated() / GIB if device == "cuda" else float("nan")
    return seconds, peak


def row(model: str, path: str, s_per_image: float | None, peak: float | None, ratio: str, note: str = "") -> None:
    s = f"{s_per_image:.3f}" if s_per_image is not None else "-"
    p = f"{peak:.1f}" if peak is not None and peak == peak else "-"
    say(f"| {model} | {path} | {s} | {p} | {ratio} | {note} |")


def baseline_call(pipe: Any, check: Check, n: int, steps: int, size: int, device: str, seed: int = 1234) -> Any:
    out = pipe(
        prompt=[PROMPT] * n,
        width=size,
        height=size,
        num_inference_steps=steps,
        guidance_scale=check.guidance,
        num_images_per_prompt=1,
        generator=[torch.Generator(device).manual_seed(seed + i) for i in range(n)],
        max_sequence_length=check.max_sequence_length,
        output_type="pt",
    )
    return out.images


def ours_call(engine: Any, n: int, steps: int, size: int, seed: int = 1234) -> Any:
    from models.engine import RenderItem, RenderSettings

    settings = RenderSettings(
        model=engine.model_name, width=size, height=size, steps=steps, guidance=engine.config.guidance
    )
    result = engine.render([RenderItem(job_id="check", prompt=PROMPT, seed=seed, num_images=n, settings=settings)])
    images = result["check"]
    # HiDream picks its own size (about a megapixel at the asked aspect ratio).
    width, height = engine.output_size(settings) if hasattr(engine, "output_size") else (size, size)
    if len(images) != n or images[0].shape != (height, width, 3):
        raise RuntimeError(f"unexpected render result: {len(images)} images of {images[0].shape}")
    return images


def free(device: str) -> None:
    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()


def check_family(check: Check, args: argparse.Namespace) -> None:
    from models.engine import Engine

    device, tiny, n, steps, size = args.device, args.tiny, args.images, args.steps, args.size
    pipe = engine = ours_call_warm = None
    try:
        check = with_preset(check)
        say(
            f"# {check.label}: guidance {check.guidance}, max_sequence_length {check.max_sequence_length}, "
            f"family {engine_family(check)!r}"
        )
        t0 = time.perf_counter()
        pipe, params = make_pipeline(check.family, tiny, device)
        sync(device)
        held = torch.cuda.memory_allocated() / GIB if device == "cuda" else float("nan")
        say(
            f"# {check.label}: built {params / 1e9:.2f} B parameters in {time.perf_counter() - t0:.1f} s, "
            f"{held:.1f} GiB resident"
        )
        engine = Engine.from_pipeline(pipe, model_config(check, steps, size), device=device)

        # Warm-up (kernels, allocator): a short call of the same shapes through each path.
        t0 = time.perf_counter()
        baseline_call(pipe, check, n, args.warmup_steps, size, device)
        ours_call_warm = Engine.from_pipeline(pipe, model_config(check, args.warmup_steps, size), device=device)
        ours_call(ours_call_warm, n, args.warmup_steps, size)
        sync(device)
        say(f"# {check.label}: warm-up ({args.warmup_steps} steps, both paths) {time.perf_counter() - t0:.1f} s")

        base_s, base_peak = measure(device, lambda: baseline_call(pipe, check, n, steps, size, device))
        row(check.label, "baseline (pipe call)", base_s / n, base_peak, "1.00")
        ours_s, ours_peak = measure(device, lambda: ours_call(engine, n, steps, size))
        row(
            check.label,
            "ours (Engine.render)",
            ours_s / n,
            ours_peak,
            f"{ours_s / base_s:.3f}",
            f"peak ratio {ours_peak / base_peak:.3f}" if base_peak == base_peak else "",
        )
    except Exception as exc:  # report and go on to the next family
        row(check.label, "ERROR", None, None, "-", f"{type(exc).__name__}: {str(exc)[:300]}")
        traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
    finally:
        pipe = engine = ours_call_warm = None  # noqa: F841
        free(device)


def check_offload(args: argparse.Namespace) -> None:
    """FLUX.1-dev, one image through the Engine, with the GPU capped at --cap-gib."""
    from models.engine import Engine

    device, tiny, steps, size = args.device, args.tiny, args.steps, args.size
    check = CHECKS[0]
    label = f"{check.label} @{args.cap_gib:g}GiB cap"
    pipe = engine = None
    try:
        check = with_preset(check)
        # Built on the GPU (fast), then moved to the host, where offloading keeps it.
        pipe, _ = make_pipeline(check.family, tiny, device)
        t0 = time.perf_counter()
        pipe.to("cpu")
        free(device)
        say(f"# offload: FLUX built and moved to the host in {time.perf_counter() - t0:.1f} s")
        if device == "cuda":
            total = torch.cuda.get_device_properties(0).total_memory
            torch.cuda.set_per_process_memory_fraction(args.cap_gib * GIB / total)
        engine = Engine.from_pipeline(pipe, model_config(check, steps, size), device=device)

        attempts = []
        if device == "cuda":
            attempts.append(("model CPU offload", lambda: pipe.enable_model_cpu_offload(device=device)))
        attempts.append(
            (
                "group offload, block level, streamed",
                lambda: pipe.enable_group_offload(
                    onload_device=torch.device(device),
                    offload_device=torch.device("cpu"),
                    offload_type="block_level",
                    num_blocks_per_group=1,
                    use_stream=device == "cuda",
                ),
            )
        )
        attempts.append(
            (
                "group offload, leaf level, streamed",
                lambda: pipe.enable_group_offload(
                    onload_device=torch.device(device),
                    offload_device=torch.device("cpu"),
                    offload_type="leaf_level",
                    use_stream=device == "cuda",
                ),
            )
        )
        for name, enable in attempts:
            if elapsed() > args.budget_s:
                row(label, name, None, None, "-", "skipped: time budget spent")
                continue
            try:
                t0 = time.perf_counter()
                enable()
                setup = time.perf_counter() - t0
                seconds, peak = measure(device, lambda: ours_call(engine, 1, steps, size))
                row(label, f"ours, {name}", seconds, peak, "-", f"setup {setup:.1f} s; no warm-up call")
                break
            except torch.OutOfMemoryError as exc:
                peak = torch.cuda.max_memory_allocated() / GIB if device == "cuda" else None
                row(label, f"ours, {name}", None, peak, "-", f"OOM: {str(exc).splitlines()[0][:200]}")
            except Exception as exc:
                row(label, f"ours, {name}", None, None, "-", f"{type(exc).__name__}: {str(exc)[:300]}")
                traceback.print_exc(file=sys.stdout)
                sys.stdout.flush()
            # Undo this attempt before the next one.
            pipe.remove_all_hooks()
            if hasattr(pipe, "_maybe_raise_error_if_group_offload_active"):
                pass
            from diffusers.hooks import HookRegistry

            for component in pipe.components.values():
                if isinstance(component, torch.nn.Module):
                    for module in component.modules():
                        registry = getattr(module, "_diffusers_hook", None)
                        if isinstance(registry, HookRegistry):
                            for hook_name in list(registry.hooks):
                                registry.remove_hook(hook_name, recurse=False)
                    component.to("cpu")
            free(device)
    except Exception as exc:
        row(label, "ERROR", None, None, "-", f"{type(exc).__name__}: {str(exc)[:300]}")
        traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
    finally:
        pipe = engine = None  # noqa: F841
        free(device)
        if device == "cuda":
            torch.cuda.set_per_process_memory_fraction(1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="tiny shapes on the CPU: checks the flow in seconds")
    parser.add_argument("--families", default="flux,sd3,hidream", help="comma-separated: flux, sd3, hidream")
    parser.add_argument("--images", type=int, default=None, help="images per job (default 4; tiny 2)")
    parser.add_argument("--steps", type=int, default=None, help="denoising steps (default 28; tiny 2)")
    parser.add_argument("--warmup-steps", type=int, default=2)
    parser.add_argument("--size", type=int, default=None, help="width and height (default 1024; tiny 256)")
    parser.add_argument("--cap-gib", type=float, default=16.0, help="GPU memory cap for the offload check")
    parser.add_argument("--no-offload", action="store_true", help="skip the capped offload check")
    parser.add_argument(
        "--budget-s",
        type=float,
        default=430.0,
        help="skip a stage that would end after this many seconds (rows say what was skipped)",
    )
    args = parser.parse_args()
    args.images = args.images or (2 if args.tiny else 4)
    args.steps = args.steps or (2 if args.tiny else 28)
    args.size = args.size or (256 if args.tiny else 1024)
    args.device = "cpu" if args.tiny else "cuda"
    if not args.tiny and not torch.cuda.is_available():
        sys.exit("no CUDA device: run with --tiny for the CPU flow check")

    import diffusers
    import transformers

    if args.device == "cuda":
        gpu = torch.cuda.get_device_properties(0)
        say(f"# device: {gpu.name}, {gpu.total_memory / GIB:.1f} GiB")
    else:
        say("# device: CPU (--tiny: tiny shapes, fp32; figures are not meaningful)")
    say(f"# torch {torch.__version__}, diffusers {diffusers.__version__}, transformers {transformers.__version__}")
    say(
        f"# job: {args.images} images, {args.size}x{args.size}, {args.steps} steps; bf16 random weights"
        if not args.tiny
        else f"# job: {args.images} images, {args.size}x{args.size}, {args.steps} steps"
    )
    say()
    say("| model | path | s/image | peak GiB | ours/baseline | note |")
    say("| --- | --- | --- | --- | --- | --- |")
    wanted = [name.strip() for name in args.families.split(",") if name.strip()]
    for check in CHECKS:
        if check.family not in wanted:
            continue
        if elapsed() + (0 if args.tiny else STAGE_SECONDS[check.family]) > args.budget_s:
            row(check.label, "skipped", None, None, "-", "time budget spent")
            continue
        check_family(check, args)
    if not args.no_offload:
        if elapsed() + (0 if args.tiny else STAGE_SECONDS["offload"]) > args.budget_s:
            row("FLUX.1-dev offload", "skipped", None, None, "-", "time budget spent")
        else:
            check_offload(args)
    say(f"# done in {elapsed():.0f} s")


if __name__ == "__main__":
    main()
