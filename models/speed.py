"""Speed modes for a loaded pipeline (BAG_SPEED_MODE): what runs faster on a GPU, and at what cost.

| mode | what it does | images |
| --- | --- | --- |
| off | plain diffusers, eager | the reference |
| lossless | regional compilation of the transformer's repeated blocks, the fastest exact attention kernel on the card, the VAE in channels_last, a compile cache kept across restarts; HiDream's mixture of experts without a host sync (models/moe.py), so its blocks compile whole | equal to `off` within bf16 rounding |
| fast | lossless plus fp8 weights and activations in the transformer's linear layers (models/fp8.py) | lossy: close, not equal |

`accelerate` runs once per pipeline, after the brand adapters are in their hotswap slot
(loras/hotswap.py: a compiled transformer must never change shape) and after
models.placement.apply_placement. It records what it did on the pipeline, where the engine finds the
attention context to call the pipeline in.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

SpeedMode = Literal["off", "lossless", "fast"]
SPEED_MODES: tuple[SpeedMode, ...] = ("off", "lossless", "fast")

# The transformer blocks repeated down each family's stack: compiled once, the graph reused by every
# instance (dynamo passes parameters in as inputs), so compile time is that of one or two blocks.
# diffusers declares FLUX's itself; SD3 and HiDream need naming (reference pitfall 6).
REPEATED_BLOCKS = {
    "flux": ("FluxTransformerBlock", "FluxSingleTransformerBlock"),
    "sd3": ("JointTransformerBlock",),
    "hidream": ("HiDreamImageTransformerBlock", "HiDreamImageSingleTransformerBlock"),
}

# FLUX's attention goes through diffusers' dispatcher; the first of these the machine can run wins.
# cuDNN's fused attention first: PyTorch's own, so it always traces whole under torch.compile, and on
# Hopper about as fast as FlashAttention-3; the flash-attn packages only where cuDNN's is missing.
# All are exact attention (no quantized or approximate kernels); `*_hub` backends download kernels and
# are never tried.
FLUX_ATTENTION_BACKENDS = ("_native_cudnn", "_flash_3", "flash")

_ATTRIBUTE = "_bag_acceleration"


@dataclass
class Acceleration:
    """What accelerate() applied to one pipeline, for logs and the benchmark."""

    family: str
    mode: SpeedMode
    device: str
    compiled_blocks: tuple[str, ...] = ()  # class names of the compiled regions
    compiled_count: int = 0  # how many block instances share those compiled graphs
    fullgraph: bool = False
    compile_mode: str | None = None  # torch.compile's mode: "reduce-overhead" captures CUDA graphs
    backend: Any = "inductor"  # torch.compile's backend: a name or a callable
    attention_backend: str = "native"  # FLUX's diffusers attention backend
    sdpa_kernels: tuple[str, ...] = ()  # PyTorch SDPA kernels, in priority order, around each call
    vae_channels_last: bool = False
    fused_moe_layers: int = 0
    fp8_layers: int = 0
    cache_dir: Path | None = None
    notes: list[str] = field(default_factory=list)
    # Set by the warm-up: seconds of the first calls, which compile.
    compile_seconds: float | None = None

    @property
    def compiled(self) -> bool:
        return self.compiled_count > 0

    @property
    def cuda_graphs(self) -> bool:
        return self.compile_mode == "reduce-overhead"

    @contextlib.contextmanager
    def context(self) -> Iterator[None]:
        """Wrap each pipeline call: picks the attention kernels SD3 and HiDream reach through SDPA."""
        if not self.sdpa_kernels:
            yield
            return
        from torch.nn.attention import SDPBackend, sdpa_kernel

        with sdpa_kernel([getattr(SDPBackend, name) for name in self.sdpa_kernels], set_priority=True):
            yield

    def step_begin(self) -> None:
        """Called before each denoising step: a new CUDA graph generation (see _compile_mode)."""
        if self.cuda_graphs:
            import torch

            torch.compiler.cudagraph_mark_step_begin()

    def __str__(self) -> str:
        if self.mode == "off":
            return f"{self.family}: speed mode off (eager)"
        parts = [f"{self.family}: speed mode {self.mode} on {self.device}"]
        if self.compiled:
            graph = "fullgraph" if self.fullgraph else "with graph breaks"
            backend = self.backend if isinstance(self.backend, str) else type(self.backend).__name__
            parts.append(f"compiled {self.compiled_count} blocks ({', '.join(self.compiled_blocks)}; {graph}; "
                         f"{backend}{', CUDA graphs' if self.cuda_graphs else ''})")
        parts.append(f"attention {self.attention_backend}"
                     + (f", SDPA {'>'.join(self.sdpa_kernels)}" if self.sdpa_kernels else ""))
        if self.vae_channels_last:
            parts.append("VAE channels_last")
        if self.fused_moe_layers:
            parts.append(f"sync-free MoE in {self.fused_moe_layers} layers")
        if self.fp8_layers:
            parts.append(f"fp8 in {self.fp8_layers} linear layers")
        if self.cache_dir is not None:
            parts.append(f"compile cache {self.cache_dir}")
        if self.compile_seconds is not None:
            parts.append(f"compile {self.compile_seconds:.1f} s")
        parts += self.notes
        return "; ".join(parts)


def acceleration_of(pipe: Any) -> Acceleration | None:
    """What accelerate() applied to this pipeline, or None if it never ran."""
    return getattr(pipe, _ATTRIBUTE, None)


def call_acceleration(pipe: Any) -> Acceleration:
    """What a pipeline call runs under: accelerate()'s record, or plain eager when it never ran."""
    return acceleration_of(pipe) or Acceleration(family="", mode="off", device="")


def accelerate(
    pipe: Any,
    family: str,
    mode: SpeedMode,
    device: str,
    *,
    cache_dir: Path | None = None,
    cuda_graphs: bool = False,
    backend: Any = "inductor",
) -> Acceleration:
    """Apply a speed mode to a loaded pipeline whose adapters and placement are final; once per pipeline.

    `backend` is torch.compile's (tests pass "eager" or "aot_eager" to check the wiring without
    inductor's minutes of C++ compiling on a CPU).
    """
    if mode not in SPEED_MODES:
        raise ValueError(f"unknown speed mode {mode!r}; known: {', '.join(SPEED_MODES)}")
    if acceleration_of(pipe) is not None:
        raise ValueError("this pipeline was already accelerated; accelerate() runs once per pipeline")
    acc = Acceleration(family=family, mode=mode, device=device, backend=backend)
    if mode != "off":
        if family not in REPEATED_BLOCKS:
            raise ValueError(f"no speed mode for family {family!r}; known: {', '.join(REPEATED_BLOCKS)}")
        _use_cache_dir(acc, cache_dir)
        transformer = pipe.transformer
        if family == "hidream":
            acc.fused_moe_layers = _fused_moe(transformer, acc)
        if mode == "fast":
            # Before compiling: the compiled graphs must see the fp8 layers, not trace the bf16 ones.
            from models.fp8 import quantize_fp8

            acc.fp8_layers = quantize_fp8(transformer)
        _pick_attention(pipe, family, device, acc)
        # Decoding is convolutions over the full image: cuDNN's channels_last kernels are faster and
        # compute the same convolutions (summed in another order: within rounding). The VAE stays
        # eager (it runs once per image, not once per step).
        pipe.vae.to(memory_format=_channels_last())
        acc.vae_channels_last = True
        _compile_blocks(pipe, family, device, cuda_graphs, acc)
    setattr(pipe, _ATTRIBUTE, acc)
    log.info("%s", acc)
    return acc


def _channels_last() -> Any:
    import torch

    return torch.channels_last


def _use_cache_dir(acc: Acceleration, cache_dir: Path | None) -> None:
    """Keep inductor's caches (FX graphs, AOT autograd, Triton kernels) in a directory that outlives the process.

    Inductor reads TORCHINDUCTOR_CACHE_DIR at each lookup, so setting it before the first compile is
    enough; the default is under /tmp, lost with the container. A warm cache turns the minutes of
    kernel generation into a load; dynamo still traces the blocks at start (seconds).
    """
    if cache_dir is None:
        return
    cache_dir = Path(cache_dir).resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(cache_dir)
    import torch._inductor.config as inductor_config

    inductor_config.fx_graph_cache = True
    acc.cache_dir = cache_dir


def _fused_moe(transformer: Any, acc: Acceleration) -> int:
    try:
        from models.moe import use_fused_moe
    except ImportError:
        acc.notes.append("no sync-free MoE available: HiDream compiles with graph breaks")
        return 0
    return use_fused_moe(transformer)


def _pick_attention(pipe: Any, family: str, device: str, acc: Acceleration) -> None:
    """The fastest exact attention the card offers; on a CPU, PyTorch's default."""
    if device != "cuda":
        return
    if family == "flux":
        acc.attention_backend = _flux_backend(pipe.transformer)
    # SD3 and HiDream call SDPA directly (reference pitfall 7), so the kernel is chosen around the call.
    # cuDNN's fused attention is the fastest on Hopper, then FlashAttention-2, then the memory-efficient
    # kernel; math only where none applies (a shape or dtype they refuse). All compute exact attention.
    acc.sdpa_kernels = ("CUDNN_ATTENTION", "FLASH_ATTENTION", "EFFICIENT_ATTENTION", "MATH")


def _flux_backend(transformer: Any) -> str:
    import torch
    from diffusers.models.attention_dispatch import (
        AttentionBackendName,
        _AttentionBackendRegistry,
        _check_attention_backend_requirements,
    )

    for name in FLUX_ATTENTION_BACKENDS:
        try:
            _check_attention_backend_requirements(AttentionBackendName(name))
        except (RuntimeError, ValueError):
            continue  # its package is missing
        if name == "_native_cudnn" and not (
            torch.backends.cudnn.is_available() and torch.cuda.get_device_capability() >= (8, 0)
        ):
            continue
        # set_attention_backend also makes the backend diffusers' process-wide default; this model's
        # processors keep it by name, so the default goes back to what it was for any other model.
        previous = _AttentionBackendRegistry.get_active_backend()[0]
        transformer.set_attention_backend(name)
        _AttentionBackendRegistry.set_active_backend(previous)
        return name
    return "native"


def _compile_blocks(pipe: Any, family: str, device: str, cuda_graphs: bool, acc: Acceleration) -> None:
    from models.placement import streamed_components

    transformer = pipe.transformer
    # HiDream's stock expert routing reads token counts on the host (a graph break per MoE layer);
    # with the sync-free MoE in, its blocks trace whole like the others.
    fullgraph = family != "hidream" or acc.fused_moe_layers > 0
    if "transformer" in streamed_components(pipe):
        # Blocks streamed from the host (memory mode small_gpu) run inside group-offload hooks that
        # copy on a CUDA side stream: let dynamo break the graph there rather than refuse to start.
        fullgraph = False
        acc.notes.append("transformer streamed from the host: blocks compiled with graph breaks allowed")
    compile_mode = _compile_mode(device, cuda_graphs, acc)
    transformer._repeated_blocks = list(REPEATED_BLOCKS[family])
    transformer.compile_repeated_blocks(fullgraph=fullgraph, backend=acc.backend, mode=compile_mode)
    acc.compiled_blocks = REPEATED_BLOCKS[family]
    acc.compiled_count = sum(type(m).__name__ in REPEATED_BLOCKS[family] for m in transformer.modules())
    acc.fullgraph = fullgraph
    acc.compile_mode = compile_mode


def _compile_mode(device: str, cuda_graphs: bool, acc: Acceleration) -> str | None:
    """"reduce-overhead" (CUDA graphs) when asked for and possible, else torch.compile's default.

    CUDA graphs replay recorded kernel launches on the same memory addresses. PyTorch's CUDA graph
    trees record each block call of a step (one node per position down the stack, with that block's
    own weights as fixed inputs), again per input shape (each new image size or batch size records
    another set), and replay the path every later step. Style switches stay valid: the hotswap
    slot copies each style's LoRA weights into the very tensors the graphs read (`copy_` into the
    slot's parameters, loras/hotswap.py), so the replay reads the new style without re-recording;
    only a change of tensor identity would, and hotswapping never makes one. The engine marks each
    denoising step as a new graph generation, so a step's output is not overwritten while the
    scheduler still reads it.
    """
    if not cuda_graphs:
        return None
    if device != "cuda" or acc.backend != "inductor":
        acc.notes.append("CUDA graphs asked for but not applied (they need a GPU and the inductor backend)")
        return None
    return "reduce-overhead"
