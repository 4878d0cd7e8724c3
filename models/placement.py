"""How a model sits in memory: a setting (BAG_MEMORY_MODE) for cards smaller than the model.

| mode | what it does | what it costs |
| --- | --- | --- |
| gpu | every component on the GPU | nothing; needs the whole pipeline in GPU memory (FLUX.1-dev: about 34 GiB at 1024x1024) |
| model_offload | each component moves to the GPU when the pipeline reaches it | slower calls; the largest component must still fit (FLUX's transformer alone is 22 GiB, so not a 16 GB card) |
| group_offload | blocks stream to the GPU as they are needed, overlapped with compute | on an H200 capped at 16 GiB: FLUX.1-dev 20.7 s/image against 4.9 s whole, 9.1 GiB peak, 25 s set-up |
| fp8_layerwise | the denoiser's weights stored in fp8, each layer cast back to bf16 as it runs | half the denoiser's memory; small quality change; a little slower |

Offloading and fp8 storage are applied after the brand adapters are loaded (fp8 casting before the
first LoRA breaks PEFT at inference). 4-bit/8-bit quantization (bitsandbytes) is not wired in yet.
"""

from __future__ import annotations

from typing import Any, Literal

MemoryMode = Literal["gpu", "model_offload", "group_offload", "fp8_layerwise"]
OFFLOAD_MODES = ("model_offload", "group_offload")


def load_device(mode: MemoryMode, device: str) -> str:
    """Where the loader should put the weights first: offloading starts from host memory."""
    return "cpu" if mode in OFFLOAD_MODES else device


def apply_placement(pipe: Any, mode: MemoryMode, device: str) -> None:
    """Put a loaded pipeline (its adapters already in) into the chosen memory mode."""
    import torch

    if mode == "gpu":
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
    if mode == "fp8_layerwise":
        denoiser = pipe.transformer
        compute = next(denoiser.parameters()).dtype
        denoiser.enable_layerwise_casting(storage_dtype=torch.float8_e4m3fn, compute_dtype=compute)
        return
    raise ValueError(f"unknown memory mode {mode!r}")
