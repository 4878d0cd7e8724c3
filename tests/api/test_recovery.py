"""What a restarted API process does with the jobs it finds in the ledger."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from api.app import create_app
from jobs.db import make_engine, migrate
from jobs.models import Job, JobStatus, utcnow
from jobs.store import JobStore
from settings import Settings
from tests.api.conftest import wait_status
from tests.fake_runner import FakeRunner


def leave_in_ledger(settings: Settings, status: JobStatus, attempts: int) -> str:
    """A job as a dead process would have left it."""
    migrate(settings.sqlalchemy_url)
    store = JobStore(make_engine(settings.sqlalchemy_url))
    long_ago = utcnow() - timedelta(minutes=5)
    job = Job(owner_oid="dev-alice", owner_tid="dev-tenant", prompt="left behind", model="demo-flux",
              width=256, height=256, num_images=2, steps=4, guidance=3.5, seed=5, status=status,
              attempts=attempts, created_at=long_ago,
              heartbeat_at=long_ago if status == JobStatus.running else None)
    store.add(job)
    return job.id


def started(settings: Settings, runner: FakeRunner) -> TestClient:
    return TestClient(create_app(settings, runner, listening=["127.0.0.1"]))


def test_queued_job_from_before_a_restart_runs(settings: Settings) -> None:
    job_id = leave_in_ledger(settings, JobStatus.queued, attempts=0)
    with started(settings, FakeRunner()) as client:
        job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 1 and len(job["images"]) == 2


def test_job_left_running_by_a_dead_process_runs_again(settings: Settings) -> None:
    job_id = leave_in_ledger(settings, JobStatus.running, attempts=1)
    runner = FakeRunner()
    with started(settings, runner) as client:
        job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 2
    assert runner.rendered == [job_id]  # once, not twice


def test_job_interrupted_three_times_fails_with_a_reason(settings: Settings) -> None:
    job_id = leave_in_ledger(settings, JobStatus.running, attempts=3)
    runner = FakeRunner()
    with started(settings, runner) as client:
        job = wait_status(client, job_id, "failed")
    assert "Interrupted 3 times" in job["error"]
    assert runner.rendered == []
