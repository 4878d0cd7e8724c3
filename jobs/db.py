"""Database engines and schema migrations (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text

MIGRATIONS = Path(__file__).parent / "migrations"


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        # One pooled connection per thread-pool worker (anyio's default limit is 40): a smaller pool
        # would open and close overflow connections on every poll under load.
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=40, max_overflow=10
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            # NORMAL sync under WAL (set once by migrate) is durable across a process crash; only a
            # power loss can drop the last commits.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache
def get_engine(url: str) -> Engine:
    return make_engine(url)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


# Held while migrating on PostgreSQL: replicas (or migrate jobs) that start together take turns, and
# the ones after the first find nothing left to do. Any 64-bit number nothing else uses.
MIGRATION_LOCK_KEY = 0x6261675F6D696772  # "bag_migr"
MIGRATION_LOCK_POLL_SECONDS = 0.2


class SchemaNotCurrent(RuntimeError):
    """The database is not at the schema this version needs and this process may not migrate it."""


def migrate(url: str, revision: str = "head") -> str | None:
    """Bring the schema up to `revision`; safe to run at every start, and from several processes
    at once on PostgreSQL (an advisory lock makes them take turns). Returns the revision the
    database was at when this process's turn came (None: empty)."""
    _ensure_sqlite_dir(url)
    if url.startswith("sqlite"):
        # WAL lets pollers read while the dispatcher writes; the mode is kept in the file itself.
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
        before = schema_revisions(url)[0]
        command.upgrade(alembic_config(url), revision)
        return before
    engine = create_engine(url)
    try:
        # The lock lives on a connection of its own, held while Alembic migrates on another.
        with engine.connect() as lock:
            # Asked for again and again, not waited for inside pg_advisory_lock(): a session waiting
            # in a statement holds a snapshot, and CREATE INDEX CONCURRENTLY (migration 0009) waits
            # for every older snapshot to go, so the step migrating and those waiting would wait
            # for each other for ever.
            while not lock.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY}).scalar():
                lock.commit()
                time.sleep(MIGRATION_LOCK_POLL_SECONDS)
            lock.commit()
            try:
                before = schema_revisions(url)[0]
                command.upgrade(alembic_config(url), revision)
                return before
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                lock.commit()
    finally:
        engine.dispose()


def schema_revisions(url: str) -> tuple[str | None, str]:
    """(the database's revision, the newest this version knows)."""
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head() or ""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    return current, head


def require_current_schema(url: str) -> None:
    """Refuse to start on a schema that the separate migrate step has not brought up to date."""
    current, head = schema_revisions(url)
    if current != head:
        raise SchemaNotCurrent(
            f"The database schema is at revision {current or 'none (empty database)'}, and this version "
            f"needs {head}. Run the migrate step first (`python -m jobs.migrate`, with the same "
            "BAG_DATABASE_URL), or set BAG_MIGRATE_ON_START=true to migrate at start (one box)."
        )
