"""Idempotency keys on job submission, against SQLite and the real PostgreSQL alike."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from auth.models import User
from jobs.catalog import ModelCatalog
from jobs.db import alembic_config, make_engine, migrate
from jobs.errors import IdempotencyKeyReused
from jobs.idempotency import KEY_TTL, IdempotencyKey, IdempotencyKeys, fingerprint, key_row
from jobs.limits import RateLimited, SubmitLimiter
from jobs.models import GenerateRequest, Job, JobAccepted
from jobs.service import JobService, Submitted
from jobs.store import JobStore
from jobs.sweeper import sweep
from settings import Settings
from storage import LinkSigner
from storage.local import LocalImageStore
from tests.fake_runner import DEMO

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ALICE = User(oid="alice", tid="t1")
BOB = User(oid="bob", tid="t1")
RED = GenerateRequest(prompt="a red bicycle", num_images=1)
BLUE = GenerateRequest(prompt="a blue bicycle", num_images=1)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class QuietNotifier:
    def notify(self) -> None:
        pass

    def cancel_running(self, job_id: str) -> None:
        pass


@pytest.fixture
def store(db_url: str) -> JobStore:
    migrate(db_url)
    return JobStore(make_engine(db_url))


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_service(store: JobStore, settings: Settings, clock: Clock, **kw) -> JobService:  # noqa: ANN003
    images = LocalImageStore(settings.data_dir / "images", LinkSigner(b"k" * 32, 60))
    return JobService(store, images, ModelCatalog([DEMO]), QuietNotifier(), settings, clock=clock, **kw)


@pytest.fixture
def service(store: JobStore, settings: Settings, clock: Clock) -> JobService:
    return make_service(store, settings, clock)


def job_count(store: JobStore) -> int:
    with Session(store.engine) as s:
        return s.exec(select(func.count()).select_from(Job)).one()


def key_count(store: JobStore) -> int:
    with Session(store.engine) as s:
        return s.exec(select(func.count()).select_from(IdempotencyKey)).one()


def test_retry_after_the_answer_was_lost_makes_one_job(service: JobService, store: JobStore) -> None:
    # The job was stored and the 202 never reached the client, which sends the same request again.
    first = service.submit(ALICE, RED, "retry-1")
    again = service.submit(ALICE, RED, "retry-1")
    assert not first.replayed and again.replayed
    assert again.accepted == first.accepted
    assert job_count(store) == 1


def test_same_key_with_another_body_is_refused(service: JobService, store: JobStore) -> None:
    service.submit(ALICE, RED, "k")
    with pytest.raises(IdempotencyKeyReused):
        service.submit(ALICE, BLUE, "k")
    assert job_count(store) == 1


def test_fingerprint_ignores_key_order_whitespace_and_spelled_out_defaults() -> None:
    a = GenerateRequest.model_validate_json('{"prompt": "a red bicycle", "seed": 3}')
    b = GenerateRequest.model_validate_json('{ "seed":3,"num_images":4 ,\n"prompt":"a red bicycle"}')
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(GenerateRequest(prompt="a red bicycle", seed=4))


def test_keys_belong_to_their_caller(service: JobService, store: JobStore) -> None:
    alices = service.submit(ALICE, RED, "shared")
    bobs = service.submit(BOB, BLUE, "shared")
    assert not bobs.replayed and bobs.accepted.job_id != alices.accepted.job_id
    assert job_count(store) == 2


def test_without_a_key_every_request_is_a_new_job(service: JobService, store: JobStore) -> None:
    service.submit(ALICE, RED)
    service.submit(ALICE, RED)
    assert job_count(store) == 2 and key_count(store) == 0


def test_concurrent_requests_with_one_key_make_one_job(store: JobStore, settings: Settings, clock: Clock) -> None:
    # Two services stand for two API replicas: they share no lock, only the database.
    replicas = [make_service(store, settings, clock), make_service(store, settings, clock)]
    start = threading.Barrier(8)
    answers: list[JobAccepted] = []

    def submit(i: int) -> None:
        start.wait()
        answers.append(replicas[i % 2].submit(ALICE, RED, "same").accepted)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(answers) == 8
    assert len({a.job_id for a in answers}) == 1
    assert job_count(store) == 1


def test_expired_key_makes_a_new_job(service: JobService, store: JobStore, clock: Clock) -> None:
    first = service.submit(ALICE, RED, "daily")
    clock.now = T0 + KEY_TTL + timedelta(seconds=1)
    later = service.submit(ALICE, BLUE, "daily")  # another body is fine once the key has expired
    assert not later.replayed and later.accepted.job_id != first.accepted.job_id
    assert service.submit(ALICE, BLUE, "daily").accepted == later.accepted
    assert job_count(store) == 2 and key_count(store) == 1


def test_deleted_job_still_gets_its_first_answer(service: JobService, store: JobStore) -> None:
    first = service.submit(ALICE, RED, "gone")
    service.delete(ALICE, first.accepted.job_id)
    again = service.submit(ALICE, RED, "gone")
    assert again.replayed and again.accepted == first.accepted
    assert job_count(store) == 0


def test_replay_draws_no_rate_limit_and_needs_no_room(store: JobStore, settings: Settings, clock: Clock) -> None:
    tight = settings.model_copy(update={"max_active_jobs_per_user": 1})
    service = make_service(store, tight, clock, limiter=SubmitLimiter(rate_per_minute=1, burst=1))
    first = service.submit(ALICE, RED, "once")
    assert service.submit(ALICE, RED, "once").accepted == first.accepted
    with pytest.raises(RateLimited):
        service.submit(ALICE, RED, "another")


def test_retry_racing_its_first_attempt_draws_no_rate_limit(store: JobStore, settings: Settings, clock: Clock,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The Python client's retry after a read timeout: the first attempt is still storing its job.
    service = make_service(store, settings, clock, limiter=SubmitLimiter(rate_per_minute=1, burst=1))
    first_storing, retry_looked = threading.Event(), threading.Event()
    real_tokens_now, real_first_answer = SubmitLimiter.tokens_now, service.keys.first_answer

    def slow_tokens_now(*args: object) -> float:
        # Called inside the admission lock: the first attempt holds it while the retry looks.
        if threading.current_thread().name == "first":
            first_storing.set()
            assert retry_looked.wait(timeout=10)
        return real_tokens_now(*args)

    def first_answer(*args: object) -> JobAccepted | None:
        answer = real_first_answer(*args)
        if threading.current_thread().name == "retry":
            retry_looked.set()  # it found no answer yet: the first attempt has not committed
        return answer

    monkeypatch.setattr(SubmitLimiter, "tokens_now", slow_tokens_now)
    monkeypatch.setattr(service.keys, "first_answer", first_answer)
    answers: dict[str, object] = {}

    def submit() -> None:
        try:
            answers[threading.current_thread().name] = service.submit(ALICE, RED, "retried")
        except Exception as e:  # noqa: BLE001 - the assertion below says what it was
            answers[threading.current_thread().name] = e

    first = threading.Thread(target=submit, name="first")
    first.start()
    assert first_storing.wait(timeout=10)
    retry = threading.Thread(target=submit, name="retry")
    retry.start()
    for t in (first, retry):
        t.join(timeout=30)
    assert isinstance(answers["first"], Submitted) and not answers["first"].replayed
    assert isinstance(answers["retry"], Submitted), answers["retry"]
    assert answers["retry"].replayed and answers["retry"].accepted == answers["first"].accepted
    assert job_count(store) == 1


def test_replay_found_at_insert_gives_its_token_back(store: JobStore, settings: Settings, clock: Clock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # Another replica stores the same key between this one's last look and its insert.
    other = make_service(store, settings, clock)
    own_store = JobStore(store.engine)
    service = make_service(own_store, settings, clock, limiter=SubmitLimiter(rate_per_minute=1, burst=1))
    real_admit = own_store.admit

    def admit_after_the_other_replica(*args: object) -> None:
        other.submit(ALICE, RED, "raced")
        real_admit(*args)

    monkeypatch.setattr(own_store, "admit", admit_after_the_other_replica)
    raced = service.submit(ALICE, RED, "raced")
    assert raced.replayed
    monkeypatch.setattr(own_store, "admit", real_admit)
    assert not service.submit(ALICE, BLUE, "next").replayed  # the one token is still there
    with pytest.raises(RateLimited):
        service.submit(ALICE, BLUE, "after")


def test_key_is_stored_with_its_job_or_not_at_all(store: JobStore) -> None:
    job = Job(owner_oid="alice", owner_tid="t1", prompt="p", model="demo-flux", width=256, height=256,
              num_images=1, steps=4, guidance=3.5, seed=1, created_at=T0)
    accepted = JobAccepted(job_id=job.id, status=job.status, created_at=T0)
    with Session(store.engine) as s:
        s.add(key_row(ALICE, "taken", "f" * 64, accepted))
        s.commit()
    # The key's insert fails, so the job's insert in the same transaction must not stay either.
    with pytest.raises(IntegrityError):
        store.add(job, key_row(ALICE, "taken", "f" * 64, accepted))
    assert store.get(job.id) is None


def test_sweeper_removes_keys_older_than_a_day(service: JobService, store: JobStore, clock: Clock) -> None:
    service.submit(ALICE, RED, "old")
    clock.now = T0 + timedelta(hours=20)
    service.submit(ALICE, RED, "young")
    sweep(store, service.images, T0 + KEY_TTL + timedelta(minutes=1), retention_days=30, keys=service.keys)
    with Session(store.engine) as s:
        assert [row.key for row in s.exec(select(IdempotencyKey)).all()] == ["young"]
    assert job_count(store) == 2  # jobs keep their own, longer retention


def test_sweeper_without_keys_handed_in_still_removes_them(service: JobService, store: JobStore) -> None:
    service.submit(ALICE, RED, "old")
    sweep(store, service.images, T0 + KEY_TTL, retention_days=30)
    assert key_count(store) == 0
    assert IdempotencyKeys(store.engine).delete_expired(T0 + KEY_TTL) == 0


def test_migration_matches_the_model_and_downgrades(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert [d for d in diff if "idempotency_key" in repr(d)] == []
    command.downgrade(alembic_config(db_url), "0004")
    assert "idempotency_key" not in inspect(engine).get_table_names()
    assert "job" in inspect(engine).get_table_names()
    engine.dispose()
