"""Admission limits held in the database: the per-user rate and cap and the queue bound hold for
several API replicas exactly as for one (SQLite and the real PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from jobs.db import make_engine, migrate
from jobs.errors import QueueFull
from jobs.limits import AdmissionLimits, RateLimited, SubmitBucket, SubmitLimiter, TooManyActiveJobs
from jobs.models import ACTIVE_STATUSES, Job
from jobs.store import JobStore

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def job(oid: str = "alice") -> Job:
    return Job(owner_oid=oid, owner_tid="t1", prompt="p", model="demo-flux", width=256, height=256,
               num_images=1, steps=2, guidance=0.0, seed=1, created_at=T0)


def limits(rate: float = 0, burst: int = 1, cap: int = 0, pending: int = 1000) -> AdmissionLimits:
    return AdmissionLimits(SubmitLimiter(rate, burst) if rate else None, cap, pending)


def active(store: JobStore, oid: str | None = None) -> int:
    with Session(store.engine) as s:
        query = select(func.count()).select_from(Job).where(Job.status.in_(ACTIVE_STATUSES))
        if oid is not None:
            query = query.where(Job.owner_oid == oid)
        return s.exec(query).one()


@pytest.fixture
def store(db_url: str) -> JobStore:
    migrate(db_url)
    return JobStore(make_engine(db_url))


def test_bucket_allows_its_burst_then_refills_at_the_rate(store: JobStore) -> None:
    rule = limits(rate=6, burst=2)  # one token every 10 s
    store.admit(job(), rule, T0)
    store.admit(job(), rule, T0)
    with pytest.raises(RateLimited) as refused:
        store.admit(job(), rule, T0 + timedelta(seconds=4))
    assert refused.value.retry_after == 6  # 0.4 of a token there: 6 s to the next one
    store.admit(job("bob"), rule, T0)  # another user has a bucket of their own
    store.admit(job(), rule, T0 + timedelta(seconds=10))
    assert active(store, "alice") == 3


def test_a_refused_admission_spends_nothing(store: JobStore) -> None:
    capped = limits(rate=1, burst=1, cap=1)
    store.admit(job(), limits(cap=1), T0)  # alice is at her cap; her bucket is untouched
    with pytest.raises(TooManyActiveJobs):
        store.admit(job(), capped, T0)
    with Session(store.engine) as s:
        assert s.get(SubmitBucket, ("t1", "alice")) is None
    with pytest.raises(QueueFull):
        store.admit(job("bob"), limits(rate=1, burst=1, pending=1), T0)
    store.admit(job("bob"), limits(rate=1, burst=1), T0)  # bob's one token was never spent


def test_a_clock_that_went_back_refills_nothing_and_takes_nothing(store: JobStore) -> None:
    rule = limits(rate=60, burst=1)
    store.admit(job(), rule, T0)
    with pytest.raises(RateLimited):
        store.admit(job(), rule, T0 - timedelta(seconds=30))  # another replica's clock, behind
    store.admit(job(), rule, T0 + timedelta(seconds=1))


def test_full_buckets_are_forgotten(store: JobStore) -> None:
    store.admit(job(), limits(rate=60, burst=1), T0)
    assert store.forget_full_buckets(T0 - timedelta(seconds=1)) == 0
    assert store.forget_full_buckets(T0 + timedelta(seconds=1)) == 1


def test_two_replicas_firing_at_once_never_pass_the_cap_or_the_burst(pg_url: str) -> None:
    # Two API replicas: each its own engine (connection pool) and store on one PostgreSQL.
    migrate(pg_url)
    replicas = [JobStore(make_engine(pg_url)) for _ in range(2)]
    rule = limits(rate=0.001, burst=5, cap=3)
    outcomes: list[str] = []
    peak = [0]
    go = threading.Barrier(16)

    def fire(store: JobStore) -> None:
        go.wait()
        try:
            store.admit(job(), rule, T0)
            outcomes.append("admitted")
        except TooManyActiveJobs:
            outcomes.append("cap")
        except RateLimited:
            outcomes.append("rate")
        peak[0] = max(peak[0], active(store, "alice"))

    threads = [threading.Thread(target=fire, args=(replicas[i % 2],)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("admitted") == 3 and outcomes.count("cap") == 13, outcomes
    assert peak[0] == 3 and active(replicas[0], "alice") == 3
    # Finish them: the cap frees, and the burst (5) allows two more, not three.
    with Session(replicas[0].engine) as s:
        for row in s.exec(select(Job)).all():
            row.status = "complete"
            s.add(row)
        s.commit()
    results = []
    for i in range(3):
        try:
            replicas[i % 2].admit(job(), rule, T0)
            results.append("admitted")
        except RateLimited as exc:
            results.append(f"rate {exc.retry_after}")
    assert results[:2] == ["admitted", "admitted"] and results[2].startswith("rate ")


def test_only_one_process_holds_an_exclusive_task_at_a_time(db_url: str) -> None:
    # Two replicas' stores: while one sweeps, the other is told to skip its pass.
    migrate(db_url)
    first, second = JobStore(make_engine(db_url)), JobStore(make_engine(db_url))
    with first.exclusive("sweep") as mine:
        assert mine
        with second.exclusive("sweep") as theirs:
            assert not theirs
        with second.exclusive("another task") as other:
            assert other
    with second.exclusive("sweep") as theirs:
        assert theirs
