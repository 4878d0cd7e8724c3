"""Deletes images and job records older than the retention period (30 days by default), and
idempotency keys older than 24 hours."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from jobs.idempotency import IdempotencyKeys
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
    while batch := store.created_before(cutoff):
        for job_id in batch:
            # Images first: a crash in between leaves a row whose images are gone (the next sweep
            # removes it), never images that no row points to.
            try:
                images.delete_job(job_id)
            except StorageUnavailable:
                # The row stays, so the next pass deletes its images; one line, not one per job.
                log.warning("retention sweep stopped after %d jobs: image storage is unavailable; the next "
                            "pass takes the rest", removed)
                return removed
            store.delete(job_id)
            removed += 1
    if removed:
        log.info("retention sweep removed %d jobs older than %s", removed, cutoff.isoformat())
    return removed
