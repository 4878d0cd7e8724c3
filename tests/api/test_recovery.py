"""What a restarted API process does with the jobs it finds in the ledger, and what the dispatcher
does when the runner crashes under a job: only runs that rendered a step spend an attempt."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from api.app import create_app
from jobs.db import make_engine, migrate
from jobs.models import Job, JobStatus, utcnow
from jobs.store import JobStore
from settings import Settings
from tests.api.conftest import ALICE, wait_for, wait_status
from tests.fake_runner import FakeRunner


def leave_in_ledger(settings: Settings, status: JobStatus, attempts: int, step: int = 0) -> str:
    """A job as a dead process would have left it (`step`: how far its last run got)."""
    migrate(settings.sqlalchemy_url)
    store = JobStore(make_engine(settings.sqlalchemy_url))
    long_ago = utcnow() - timedelta(minutes=5)
    job = Job(owner_oid="dev-alice", owner_tid="dev-tenant", prompt="left behind", model="demo-flux",
              width=256, height=256, num_images=2, steps=4, guidance=3.5, seed=5, status=status,
              attempts=attempts, claims=attempts, progress_step=step, progress_total=4, created_at=long_ago,
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
    job_id = leave_in_ledger(settings, JobStatus.running, attempts=1, step=2)
    runner = FakeRunner()
    with started(settings, runner) as client:
        job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 2
    assert runner.rendered == [job_id]  # once, not twice


def test_job_interrupted_mid_render_three_times_fails_with_a_reason(settings: Settings) -> None:
    job_id = leave_in_ledger(settings, JobStatus.running, attempts=3, step=2)
    runner = FakeRunner()
    with started(settings, runner) as client:
        job = wait_status(client, job_id, "failed")
    assert job["error"] == (
        "The generator stopped while rendering this job 3 times (runner crashed or restarted); not retried again."
    )
    assert runner.rendered == []


def test_job_lost_before_its_first_step_runs_again_without_spending(settings: Settings) -> None:
    job_id = leave_in_ledger(settings, JobStatus.running, attempts=3, step=0)
    runner = FakeRunner()
    with started(settings, runner) as client:
        job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 3
    assert runner.claims == [(job_id, 4)]  # a new claim: the fencing token is never reused


def submit(client: TestClient, prompt: str = "a mug") -> str:
    response = client.post("/generate", json={"prompt": prompt, "num_images": 1}, headers=ALICE)
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def test_runner_crash_before_the_first_step_spends_no_attempt(client: TestClient, runner: FakeRunner) -> None:
    runner.break_off["crashes early"] = [0, 0]  # lost twice while waiting for the GPU
    job_id = submit(client, "crashes early")
    job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 1
    assert [claim for j, claim in runner.claims if j == job_id] == [1, 2, 3]


def test_runner_crash_mid_render_spends_attempts_and_says_why(client: TestClient, runner: FakeRunner) -> None:
    runner.break_off["crashes late"] = [2, 2, 2]
    job_id = submit(client, "crashes late")
    job = wait_status(client, job_id, "failed")
    assert job["attempts"] == 3
    assert job["error"] == (
        "The generator stopped while rendering this job 3 times (runner crashed or restarted); not retried again."
    )


def test_a_job_that_crashes_the_runner_runs_alone_and_fails_alone(client: TestClient, runner: FakeRunner) -> None:
    runner.gate = threading.Event()
    runner.render_seconds = 1.0  # long enough for runs sent together to overlap
    mates = [submit(client, "mate one"), submit(client, "mate two")]
    wait_for(lambda: len(runner.claims) == 2)
    runner.poison.add("poison")
    poison = submit(client, "poison")
    wait_for(lambda: runner._crashes == 1)  # the poison took its two batch-mates down with it
    runner.gate.set()
    for mate in mates:
        assert wait_status(client, mate, "complete")["attempts"] == 2  # one spent in that crash
    failed = wait_status(client, poison, "failed")
    assert failed["attempts"] == 3
    # After the first crash every run of the three went alone.
    later_runs = [run for run in runner.claims if run[1] > 1]
    assert len(later_runs) == 4
    assert {run: runner.company[run] for run in later_runs} == {run: set() for run in later_runs}


def test_a_stray_cancel_for_an_older_run_does_not_stop_the_next(settings: Settings) -> None:
    job_id = leave_in_ledger(settings, JobStatus.running, attempts=1, step=2)
    runner = FakeRunner()
    runner.cancels.add((job_id, 1))  # the heartbeat told the runner to stop the run taken over
    with started(settings, runner) as client:
        job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 2 and runner.rendered == [job_id]


def test_a_cancelled_answer_the_ledger_does_not_confirm_runs_the_job_again(
    client: TestClient, runner: FakeRunner
) -> None:
    runner.gate = threading.Event()
    job_id = submit(client)
    wait_for(lambda: (job_id, 1) in runner._polled)  # the ledger knows it rendered a step
    runner.cancels.add((job_id, 1))  # nobody cancelled the job; the runner says it did anyway
    runner.gate.set()
    job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 1 and runner.claims == [(job_id, 1), (job_id, 2)]


def test_a_user_cancel_names_the_run_it_stops(client: TestClient, runner: FakeRunner) -> None:
    runner.gate = threading.Event()
    job_id = submit(client)
    wait_status(client, job_id, "running")
    assert client.post(f"/jobs/{job_id}/cancel", headers=ALICE).status_code == 200
    wait_for(lambda: (job_id, 1) in runner.cancels)
    runner.gate.set()
    assert wait_status(client, job_id, "cancelled")["error"] is None


def test_a_stalled_dispatcher_does_not_take_over_its_own_runs(client: TestClient, runner: FakeRunner) -> None:
    # The lease of a run still going lapses when the API process stalls (a busy event loop, a
    # locked SQLite); the sweep after the stall must not requeue it and claim it a second time.
    runner.gate = threading.Event()
    job_id = submit(client)
    wait_status(client, job_id, "running")
    dispatcher = client.app.state.services.dispatcher
    later: Callable = lambda: utcnow() + timedelta(minutes=5)  # noqa: E731
    dispatcher.clock = later
    try:
        client.portal.call(dispatcher.recover)
    finally:
        dispatcher.clock = utcnow
    runner.gate.set()
    job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 1 and runner.claims == [(job_id, 1)]


def ledger(settings: Settings, job_id: str) -> Job:
    return JobStore(make_engine(settings.sqlalchemy_url)).get(job_id)


def test_a_lost_run_is_cancelled_on_the_runner(client: TestClient, runner: FakeRunner) -> None:
    # A broken connection is a lost run, but the runner may be alive and still rendering it: the
    # dispatcher tells it to stop that claim before the job is claimed again.
    runner.break_off["connection breaks"] = [2]
    job_id = submit(client, "connection breaks")
    job = wait_status(client, job_id, "complete")
    assert runner.claims == [(job_id, 1), (job_id, 2)]
    assert (job_id, 1) in runner.cancels and (job_id, 2) not in runner.cancels
    assert job["attempts"] == 2


def test_a_graceful_stop_cancels_its_runs_and_queues_them_unspent(settings: Settings) -> None:
    runner = FakeRunner()
    runner.gate = threading.Event()
    with started(settings, runner) as client:
        job_id = submit(client)
        wait_for(lambda: (job_id, 1) in runner._polled)  # the ledger knows it rendered a step
        wait_for(lambda: ledger(settings, job_id).progress_step == 1)
    assert (job_id, 1) in runner.cancels
    row = ledger(settings, job_id)
    assert (row.status, row.attempts, row.handoffs, row.claims, row.suspect) == (JobStatus.queued, 0, 0, 1, False)
    # The next process runs it at once, with a new claim, in a batch like any other job.
    runner.gate.set()
    with started(settings, runner) as client:
        assert wait_status(client, job_id, "complete")["attempts"] == 1
    assert runner.claims == [(job_id, 1), (job_id, 2)]


def test_a_stop_does_not_hang_on_a_runner_that_never_answers(settings: Settings) -> None:
    import time

    runner = FakeRunner()
    runner.gate = threading.Event()
    asked: list[tuple[str, int]] = []

    async def never_answers(job_id: str, claim: int) -> None:
        asked.append((job_id, claim))
        await asyncio.Event().wait()

    runner.cancel = never_answers  # type: ignore[method-assign]
    with started(settings, runner) as client:
        client.app.state.services.dispatcher.runner_cancel_seconds = 0.5
        job_id = submit(client)
        wait_status(client, job_id, "running")
        begun = time.monotonic()
    assert time.monotonic() - begun < 5
    assert asked == [(job_id, 1)]
    assert ledger(settings, job_id).status == JobStatus.queued


def test_jobs_recovered_after_an_api_crash_are_not_suspects_and_batch(settings: Settings) -> None:
    # A lapsed lease says the API process died, nothing about the job: after a restart the jobs
    # that were in flight are sent together, not one at a time.
    left = [leave_in_ledger(settings, JobStatus.running, attempts=1, step=step) for step in (0, 2, 0, 2)]
    runner = FakeRunner()
    runner.render_seconds = 0.5  # runs sent together overlap
    with started(settings, runner) as client:
        for job_id in left:
            wait_status(client, job_id, "complete")
    assert all(runner.company[(job_id, 2)] for job_id in left)  # each ran with company
    assert not any(ledger(settings, job_id).suspect for job_id in left)


def test_a_suspect_is_cleared_when_it_completes(client: TestClient, runner: FakeRunner, settings: Settings) -> None:
    runner.break_off["breaks once"] = [0]
    job_id = submit(client, "breaks once")
    wait_status(client, job_id, "complete")
    assert runner.claims == [(job_id, 1), (job_id, 2)]
    assert ledger(settings, job_id).suspect is False


def test_a_runner_that_stops_answering_polls_does_not_stop_the_leases(settings: Settings) -> None:
    # A runner shutting down stops accepting: a poll could wait for ever, and the lease it holds up
    # would lapse, letting another replica run the job a second time.
    runner = FakeRunner()
    runner.gate = threading.Event()

    async def never_answers(job_ids: list[str]) -> list:
        await asyncio.Event().wait()

    runner.progress = never_answers  # type: ignore[method-assign]
    with started(settings, runner) as client:
        client.app.state.services.dispatcher.runner_poll_seconds = 0.2
        job_id = submit(client)
        wait_status(client, job_id, "running")
        first = ledger(settings, job_id).heartbeat_at
        wait_for(lambda: ledger(settings, job_id).heartbeat_at > first, timeout=5)
        runner.gate.set()
        assert wait_status(client, job_id, "complete")["attempts"] == 1
