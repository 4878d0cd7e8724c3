"""Per-user limits on job submission, kept in the database so they hold across API replicas.

Only POST /generate draws from them; polling a job is cheap and never limited here. Three limits
decide an admission, all in the transaction that inserts the job (`JobStore.admit`), under one lock
that every replica takes (an advisory lock on PostgreSQL):
- a token bucket per user (`submit_bucket`), refilled at `rate_per_minute`, holding up to `burst`;
- a cap on the user's jobs queued or running at once;
- the queue bound: jobs queued or running, all users together.

PostgreSQL rather than Redis: the three checks and the insert are one transaction, so a job is
admitted exactly when all three agree, a refused request spends nothing, and no second system
has to be deployed, secured and kept available for submissions to work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, Index
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from common.clock import aware
from jobs.errors import DomainError


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after: int, message: str = "Too many requests; try again shortly.") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyActiveJobs(RateLimited):
    code = "too_many_active_jobs"

    def __init__(self, limit: int, retry_after: int = 5) -> None:
        super().__init__(retry_after, f"You already have {limit} jobs queued or running; wait for one to finish.")


class SubmitBucket(SQLModel, table=True):
    """One user's submission allowance. The schema is owned by the Alembic migrations."""

    __tablename__ = "submit_bucket"
    __table_args__ = (Index("ix_submit_bucket_updated_at", "updated_at"),)

    owner_tid: str = SQLField(primary_key=True, max_length=64)
    owner_oid: str = SQLField(primary_key=True, max_length=64)
    tokens: float
    updated_at: datetime = SQLField(sa_type=DateTime(timezone=True))


@dataclass(frozen=True)
class SubmitLimiter:
    """`rate_per_minute` submissions a minute, at most `burst` saved up; a rate of 0 turns it off."""

    rate_per_minute: float
    burst: int

    @property
    def enabled(self) -> bool:
        return self.rate_per_minute > 0

    def tokens_now(self, bucket: SubmitBucket | None, now: datetime) -> float:
        """What the bucket holds at `now`: a user seen for the first time starts full. A clock that
        went back (replicas' clocks differ a little) refills nothing, never takes anything away."""
        if bucket is None:
            return float(self.burst)
        elapsed = max(0.0, (aware(now) - aware(bucket.updated_at)).total_seconds())
        return min(float(self.burst), bucket.tokens + elapsed * self.rate_per_minute / 60.0)

    def refuse_if_empty(self, tokens: float) -> None:
        if tokens < 1.0:
            per_second = self.rate_per_minute / 60.0
            raise RateLimited(retry_after=max(1, math.ceil((1.0 - tokens) / per_second)))

    def seconds_to_full(self) -> float:
        """After this long unused, a bucket is full again and its row says nothing: it can go."""
        return self.burst / (self.rate_per_minute / 60.0) if self.enabled else 0.0


@dataclass(frozen=True)
class AdmissionLimits:
    """Everything `JobStore.admit` checks; a cap of 0 turns it off."""

    rate: SubmitLimiter | None
    max_active_per_user: int
    max_pending: int
