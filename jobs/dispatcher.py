"""The dispatcher: takes queued jobs from the table, runs them on the runner, stores their images.

The table is the queue. The dispatcher claims a job (compare-and-set), keeps its lease alive while
the runner works, and finishes the claim it made. Several runner calls are kept in flight so
the runner's adaptive batching can merge them. A process that dies leaves its jobs `running` with a
lapsing lease; whichever dispatcher next sweeps (this one after a restart, or another replica)
queues them again, or fails them at their limit. A run lost mid-render spends an attempt; one lost
before its first step is a handoff and spends none. A job whose run was lost as the runner broke off
under it is a suspect and runs alone until it completes, so a job that crashes the runner takes down
only itself; a lapsed lease (this process died) makes no suspect. A lost run is cancelled on the
runner (it may be alive and still rendering), and a graceful stop cancels its runs there and queues
their jobs again unspent, so a redeploy is no crash.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from jobs.catalog import ModelCatalog
from jobs.images import JobImage, brand_match, image_row
from jobs.models import Job, JobStatus, utcnow
from jobs.recipes import record_recipe
from jobs.runner_client import RunnerClient, RunnerFailed, RunnerUnavailable
from jobs.store import JobStore, RetryLimits
from provenance.manifest import ImageFacts
from provenance.signer import ContentSigner
from runner.schemas import RenderRequest, RenderResult
from settings import Settings
from storage import THUMBNAIL_WIDTHS, ImageStore, image_key, thumbnail_key
from storage.errors import StorageUnavailable
from storage.png import thumbnail_webp

log = logging.getLogger(__name__)

CATALOG_REFRESH_SECONDS = 10.0
GENERIC_FAILURE = "Generation failed. The details are in the server log."
STORAGE_FAILED_REASON = (
    "The images were made {n} times but could not be stored (image storage unavailable); not retried again."
)


class Dispatcher:
    def __init__(
        self,
        store: JobStore,
        runner: RunnerClient,
        images: ImageStore,
        catalog: ModelCatalog,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        signer: ContentSigner | None = None,
    ) -> None:
        self.store = store
        self.runner = runner
        self.images = images
        self.catalog = catalog
        self.settings = settings
        self.clock = clock
        # Content credentials: made from the settings at start, where a wrong key or certificate
        # stops the service naming the setting (provenance/config.py).
        self.credentials = signer if signer is not None else ContentSigner.from_settings(settings)
        self.inflight: dict[str, int] = {}  # job id -> the claim this dispatcher runs
        # The furthest step the runner reported for each job in flight: whether a lost run spends
        # an attempt. Kept here, so a missed progress poll never writes step 0 over it.
        self._steps: dict[str, tuple[int, int]] = {}
        self._alone: str | None = None  # a suspect in flight: nothing else is sent meanwhile
        self.limits = RetryLimits(settings.max_attempts, settings.max_handoffs)
        self._tasks: set[asyncio.Task] = set()
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner_back_at = 0.0
        self._stopping = False
        # How long one cancel may wait for the runner: a shutdown must end if the runner is down.
        self.runner_cancel_seconds = 2.0
        self.runner_poll_seconds = 2.0
        # Thumbnails (WebP encoding releases the GIL) and storage writes: a job's images at once.
        self._encoders = ThreadPoolExecutor(max_workers=4, thread_name_prefix="store")
        # The first pause between storage write retries (doubling, with jitter, up to 8 s).
        self.storage_retry_initial_seconds = 0.5

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self.recover()
        for coro in (self._dispatch_loop(), self._watch_loop(), self._catalog_loop()):
            self._spawn(coro)

    async def stop(self) -> None:
        self._stopping = True
        held = dict(self.inflight)  # the claims this process runs: handed back below
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            # Bounded: a shutdown must end even if some await swallowed its cancellation.
            _, pending = await asyncio.wait(list(self._tasks), timeout=10)
            if pending:
                log.warning("%d dispatcher tasks did not stop in time", len(pending))
        if held:
            await self._hand_back(held)
        self._encoders.shutdown(wait=False, cancel_futures=True)

    async def _hand_back(self, held: dict[str, int]) -> None:
        """A graceful stop: tell the runner to drop our runs (each cancel bounded, all at once: it
        may be down), then queue the jobs again unspent. A redeploy then costs a job nothing, makes
        no suspect, and the next process need not wait for leases to lapse. A run that finished
        meanwhile keeps its result: the give-back names the claim and is refused."""
        await asyncio.gather(*(self._cancel_on_runner(job_id, claim) for job_id, claim in held.items()))
        try:
            returned = await asyncio.to_thread(
                lambda: [job_id for job_id, claim in held.items() if self.store.give_back(job_id, claim)]
            )
        except Exception:
            log.exception("could not queue the jobs in flight again at shutdown; their leases will lapse")
            return
        if returned:
            log.info("stopping: queued again, unspent, %s", returned)

    def _spawn(self, coro) -> asyncio.Task:  # noqa: ANN001
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def notify(self) -> None:
        """Wake the dispatcher; safe from any thread (routes run in a thread pool)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def cancel_running(self, job_id: str) -> None:
        """Ask the runner to stop the run of a job this dispatcher has in flight; safe from any
        thread, best effort. The cancel names the claim, so it can only stop that run."""
        claim = self.inflight.get(job_id)
        if self._loop is not None and claim is not None:
            asyncio.run_coroutine_threadsafe(self._cancel_on_runner(job_id, claim), self._loop)

    async def _cancel_on_runner(self, job_id: str, claim: int) -> None:
        """Best effort and bounded in time: the runner may be down or hung."""
        try:
            async with asyncio.timeout(self.runner_cancel_seconds):
                await self.runner.cancel(job_id, claim)
        except (RunnerUnavailable, RunnerFailed, TimeoutError) as exc:
            log.info("could not tell the runner to stop job %s claim %d: %r", job_id, claim, exc)

    async def recover(self) -> None:
        found = await asyncio.to_thread(
            self.store.recover_stale, self.clock(), self.settings.lease_seconds, self.limits, set(self.inflight)
        )
        if found.requeued or found.failed:
            log.warning("recovered interrupted jobs: requeued %s, failed %s", found.requeued, found.failed)
            self._wake.set()

    # -- loops --------------------------------------------------------------------------------
    async def _dispatch_loop(self) -> None:
        while not self._stopping:
            try:
                await self._fill()
            except Exception:
                log.exception("dispatcher pass failed")
            self._wake.clear()
            try:
                # Also look again now and then: another replica or a recovery may have queued work.
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
                # that lands as the wait ends, and this loop then never stopped (a hung shutdown).
                async with asyncio.timeout(1.0):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _fill(self) -> None:
        if time.monotonic() < self._runner_back_at or self._alone is not None:
            return
        free = self.settings.runner_concurrency - len(self.inflight)
        if free <= 0:
            return
        for job_id, suspect in await asyncio.to_thread(self.store.queued_heads, free):
            if job_id in self.inflight:
                continue  # an older run of it is still winding down here: never two at once
            if suspect and self.inflight:
                break  # it runs alone once the calls in flight end; first in line, so not starved
            job = await asyncio.to_thread(self.store.claim, job_id, self.clock())
            if job is None:
                continue  # another dispatcher took it, or it was cancelled meanwhile
            self.inflight[job.id] = job.claims
            self._steps[job.id] = (0, 0)
            self._spawn(self._run(job))
            if suspect:
                self._alone = job.id
                break

    async def _watch_loop(self) -> None:
        """Renew leases and copy progress from the runner; sweep for stale jobs now and then."""
        last_sweep = time.monotonic()
        interval = min(self.settings.progress_interval_seconds, self.settings.lease_seconds / 4)
        while not self._stopping:
            await asyncio.sleep(interval)
            try:
                await self._heartbeat()
                if time.monotonic() - last_sweep > self.settings.lease_seconds / 3:
                    last_sweep = time.monotonic()
                    await self.recover()
            except Exception:
                log.exception("dispatcher watch pass failed")

    async def _catalog_loop(self) -> None:
        """Learn what models the runner serves; retry until it answers, then refresh every
        `CATALOG_REFRESH_SECONDS` (a cheap call; /health reports a runner from its last answer)."""
        while not self._stopping:
            try:
                health = await self.runner.health()
                # In a thread: a style's new adapter file is numbered in the database.
                await asyncio.to_thread(self.catalog.observe, health)
                await asyncio.sleep(CATALOG_REFRESH_SECONDS)
            except (RunnerUnavailable, RunnerFailed) as exc:
                log.info("runner not ready yet: %s", exc)
                await asyncio.sleep(1)

    async def _heartbeat(self) -> None:
        if not self.inflight:
            return
        try:
            # Bounded: a runner that stopped accepting (shutting down) must not hold up the leases.
            async with asyncio.timeout(self.runner_poll_seconds):
                polled = await self.runner.progress(list(self.inflight))
            for p in polled:
                # Only our own run's progress: an older run of the job may still be on the runner.
                if self.inflight.get(p.job_id) == p.claim and p.step >= self._steps.get(p.job_id, (0, 0))[0]:
                    self._steps[p.job_id] = (p.step, p.total)
        except (RunnerUnavailable, RunnerFailed, TimeoutError):
            pass  # the lease is about this process being alive; progress can wait
        inflight = dict(self.inflight)
        beats = {job_id: (claim, *self._steps.get(job_id, (0, 0))) for job_id, claim in inflight.items()}
        # One transaction for every job in flight: with a full batch running, a commit per job
        # twice a second took CPU from the pipeline on a small machine.
        for job_id in await asyncio.to_thread(self.store.heartbeat_many, beats, self.clock()):
            await self._cancel_on_runner(job_id, inflight[job_id])

    # -- one job ------------------------------------------------------------------------------
    async def _run(self, job: Job) -> None:
        claim = job.claims
        request = RenderRequest(
            job_id=job.id,
            claim=claim,
            prompt=job.prompt,
            seed=job.seed,
            num_images=job.num_images,
            model=job.model,
            width=job.width,
            height=job.height,
            steps=job.steps,
            guidance=job.guidance,
            style=job.style,
            style_weight=job.style_weight if job.style_weight is not None else 1.0,
        )
        try:
            started = time.perf_counter()
            result = await self.runner.render(request)
            returned = time.perf_counter()
            await self._finish(job, claim, result)
            log.info(
                "job %s claim %d: runner call %.0f ms (pipeline %.0f ms, %d jobs in its batch), "
                "images stored in %.0f ms", job.id, claim, (returned - started) * 1000, result.pipeline_ms,
                result.batch_jobs, (time.perf_counter() - returned) * 1000,
            )
        except RunnerUnavailable as exc:
            log.info("runner unavailable for job %s (%s); queued again", job.id, exc)
            self._runner_back_at = time.monotonic() + self.settings.runner_retry_seconds
            await asyncio.to_thread(self.store.give_back, job.id, claim)
        except RunnerFailed as exc:
            self._runner_back_at = time.monotonic() + self.settings.runner_retry_seconds
            await self._lost(job.id, claim, f"runner broke off: {exc}", runner_broke=True)
        except Exception:
            log.exception("job %s claim %d failed in the dispatcher", job.id, claim)
            await asyncio.to_thread(self.store.fail, job.id, claim, self.clock(), GENERIC_FAILURE)
        finally:
            # Only our own entries: a newer run of the job may have taken them meanwhile.
            if self.inflight.get(job.id) == claim:
                del self.inflight[job.id]
                self._steps.pop(job.id, None)
            if self._alone == job.id:
                self._alone = None
            self._wake.set()

    async def _lost(self, job_id: str, claim: int, why: str, *, runner_broke: bool = False) -> None:
        """The run ended with no images: it spends an attempt only if it got past step 0.

        `runner_broke`: the call broke off (RunnerFailed). The runner may have crashed under the job
        (so it becomes a suspect), or only the connection broke while the runner, alive, still
        renders it: the run is cancelled there before the job can be claimed again."""
        step = self._steps.get(job_id, (0, 0))[0]
        if runner_broke:
            await self._cancel_on_runner(job_id, claim)
        outcome = await asyncio.to_thread(
            self.store.lose, job_id, claim, self.clock(), rendered=step > 0, limits=self.limits,
            suspect=runner_broke,
        )
        log.warning("job %s claim %d lost at step %d (%s): now %s", job_id, claim, step, why, outcome or "not ours")

    async def _finish(self, job: Job, claim: int, result: RenderResult) -> None:
        if result.cancelled:
            # Believe it only if the ledger agrees: a stray cancel (meant for an older run) must not
            # leave the job `running` with nothing running. Otherwise the run is lost, unspent.
            row = await asyncio.to_thread(self.store.get, job.id)
            if row is not None and row.status == JobStatus.running and row.claims == claim:
                self._steps[job.id] = (0, 0)
                await self._lost(job.id, claim, "the runner answered cancelled, the ledger did not")
            return
        if result.error is not None:
            log.error("runner failed job %s: %s", job.id, result.error)
            await asyncio.to_thread(self.store.fail, job.id, claim, self.clock(), GENERIC_FAILURE)
            return
        if len(result.images) != job.num_images:
            raise RuntimeError(f"runner returned {len(result.images)} images, expected {job.num_images}")
        if self.inflight.get(job.id) == claim:
            # Every step is done, whether or not a progress poll caught one (a short run can end
            # between polls): the next heartbeat shows the job rendering while its images are
            # stored, never waiting for the GPU (jobs/standing.py).
            self._steps[job.id] = (job.steps, job.steps)
        # The recipe first: the images' content credentials name the model and style versions it found.
        recipe, style_version = await asyncio.to_thread(record_recipe, self.catalog, job, result)
        # The model's fingerprint only where a recipe was recorded: what the recipe itself names.
        fingerprint = result.rendered_with.model_fingerprint if recipe and result.rendered_with else None
        facts = self._image_facts(job, fingerprint, style_version)
        palette = self.catalog.palette(job.style)  # None without a style or a palette
        loop = asyncio.get_running_loop()
        # Every write ends before the outcome is decided: none may land after the job was queued
        # again or failed (it would leave files that nothing points to).
        stored = await asyncio.gather(
            *(loop.run_in_executor(self._encoders, self._store_image, job.id, i, data, job.seed + i, facts, palette)
              for i, data in enumerate(result.images)),
            return_exceptions=True,
        )
        if errors := [e for e in stored if isinstance(e, BaseException)]:
            exc = errors[0]
            if not isinstance(exc, StorageUnavailable):
                raise exc
            # Retried with backoff and still down: the images are lost with this run. The job is
            # queued again (an attempt spent: it rendered), or fails at its limit saying why.
            outcome = await asyncio.to_thread(
                self.store.lose, job.id, claim, self.clock(), rendered=True, limits=self.limits,
                failed_reason=STORAGE_FAILED_REASON,
            )
            log.error("job %s claim %d: could not store its images (%r); now %s", job.id, claim, exc,
                      outcome or "not ours")
            return
        # The image rows in the completion's transaction: no job is ever complete without them.
        done = await asyncio.to_thread(
            self.store.complete, job.id, claim, self.clock(), len(result.images), result.pipeline_ms,
            (result.width, result.height), recipe=recipe, style_version=style_version, rows=stored,
        )
        if not done:
            # Cancelled or deleted while it ran: leave nothing behind.
            await asyncio.to_thread(self._drop_images_if_gone, job.id)

    def _image_facts(self, job: Job, fingerprint: str | None, style_version: int | None) -> ImageFacts:
        """What the images' manifests state: the prompt and creator only where the settings say so."""
        return ImageFacts(
            model=job.model, model_version=fingerprint, style=job.style,
            style_version=style_version if style_version is not None else job.style_version,
            prompt=job.prompt if self.settings.c2pa_include_prompt else None,
            creator=job.owner_name if self.settings.c2pa_include_creator else None,
        )

    def _store_image(self, job_id: str, index: int, data: str, seed: int, facts: ImageFacts,
                     palette: list[str] | None) -> JobImage:
        """One image, signed, and its thumbnails, each write retried with backoff while storage is
        down; returns its row (what its credentials say, its brand match).

        Signed here, in the encoder pool, not on the runner: the GPU never waits for it. A signing
        failure fails the job rather than store the image unsigned. The thumbnails are made here,
        once, because a link to Blob Storage never reaches this service: nothing could make them
        later, on the first request, as the local store once did."""
        png = base64.b64decode(data)
        stored, credentials = png, None
        if self.credentials.signing:
            stored = self.credentials.sign(png, facts, self.clock())
            credentials = self.credentials.read(stored)
        self._put(image_key(job_id, index), stored)
        # From the unsigned bytes: signing adds a chunk to the PNG and leaves its pixels as they were.
        for width in THUMBNAIL_WIDTHS:
            self._put(thumbnail_key(job_id, index, width), thumbnail_webp(png, width))
        return image_row(job_id, index, seed, credentials, brand_match(png, palette))

    def _put(self, key: str, data: bytes) -> None:
        for attempt in Retrying(
            retry=retry_if_exception_type(StorageUnavailable),
            stop=stop_after_attempt(self.settings.storage_write_attempts),
            wait=wait_exponential_jitter(multiplier=self.storage_retry_initial_seconds, max=8.0),
            before_sleep=lambda state: log.warning(
                "storing %s failed (%r); try %d of %d", key, state.outcome.exception(), state.attempt_number,
                self.settings.storage_write_attempts),
            reraise=True,
        ):
            with attempt:
                self.images.put(key, data)

    def _drop_images_if_gone(self, job_id: str) -> None:
        # Only when nobody will complete the job any more: if it is running, a newer attempt owns
        # the same image keys and may be writing them now.
        job = self.store.get(job_id)
        if job is None or job.status in (JobStatus.cancelled, JobStatus.failed):
            self.images.delete_job(job_id)
