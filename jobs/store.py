"""The job store: every read and write of job rows, each one short transaction.

State changes are compare-and-set updates (`WHERE status = ... AND claims = ...`), so two
processes can never both claim a job, and a process whose claim was taken over (its lease ran
out) can no longer finish it: no job completes twice. `claims` only grows, so a token is never
handed out twice; `attempts` counts only runs that rendered a step (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, and_, delete, func, text, update
from sqlmodel import Session, SQLModel, col, select

from jobs.errors import QueueFull
from jobs.images import JobImage
from jobs.limits import AdmissionLimits, SubmitBucket, TooManyActiveJobs
from jobs.models import ACTIVE_STATUSES, Job, JobStatus
from jobs.search import SQLITE_WORDS_FUNCTION, JobFilter, filter_clauses, prompt_words
from jobs.standing import Standing, standing_query

# Admissions take one lock in every process that shares the database: on PostgreSQL a
# transaction-scoped advisory lock with this key (any 64-bit number that nothing else uses); on
# SQLite, which serves one box (one API process), a lock per engine in this process.
ADMISSION_LOCK_KEY = 0x6261675F61646D31  # "bag_adm1"
_sqlite_locks: dict[tuple[str, str], threading.Lock] = {}
_sqlite_locks_guard = threading.Lock()


def _sqlite_lock(engine: Engine, name: str) -> threading.Lock:
    """One lock per SQLite database file and purpose, shared by every engine of this process."""
    with _sqlite_locks_guard:
        return _sqlite_locks.setdefault((str(engine.url), name), threading.Lock())


class Owner(Protocol):
    """Whoever owns a job: keyed by Entra object id and tenant id, never by name or e-mail."""

    @property
    def oid(self) -> str: ...

    @property
    def tid(self) -> str: ...


def is_owner(job: Job, owner: Owner) -> bool:
    return job.owner_oid == owner.oid and job.owner_tid == owner.tid


@dataclass(frozen=True)
class Recovery:
    requeued: list[str]
    failed: list[str]


@dataclass(frozen=True)
class RetryLimits:
    max_attempts: int  # runs interrupted mid-render
    max_handoffs: int  # runs lost before their first step


# What the owner reads on a job that crashes ended; internal details stay in the server log.
INTERRUPTED_REASON = (
    "The generator stopped while rendering this job {n} times (runner crashed or restarted); not retried again."
)
NEVER_STARTED_REASON = (
    "The generator stopped {n} times before this job started rendering (runner crashed or restarted); "
    "not retried again."
)


class JobStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # -- reads -------------------------------------------------------------------------------
    def get(self, job_id: str) -> Job | None:
        with self._session() as s:
            return s.get(Job, job_id)

    def list_owned(self, owner: Owner, limit: int, offset: int,
                   where: JobFilter | None = None) -> tuple[list[Job], int]:
        where = where or JobFilter()
        wanted = and_(col(Job.owner_tid) == owner.tid, col(Job.owner_oid) == owner.oid,
                      *filter_clauses(where, self.engine.dialect.name))
        with self._session() as s:
            if where.q is not None and self.engine.dialect.name == "sqlite":
                # Registered on the connection this session uses (cheap, and it works whoever made
                # the engine): SQLite's side of prompt search, see jobs/search.py.
                s.connection().connection.driver_connection.create_function(
                    SQLITE_WORDS_FUNCTION, 1, prompt_words, deterministic=True)
            total = s.exec(select(func.count()).select_from(Job).where(wanted)).one()
            rows = s.exec(
                select(Job)
                .where(wanted)
                .order_by(col(Job.created_at).desc(), col(Job.id).desc())
                .limit(limit)
                .offset(offset)
            ).all()
        return list(rows), total

    def count_active(self) -> int:
        with self._session() as s:
            return s.exec(
                select(func.count()).select_from(Job).where(col(Job.status).in_(ACTIVE_STATUSES))
            ).one()

    def count_active_owned(self, owner: Owner) -> int:
        with self._session() as s:
            return s.exec(
                select(func.count()).select_from(Job).where(
                    col(Job.owner_tid) == owner.tid,
                    col(Job.owner_oid) == owner.oid,
                    col(Job.status).in_(ACTIVE_STATUSES),
                )
            ).one()

    def list_active(self, limit: int, offset: int) -> tuple[list[Job], int]:
        active = col(Job.status).in_(ACTIVE_STATUSES)
        with self._session() as s:
            total = s.exec(select(func.count()).select_from(Job).where(active)).one()
            rows = s.exec(
                select(Job).where(active).order_by(col(Job.created_at), col(Job.id)).limit(limit).offset(offset)
            ).all()
        return list(rows), total

    def standing(self, job: Job) -> Standing | None:
        """The jobs and images ahead of a queued or waiting job (jobs/standing.py); None otherwise."""
        if (query := standing_query(job)) is None:
            return None
        with self._session() as s:
            position, images = s.exec(query).one()
        return Standing(queue_position=position, images_ahead=int(images))

    def queued_ids(self, limit: int) -> list[str]:
        return [job_id for job_id, _ in self.queued_heads(limit)]

    def queued_heads(self, limit: int) -> list[tuple[str, bool]]:
        """The oldest queued jobs, each with whether it is a suspect (in flight when the runner broke
        off under a run: it may be what crashed the runner, so it runs alone)."""
        with self._session() as s:
            rows = s.exec(
                select(Job.id, Job.suspect)
                .where(col(Job.status) == JobStatus.queued)
                .order_by(col(Job.created_at), col(Job.id))
                .limit(limit)
            ).all()
        return [(job_id, bool(flag)) for job_id, flag in rows]

    def created_before(self, cutoff: datetime, limit: int = 500) -> list[str]:
        with self._session() as s:
            return list(
                s.exec(
                    select(Job.id).where(col(Job.created_at) < cutoff).order_by(col(Job.created_at)).limit(limit)
                ).all()
            )

    # -- writes ------------------------------------------------------------------------------
    def add(self, job: Job, *with_rows: SQLModel) -> Job:
        """Insert the job and `with_rows` (its idempotency key) in one transaction: both or neither."""
        with self._session() as s:
            s.add(job)
            s.add_all(with_rows)
            s.commit()
        return job

    def admit(self, job: Job, limits: AdmissionLimits, now: datetime, *with_rows: SQLModel) -> Job:
        """Insert the job if the caller's rate, the caller's cap and the queue bound all allow it,
        in one transaction under the admission lock, so N replicas admit exactly what one would.

        Raises RateLimited, TooManyActiveJobs or QueueFull and changes nothing; an IntegrityError
        (an idempotency key stored meanwhile by another request) also leaves the bucket as it was.
        """
        owner_key = (job.owner_tid, job.owner_oid)
        with self._admission_lock(), self._session() as s:
            if self.engine.dialect.name == "postgresql":
                s.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=ADMISSION_LOCK_KEY))
            bucket = None
            if limits.rate is not None and limits.rate.enabled:
                bucket = s.get(SubmitBucket, owner_key)
                tokens = limits.rate.tokens_now(bucket, now)
                limits.rate.refuse_if_empty(tokens)
            mine = (col(Job.owner_tid) == job.owner_tid) & (col(Job.owner_oid) == job.owner_oid)
            active = col(Job.status).in_(ACTIVE_STATUSES)
            if limits.max_active_per_user:
                held = s.exec(select(func.count()).select_from(Job).where(mine, active)).one()
                if held >= limits.max_active_per_user:
                    raise TooManyActiveJobs(limits.max_active_per_user)
            if s.exec(select(func.count()).select_from(Job).where(active)).one() >= limits.max_pending:
                raise QueueFull(retry_after=10)
            if limits.rate is not None and limits.rate.enabled:
                if bucket is None:
                    bucket = SubmitBucket(owner_tid=job.owner_tid, owner_oid=job.owner_oid, tokens=0.0, updated_at=now)
                bucket.tokens, bucket.updated_at = tokens - 1.0, now
                s.add(bucket)
            s.add(job)
            s.add_all(with_rows)
            s.commit()
        return job

    def _admission_lock(self) -> AbstractContextManager:
        if self.engine.dialect.name == "postgresql":
            return nullcontext()  # the advisory lock in the transaction is the lock
        return _sqlite_lock(self.engine, "admission")

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Whether this process may do `name` now and no other holding this store's database may:
        a PostgreSQL advisory lock held (on a connection of its own) until the block ends, or a
        lock in this process on SQLite. Never waits: True if taken, False if someone else has it."""
        if self.engine.dialect.name != "postgresql":
            lock = _sqlite_lock(self.engine, f"exclusive:{name}")
            taken = lock.acquire(blocking=False)
            try:
                yield taken
            finally:
                if taken:
                    lock.release()
            return
        key = int.from_bytes(hashlib.sha256(f"bag:{name}".encode()).digest()[:8], "big", signed=True)
        with self.engine.connect() as conn:
            taken = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()
            try:
                yield taken
            finally:
                if taken:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()

    def forget_full_buckets(self, before: datetime) -> int:
        """Drop submission buckets untouched since `before` (full again by then: they say nothing)."""
        with self._session() as s:
            result = s.exec(delete(SubmitBucket).where(col(SubmitBucket.updated_at) < before))
            s.commit()
            return result.rowcount

    def _cas(self, job_id: str, where: list, values: dict) -> bool:  # noqa: ANN401
        with self._session() as s:
            result = s.exec(update(Job).where(col(Job.id) == job_id, *where).values(**values))
            s.commit()
            return result.rowcount == 1

    def claim(self, job_id: str, now: datetime) -> Job | None:
        """Move a queued job to running, count the attempt and the claim; None if someone else took it."""
        taken = self._cas(
            job_id,
            [col(Job.status) == JobStatus.queued],
            dict(
                status=JobStatus.running,
                attempts=Job.attempts + 1,
                claims=Job.claims + 1,
                started_at=now,
                heartbeat_at=now,
                progress_step=0,
                progress_total=0,
            ),
        )
        return self.get(job_id) if taken else None

    def _running(self, claim: int) -> list:
        return [col(Job.status) == JobStatus.running, col(Job.claims) == claim]

    def heartbeat_many(self, beats: dict[str, tuple[int, int, int]], now: datetime) -> set[str]:
        """Renew several leases in one transaction: job id -> (claim, step, total).

        Returns the ids whose claim is no longer ours (cancelled, deleted or taken over).
        """
        lost = set()
        with self._session() as s:
            for job_id, (claim, step, total) in beats.items():
                result = s.exec(
                    update(Job)
                    .where(col(Job.id) == job_id, *self._running(claim))
                    .values(heartbeat_at=now, progress_step=step, progress_total=total)
                )
                if result.rowcount != 1:
                    lost.add(job_id)
            s.commit()
        return lost

    def complete(self, job_id: str, claim: int, now: datetime, images: int, pipeline_ms: float,
                 size: tuple[int, int] | None = None, *, recipe: str | None = None,
                 style_version: int | None = None, rows: Collection[SQLModel] = ()) -> bool:
        """Finish our attempt. `size` is what the model rendered (HiDream picks its own size);
        `recipe` what it rendered with (jobs/recipes.py); `rows` the images' rows (jobs/images.py),
        written in the same transaction, so a complete job always has them."""
        values = dict(
            status=JobStatus.complete,
            finished_at=now,
            images_stored=images,
            pipeline_ms=pipeline_ms,
            progress_step=Job.progress_total,
            suspect=False,
            recipe=recipe,
            style_version=style_version,
        )
        if size is not None:
            values.update(width=size[0], height=size[1])
        with self._session() as s:
            result = s.exec(update(Job).where(col(Job.id) == job_id, *self._running(claim)).values(**values))
            if result.rowcount != 1:
                s.rollback()
                return False
            s.add_all(rows)
            s.commit()
        return True

    def fail(self, job_id: str, claim: int, now: datetime, reason: str) -> bool:
        return self._cas(
            job_id, self._running(claim), dict(status=JobStatus.failed, finished_at=now, error=reason)
        )

    _REQUEUED = dict(status=JobStatus.queued, heartbeat_at=None, progress_step=0, progress_total=0)

    def give_back(self, job_id: str, claim: int) -> bool:
        """Queue a claimed job again unspent: the runner never took it (busy or unreachable), or the
        process stops gracefully (a redeploy is no crash)."""
        return self._cas(job_id, self._running(claim), dict(self._REQUEUED, attempts=Job.attempts - 1))

    def lose(self, job_id: str, claim: int, now: datetime, *, rendered: bool, limits: RetryLimits,
             suspect: bool = False, stale_before: datetime | None = None,
             failed_reason: str = INTERRUPTED_REASON) -> JobStatus | None:
        """A run ended with no answer (runner crash or restart, process death): queue the job again,
        or fail it at its limit. Returns the new status; None if the claim was not ours any more.

        A run that rendered a step spends its attempt. One lost before that gives it back and counts
        a handoff instead. `suspect`: the runner broke off under the run (it crashed or restarted,
        maybe because of this job), so the job runs alone until it completes; a lapsed lease (the
        API died) says nothing about the job and leaves the flag as it was. `stale_before`: take the
        claim only if its lease is still lapsed then. `failed_reason`: what the owner reads if this
        spends the last attempt (`{n}`: the attempts).
        """
        job = self.get(job_id)
        if job is None or job.status != JobStatus.running or job.claims != claim:
            return None
        where = self._running(claim)
        if stale_before is not None:
            where.append(col(Job.heartbeat_at) < stale_before)
        if rendered:
            values: dict = dict(self._REQUEUED)
            if job.attempts >= limits.max_attempts:
                values = dict(status=JobStatus.failed, finished_at=now,
                              error=failed_reason.format(n=job.attempts))
        else:
            handoffs = job.handoffs + 1
            values = dict(self._REQUEUED, attempts=Job.attempts - 1, handoffs=handoffs)
            if handoffs >= limits.max_handoffs:
                values.update(status=JobStatus.failed, finished_at=now, error=NEVER_STARTED_REASON.format(n=handoffs))
        if suspect:
            values["suspect"] = True
        return values["status"] if self._cas(job_id, where, values) else None

    def cancel(self, job_id: str, now: datetime) -> bool:
        return self._cas(
            job_id,
            [col(Job.status).in_(ACTIVE_STATUSES)],
            dict(status=JobStatus.cancelled, finished_at=now),
        )

    def delete(self, job_id: str) -> bool:
        """The job and its images' rows (the one place they go)."""
        with self._session() as s:
            s.exec(delete(JobImage).where(col(JobImage.job_id) == job_id))
            result = s.exec(delete(Job).where(col(Job.id) == job_id))
            s.commit()
            return result.rowcount == 1

    def recover_stale(self, now: datetime, lease_seconds: float, limits: RetryLimits,
                      held: Collection[str] = ()) -> Recovery:
        """Find running jobs whose lease ran out (their process died) and queue or fail them.

        `held`: jobs the caller itself has in flight. Their lease can only have lapsed because the
        caller stalled; taking them over spent an attempt on a run that was still going, and the
        second claim then raced the first (attempts counted with no crash behind them).
        """
        cutoff = now - timedelta(seconds=lease_seconds)
        with self._session() as s:
            stale = s.exec(
                select(Job.id, Job.claims, Job.progress_step).where(
                    col(Job.status) == JobStatus.running, col(Job.heartbeat_at) < cutoff
                )
            ).all()
        requeued, failed = [], []
        for job_id, claim, step in stale:
            if job_id in held:
                continue
            # The step as the last heartbeat recorded it (progress is copied every second or so).
            outcome = self.lose(job_id, claim, now, rendered=step > 0, limits=limits, stale_before=cutoff)
            if outcome == JobStatus.queued:
                requeued.append(job_id)
            elif outcome == JobStatus.failed:
                failed.append(job_id)
        return Recovery(requeued=requeued, failed=failed)
