"""The runner's core: one resident pipeline, batches split by compatible settings, progress and
cancellation per job. Imported only inside the runner service (it pulls in torch)."""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor

from runner.board import MAX_REMEMBERED_CANCELS, MemoryBoard, make_board, run_key
from runner.fingerprints import fingerprint_models
from runner.loading import LoadedModel, load_models
from runner.schemas import (
    JobProgress,
    ModelInfo,
    RefusedStyleInfo,
    RenderedWith,
    RenderRequest,
    RenderResult,
    RunnerHealth,
    StyleInfo,
)
from settings import Settings
from storage.png import encode_png

log = logging.getLogger(__name__)

__all__ = ["MAX_REMEMBERED_CANCELS", "RunnerCore", "run_key"]


class RunnerCore:
    def __init__(self, settings: Settings, board: MemoryBoard | None = None) -> None:
        import torch

        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.models = load_models(settings, self.device)
        # Each job's recipe names these (jobs/recipes.py); cached, so a restart rereads no weights.
        self.prints = fingerprint_models(self.models, settings.data_dir, self.device, settings.memory_mode,
                                         settings.compile_transformer)
        self.png_encoder, self.png_compress_level = settings.png_encoder, settings.png_compress_level
        # One pipeline call at a time: the GPU is the shared resource.
        self._gpu = threading.Lock()
        # Progress and cancels of runs, keyed by run_key(job_id, claim): in memory on one runner,
        # shared through the database when several sit behind one address (runner/board.py).
        self.board = board or make_board(settings, self.device, list(self.models))
        # PNG encoding releases the GIL in zlib and fpng, so a job's images encode at once, and
        # off the GPU lock: the next batch starts while this one is encoded.
        self._encoders = ThreadPoolExecutor(max_workers=4, thread_name_prefix="png")
        # A stop (SIGTERM): no new work; the batches running get `drain_seconds` to finish, then
        # their runs stop at the next step and go back to the queue unspent (`not_taken`).
        self.drain_seconds = settings.runner_drain_seconds
        self._draining_since: float | None = None
        self._batches = 0
        self._idle = threading.Condition()
        log.info("runner %s ready: %s on %s", self.board.runner_id, ", ".join(self.models), self.device)

    # -- stopping --------------------------------------------------------------------------------
    def drain(self) -> None:
        """Take no new work from now on; the batches running have `drain_seconds` left."""
        if self._draining_since is None:
            self._draining_since = time.monotonic()
            log.info("runner %s stopping: no new work; running batches have %.0f s to finish",
                     self.board.runner_id, self.drain_seconds)

    @property
    def draining(self) -> bool:
        return self._draining_since is not None

    def _drain_expired(self) -> bool:
        since = self._draining_since
        return since is not None and time.monotonic() - since >= self.drain_seconds

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no batch is running; False if one still is after `timeout`."""
        with self._idle:
            return self._idle.wait_for(lambda: self._batches == 0, timeout)

    def close(self) -> None:
        self.board.close()
        self._encoders.shutdown(wait=False, cancel_futures=True)

    def health(self) -> RunnerHealth:
        """What the runner serves; the default model first."""
        models, styles, refused = [], {}, []
        for loaded in self.models.values():
            c, p = loaded.config, self.prints[loaded.config.name]
            models.append(ModelInfo(name=c.name, family=c.family, demo=c.is_demo, default_steps=c.steps,
                                    default_guidance=c.guidance, default_width=c.width, default_height=c.height,
                                    fingerprint=p.fingerprint, scheduler=p.scheduler,
                                    scheduler_config=p.scheduler_config, runtime=p.runtime))
            for s in loaded.adapters.styles.values():
                styles[s.name] = StyleInfo(name=s.name, family=s.manifest.family, description=s.manifest.description,
                                           trigger_words=s.manifest.trigger_words,
                                           default_weight=s.manifest.default_weight, palette=s.manifest.palette,
                                           fingerprint=p.styles[s.name])
            refused += [RefusedStyleInfo(directory=r.directory, reason=r.reason) for r in loaded.refused]
        return RunnerHealth(ready=True, runner_id=self.board.runner_id, runs=self.board.runs, device=self.device,
                            models=models, styles=list(styles.values()), refused_styles=refused)

    def cancel(self, job_id: str, claim: int) -> None:
        self.board.cancel(job_id, claim)

    def progress(self, job_ids: list[str]) -> list[JobProgress]:
        """Progress of every run of these jobs (on this runner, or on any with shared state)."""
        return self.board.progress(job_ids)

    def render(self, requests: list[RenderRequest]) -> list[RenderResult]:
        """Run a batch: one pipeline call per group of compatible requests, never mixed."""
        if self.draining:
            return [RenderResult(job_id=r.job_id, claim=r.claim, not_taken=True) for r in requests]
        with self._idle:
            self._batches += 1
        try:
            return self._render_batch(requests)
        finally:
            with self._idle:
                self._batches -= 1
                self._idle.notify_all()

    def _render_batch(self, requests: list[RenderRequest]) -> list[RenderResult]:
        from models.engine import RenderItem, RenderSettings

        groups: dict[tuple[RenderSettings, str | None, float], list[RenderRequest]] = defaultdict(list)
        for r in requests:
            key = RenderSettings(model=r.model, width=r.width, height=r.height, steps=r.steps, guidance=r.guidance)
            groups[(key, r.style, r.style_weight)].append(r)
        results: dict[str, RenderResult | _Encoding] = {}
        for (key, style, weight), group in self._fewest_switches(groups):
            if self._drain_expired():
                results.update({run_key(r.job_id, r.claim): RenderResult(job_id=r.job_id, not_taken=True)
                                for r in group})
                continue
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
        # The images were encoded while later groups ran; each result waits only for its own.
        done = {k: v.result() if isinstance(v, _Encoding) else v for k, v in results.items()}
        return [done[run_key(r.job_id, r.claim)].model_copy(update={"job_id": r.job_id, "claim": r.claim})
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
                      style: tuple[str | None, float]) -> dict[str, RenderResult | _Encoding]:
        ids = [i.job_id for i in items]
        live = self.board.begin(ids, key.steps)
        try:
            if not live:
                return {j: RenderResult(job_id=j, cancelled=True) for j in ids}
            with self._gpu:
                if style[0] is not None and style[0] not in loaded.adapters.styles:
                    raise ValueError(f"unknown style {style[0]!r}")
                loaded.adapters.activate(*style)
                started = time.perf_counter()
                images = loaded.engine.render(
                    [i for i in items if i.job_id in live], on_step=self.board.step,
                    should_stop=lambda keys: self._drain_expired() or self.board.should_stop(keys),
                )
                pipeline_ms = (time.perf_counter() - started) * 1000
        except Exception as exc:
            log.exception("pipeline call failed for jobs %s", ids)
            return {j: RenderResult(job_id=j, error=f"{type(exc).__name__}: {exc}") for j in ids}
        finally:
            self.board.end(ids)
        out: dict[str, RenderResult | _Encoding] = {}
        for j in ids:
            arrays = images.get(j)
            if arrays is None:
                # Stopped: by a cancel, or by the drain deadline (then it goes back to the queue).
                stopped_by_drain = self._drain_expired() and j in live
                out[j] = RenderResult(job_id=j, not_taken=True) if stopped_by_drain else RenderResult(job_id=j,
                                                                                                      cancelled=True)
                continue
            h, w = arrays[0].shape[:2]
            result = RenderResult(job_id=j, width=w, height=h, pipeline_ms=pipeline_ms, batch_jobs=batch_jobs,
                                  rendered_with=self._rendered_with(key.model, style[0]))
            out[j] = _Encoding(result, [self._encoders.submit(self._encode, a, w, h) for a in arrays])
        return out

    def _rendered_with(self, model: str, style: str | None) -> RenderedWith:
        p, styles = self.prints[model], self.models[model].adapters.styles
        manifest = styles[style].manifest if style in styles else None
        return RenderedWith(model_fingerprint=p.fingerprint, scheduler=p.scheduler, scheduler_config=p.scheduler_config,
                            runtime=p.runtime, style_fingerprint=p.styles.get(style) if style else None,
                            trigger_words=manifest.trigger_words if manifest else [])

    def _encode(self, pixels, width: int, height: int) -> str:  # noqa: ANN001
        png = encode_png(pixels.tobytes(), width, height, self.png_encoder, self.png_compress_level)
        return base64.b64encode(png).decode("ascii")


class _Encoding:
    """A result whose PNGs are still being encoded."""

    def __init__(self, result: RenderResult, images: list[Future[str]]) -> None:
        self._result, self._images = result, images

    def result(self) -> RenderResult:
        return self._result.model_copy(update={"images": [f.result() for f in self._images]})
