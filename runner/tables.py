"""The run state runners share through the database when several sit behind one address.

Any call may reach any runner, so what the API asks about a run (its progress) and asks of it (a
cancel) is kept here, where every runner can answer and the runner holding the run can see it. One
box keeps this state in the runner's memory instead (runner/board.py). The schema is owned by the
Alembic migrations in `jobs/migrations`. No torch here: the API reads `runner_instance` for /health.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, DateTime, Index, Text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from common.clock import utcnow


class RunnerRun(SQLModel, table=True):
    """A run some runner is working on now: one row per (job, claim), removed when the run ends."""

    __tablename__ = "runner_run"
    __table_args__ = (Index("ix_runner_run_updated_at", "updated_at"),)

    job_id: str = SQLField(primary_key=True, max_length=36)
    claim: int = SQLField(primary_key=True)
    runner_id: str = SQLField(max_length=64)
    step: int = 0
    total: int = 0
    updated_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))


class RunnerCancel(SQLModel, table=True):
    """A cancel of one run, taken by whichever runner the call reached; the holder stops on seeing it."""

    __tablename__ = "runner_cancel"
    __table_args__ = (Index("ix_runner_cancel_created_at", "created_at"),)

    job_id: str = SQLField(primary_key=True, max_length=36)
    claim: int = SQLField(primary_key=True)
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))


class RunnerInstance(SQLModel, table=True):
    """A runner process that is (or was lately) serving: it renews `seen_at` every few seconds."""

    __tablename__ = "runner_instance"
    __table_args__ = (Index("ix_runner_instance_seen_at", "seen_at"),)

    id: str = SQLField(primary_key=True, max_length=64)
    host: str = SQLField(max_length=255)
    device: str = SQLField(max_length=32)
    # The model names it serves, as a JSON list.
    models: str = SQLField(default="[]", sa_type=Text)
    runs: int = 0
    started_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))
    seen_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))
    # Why it could not start ("<exception type>: <first line>"), written as it exits; None once
    # it serves (runner/startup.py).
    error: str | None = SQLField(default=None, sa_type=Text)


def upsert(conn: Connection, model: type[SQLModel], rows: list[dict], keys: list[str]) -> None:
    """Insert `rows`, or update the rows with the same `keys` to them (PostgreSQL or SQLite)."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    ins = insert(model.__table__).values(rows)
    conn.execute(ins.on_conflict_do_update(
        index_elements=keys, set_={c: ins.excluded[c] for c in rows[0] if c not in keys}))
