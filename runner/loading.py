"""What the runner holds: the configured models (or the demo), each with its brand styles."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from settings import ModelEntry, Settings

log = logging.getLogger(__name__)

# The warm-up's prompt and steps: what it renders is thrown away; only the shapes matter to the compiler.
WARM_UP_PROMPT = "warm-up"
WARM_UP_STEPS = 2


@dataclass
class LoadedModel:
    engine: Any  # models.engine.Engine
    adapters: Any  # loras.adapters.AdapterSet
    refused: list  # loras.registry.RefusedStyle
    acceleration: Any = None  # models.speed.Acceleration

    @property
    def config(self) -> Any:
        return self.engine.config


def model_entries(settings: Settings) -> list[ModelEntry]:
    """BAG_MODELS if set, else BAG_MODEL_DIR, else the FLUX demo; the default model first."""
    if settings.models:
        entries = list(settings.models)
    elif settings.model_dir:
        entries = [ModelEntry(name=settings.model_name or None, family=settings.model_family, path=settings.model_dir)]
    else:
        entries = [ModelEntry(family="flux", demo=True)]
    default = settings.default_model
    if default:
        names = [e.resolved_name for e in entries]
        if default not in names:
            raise ValueError(f"BAG_DEFAULT_MODEL {default!r} is none of the configured models: {', '.join(names)}")
        entries.sort(key=lambda e: e.resolved_name != default)
    return entries


def model_config(entry: ModelEntry, settings: Settings) -> Any:
    from models import get_family
    from models.demo import ensure_demo_model

    if entry.demo:
        return ensure_demo_model(settings.data_dir, entry.family)
    return get_family(entry.family).model_config(entry.resolved_name, Path(entry.path), entry.preset)


def load_models(settings: Settings, device: str) -> dict[str, LoadedModel]:
    from loras.adapters import AdapterSet
    from loras.hotswap import HotswapAdapterSet
    from loras.registry import discover
    from models.engine import Engine
    from models.placement import apply_placement

    per_call = settings.max_images_per_call or (16 if device == "cuda" else 4)
    speed_mode = settings.resolved_speed_mode(device)
    # The old whole-transformer compile applies only where no speed mode does (it supersedes it).
    whole = settings.compile_transformer and speed_mode == "off"
    if settings.compile_transformer and not whole:
        log.info("BAG_COMPILE_TRANSFORMER is superseded by speed mode %s, which compiles the repeated blocks",
                 speed_mode)
    compiled = speed_mode != "off" or whole
    loaded: dict[str, LoadedModel] = {}
    for entry in model_entries(settings):
        config = model_config(entry, settings)
        if config.name in loaded:
            raise ValueError(f"two configured models are both named {config.name!r}")
        engine = Engine(config, device=device, max_images_per_call=per_call, memory_mode=settings.memory_mode)
        styles, refused = discover(settings.resolved_styles_dir, config.family)
        # A compiled transformer must not change shape, so its styles share one hotswapped slot.
        adapters = HotswapAdapterSet(engine.pipe) if compiled else AdapterSet(engine.pipe)
        refused += adapters.load(styles)
        apply_placement(engine.pipe, settings.memory_mode, device)
        acceleration = _accelerate(engine, settings, speed_mode, device)
        if whole:
            import torch

            engine.pipe.transformer = torch.compile(engine.pipe.transformer, backend=settings.compile_backend)
        if compiled:
            seconds = warm_up(engine)
            if acceleration is not None:
                acceleration.compile_seconds = seconds
            log.info("model %s warmed up (compiled) in %.1f s", config.name, seconds)
        log.info("model %s (%s) on %s; styles %s; refused %s; %s", config.name, config.family, device,
                 sorted(adapters.styles) or "none", [f"{r.directory}: {r.reason}" for r in refused] or "none",
                 acceleration or "speed mode off")
        loaded[config.name] = LoadedModel(engine, adapters, refused, acceleration)
    return loaded


def _accelerate(engine: Any, settings: Settings, speed_mode: str, device: str) -> Any:
    if speed_mode == "off":
        return None
    from models.speed import accelerate

    return accelerate(engine.pipe, engine.config.family, speed_mode, device,
                      cache_dir=settings.resolved_compile_cache_dir, cuda_graphs=settings.cuda_graphs,
                      backend=settings.compile_backend)


def warm_up(engine: Any) -> float:
    """Render at the model's default size so the first user job does not pay the compile; its seconds.

    Two calls, of one image and of two: after a second batch size the compiler makes the batch
    dimension dynamic, so calls of any number of images reuse the compiled graphs. Another image size
    compiles once more, on its first job.
    """
    from dataclasses import replace

    from models.engine import RenderItem

    settings = replace(engine.default_settings(), steps=WARM_UP_STEPS)
    started = time.perf_counter()
    for images in (1, 2):
        engine.render([RenderItem(f"warm-up-{images}", WARM_UP_PROMPT, 0, images, settings)])
    return time.perf_counter() - started
