"""Database engines and schema migrations (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

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


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema up to `revision`; safe to run at every start."""
    _ensure_sqlite_dir(url)
    if url.startswith("sqlite"):
        # WAL lets pollers read while the dispatcher writes; the mode is kept in the file itself.
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
    command.upgrade(alembic_config(url), revision)
