"""The job service: what a caller may do with jobs. It knows nothing of HTTP."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.exc import IntegrityError

from common.clock import aware, utcnow
from jobs.brand_schemas import Recipe
from jobs.cache import FinishedJobCache
from jobs.catalog import ModelCatalog
from jobs.errors import ImageNotFound, JobFinished, JobNotComplete, JobNotFound, QueueFull, RunnerNotReady
from jobs.fleet import current_runners, start_failure
from jobs.idempotency import IdempotencyKeys, fingerprint, key_row
from jobs.images import JobImage, image_facts
from jobs.images import rows_for as image_rows_of
from jobs.limits import AdmissionLimits, RateLimited, SubmitLimiter
from jobs.models import (
    GenerateRequest,
    ImagePublic,
    Job,
    JobAccepted,
    JobPage,
    JobPublic,
    JobStatus,
    Progress,
    aspect_ratio_of,
)
from jobs.reviews import JobHasApprovedImages, kept_indexes, may_read_any_job, unwithdraw, withdraw
from jobs.search import JobFilter
from jobs.standing import phase_of
from jobs.store import JobStore, Owner, is_owner
from settings import Settings
from storage import ImageStore, StorageUnavailable, download_stem, image_filename, image_key
from storage.archive import zip_stream

# Finished jobs' encoded answers kept for the poll path (a few KiB each).
ENCODED_JOBS_KEPT = 10_000


class Notifier(Protocol):
    def notify(self) -> None: ...

    def cancel_running(self, job_id: str) -> None: ...


@dataclass(frozen=True)
class Submitted:
    accepted: JobAccepted
    # True when this is the answer first given to the same Idempotency-Key: no job was made now.
    replayed: bool = False


class JobService:
    def __init__(
        self,
        store: JobStore,
        images: ImageStore,
        catalog: ModelCatalog,
        notifier: Notifier,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        limiter: SubmitLimiter | None = None,
        keys: IdempotencyKeys | None = None,
    ) -> None:
        self.store = store
        self.images = images
        self.catalog = catalog
        self.notifier = notifier
        self.settings = settings
        self.clock = clock
        self.limiter = limiter
        self.keys = keys or IdempotencyKeys(store.engine)
        # Public: a regenerate (jobs/recipes.py) is admitted under the same limits as a submission.
        self.limits = AdmissionLimits(limiter, settings.max_active_jobs_per_user, settings.max_pending_jobs)
        self.finished = FinishedJobCache(ttl_seconds=settings.finished_cache_seconds)
        # (job id, base URL, link expiry) -> the finished job as read and its JSON; reached only
        # through `finished`, so a deleted job is never answered from here, and kept only while
        # `finished` holds that same read: a review decision made on another replica shows once the
        # job is read again (within the cache's TTL, as deletes do).
        self._encoded: dict[tuple[str, str, object], tuple[Job, bytes]] = {}

    def submit(self, owner: Owner, request: GenerateRequest, idempotency_key: str | None = None) -> Submitted:
        """Accept a job. A repeat of a keyed request gets the first answer and makes no job, draws
        no rate limit and needs no room in the queue (see jobs/idempotency.py)."""
        print_ = fingerprint(request) if idempotency_key is not None else ""
        if first := self._first_answer(owner, idempotency_key, print_):
            return first
        if not self.catalog.ready:
            raise RunnerNotReady(retry_after=5, failed=self._runner_failed())
        resolved = self.catalog.resolve(request)
        job = Job(
            owner_oid=owner.oid,
            owner_tid=owner.tid,
            # Kept only for content credentials that name their creator (BAG_C2PA_INCLUDE_CREATOR).
            owner_name=getattr(owner, "name", None) if self.settings.c2pa_include_creator else None,
            prompt=request.prompt,
            model=resolved.model,
            style=resolved.style,
            style_weight=resolved.style_weight,
            width=resolved.width,
            height=resolved.height,
            num_images=request.num_images,
            steps=resolved.steps,
            guidance=resolved.guidance,
            seed=request.seed if request.seed is not None else secrets.randbelow(2**32),
            created_at=self.clock(),
        )
        accepted = JobAccepted(job_id=job.id, status=job.status, created_at=job.created_at)
        key_rows = []
        if idempotency_key is not None:
            key_rows.append(key_row(owner, idempotency_key, print_, accepted))
        try:
            # Rate, caps and insert in one transaction under the admission lock every replica
            # takes (jobs/limits.py). A refusal spends nothing, so neither a malformed request, a
            # replay, nor a request refused for room uses up the caller's allowance.
            self.store.admit(job, self.limits, self.clock(), *key_rows)
        except (IntegrityError, RateLimited, QueueFull):
            # A retry racing its first attempt (here or on another replica): the first one stored
            # the key since we looked, so the insert hit the key (and was rolled back, the bucket
            # with it), or the first one took the last token or place. Either way: its answer.
            if first := self._first_answer(owner, idempotency_key, print_):
                return first
            raise
        self.notifier.notify()
        return Submitted(accepted)

    def _runner_failed(self) -> bool:
        """Whether the runner could not start (read only while no runner has answered)."""
        return start_failure(current_runners(self.settings, self.store.engine, self.catalog)) is not None

    def _first_answer(self, owner: Owner, key: str | None, print_: str) -> Submitted | None:
        if key is None:
            return None
        first = self.keys.first_answer(owner, key, print_, self.clock())
        return Submitted(first, replayed=True) if first is not None else None

    def list_active_all(self, limit: int, offset: int, base_url: str) -> JobPage:
        """Every user's queued and running jobs, oldest first: for administrators."""
        rows, total = self.store.list_active(limit, offset)
        items = self._publics(rows, base_url)
        return JobPage(items=items, total=total, limit=limit, offset=offset)

    def _owned(self, owner: Owner, job_id: str, read_only: bool = False) -> Job:
        """The caller's job; with `read_only`, any user's job for a reviewer (jobs/reviews.py)."""
        job = self.finished.get(job_id) or self.store.get(job_id)
        if job is None or not (is_owner(job, owner) or (read_only and may_read_any_job(owner))):
            raise JobNotFound()
        self.finished.offer(job)
        return job

    def forget(self, job_id: str) -> None:
        """Drop what this process keeps of a job whose answer changed (a review decision)."""
        self.finished.drop(job_id)
        for key in [key for key in self._encoded if key[0] == job_id]:
            self._encoded.pop(key, None)

    def get(self, owner: Owner, job_id: str, base_url: str) -> JobPublic:
        return self.to_public(self._owned(owner, job_id, read_only=True), base_url)

    async def get_json(self, owner: Owner, job_id: str, base_url: str) -> bytes:
        """The poll path's answer, encoded. A finished job is answered from memory, on the event
        loop, and its JSON is kept: it changes only when its links' expiry window moves on
        (hourly), so most polls are a dictionary lookup. Anything else is read and encoded in the
        thread pool."""
        job = self.finished.get(job_id)
        if job is None:
            return await asyncio.to_thread(lambda: self.get(owner, job_id, base_url).model_dump_json().encode())
        if not (is_owner(job, owner) or may_read_any_job(owner)):
            raise JobNotFound()
        key = (job.id, base_url, self.images.link_expires(self.clock()))
        kept = self._encoded.get(key)
        if kept is None or kept[0] is not job:
            if len(self._encoded) >= ENCODED_JOBS_KEPT:
                self._encoded.clear()
            # In the thread pool: making a link may sign with a key fetched from the blob service.
            body = await asyncio.to_thread(lambda: self.to_public(job, base_url).model_dump_json().encode())
            self._encoded[key] = (job, body)
            return body
        return kept[1]

    def list(self, owner: Owner, limit: int, offset: int, base_url: str, where: JobFilter | None = None) -> JobPage:
        rows, total = self.store.list_owned(owner, limit, offset, where)
        items = self._publics(rows, base_url)
        return JobPage(items=items, total=total, limit=limit, offset=offset)

    def cancel(self, owner: Owner, job_id: str, base_url: str) -> JobPublic:
        job = self._owned(owner, job_id)
        if not self.store.cancel(job.id, self.clock()):
            current = self.store.get(job.id)
            raise JobFinished(current.status if current else "deleted")
        if job.status == JobStatus.running:
            self.notifier.cancel_running(job.id)
        return self.get(owner, job_id, base_url)

    def archive(self, owner: Owner, job_id: str) -> tuple[str, Iterator[bytes]]:
        """A complete job's images as a zip, made while it is sent, and the zip's file name."""
        job = self._owned(owner, job_id)
        if job.status != JobStatus.complete or not job.images_stored:
            raise JobNotComplete(job.status)
        rows = image_rows_of(self.store.engine, [job.id]).get(job.id, {})
        entries = [(image_filename(job.id, i), image_key(job.id, i)) for i in kept_indexes(job, rows)]
        # Every image is checked before the first byte goes out, so a missing one is a 404 (and an
        # outage a 503) with a proper status, not a download that breaks off.
        if any(self.images.size(key) is None for _, key in entries):
            raise ImageNotFound()
        modified = aware(job.finished_at or job.created_at)
        return f"{download_stem(job.id)}.zip", zip_stream(self.images, entries, modified)

    def delete(self, owner: Owner, job_id: str) -> None:
        job = self._owned(owner, job_id)
        # Approved images are the company's kept assets: the job stays until no approval stands.
        now = self.clock()
        if not withdraw(self.store.engine, job.id, now):
            raise JobHasApprovedImages()
        if job.status in (JobStatus.queued, JobStatus.running):
            self.store.cancel(job.id, self.clock())
            self.notifier.cancel_running(job.id)
        # Images before the row: when storage is out (StorageUnavailable, a 503) the job is still
        # there to delete again, and no image is left that no row points to.
        try:
            self.images.delete_job(job.id)
        except StorageUnavailable:
            unwithdraw(self.store.engine, job.id, now)
            raise
        self.store.delete(job.id)
        self.finished.drop(job.id)

    def _publics(self, jobs: list[Job], base_url: str) -> list[JobPublic]:
        """A page of jobs: their images' rows read in one query for the whole page."""
        rows = image_rows_of(self.store.engine, [j.id for j in jobs if j.status == JobStatus.complete])
        return [self.to_public(job, base_url, with_position=False, image_rows=rows.get(job.id, {})) for job in jobs]

    def to_public(self, job: Job, base_url: str, with_position: bool = True,
                  image_rows: dict[int, JobImage] | None = None) -> JobPublic:
        """`image_rows`: the job's images' rows when the caller read them (a list); else one query here."""
        status = JobStatus(job.status)
        progress = None
        if status == JobStatus.running or (status == JobStatus.complete and job.progress_total):
            progress = Progress(step=job.progress_step, total=job.progress_total or job.steps)
        phase = phase_of(job)
        # Lists leave it out: a query per row. The poll path (one job) pays one aggregate query,
        # and only while the job waits.
        standing = self.store.standing(job) if with_position else None
        images: list[ImagePublic] = []
        if status == JobStatus.complete:
            now = self.clock()
            expires_at = self.images.link_expires(now)
            if image_rows is None:
                image_rows = image_rows_of(self.store.engine, [job.id]).get(job.id, {})
            links = {i: self.images.image_links(job.id, i, base_url, now) for i in kept_indexes(job, image_rows)}
            images = [
                ImagePublic(
                    index=i,
                    url=link.url,
                    download_url=link.download_url,
                    thumbnail_url=link.thumbnail_url,
                    small_thumbnail_url=link.small_thumbnail_url,
                    width=job.width,
                    height=job.height,
                    seed=job.seed + i,
                    expires_at=expires_at,
                    **image_facts(image_rows.get(i)),
                )
                for i, link in links.items()
            ]
        return JobPublic(
            job_id=job.id,
            status=status,
            prompt=job.prompt,
            model=job.model,
            style=job.style,
            width=job.width,
            height=job.height,
            aspect_ratio=aspect_ratio_of(job.width, job.height),
            num_images=job.num_images,
            steps=job.steps,
            guidance=job.guidance,
            seed=job.seed,
            created_at=aware(job.created_at),
            started_at=aware(job.started_at),
            finished_at=aware(job.finished_at),
            progress=progress,
            queue_position=standing.queue_position if standing else None,
            phase=phase,
            images_ahead=standing.images_ahead if standing else None,
            attempts=job.attempts,
            error=job.error,
            images=images,
            pipeline_ms=job.pipeline_ms,
            demo=self.catalog.is_demo(job.model),
            style_version=job.style_version,
            recipe=Recipe.model_validate_json(job.recipe) if job.recipe else None,
        )
