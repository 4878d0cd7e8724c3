"""Deletes images and job records older than the retention period (30 days by default), and
idempotency keys older than 24 hours.

An approved image (jobs/reviews.py) is kept past the retention period for the Approved library, and
with it its job's row; the job's other images go as they would have. Once no image of the job stands
approved (a reviewer cleared or rejected it), the next pass deletes the job as any other.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, Exists, exists, or_, update
from sqlmodel import Session, col, select

from jobs.idempotency import IdempotencyKeys
from jobs.images import JobImage
from jobs.models import Job
from jobs.reviews import APPROVED, unwithdraw, withdraw
from jobs.store import JobStore
from storage import ImageStore, StorageUnavailable

log = logging.getLogger(__name__)


def sweep(store: JobStore, images: ImageStore, now: datetime, retention_days: float,
          keys: IdempotencyKeys | None = None, buckets_full_after: float = 0.0) -> int:
    """Delete everything accepted before `now - retention_days`; returns how many jobs went.

    With several API replicas each runs this on its own schedule; one pass at a time holds the
    sweep lock (jobs/store.py `exclusive`), and a replica that finds it taken skips its pass, so
    each thing is deleted once and two passes never trip over each other.
    """
    with store.exclusive("sweep") as mine:
        if not mine:
            log.info("retention sweep skipped: another process is sweeping")
            return 0
        return _sweep(store, images, now, retention_days, keys, buckets_full_after)


def _sweep(store: JobStore, images: ImageStore, now: datetime, retention_days: float,
           keys: IdempotencyKeys | None, buckets_full_after: float) -> int:
    if buckets_full_after > 0:
        # Submission buckets untouched this long are full again: their rows say nothing.
        store.forget_full_buckets(now - timedelta(seconds=buckets_full_after))
    # Keys first and whatever the job retention: an expired key must stop matching on time.
    expired_keys = (keys or IdempotencyKeys(store.engine)).delete_expired(now)
    if expired_keys:
        log.info("retention sweep removed %d idempotency keys older than 24 hours", expired_keys)
    cutoff = now - timedelta(days=retention_days)
    removed = 0
    while batch := _unkept_before(store.engine, cutoff):
        for job_id in batch:
            if not withdraw(store.engine, job_id, now):
                continue  # approved since it was picked: kept, and not picked again
            # Images first: a crash in between leaves a row whose images are gone (the next sweep
            # removes it), never images that no row points to.
            try:
                images.delete_job(job_id)
            except StorageUnavailable:
                # The row stays, so the next pass deletes its images; one line, not one per job.
                unwithdraw(store.engine, job_id, now)
                log.warning("retention sweep stopped after %d jobs: image storage is unavailable; the next "
                            "pass takes the rest", removed)
                return removed
            store.delete(job_id)
            removed += 1
    if removed:
        log.info("retention sweep removed %d jobs older than %s", removed, cutoff.isoformat())
    purged = _purge_beside_approved(store.engine, images, cutoff, now)
    if purged:
        log.info("retention sweep removed %d images of jobs kept for an approved image", purged)
    return removed


def _approved_in(job_id_column: object) -> Exists:
    """Whether some image of the job stands approved."""
    return exists().where(col(JobImage.job_id) == job_id_column, col(JobImage.review) == APPROVED)


def _unkept_before(engine: Engine, cutoff: datetime, limit: int = 500) -> list[str]:
    """Jobs accepted before `cutoff` of which no image stands approved, oldest first."""
    with Session(engine) as s:
        return list(s.exec(select(Job.id).where(col(Job.created_at) < cutoff, ~_approved_in(Job.id))
                           .order_by(col(Job.created_at)).limit(limit)).all())


def _purge_beside_approved(engine: Engine, images: ImageStore, cutoff: datetime, now: datetime) -> int:
    """Delete the images, not approved, of jobs past retention that an approved image keeps.

    Each image is marked purged before its files go, in an update that skips an image approved
    meanwhile: a decision racing the sweep either lands first (the image stays) or finds the image
    purged (the reviewer is told it is gone), never an approval whose files were deleted. A crash
    between the two leaves files that the job's own deletion removes later.
    """
    with Session(engine) as s:
        kept_old = select(Job.id).where(col(Job.created_at) < cutoff, _approved_in(Job.id))
        doomed = s.exec(select(JobImage.job_id, JobImage.idx)
                        .where(col(JobImage.job_id).in_(kept_old), col(JobImage.purged_at).is_(None),
                               or_(col(JobImage.review).is_(None), col(JobImage.review) != APPROVED))).all()
    purged = 0
    for job_id, index in doomed:
        with Session(engine) as s:
            marked = s.exec(update(JobImage)
                            .where(col(JobImage.job_id) == job_id, col(JobImage.idx) == index,
                                   col(JobImage.purged_at).is_(None),
                                   or_(col(JobImage.review).is_(None), col(JobImage.review) != APPROVED))
                            .values(purged_at=now)).rowcount
            s.commit()
        if not marked:
            continue
        try:
            images.delete_image(job_id, index)
        except StorageUnavailable:
            # Unmarked again, so the next pass deletes its files; until then it is hidden as purged.
            with Session(engine) as s:
                s.exec(update(JobImage).where(col(JobImage.job_id) == job_id, col(JobImage.idx) == index)
                       .values(purged_at=None))
                s.commit()
            log.warning("retention sweep stopped after purging %d images: image storage is unavailable; the "
                        "next pass takes the rest", purged)
            return purged
        purged += 1
    return purged
