"""Deletes images and job records older than the retention period (30 days by default)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from jobs.store import JobStore
from storage import ImageStore

log = logging.getLogger(__name__)


def sweep(store: JobStore, images: ImageStore, now: datetime, retention_days: float) -> int:
    """Delete everything accepted before `now - retention_days`; returns how many jobs went."""
    cutoff = now - timedelta(days=retention_days)
    removed = 0
    while batch := store.created_before(cutoff):
        for job_id in batch:
            # Images first: a crash in between leaves a row whose images are gone (the next sweep
            # removes it), never images that no row points to.
            images.delete_job(job_id)
            store.delete(job_id)
            removed += 1
    if removed:
        log.info("retention sweep removed %d jobs older than %s", removed, cutoff.isoformat())
    return removed
