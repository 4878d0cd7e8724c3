"""The finished-job cache: only jobs that can no longer change, for a short time, bounded."""

from __future__ import annotations

from jobs.cache import FinishedJobCache
from jobs.models import Job, JobStatus


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def job(status: JobStatus, job_id: str = "j1") -> Job:
    return Job(id=job_id, owner_oid="a", owner_tid="t", prompt="p", model="m", width=16, height=16,
               num_images=1, steps=1, guidance=0.0, seed=0, status=status)


def test_only_finished_jobs_are_kept() -> None:
    cache = FinishedJobCache()
    for status in (JobStatus.queued, JobStatus.running):
        cache.offer(job(status))
        assert cache.get("j1") is None
    for status in (JobStatus.complete, JobStatus.failed, JobStatus.cancelled):
        cache.offer(job(status))
        assert cache.get("j1").status == status


def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache = FinishedJobCache(ttl_seconds=10, clock=clock)
    cache.offer(job(JobStatus.complete))
    clock.now = 9.9
    assert cache.get("j1") is not None
    clock.now = 10.1
    assert cache.get("j1") is None


def test_least_recently_used_goes_first_when_full() -> None:
    cache = FinishedJobCache(max_entries=2)
    for name in ("a", "b"):
        cache.offer(job(JobStatus.complete, name))
    cache.get("a")
    cache.offer(job(JobStatus.complete, "c"))
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None


def test_drop_forgets_at_once() -> None:
    cache = FinishedJobCache()
    cache.offer(job(JobStatus.complete))
    cache.drop("j1")
    assert cache.get("j1") is None
