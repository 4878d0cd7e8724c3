"""The runner's core: one resident pipeline, batches split by compatible settings, progress and
cancellation per job. Imported only inside the runner service (it pulls in torch)."""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections import OrderedDict, defaultdict

from runner.loading import LoadedModel, load_models
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

# A cancel may overtake its run in BentoML's batching queue, or come after the run ended, so it is
# remembered apart from the runs; bounded (oldest forgotten first), so late ones never pile up.
# An OrderedDict, not cachetools: five lines do not justify a dependency for the runner image.
MAX_REMEMBERED_CANCELS = 4096


def run_key(job_id: str, claim: int) -> str:
    """One run of a job: a job may be claimed again while an older run is still here."""
    return f"{job_id}/{claim}"


def _split(key: str) -> tuple[str, int]:
    job_id, claim = key.rsplit("/", 1)
    return job_id, int(claim)


class RunnerCore:
    def __init__(self, settings: Settings) -> None:
        import torch

        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.models = load_models(settings, self.device)
        # One pipeline call at a time: the GPU is the shared resource.
        self._gpu = threading.Lock()
        # Both keyed by run_key(job_id, claim).
        self._progress: dict[str, tuple[int, int]] = {}
        self._cancelled: OrderedDict[str, None] = OrderedDict()
        self._state = threading.Lock()
        log.info("runner ready: %s on %s", ", ".join(self.models), self.device)

    def health(self) -> RunnerHealth:
        """What the runner serves; the default model first."""
        models, styles, refused = [], {}, []
        for loaded in self.models.values():
            c = loaded.config
            models.append(ModelInfo(name=c.name, family=c.family, demo=c.is_demo, default_steps=c.steps,
                                    default_guidance=c.guidance, default_width=c.width, default_height=c.height))
            for s in loaded.adapters.styles.values():
                styles[s.name] = StyleInfo(name=s.name, family=s.manifest.family, description=s.manifest.description,
                                           trigger_words=s.manifest.trigger_words,
                                           default_weight=s.manifest.default_weight)
            refused += [RefusedStyleInfo(directory=r.directory, reason=r.reason) for r in loaded.refused]
        return RunnerHealth(ready=True, device=self.device, models=models, styles=list(styles.values()),
                            refused_styles=refused)

    def cancel(self, job_id: str, claim: int) -> None:
        with self._state:
            self._cancelled[run_key(job_id, claim)] = None
            while len(self._cancelled) > MAX_REMEMBERED_CANCELS:
                self._cancelled.popitem(last=False)

    def progress(self, job_ids: list[str]) -> list[JobProgress]:
        """Progress of every run of these jobs that is here (callers pick their own claim)."""
        wanted = set(job_ids)
        with self._state:
            runs = [(*_split(key), step, total) for key, (step, total) in self._progress.items()]
        return [JobProgress(job_id=j, claim=c, step=s, total=t) for j, c, s, t in runs if j in wanted]

    def render(self, requests: list[RenderRequest]) -> list[RenderResult]:
        """Run a batch: one pipeline call per group of compatible requests, never mixed."""
        from models.engine import RenderItem, RenderSettings

        groups: dict[tuple[RenderSettings, str | None, float], list[RenderRequest]] = defaultdict(list)
        for r in requests:
            key = RenderSettings(model=r.model, width=r.width, height=r.height, steps=r.steps, guidance=r.guidance)
            groups[(key, r.style, r.style_weight)].append(r)
        results: dict[str, RenderResult] = {}
        for (key, style, weight), group in self._fewest_switches(groups):
            loaded = self.models.get(key.model)
            if loaded is None:
                unknown = f"unknown model {key.model!r}"
                results.update({run_key(r.job_id, r.claim): RenderResult(job_id=r.job_id, error=unknown) for r in group})
                continue
            manifest = loaded.adapters.styles[style].manifest if style in loaded.adapters.styles else None
            items = [RenderItem(job_id=run_key(r.job_id, r.claim),
                                prompt=manifest.prompt_for(r.prompt) if manifest else r.prompt,
                                seed=r.seed, num_images=r.num_images, settings=key) for r in group]
            results.update(self._render_group(loaded, key, items, len(requests), (style, weight)))
        return [results[run_key(r.job_id, r.claim)].model_copy(update={"job_id": r.job_id, "claim": r.claim})
                for r in requests]

    def _fewest_switches(self, groups: dict) -> list:  # noqa: ANN001
        """Each model's groups together; within a model, one style's groups next to each other, the
        style already active first."""

        def order(group):  # noqa: ANN001, ANN202
            (key, style, weight), _ = group
            loaded = self.models.get(key.model)
            active = loaded.adapters.active if loaded else None
            return key.model, (style, weight) != active, style or "", weight

        return sorted(groups.items(), key=order)

    def _render_group(self, loaded: LoadedModel, key, items, batch_jobs: int,  # noqa: ANN001
                      style: tuple[str | None, float]) -> dict[str, RenderResult]:
        ids = [i.job_id for i in items]
        with self._state:
            live = [j for j in ids if j not in self._cancelled]
            for j in ids:
                self._progress[j] = (0, key.steps)
        try:
            if not live:
                return {j: RenderResult(job_id=j, cancelled=True) for j in ids}
            with self._gpu:
                if style[0] is not None and style[0] not in loaded.adapters.styles:
                    raise ValueError(f"unknown style {style[0]!r}")
                loaded.adapters.activate(*style)
                started = time.perf_counter()
                images = loaded.engine.render(
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
                    self._cancelled.pop(j, None)
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
