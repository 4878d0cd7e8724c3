"""A job's phase and what stands before it on the GPU, against SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auth.models import User
from jobs.db import make_engine, migrate
from jobs.models import Job, JobPhase, JobStatus
from jobs.standing import Standing, phase_of
from jobs.store import JobStore

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ALICE = User(oid="alice", tid="t1")
BOB = User(oid="bob", tid="t1")


@pytest.fixture
def store(db_url: str) -> JobStore:
    migrate(db_url)
    return JobStore(make_engine(db_url))


def add(store: JobStore, images: int, at: datetime, owner: User = BOB, job_id: str | None = None) -> Job:
    job = Job(owner_oid=owner.oid, owner_tid=owner.tid, prompt="p", model="demo-flux", width=256, height=256,
              num_images=images, steps=4, guidance=3.5, seed=1, created_at=at)
    if job_id is not None:
        job.id = job_id
    return store.add(job)


def claim(store: JobStore, job: Job, at: datetime, step: int | None = None) -> Job:
    """Claim the job; `step`: what the runner reported (None: nothing yet, as a run not begun)."""
    claimed = store.claim(job.id, at)
    if step is not None:
        store.heartbeat_many({job.id: (claimed.claims, step, 4)}, at)
    return store.get(job.id)


def test_phase_follows_the_status_and_the_first_step(store: JobStore) -> None:
    job = add(store, 1, T0)
    assert phase_of(store.get(job.id)) == JobPhase.queued
    assert phase_of(claim(store, job, T0)) == JobPhase.waiting_for_gpu
    assert phase_of(claim(store, add(store, 1, T0), T0, step=0)) == JobPhase.waiting_for_gpu
    assert phase_of(claim(store, add(store, 1, T0), T0, step=1)) == JobPhase.rendering
    # All steps done: the images are being stored, still rendering.
    assert phase_of(claim(store, add(store, 1, T0), T0, step=4)) == JobPhase.rendering
    for end in (JobStatus.complete, JobStatus.failed, JobStatus.cancelled):
        row = store.get(job.id)
        row.status = end
        assert phase_of(row) == JobPhase.finished


def test_a_queued_job_waits_for_every_image_rendering_and_queued_before_it(store: JobStore) -> None:
    rendering = claim(store, add(store, 4, T0), T0, step=2)
    waiting = claim(store, add(store, 3, T0 + timedelta(seconds=1)), T0 + timedelta(seconds=1))
    claim(store, add(store, 4, T0 - timedelta(hours=1)), T0, step=4)  # its steps are done: nothing ahead
    first = add(store, 2, T0 + timedelta(seconds=2), owner=ALICE)
    second = add(store, 1, T0 + timedelta(seconds=3))
    third = add(store, 4, T0 + timedelta(seconds=4), owner=ALICE)
    store.cancel(add(store, 4, T0 - timedelta(seconds=5)).id, T0)  # ended: not ahead of anyone
    assert store.standing(store.get(first.id)) == Standing(queue_position=0, images_ahead=4 + 3)
    assert store.standing(store.get(second.id)) == Standing(queue_position=1, images_ahead=4 + 3 + 2)
    assert store.standing(store.get(third.id)) == Standing(queue_position=2, images_ahead=4 + 3 + 2 + 1)
    assert (rendering.progress_step, waiting.progress_step) == (2, 0)


def test_a_waiting_job_waits_for_the_runs_claimed_before_it(store: JobStore) -> None:
    early = claim(store, add(store, 4, T0), T0, step=1)
    done = claim(store, add(store, 2, T0), T0, step=4)  # storing its images: the GPU is past it
    also_waiting = claim(store, add(store, 3, T0), T0 + timedelta(seconds=1))
    me = claim(store, add(store, 1, T0), T0 + timedelta(seconds=2))
    later = claim(store, add(store, 2, T0), T0 + timedelta(seconds=3))
    add(store, 4, T0 - timedelta(hours=1))  # queued: runs after every claimed job
    assert store.standing(me) == Standing(queue_position=None, images_ahead=4 + 3)
    assert store.standing(also_waiting) == Standing(queue_position=None, images_ahead=4)
    assert store.standing(later).images_ahead == 4 + 3 + 1
    assert store.standing(early) is None  # rendering: nothing to wait for
    assert store.standing(done) is None


def test_ties_in_time_go_by_id_as_the_dispatcher_takes_them(store: JobStore) -> None:
    a = add(store, 2, T0, job_id="00000000-0000-4000-8000-00000000000a")
    b = add(store, 3, T0, job_id="00000000-0000-4000-8000-00000000000b")
    assert store.standing(store.get(a.id)) == Standing(queue_position=0, images_ahead=0)
    assert store.standing(store.get(b.id)) == Standing(queue_position=1, images_ahead=2)
    a, b = claim(store, a, T0), claim(store, b, T0)
    assert store.standing(a).images_ahead == 0
    assert store.standing(b).images_ahead == 2


def test_a_finished_job_has_no_standing(store: JobStore) -> None:
    job = add(store, 1, T0)
    store.cancel(job.id, T0)
    assert store.standing(store.get(job.id)) is None
