"""The memory part of the GPU check: each family in a memory mode (BAG_MEMORY_MODE) at real size.

For each mode the family is built in memory at real size (bf16, random weights, on the GPU: fast),
then put into the mode as the runner does after loading: bitsandbytes modes quantize the family's
`quantize_components` here, in memory, layer by layer, into the same bnb layers diffusers' loader
makes (the loader quantizes while reading from disk; writing 30-60 GB of random weights to disk
first would take most of a device session), then the brand styles go in, then
models.placement.apply_placement, then models.speed.accelerate(..., "lossless") as the runner does
on a GPU. The 16 GB mode runs with the GPU capped at --cap-gib (torch.cuda.set_per_process_memory_fraction);
the other modes run uncapped, their peak says what card they need. The timed job is the speed part's
(4 images, same seeds), so the quality is compared with the eager images of the same seeds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from bench.gpu_builders import make_pipeline  # noqa: E402
from bench.gpu_common import (  # noqa: E402
    GIB,
    Check,
    State,
    baseline_call,
    engine_call,
    error_note,
    free,
    max_pixel_diff,
    measure,
    model_config,
    psnr,
    resident_gib,
    row,
    say,
    sync,
)
from bench.gpu_loras import load_styles  # noqa: E402

EXISTING_MODES = ("fp8_layerwise", "bnb_4bit", "bnb_8bit")


def small_gpu_mode() -> str | None:
    """The memory mode for 16 GB cards, as models/placement.py names it (None when it has none yet)."""
    from typing import get_args

    from models.placement import MemoryMode

    for name in ("small_gpu", "gpu_16gb", "16gb"):
        if name in get_args(MemoryMode):
            return name
    return None


def memory_modes() -> list[str]:
    small = small_gpu_mode()
    return ([small] if small else []) + list(EXISTING_MODES)


def quantize_in_memory(pipe: Any, quantization: Any) -> list[str]:
    """Swap every nn.Linear of the components to quantize for a bitsandbytes layer, quantized on the GPU.

    The same layer classes and settings diffusers' loader builds from a PipelineQuantizationConfig
    (bnb 4-bit NF4 with bf16 compute, or LLM.int8 8-bit), minus the modules a component keeps in
    full precision (its `_keep_in_fp32_modules`). Returns what was quantized, for the row's note.
    """
    import bitsandbytes as bnb

    kwargs = dict(quantization.quant_kwargs or {})
    four_bit = kwargs.get("load_in_4bit", False)
    quant_type = kwargs.get("bnb_4bit_quant_type", "nf4")
    double = kwargs.get("bnb_4bit_use_double_quant", False)
    done = []
    for name in quantization.components_to_quantize:
        component = getattr(pipe, name)
        keep = tuple(getattr(component, "_keep_in_fp32_modules", None) or ())
        count = 0
        for parent_name, parent in list(component.named_modules()):
            for child_name, child in list(parent.named_children()):
                full = f"{parent_name}.{child_name}" if parent_name else child_name
                if type(child) is not torch.nn.Linear or any(full == k or full.endswith("." + k) for k in keep):
                    continue
                # bitsandbytes quantizes as a weight moves from the host to the GPU (as transformers'
                # loader does it: a quantized parameter made with .to("cuda"), then set on the layer).
                weight = child.weight.data.to("cpu")
                if four_bit:
                    layer = bnb.nn.Linear4bit(child.in_features, child.out_features, bias=child.bias is not None,
                                              compute_dtype=kwargs.get("bnb_4bit_compute_dtype", torch.bfloat16),
                                              compress_statistics=double, quant_type=quant_type, device="meta")
                    layer.weight = bnb.nn.Params4bit(weight, requires_grad=False, compress_statistics=double,
                                                     quant_type=quant_type, module=layer).to("cuda")
                else:
                    layer = bnb.nn.Linear8bitLt(child.in_features, child.out_features, bias=child.bias is not None,
                                                has_fp16_weights=False, threshold=6.0, device="meta")
                    layer.weight = bnb.nn.Int8Params(weight, requires_grad=False, has_fp16_weights=False).to("cuda")
                if child.bias is not None:
                    layer.bias = torch.nn.Parameter(child.bias.data.to("cuda"), requires_grad=False)
                setattr(parent, child_name, layer)
                count += 1
        free("cuda")
        done.append(f"{name} ({count} layers)")
    return done


def prepare(check: Check, mode: str, args: argparse.Namespace, styles_dir: Path,
            state: State) -> tuple[Any, list[str]]:
    """The family built, quantized (bnb modes), styled and placed as the runner does for `mode`.

    Without the speed part's eager figures (another run, on another machine), an unquantized mode
    first times the eager baseline on the same pipeline, before placement changes it.
    """
    from models import get_family
    from models.placement import apply_placement, load_device, quantization_config

    device = args.device
    notes = []
    pipe, _ = make_pipeline(check.family, args.tiny, device)
    quantization = quantization_config(mode, device, get_family(check.family).quantize_components)
    if quantization is not None:
        t0 = time.perf_counter()
        done = quantize_in_memory(pipe, quantization)
        notes.append(f"quantized in memory {time.perf_counter() - t0:.0f} s: {', '.join(done)}")
    # small_gpu places each component from wherever it is (quantizing on the GPU), so only the
    # offload modes need the weights moved to the host first, as their loader leaves them.
    if load_device(mode, device) != device and mode != small_gpu_mode():
        t0 = time.perf_counter()
        pipe.to(load_device(mode, device))
        free(device)
        notes.append(f"moved to the host {time.perf_counter() - t0:.0f} s")
    load_styles(pipe, check.family, styles_dir, args.lora_rank)
    st = state.get(check.family)
    if st.eager_images is None and quantization is None:
        n, steps, size = args.images, args.steps, args.size
        baseline_call(pipe, check, n, args.warmup_steps, size, device)
        seconds, _, st.eager_images = measure(device, lambda: baseline_call(pipe, check, n, steps, size, device))
        st.eager_s = seconds / n
        state.save(check.family)
        notes.append(f"eager baseline measured here: {st.eager_s:.3f} s/image")
    t0 = time.perf_counter()
    apply_placement(pipe, mode, device)
    sync(device)
    notes.append(f"placement {time.perf_counter() - t0:.1f} s, {resident_gib(device):.1f} GiB resident")
    return pipe, notes


def uncompile(transformer: Any) -> None:
    """Undo regional compilation (nn.Module.compile keeps the compiled call beside the eager one)."""
    import torch._dynamo

    for module in transformer.modules():
        if getattr(module, "_compiled_call_impl", None) is not None:
            module._compiled_call_impl = None
    torch._dynamo.reset()


def part_memory(check: Check, mode: str, args: argparse.Namespace, state: State) -> None:
    import torch._dynamo
    from torch._dynamo.utils import counters

    from models.engine import Engine
    from models.speed import accelerate

    device, steps, size, n = args.device, args.steps, args.size, args.images
    capped = mode == small_gpu_mode()
    label = f"{mode} @{args.cap_gib:g}GiB cap" if capped else f"{mode} (uncapped)"
    needs_gpu = capped or mode.startswith("bnb_")
    if device != "cuda" and needs_gpu:
        row(check.label, label, note="skipped: needs a CUDA GPU (a memory cap and bitsandbytes are CUDA-only)")
        return
    st = state.get(check.family)
    with tempfile.TemporaryDirectory() as tmp:
        pipe, notes = prepare(check, mode, args, Path(tmp), state)
        try:
            acceleration = accelerate(pipe, check.family, args.memory_speed, device, cache_dir=args.cache_dir,
                                      cuda_graphs=args.cuda_graphs, backend=args.backend)
            notes.append(f"speed {args.memory_speed}")
            say(f"# {check.label} {mode}: {acceleration}")
        except Exception as exc:  # a mode that does not compose with compiling is a finding, not a stop
            notes.append(f"speed {args.memory_speed} refused ({type(exc).__name__}: {str(exc)[:120]}), eager")
        engine = Engine.from_pipeline(pipe, model_config(check, steps, size), device=device)
        if capped:
            total = torch.cuda.get_device_properties(0).total_memory
            torch.cuda.set_per_process_memory_fraction(args.cap_gib * GIB / total)
        try:
            # A compile that fails on a mode's layers falls back to eager instead of ending the row
            # (the note says so: the runner would meet the same failure); the note counts the graphs
            # that did compile.
            with torch._dynamo.config.patch(suppress_errors=True):
                graphs = counters["stats"]["unique_graphs"]
                try:
                    first, _, _ = measure(device, lambda: engine_call(engine, n, args.warmup_steps, size))
                except (torch._dynamo.exc.TorchDynamoException, torch._dynamo.exc.Unsupported) as exc:
                    uncompile(pipe.transformer)
                    notes.append(f"COMPILE FAILED in this mode ({error_note(exc)[:160]}): measured eager")
                    first, _, _ = measure(device, lambda: engine_call(engine, n, args.warmup_steps, size))
                warm, _, _ = measure(device, lambda: engine_call(engine, n, args.warmup_steps, size))
                seconds, peak, images = measure(device, lambda: engine_call(engine, n, steps, size))
                notes.append(f"{counters['stats']['unique_graphs'] - graphs} graphs compiled")
        except torch.OutOfMemoryError as exc:
            peak = torch.cuda.max_memory_allocated() / GIB
            row(check.label, label, peak=peak, note=f"OOM: {str(exc).splitlines()[0][:160]}; {'; '.join(notes)}")
            return
        finally:
            if capped:
                torch.cuda.set_per_process_memory_fraction(1.0)
    eager, per_image = st.eager_images, seconds / n
    if st.lossless_s:
        notes.insert(0, f"{per_image / st.lossless_s:.2f}x the full-GPU lossless s/image")
    else:
        notes.insert(0, "no lossless figure of this family in this run or --state-dir")
    row(check.label, label, s_per_image=per_image, speedup=st.eager_s / per_image if st.eager_s else None,
        peak=peak, compile_s=first - warm, max_diff=max_pixel_diff(eager, images) if eager is not None else None,
        psnr_db=psnr(eager, images) if eager is not None else None, note="; ".join(notes))
