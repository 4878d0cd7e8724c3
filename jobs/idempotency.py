"""Idempotency keys for POST /generate: a retry with the same key gets the first answer, not a new job.

Semantics follow Stripe's and the IETF draft "The Idempotency-Key HTTP Header Field":
- A key belongs to its caller (owner oid and tid): two callers may use the same key.
- The request is fingerprinted (SHA-256 of the parsed request in canonical JSON), so key order,
  whitespace or a default spelled out do not make a retry "different".
- Within `KEY_TTL` the same key and fingerprint answer what was answered the first time (even if the
  job was deleted since); the same key with another fingerprint is refused.
- The key row is written in the same transaction as its job row, so no crash leaves one without the
  other. A request that was refused (400, 429, 503) stores nothing: a retry is tried afresh.
- Two requests with one key at once: the second waits on the first's insert (the primary key) and
  then answers the first one's job; there is never an "in progress" row to report.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import DateTime, Engine, Index, Text, delete
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col

from common.clock import aware
from jobs.errors import IdempotencyKeyReused
from jobs.models import JobAccepted
from jobs.store import Owner

KEY_TTL = timedelta(hours=24)
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Printable ASCII, as Stripe allows: a UUID, a hash or "order-42/retry" all fit.
KEY_PATTERN = r"^[\x20-\x7e]+$"


class IdempotencyKey(SQLModel, table=True):
    """One answered key. The schema is owned by the Alembic migrations in `jobs/migrations`."""

    __tablename__ = "idempotency_key"
    __table_args__ = (Index("ix_idempotency_key_created_at", "created_at"),)

    owner_tid: str = SQLField(primary_key=True, max_length=64)
    owner_oid: str = SQLField(primary_key=True, max_length=64)
    key: str = SQLField(primary_key=True, max_length=MAX_KEY_LENGTH)
    fingerprint: str = SQLField(max_length=64)
    job_id: str = SQLField(max_length=36)
    # The 202 body as first sent, so a replay is the same answer even after the job is gone.
    response: str = SQLField(sa_type=Text)
    created_at: datetime = SQLField(sa_type=DateTime(timezone=True))


def fingerprint(request: BaseModel) -> str:
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def key_row(owner: Owner, key: str, print_: str, accepted: JobAccepted) -> IdempotencyKey:
    """The row to store in the same transaction as the job just accepted."""
    return IdempotencyKey(owner_tid=owner.tid, owner_oid=owner.oid, key=key, fingerprint=print_,
                          job_id=accepted.job_id, response=accepted.model_dump_json(),
                          created_at=accepted.created_at)


class IdempotencyKeys:
    """Reads and clean-up of the key table; new rows are written by `JobStore.add` with their job."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def first_answer(self, owner: Owner, key: str, print_: str, now: datetime) -> JobAccepted | None:
        """The answer given to this key within `KEY_TTL`, or None if it is unused (or expired).

        Raises IdempotencyKeyReused when the key was used for a different request.
        """
        with Session(self.engine) as s:
            row = s.get(IdempotencyKey, (owner.tid, owner.oid, key))
        if row is None:
            return None
        if aware(row.created_at) <= now - KEY_TTL:
            # The sweeper has not got to it yet; gone now, so the new use of the key can be stored.
            self._forget_expired(owner, key, now)
            return None
        if row.fingerprint != print_:
            raise IdempotencyKeyReused()
        return JobAccepted.model_validate_json(row.response)

    def _forget_expired(self, owner: Owner, key: str, now: datetime) -> None:
        with Session(self.engine) as s:
            s.exec(delete(IdempotencyKey).where(
                col(IdempotencyKey.owner_tid) == owner.tid,
                col(IdempotencyKey.owner_oid) == owner.oid,
                col(IdempotencyKey.key) == key,
                col(IdempotencyKey.created_at) <= now - KEY_TTL,
            ))
            s.commit()

    def delete_expired(self, now: datetime) -> int:
        """The retention sweeper's part: every key past `KEY_TTL`; returns how many went."""
        with Session(self.engine) as s:
            result = s.exec(delete(IdempotencyKey).where(col(IdempotencyKey.created_at) <= now - KEY_TTL))
            s.commit()
            return result.rowcount
