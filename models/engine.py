"""The engine: one loaded pipeline that renders batches of jobs, the core the GPU runner calls.

Jobs that share settings run as one pipeline call, each image with its own seeded generator, so a
job's images do not depend on what else was in the batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from models.family import ModelConfig, get_family
from models.placement import MemoryMode, load_device, quantization_config
from models.speed import call_acceleration

# torch.Generator.manual_seed takes seeds up to 2**64 - 1; image i of a job uses seed + i.
_SEED_LIMIT = 2**64


@dataclass(frozen=True)
class RenderSettings:
    """What a batch group must share to run as one pipeline call."""

    model: str
    width: int
    height: int
    steps: int
    guidance: float


@dataclass(frozen=True)
class RenderItem:
    job_id: str
    prompt: str
    seed: int
    num_images: int
    settings: RenderSettings


@dataclass(frozen=True)
class _Slice:
    """Images [start, start + count) of one job, as placed in one pipeline call."""

    item: RenderItem
    start: int
    count: int


StepCallback = Callable[[list[str], int, int], None]
StopCheck = Callable[[list[str]], bool]


def _check_per_call(max_images_per_call: int) -> None:
    if max_images_per_call < 1:
        raise ValueError(f"max_images_per_call must be at least 1, got {max_images_per_call}")


class Engine:
    """Holds one pipeline resident and renders batches on it; one render at a time."""

    def __init__(
        self,
        config: ModelConfig,
        device: str | None = None,
        dtype: torch.dtype | None = None,
        max_images_per_call: int = 16,
        memory_mode: MemoryMode = "gpu",
    ) -> None:
        _check_per_call(max_images_per_call)  # before loading: a real model takes minutes
        family = get_family(config.family)
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        if dtype is None and device == "cuda":
            dtype = torch.bfloat16  # also when the weights start on the host, to be offloaded
        # Offloading starts from host memory; models.placement.apply_placement finishes the job once
        # the brand adapters are in.
        quantization = quantization_config(memory_mode, device, family.quantize_components)
        pipe = family.load(config.path, load_device(memory_mode, device), dtype, quantization)
        self._attach(pipe, config, device, max_images_per_call)

    def _attach(self, pipe: Any, config: ModelConfig, device: str | None, max_images_per_call: int) -> None:
        _check_per_call(max_images_per_call)
        self.config = config
        self.family = get_family(config.family)
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.max_images_per_call = max_images_per_call
        self.pipe = pipe
        # Each distinct prompt of a call is encoded once (the family's `encode`); False hands the
        # pipeline every image's prompt, as diffusers is usually called (kept to compare against).
        self.encode_once = True
        # The pipeline keeps per-call state (its interrupt flag, current step), so calls must not overlap.
        self._lock = threading.Lock()

    @classmethod
    def from_pipeline(
        cls,
        pipe: Any,
        config: ModelConfig,
        device: str | None = None,
        max_images_per_call: int = 16,
    ) -> Engine:
        """An engine around an already-built pipeline (nothing is loaded from `config.path`).

        For checks and benchmarks that build real-size random-weight modules in memory. The pipeline is
        used as given: its device placement, eval mode and VAE settings are the caller's, and so is
        its speed mode (models.speed.accelerate, whose attention choice each call then runs under).
        """
        engine = cls.__new__(cls)
        engine._attach(pipe, config, device, max_images_per_call)
        return engine

    @property
    def model_name(self) -> str:
        return self.config.name

    def default_settings(self) -> RenderSettings:
        """The model's configured settings, for jobs that name none."""
        c = self.config
        return RenderSettings(model=c.name, width=c.width, height=c.height, steps=c.steps, guidance=c.guidance)

    def output_size(self, settings: RenderSettings) -> tuple[int, int]:
        """The (width, height) of the images these settings render (HiDream picks its own size)."""
        return self.family.output_size(settings.width, settings.height)

    def validate(self, item: RenderItem) -> None:
        """Raise ValueError when this engine cannot render the item."""
        settings = item.settings
        if settings.model != self.model_name:
            raise ValueError(
                f"job {item.job_id} is for model {settings.model!r}, this engine holds {self.model_name!r}"
            )
        self.family.check_settings(settings.width, settings.height, settings.steps, settings.guidance)
        if item.num_images < 1:
            raise ValueError(f"num_images must be at least 1, got {item.num_images}")
        if not 0 <= item.seed <= _SEED_LIMIT - item.num_images:
            raise ValueError(f"seed must be between 0 and {_SEED_LIMIT - item.num_images}, got {item.seed}")

    def render(
        self,
        items: list[RenderItem],
        on_step: StepCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> dict[str, list[np.ndarray]]:
        """Render every item; returns job id -> its images (HxWx3 uint8) in seed order.

        Items with different settings are never mixed in one pipeline call. `on_step(job_ids, step,
        total)` reports progress of the call holding those jobs. `should_stop(job_ids)` is asked before
        the call and after each step, and decides for the whole call (say, True once all its jobs are
        cancelled): the call is interrupted and none of its jobs appear in the result.
        """
        seen: set[str] = set()
        for item in items:
            if item.job_id in seen:
                raise ValueError(f"job {item.job_id} appears twice in one batch")
            seen.add(item.job_id)
            self.validate(item)

        groups: dict[RenderSettings, list[RenderItem]] = {}
        for item in items:
            groups.setdefault(item.settings, []).append(item)

        images: dict[str, list[np.ndarray]] = {item.job_id: [] for item in items}
        dropped: set[str] = set()
        with self._lock, torch.inference_mode():
            for settings, group in groups.items():
                for planned in self._plan_calls(group):
                    # A job too big for one call that was stopped in an earlier call is left out anyway.
                    call = [part for part in planned if part.item.job_id not in dropped]
                    if not call:
                        continue
                    rendered = self._run_call(settings, call, on_step, should_stop)
                    if rendered is None:
                        dropped.update(part.item.job_id for part in call)
                        continue
                    offset = 0
                    for part in call:
                        images[part.item.job_id].extend(rendered[offset : offset + part.count])
                        offset += part.count
        return {job_id: job_images for job_id, job_images in images.items() if job_id not in dropped}

    def _plan_calls(self, group: list[RenderItem]) -> Iterator[list[_Slice]]:
        """Pack a group's jobs into calls of at most max_images_per_call images.

        A job is split across calls only when it alone exceeds the limit, so a job's progress and
        cancellation usually follow a single call.
        """
        limit = self.max_images_per_call
        call: list[_Slice] = []
        size = 0
        for item in group:
            for start in range(0, item.num_images, limit):
                count = min(limit, item.num_images - start)
                if size + count > limit:
                    yield call
                    call, size = [], 0
                call.append(_Slice(item, start, count))
                size += count
        if call:
            yield call

    def _run_call(
        self,
        settings: RenderSettings,
        call: list[_Slice],
        on_step: StepCallback | None,
        should_stop: StopCheck | None,
    ) -> list[np.ndarray] | None:
        """One pipeline call; the images in call order, or None when it was stopped."""
        job_ids = list(dict.fromkeys(part.item.job_id for part in call))
        # Jobs cancelled while they waited cost nothing.
        if should_stop is not None and should_stop(job_ids):
            return None
        prompts = [part.item.prompt for part in call for _ in range(part.count)]
        acceleration = call_acceleration(self.pipe)
        # One generator per image, seeded from its job: its starting noise, and so its pixels, are the
        # same whether the job runs alone or beside others.
        generators = [
            torch.Generator(self.device).manual_seed(part.item.seed + part.start + k)
            for part in call
            for k in range(part.count)
        ]
        stopped = False

        def step_end(pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
            nonlocal stopped
            acceleration.step_begin()
            if on_step is not None:
                on_step(job_ids, step + 1, settings.steps)
            if should_stop is not None and should_stop(job_ids):
                # diffusers' cooperative cancel: the remaining steps are skipped (the VAE still decodes
                # the unfinished latents, a fraction of a second on a GPU, and we discard them).
                pipe._interrupt = True
                stopped = True
            return {}

        with acceleration.context():
            acceleration.step_begin()
            output = self.pipe(
                **self._prompt_arguments(prompts, settings.guidance),
                width=settings.width,
                height=settings.height,
                num_inference_steps=settings.steps,
                guidance_scale=settings.guidance,
                num_images_per_prompt=1,
                generator=generators,
                max_sequence_length=self.config.max_sequence_length,
                output_type="pt",
                callback_on_step_end=step_end,
            )
        if stopped:
            return None
        # Floats in [0, 1] to bytes where they are (on the GPU, a quarter of the data then crosses to
        # the host; on a CPU, torch's threads beat numpy's single-threaded passes). Rounded as
        # diffusers' own PIL conversion does.
        pixels = (output.images.clamp(0, 1) * 255).round_().to(torch.uint8).permute(0, 2, 3, 1)
        return list(pixels.contiguous().cpu().numpy())

    def _prompt_arguments(self, prompts: list[str], guidance: float) -> dict[str, Any]:
        """The call's prompt arguments: each distinct prompt's embeddings once encoded, or the prompts."""
        encode = self.family.encode
        if not self.encode_once or encode is None:
            return {"prompt": prompts}
        position = {prompt: i for i, prompt in enumerate(dict.fromkeys(prompts))}
        return encode(self.pipe, list(position), [position[p] for p in prompts], guidance,
                      self.config.max_sequence_length)
