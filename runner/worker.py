"""The runner's core: one resident pipeline, batches split by compatible settings, progress and
cancellation per job. Imported only inside the runner service (it pulls in torch)."""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections import defaultdict
from pathlib import Path

from runner.schemas import (
    JobProgress,
    ModelInfo,
    RefusedStyleInfo,
    RenderRequest,
    RenderResult,
    RunnerHealth,
    StyleInfo,
)
from settings import Settings

log = logging.getLogger(__name__)


def load_styles(pipe, family: str, settings: Settings):  # noqa: ANN001, ANN201
    """Every brand style for this model's family, loaded once; the bad ones refused now."""
    from loras.adapters import AdapterSet
    from loras.registry import discover

    styles, refused = discover(settings.resolved_styles_dir, family)
    adapters = AdapterSet(pipe)
    refused += adapters.load(styles)
    log.info("styles ready: %s; refused: %s", sorted(adapters.styles) or "none",
             [f"{r.directory} ({r.reason})" for r in refused] or "none")
    return adapters, refused


def load_model_config(settings: Settings):  # noqa: ANN201  (models.family.ModelConfig)
    """The configured model, or the demo model (built on first use) when none is configured."""
    from models import get_family
    from models.demo import ensure_demo_model

    if not settings.model_dir:
        return ensure_demo_model(settings.data_dir)
    path = Path(settings.model_dir)
    return get_family(settings.model_family).model_config(name=settings.model_name or path.name, path=path)


class RunnerCore:
    def __init__(self, settings: Settings) -> None:
        import torch

        from models.engine import Engine

        self.config = load_model_config(settings)
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        per_call = settings.max_images_per_call or (16 if self.device == "cuda" else 4)
        self.engine = Engine(self.config, device=self.device, max_images_per_call=per_call)
        self.adapters, self.refused = load_styles(self.engine.pipe, self.config.family, settings)
        # One pipeline call at a time: the GPU is the shared resource.
        self._gpu = threading.Lock()
        self._progress: dict[str, tuple[int, int]] = {}
        self._cancelled: set[str] = set()
        self._state = threading.Lock()
        log.info("runner ready: %s on %s", self.config.name, self.device)

    def model_info(self) -> ModelInfo:
        c = self.config
        return ModelInfo(
            name=c.name, family=c.family, demo=c.is_demo, default_steps=c.steps,
            default_guidance=c.guidance, default_width=c.width, default_height=c.height,
        )

    def health(self) -> RunnerHealth:
        styles = [
            StyleInfo(name=s.name, family=s.manifest.family, description=s.manifest.description,
                      trigger_words=s.manifest.trigger_words, default_weight=s.manifest.default_weight)
            for s in self.adapters.styles.values()
        ]
        refused = [RefusedStyleInfo(directory=r.directory, reason=r.reason) for r in self.refused]
        return RunnerHealth(ready=True, device=self.device, models=[self.model_info()], styles=styles,
                            refused_styles=refused)

    def cancel(self, job_id: str) -> None:
        with self._state:
            self._cancelled.add(job_id)

    def progress(self, job_ids: list[str]) -> list[JobProgress]:
        with self._state:
            return [
                JobProgress(job_id=j, step=self._progress[j][0], total=self._progress[j][1])
                for j in job_ids
                if j in self._progress
            ]

    def render(self, requests: list[RenderRequest]) -> list[RenderResult]:
        """Run a batch: one pipeline call per group of compatible requests, never mixed."""
        from models.engine import RenderItem, RenderSettings

        groups: dict[tuple[RenderSettings, str | None, float], list[RenderRequest]] = defaultdict(list)
        for r in requests:
            key = RenderSettings(model=r.model, width=r.width, height=r.height, steps=r.steps, guidance=r.guidance)
            groups[(key, r.style, r.style_weight)].append(r)
        results: dict[str, RenderResult] = {}
        for (key, style, weight), group in self._fewest_switches(groups):
            manifest = self.adapters.styles[style].manifest if style in self.adapters.styles else None
            items = [RenderItem(job_id=r.job_id, prompt=manifest.prompt_for(r.prompt) if manifest else r.prompt,
                                seed=r.seed, num_images=r.num_images, settings=key) for r in group]
            results.update(self._render_group(key, items, batch_jobs=len(requests), style=(style, weight)))
        return [results[r.job_id] for r in requests]

    def _fewest_switches(self, groups: dict) -> list:  # noqa: ANN001
        """Groups of one style next to each other, the style already active first."""
        active = self.adapters.active
        return sorted(groups.items(), key=lambda g: ((g[0][1], g[0][2]) != active, g[0][1] or "", g[0][2]))

    def _render_group(self, key, items, batch_jobs: int, style: tuple[str | None, float] = (None, 0.0)) -> dict[str, RenderResult]:  # noqa: ANN001,E501
        ids = [i.job_id for i in items]
        with self._state:
            live = [j for j in ids if j not in self._cancelled]
            for j in ids:
                self._progress[j] = (0, key.steps)
        try:
            if not live:
                return {j: RenderResult(job_id=j, cancelled=True) for j in ids}
            with self._gpu:
                if style[0] is not None and style[0] not in self.adapters.styles:
                    raise ValueError(f"unknown style {style[0]!r}")
                self.adapters.activate(*style)
                started = time.perf_counter()
                images = self.engine.render(
                    [i for i in items if i.job_id in live], on_step=self._on_step, should_stop=self._should_stop
                )
                pipeline_ms = (time.perf_counter() - started) * 1000
        except Exception as exc:
            log.exception("pipeline call failed for jobs %s", ids)
            return {j: RenderResult(job_id=j, error=f"{type(exc).__name__}: {exc}") for j in ids}
        finally:
            with self._state:
                for j in ids:
                    self._progress.pop(j, None)
                    self._cancelled.discard(j)
        out: dict[str, RenderResult] = {}
        for j in ids:
            arrays = images.get(j)
            if arrays is None:
                out[j] = RenderResult(job_id=j, cancelled=True)
                continue
            h, w = arrays[0].shape[:2]
            out[j] = RenderResult(
                job_id=j,
                images=[base64.b64encode(a.tobytes()).decode("ascii") for a in arrays],
                width=w, height=h, pipeline_ms=pipeline_ms, batch_jobs=batch_jobs,
            )
        return out

    def _on_step(self, job_ids: list[str], step: int, total: int) -> None:
        with self._state:
            for j in job_ids:
                self._progress[j] = (step, total)

    def _should_stop(self, job_ids: list[str]) -> bool:
        with self._state:
            return all(j in self._cancelled for j in job_ids)
