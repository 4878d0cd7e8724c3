"""The job store: every read and write of job rows, each one short transaction.

State changes are compare-and-set updates (`WHERE status = ... AND attempts = ...`), so two
processes can never both claim a job, and a process whose attempt was taken over (its lease ran
out) can no longer finish it: no job completes twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, delete, func, update
from sqlmodel import Session, SQLModel, col, select

from jobs.models import ACTIVE_STATUSES, Job, JobStatus


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


class JobStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # -- reads -------------------------------------------------------------------------------
    def get(self, job_id: str) -> Job | None:
        with self._session() as s:
            return s.get(Job, job_id)

    def list_owned(self, owner: Owner, limit: int, offset: int) -> tuple[list[Job], int]:
        mine = (col(Job.owner_tid) == owner.tid) & (col(Job.owner_oid) == owner.oid)
        with self._session() as s:
            total = s.exec(select(func.count()).select_from(Job).where(mine)).one()
            rows = s.exec(
                select(Job)
                .where(mine)
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

    def queue_position(self, job: Job) -> int:
        """How many queued jobs were accepted before this one."""
        with self._session() as s:
            return s.exec(
                select(func.count())
                .select_from(Job)
                .where(col(Job.status) == JobStatus.queued, col(Job.created_at) < job.created_at)
            ).one()

    def queued_ids(self, limit: int) -> list[str]:
        with self._session() as s:
            return list(
                s.exec(
                    select(Job.id)
                    .where(col(Job.status) == JobStatus.queued)
                    .order_by(col(Job.created_at), col(Job.id))
                    .limit(limit)
                ).all()
            )

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

    def _cas(self, job_id: str, where: list, values: dict) -> bool:  # noqa: ANN401
        with self._session() as s:
            result = s.exec(update(Job).where(col(Job.id) == job_id, *where).values(**values))
            s.commit()
            return result.rowcount == 1

    def claim(self, job_id: str, now: datetime) -> Job | None:
        """Move a queued job to running and count the attempt; None if someone else took it."""
        taken = self._cas(
            job_id,
            [col(Job.status) == JobStatus.queued],
            dict(
                status=JobStatus.running,
                attempts=Job.attempts + 1,
                started_at=now,
                heartbeat_at=now,
                progress_step=0,
                progress_total=0,
            ),
        )
        return self.get(job_id) if taken else None

    def _running(self, attempt: int) -> list:
        return [col(Job.status) == JobStatus.running, col(Job.attempts) == attempt]

    def heartbeat_many(self, beats: dict[str, tuple[int, int, int]], now: datetime) -> set[str]:
        """Renew several leases in one transaction: job id -> (attempt, step, total).

        Returns the ids whose attempt is no longer ours (cancelled, deleted or taken over).
        """
        lost = set()
        with self._session() as s:
            for job_id, (attempt, step, total) in beats.items():
                result = s.exec(
                    update(Job)
                    .where(col(Job.id) == job_id, *self._running(attempt))
                    .values(heartbeat_at=now, progress_step=step, progress_total=total)
                )
                if result.rowcount != 1:
                    lost.add(job_id)
            s.commit()
        return lost

    def complete(self, job_id: str, attempt: int, now: datetime, images: int, pipeline_ms: float,
                 size: tuple[int, int] | None = None) -> bool:
        """Finish our attempt. `size` is what the model rendered (HiDream picks its own size)."""
        values = dict(
            status=JobStatus.complete,
            finished_at=now,
            images_stored=images,
            pipeline_ms=pipeline_ms,
            progress_step=Job.progress_total,
        )
        if size is not None:
            values.update(width=size[0], height=size[1])
        return self._cas(job_id, self._running(attempt), values)

    def fail(self, job_id: str, attempt: int, now: datetime, reason: str) -> bool:
        return self._cas(
            job_id, self._running(attempt), dict(status=JobStatus.failed, finished_at=now, error=reason)
        )

    def release(self, job_id: str, attempt: int, *, count_attempt: bool) -> bool:
        """Put a running job back in the queue (the runner was busy or unreachable)."""
        values: dict = dict(status=JobStatus.queued, heartbeat_at=None, progress_step=0, progress_total=0)
        if not count_attempt:
            values["attempts"] = Job.attempts - 1
        return self._cas(job_id, self._running(attempt), values)

    def cancel(self, job_id: str, now: datetime) -> bool:
        return self._cas(
            job_id,
            [col(Job.status).in_(ACTIVE_STATUSES)],
            dict(status=JobStatus.cancelled, finished_at=now),
        )

    def delete(self, job_id: str) -> bool:
        with self._session() as s:
            result = s.exec(delete(Job).where(col(Job.id) == job_id))
            s.commit()
            return result.rowcount == 1

    def recover_stale(self, now: datetime, lease_seconds: float, max_attempts: int) -> Recovery:
        """Find running jobs whose lease ran out (their process died) and queue or fail them."""
        cutoff = now - timedelta(seconds=lease_seconds)
        with self._session() as s:
            stale = s.exec(
                select(Job.id, Job.attempts).where(
                    col(Job.status) == JobStatus.running, col(Job.heartbeat_at) < cutoff
                )
            ).all()
        requeued, failed = [], []
        for job_id, attempts in stale:
            if attempts >= max_attempts:
                reason = f"Interrupted {attempts} times while running; not retried again."
                if self.fail(job_id, attempts, now, reason):
                    failed.append(job_id)
            elif self.release(job_id, attempts, count_attempt=True):
                requeued.append(job_id)
        return Recovery(requeued=requeued, failed=failed)
