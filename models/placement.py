"""How a model sits in memory: a setting (BAG_MEMORY_MODE) for cards smaller than the model.

| mode | what it does | what it costs |
| --- | --- | --- |
| gpu | every component on the GPU | nothing; needs the whole pipeline in GPU memory (FLUX.1-dev: about 34 GiB at 1024x1024) |
| model_offload | each component moves to the GPU when the pipeline reaches it | slower calls; the largest component must still fit (FLUX's transformer alone is 22 GiB, so not a 16 GB card) |
| group_offload | blocks stream to the GPU as they are needed, overlapped with compute | on an H200 capped at 16 GiB: FLUX.1-dev 20.7 s/image against 4.9 s whole, 9.1 GiB peak, 25 s set-up |
| fp8_layerwise | the denoiser's weights stored in fp8, each layer cast back to bf16 as it runs | half the denoiser's memory; small quality change; a little slower |
| bnb_4bit, bnb_8bit | the denoiser and the large text encoders quantized as they load (bitsandbytes NF4 / int8) | about a quarter / half of their memory; slower steps; needs a GPU and `pip install bitsandbytes` |

Offloading and fp8 storage are applied after the brand adapters are loaded (fp8 casting before the
first LoRA breaks PEFT at inference); quantization happens while loading, and LoRAs then sit on the
quantized layers.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Literal

MemoryMode = Literal["gpu", "model_offload", "group_offload", "fp8_layerwise", "bnb_4bit", "bnb_8bit"]
OFFLOAD_MODES = ("model_offload", "group_offload")
QUANTIZED_MODES = ("bnb_4bit", "bnb_8bit")


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
    return "cpu" if mode in OFFLOAD_MODES else device


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
    if mode == "fp8_layerwise":
        denoiser = pipe.transformer
        compute = next(denoiser.parameters()).dtype
        denoiser.enable_layerwise_casting(storage_dtype=torch.float8_e4m3fn, compute_dtype=compute)
        return
    raise ValueError(f"unknown memory mode {mode!r}")
