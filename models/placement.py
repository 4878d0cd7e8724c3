"""How a model sits in memory: a setting (BAG_MEMORY_MODE) for cards smaller than the model.

| mode | what it does | what it costs |
| --- | --- | --- |
| gpu | every component on the GPU | nothing; needs the whole pipeline in GPU memory (FLUX.1-dev: about 34 GiB at 1024x1024) |
| model_offload | each component moves to the GPU when the pipeline reaches it | slower calls; the largest component must still fit (FLUX's transformer alone is 22 GiB, so not a 16 GB card) |
| group_offload | blocks stream to the GPU as they are needed, overlapped with compute | on an H200 capped at 16 GiB: FLUX.1-dev 20.7 s/image against 4.9 s whole, 9.1 GiB peak, 25 s set-up |
| fp8_layerwise | the denoiser's weights stored in fp8, each layer cast back to bf16 as it runs | half the denoiser's memory; small quality change; a little slower |
| bnb_4bit, bnb_8bit | the denoiser and the large text encoders quantized as they load (bitsandbytes NF4 / int8) | about a quarter / half of their memory; slower steps; needs a GPU and `pip install bitsandbytes` |
| small_gpu | the 16 GB mode: the transformer's Linears in fp8 (models/fp8.py), resident when it fits; large text encoders kept on the host and streamed through the GPU block by block as they encode; VAE decodes one image at a time | lossy (fp8, as the fast speed mode); encoder weights cross PCIe every call |

Offloading and fp8 storage are applied after the brand adapters are loaded (fp8 casting before the
first LoRA breaks PEFT at inference); quantization happens while loading, and LoRAs then sit on the
quantized layers.

The 16 GB mode (small_gpu), from the parameter counts (docs of each model; bf16 = 2 bytes a
parameter, fp8 = 1; GiB = 2^30 bytes). Budget: a 16 GiB card less 4 GiB kept for activations of a
four-image 1024x1024 step, one image's VAE decode, the streamed blocks in flight and the CUDA context,
so 12 GiB of resident weights:

| family | transformer bf16 -> fp8 | text encoders (bf16) | resident | streamed |
| --- | --- | --- | --- | --- |
| FLUX.1 | 11.9 B: 22.2 -> 11.2 GiB | T5-XXL 8.9, CLIP-L 0.23 | transformer 11.2 + CLIP-L 0.23 + VAE 0.16 = 11.5 GiB | T5 (one 0.37 GiB block at a time) |
| SD 3.5 Large | 8.06 B: 15.0 -> 7.9 GiB (7.5 of weights, a 0.33 GiB fp32 position table) | T5-XXL 8.9, CLIP-G 1.3, CLIP-L 0.23 | 7.9 + 1.3 + 0.23 + 0.16 = 9.6 GiB | T5 (8.9 > the 2.4 GiB left) |
| HiDream-I1 | 17.1 B: 31.9 -> 16.0 GiB | Llama-3.1-8B 15.0, T5-XXL 8.9, CLIP-G 1.3, CLIP-L 0.23 | CLIPs + VAE 1.7 GiB, then T5 8.9 (fits in what is left): 10.6 GiB | the transformer itself (16.0 GiB cannot be resident: a block of 0.3-0.4 GiB at a time, overlapped with compute), Llama |

SD 3.5 Large cannot stay lossless either: its bf16 transformer (15.0 GiB) alone leaves 1 GiB for
everything else. Nothing else is quantized: the text encoders keep their precision, so prompts encode
exactly as in `gpu` mode; the only difference in the images is the transformer's fp8 (what the fast
speed mode measures). Per step, a resident transformer costs no transfer; HiDream's streamed one moves
16.0 GiB over PCIe a step, which a ~50 GB/s link covers in about 0.3 s, hidden behind a four-image
step's compute when the copy overlaps (CUDA streams, pinned host memory). Each call streams the
streamed encoders once (T5: 8.9 GiB, Llama: 15.0 GiB), whatever the number of images.

The plan is computed from the components' real sizes (`plan_small_gpu`), so a smaller variant (SD 3.5
Medium, FLUX with a quantized T5) keeps more resident. It composes with the brand LoRA hotswap (fp8
comes after the slot is open; the LoRA A/B stay bf16) and with compilation of a resident transformer.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any, Literal

MemoryMode = Literal["gpu", "model_offload", "group_offload", "fp8_layerwise", "bnb_4bit", "bnb_8bit", "small_gpu"]
OFFLOAD_MODES = ("model_offload", "group_offload")
QUANTIZED_MODES = ("bnb_4bit", "bnb_8bit")
# Modes whose weights start in host memory and are placed by apply_placement.
HOST_FIRST_MODES = (*OFFLOAD_MODES, "small_gpu")

GIB = 2**30
SMALL_GPU_CAP = 16 * GIB
# Activations of a four-image 1024x1024 step, one image's VAE decode, streamed blocks in flight, the
# CUDA context and compile workspaces.
SMALL_GPU_RESERVE = 4 * GIB


def quantization_config(mode: MemoryMode, device: str, components: tuple[str, ...]) -> Any:
    """The load-time quantization for a bnb mode (None for the others), or a clear refusal."""
    if mode not in QUANTIZED_MODES:
        return None
    if device != "cuda":
        raise ValueError(f"memory mode {mode} quantizes with bitsandbytes, which needs a GPU; this runner has none")
    if importlib.util.find_spec("bitsandbytes") is None:
        raise ValueError(f"memory mode {mode} needs the bitsandbytes package: pip install bitsandbytes")
    import torch
    from diffusers.quantizers import PipelineQuantizationConfig

    if mode == "bnb_4bit":
        kwargs = {"load_in_4bit": True, "bnb_4bit_quant_type": "nf4", "bnb_4bit_compute_dtype": torch.bfloat16}
    else:
        kwargs = {"load_in_8bit": True}
    return PipelineQuantizationConfig(quant_backend=f"bitsandbytes_{mode.removeprefix('bnb_')}",
                                      quant_kwargs=kwargs, components_to_quantize=list(components))


def load_device(mode: MemoryMode, device: str) -> str:
    """Where the loader should put the weights first: offloading starts from host memory."""
    return "cpu" if mode in HOST_FIRST_MODES else device


def apply_placement(pipe: Any, mode: MemoryMode, device: str) -> None:
    """Put a loaded pipeline (its adapters already in) into the chosen memory mode."""
    import torch

    if mode == "gpu" or mode in QUANTIZED_MODES:
        return
    if mode in OFFLOAD_MODES:
        if device != "cuda":
            raise ValueError(f"memory mode {mode} moves weights between host and GPU; this runner has no GPU")
        if mode == "model_offload":
            pipe.enable_model_cpu_offload(device=device)
        else:
            pipe.enable_group_offload(onload_device=torch.device(device), offload_device=torch.device("cpu"),
                                      offload_type="block_level", num_blocks_per_group=1, use_stream=True)
        return
    if mode == "small_gpu":
        if device != "cuda":
            raise ValueError("memory mode small_gpu streams weights between host and GPU; this runner has no GPU")
        place_small_gpu(pipe, device)
        return
    if mode == "fp8_layerwise":
        denoiser = pipe.transformer
        compute = next(denoiser.parameters()).dtype
        denoiser.enable_layerwise_casting(storage_dtype=torch.float8_e4m3fn, compute_dtype=compute)
        return
    raise ValueError(f"unknown memory mode {mode!r}")


@dataclass(frozen=True)
class SmallGpuPlan:
    """Where the 16 GB mode puts each component (by pipeline attribute name)."""

    fp8: tuple[str, ...]  # Linears quantized to fp8
    resident: tuple[str, ...]  # moved to the GPU once
    streamed: tuple[str, ...]  # kept in host memory, streamed through the GPU block by block
    resident_bytes: int


def weight_bytes(module: Any, fp8: bool = False) -> int:
    """Bytes of a module's parameters and buffers; with `fp8`, as models.fp8.quantize_fp8 would leave them."""
    from models.fp8 import can_quantize

    total = sum(t.numel() * t.element_size() for t in (*module.parameters(), *module.buffers()))
    if fp8:
        for name, layer in module.named_modules():
            if can_quantize(name, layer):
                # one byte a weight instead of its own size, plus a 4-byte scale per output channel
                total -= layer.weight.numel() * (layer.weight.element_size() - 1) - 4 * layer.out_features
    return total


def plan_small_gpu(pipe: Any, budget: int = SMALL_GPU_CAP - SMALL_GPU_RESERVE) -> SmallGpuPlan:
    """Which components stay on the GPU within `budget` bytes and which stream from the host.

    The transformer runs every step, so it is placed first; then the components in order of size,
    smallest first (the VAE, the CLIPs), each resident if it still fits; what does not is streamed.
    """
    import torch

    modules = {name: c for name, c in pipe.components.items() if isinstance(c, torch.nn.Module)}
    sizes = {name: weight_bytes(m, fp8=name == "transformer") for name, m in modules.items()}
    order = ["transformer"] + sorted((n for n in modules if n != "transformer"), key=sizes.__getitem__)
    resident, streamed, used = [], [], 0
    for name in order:
        # The VAE decodes on the GPU whatever the budget: streaming it would cost more than it saves.
        if used + sizes[name] <= budget or name == "vae":
            resident.append(name)
            used += sizes[name]
        else:
            streamed.append(name)
    return SmallGpuPlan(fp8=("transformer",), resident=tuple(resident), streamed=tuple(streamed),
                        resident_bytes=used)


def block_path(module: Any) -> list[str]:
    """Names of the submodules leading to a module's block list (T5: encoder; Llama: model).

    diffusers' block-level group offload streams the ModuleLists it finds among a module's children,
    and recurses only into children it is told about: these.
    """
    import torch

    # The shallowest list wins (a block's own inner lists sit deeper), then the largest.
    lists = [(name.count("."), -sum(p.numel() for p in sub.parameters()), name)
             for name, sub in module.named_modules() if isinstance(sub, torch.nn.ModuleList)]
    return min(lists)[2].split(".")[:-1] if lists else []


def place_small_gpu(pipe: Any, device: str, plan: SmallGpuPlan | None = None, use_stream: bool = True) -> SmallGpuPlan:
    """Quantize, place and stream as `plan` (default: plan_small_gpu's) says; returns the plan.

    apply_placement refuses this mode without a GPU; the tests call it on the host (device "cpu", no
    side streams) to check that the same steps keep the images and the styles.
    """
    import torch
    from diffusers.hooks import apply_group_offloading

    from models.fp8 import quantize_fp8

    plan = plan or plan_small_gpu(pipe)
    # Quantized on the GPU, layer by layer (the host would take minutes for 12-17 B weights); a
    # streamed transformer's fp8 weights go back to the host as they are made.
    store = "cpu" if "transformer" in plan.streamed else device
    quantize_fp8(pipe.transformer, device=device, store=store)
    for name in plan.resident:
        getattr(pipe, name).to(device)
    for name in plan.streamed:
        module = getattr(pipe, name)
        module.to("cpu")
        # One block a group, copied on a side stream while the previous block computes, from pinned
        # host memory; record_stream lets the allocator reuse a block's memory without a sync.
        apply_group_offloading(module, onload_device=torch.device(device), offload_device=torch.device("cpu"),
                               offload_type="block_level", num_blocks_per_group=1, use_stream=use_stream,
                               record_stream=use_stream, block_modules=block_path(module) or None)
    # One image at a time through the VAE decoder: the same pixels, a quarter of a 4-image peak.
    pipe.vae.enable_slicing()
    setattr(pipe, _PLAN_ATTRIBUTE, plan)
    return plan


_PLAN_ATTRIBUTE = "_bag_small_gpu_plan"


def streamed_components(pipe: Any) -> tuple[str, ...]:
    """What place_small_gpu left streaming from the host (none in other modes).

    For the speed modes: a streamed transformer's blocks run inside group-offload hooks, which copy on
    a CUDA side stream; compiling them with fullgraph=True has only been checked without the stream.
    """
    plan = getattr(pipe, _PLAN_ATTRIBUTE, None)
    return plan.streamed if plan else ()
