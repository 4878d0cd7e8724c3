"""The job store and its migrations, against SQLite and the real PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from auth.models import User
from jobs.db import alembic_config, make_engine, migrate
from jobs.models import Job, JobStatus
from jobs.store import JobStore, RetryLimits, is_owner

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ALICE = User(oid="alice", tid="t1")
BOB = User(oid="bob", tid="t1")
ALICE_OTHER_TENANT = User(oid="alice", tid="t2")
LIMITS = RetryLimits(max_attempts=3, max_handoffs=10)


@pytest.fixture
def store(db_url: str) -> JobStore:
    migrate(db_url)
    return JobStore(make_engine(db_url))


def new_job(owner: User = ALICE, at: datetime = T0, **kw) -> Job:  # noqa: ANN003
    fields = dict(prompt="p", model="demo-flux", width=256, height=256, num_images=4, steps=4, guidance=3.5, seed=1)
    return Job(owner_oid=owner.oid, owner_tid=owner.tid, created_at=at, **{**fields, **kw})


def test_migrations_upgrade_and_downgrade_cleanly(db_url: str) -> None:
    from alembic import command

    migrate(db_url)
    engine = make_engine(db_url)
    assert "job" in inspect(engine).get_table_names()
    command.downgrade(alembic_config(db_url), "base")
    assert "job" not in inspect(engine).get_table_names()
    migrate(db_url)
    migrate(db_url)  # a second start finds nothing to do
    assert "job" in inspect(engine).get_table_names()


def test_migration_0004_starts_the_fencing_token_past_every_old_attempt(db_url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(db_url), "0003")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO job (id, owner_oid, owner_tid, prompt, model, width, height, num_images, steps, guidance,"
            " seed, status, attempts, created_at) VALUES ('old', 'a', 't', 'p', 'demo-flux', 256, 256, 1, 4, 3.5,"
            " 1, 'running', 2, :at)"
        ), {"at": T0})
    migrate(db_url)
    old = JobStore(engine).get("old")
    assert (old.attempts, old.claims, old.handoffs) == (2, 2, 0)
    engine.dispose()


def test_job_round_trips_with_large_seed(store: JobStore) -> None:
    job = store.add(new_job(seed=2**32 - 1, prompt="ünïcode ✓"))
    loaded = store.get(job.id)
    assert loaded is not None
    assert loaded.seed == 2**32 - 1
    assert loaded.prompt == "ünïcode ✓"
    assert loaded.status == JobStatus.queued


def test_ownership_needs_both_oid_and_tenant(store: JobStore) -> None:
    job = store.add(new_job())
    loaded = store.get(job.id)
    assert is_owner(loaded, ALICE)
    assert not is_owner(loaded, BOB)
    assert not is_owner(loaded, ALICE_OTHER_TENANT)


def test_list_owned_is_newest_first_and_counts(store: JobStore) -> None:
    ids = [store.add(new_job(at=T0 + timedelta(minutes=i))).id for i in range(3)]
    store.add(new_job(owner=BOB))
    rows, total = store.list_owned(ALICE, limit=2, offset=0)
    assert total == 3
    assert [r.id for r in rows] == [ids[2], ids[1]]


def test_claim_is_exclusive(store: JobStore) -> None:
    job = store.add(new_job())
    first = store.claim(job.id, T0)
    assert first is not None and first.status == JobStatus.running and first.attempts == 1
    assert store.claim(job.id, T0) is None


def test_stale_attempt_cannot_complete_after_takeover(store: JobStore) -> None:
    job = store.add(new_job())
    store.claim(job.id, T0)
    # The lease lapses, the job is queued again and claimed by a second process.
    recovered = store.recover_stale(T0 + timedelta(seconds=60), lease_seconds=30, limits=LIMITS)
    assert recovered.requeued == [job.id]
    second = store.claim(job.id, T0 + timedelta(seconds=61))
    assert second is not None and second.claims == 2
    assert store.complete(job.id, 1, T0, images=4, pipeline_ms=1.0) is False
    assert store.complete(job.id, 2, T0, images=4, pipeline_ms=1.0) is True
    assert store.complete(job.id, 2, T0, images=4, pipeline_ms=1.0) is False  # never twice


def test_job_interrupted_mid_render_max_attempts_times_fails_with_reason(store: JobStore) -> None:
    job = store.add(new_job())
    now = T0
    for attempt in (1, 2, 3):
        assert store.claim(job.id, now).attempts == attempt
        store.heartbeat_many({job.id: (attempt, 2, 4)}, now)  # it rendered two steps
        now += timedelta(seconds=60)
        store.recover_stale(now, lease_seconds=30, limits=LIMITS)
    final = store.get(job.id)
    assert final.status == JobStatus.failed
    assert final.error == (
        "The generator stopped while rendering this job 3 times (runner crashed or restarted); not retried again."
    )


def test_run_lost_before_its_first_step_spends_no_attempt(store: JobStore) -> None:
    job = store.add(new_job())
    now = T0
    for claim in range(1, 6):
        store.claim(job.id, now)
        store.heartbeat_many({job.id: (claim, 0, 4)}, now)  # waiting for the GPU
        now += timedelta(seconds=60)
        assert store.recover_stale(now, lease_seconds=30, limits=LIMITS).requeued == [job.id]
    queued = store.get(job.id)
    assert (queued.status, queued.attempts, queued.handoffs, queued.claims) == (JobStatus.queued, 0, 5, 5)
    # Lapsed leases (the API died) say nothing about the job: not a suspect, it batches as usual.
    assert store.queued_heads(10) == [(job.id, False)]


def test_runs_lost_before_their_first_step_are_bounded(store: JobStore) -> None:
    job = store.add(new_job())
    limits = RetryLimits(max_attempts=3, max_handoffs=4)
    for claim in range(1, 5):
        store.claim(job.id, T0)
        outcome = store.lose(job.id, claim, T0, rendered=False, limits=limits)
    assert outcome == JobStatus.failed
    final = store.get(job.id)
    assert final.error == (
        "The generator stopped 4 times before this job started rendering (runner crashed or restarted); "
        "not retried again."
    )
    assert final.attempts == 0


def test_a_run_given_back_cannot_finish_the_next_claim(store: JobStore) -> None:
    # Giving the attempt back once reused the fencing token: the old run's late answer (or a
    # cancel meant for it) then landed on the new run.
    job = store.add(new_job())
    store.claim(job.id, T0)
    assert store.give_back(job.id, 1)
    second = store.claim(job.id, T0)
    assert (second.attempts, second.claims) == (1, 2)
    assert store.complete(job.id, 1, T0, images=4, pipeline_ms=1.0) is False
    assert store.heartbeat_many({job.id: (1, 0, 0)}, T0) == {job.id}
    assert store.complete(job.id, 2, T0, images=4, pipeline_ms=1.0) is True


def test_recovery_leaves_the_callers_own_runs_alone(store: JobStore) -> None:
    mine, dead = store.add(new_job()), store.add(new_job())
    for job in (mine, dead):
        store.claim(job.id, T0)
    found = store.recover_stale(T0 + timedelta(seconds=60), lease_seconds=30, limits=LIMITS, held={mine.id})
    assert found.requeued == [dead.id]
    assert store.get(mine.id).status == JobStatus.running


def test_recovery_does_not_take_a_lease_renewed_meanwhile(store: JobStore) -> None:
    job = store.add(new_job())
    store.claim(job.id, T0)
    store.heartbeat_many({job.id: (1, 1, 4)}, T0 + timedelta(seconds=59))
    # Read as stale at T0 + 30 s, renewed before the take-over: the take-over must not happen.
    taken = store.lose(job.id, 1, T0 + timedelta(seconds=60), rendered=True, limits=LIMITS,
                       stale_before=T0 + timedelta(seconds=30))
    assert taken is None and store.get(job.id).status == JobStatus.running


def test_fresh_lease_is_not_recovered(store: JobStore) -> None:
    job = store.add(new_job())
    store.claim(job.id, T0)
    assert store.heartbeat_many({job.id: (1, 3, 8)}, T0 + timedelta(seconds=25)) == set()
    assert store.recover_stale(T0 + timedelta(seconds=40), lease_seconds=30, limits=LIMITS).requeued == []
    running = store.get(job.id)
    assert (running.progress_step, running.progress_total) == (3, 8)


def test_give_back_returns_the_attempt(store: JobStore) -> None:
    job = store.add(new_job())
    store.claim(job.id, T0)
    assert store.give_back(job.id, 1)
    again = store.get(job.id)
    assert (again.status, again.attempts, again.handoffs) == (JobStatus.queued, 0, 0)
    assert store.queued_heads(10) == [(job.id, False)]  # the runner never had it: not a suspect


def test_cancel_only_active_jobs(store: JobStore) -> None:
    job = store.add(new_job())
    assert store.cancel(job.id, T0) is True
    assert store.cancel(job.id, T0) is False
    assert store.get(job.id).status == JobStatus.cancelled


def test_queue_position_and_active_count(store: JobStore) -> None:
    jobs = [store.add(new_job(at=T0 + timedelta(seconds=i))) for i in range(3)]
    store.claim(jobs[0].id, T0)
    assert store.count_active() == 3
    assert store.standing(store.get(jobs[2].id)).queue_position == 1
    assert store.queued_ids(10) == [jobs[1].id, jobs[2].id]


def test_heartbeat_reports_attempts_that_are_no_longer_ours(store: JobStore) -> None:
    mine, cancelled = store.add(new_job()), store.add(new_job())
    for job in (mine, cancelled):
        store.claim(job.id, T0)
    store.cancel(cancelled.id, T0)
    lost = store.heartbeat_many({mine.id: (1, 2, 4), cancelled.id: (1, 2, 4), "gone": (1, 0, 0)}, T0)
    assert lost == {cancelled.id, "gone"}
    assert store.get(mine.id).progress_step == 2


def test_a_lapsed_lease_makes_no_suspect(store: JobStore) -> None:
    # The API process died: that says nothing about the jobs it had in flight, so after a restart
    # they batch as usual (all of them were suspects once, and ran one at a time).
    rendered, waiting = store.add(new_job()), store.add(new_job(at=T0 + timedelta(seconds=1)))
    for job in (rendered, waiting):
        store.claim(job.id, T0)
    store.heartbeat_many({rendered.id: (1, 2, 4), waiting.id: (1, 0, 4)}, T0)
    found = store.recover_stale(T0 + timedelta(seconds=60), lease_seconds=30, limits=LIMITS)
    assert sorted(found.requeued) == sorted([rendered.id, waiting.id])
    assert store.queued_heads(10) == [(rendered.id, False), (waiting.id, False)]
    assert (store.get(rendered.id).attempts, store.get(waiting.id).handoffs) == (1, 1)


def test_a_run_lost_as_the_runner_broke_off_makes_a_suspect_until_it_completes(store: JobStore) -> None:
    job = store.add(new_job())
    store.claim(job.id, T0)
    assert store.lose(job.id, 1, T0, rendered=False, limits=LIMITS, suspect=True) == JobStatus.queued
    assert store.queued_heads(10) == [(job.id, True)]
    # A later lapsed lease (the API died while it ran alone) keeps it a suspect.
    store.claim(job.id, T0)
    store.recover_stale(T0 + timedelta(seconds=60), lease_seconds=30, limits=LIMITS)
    assert store.queued_heads(10) == [(job.id, True)]
    store.claim(job.id, T0)
    assert store.complete(job.id, 3, T0, images=4, pipeline_ms=1.0)
    assert store.get(job.id).suspect is False


def test_migration_0004_adds_suspect_false_to_old_rows(db_url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(db_url), "0003")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO job (id, owner_oid, owner_tid, prompt, model, width, height, num_images, steps, guidance,"
            " seed, status, attempts, created_at) VALUES ('old', 'a', 't', 'p', 'demo-flux', 256, 256, 1, 4, 3.5,"
            " 1, 'queued', 1, :at)"
        ), {"at": T0})
    migrate(db_url)
    assert JobStore(engine).queued_heads(10) == [("old", False)]
    command.downgrade(alembic_config(db_url), "0003")
    assert "suspect" not in {c["name"] for c in inspect(engine).get_columns("job")}
    engine.dispose()
