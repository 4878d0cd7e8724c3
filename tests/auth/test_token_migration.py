"""Migration 0006 on both databases: existing tokens get an expiry, and the schema matches the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import auth.access  # noqa: F401  (the tables compared below)
import auth.audit  # noqa: F401
from jobs.db import alembic_config, make_engine, migrate

TABLES = ("access_token", "owner_access", "audit_event")


def test_existing_tokens_get_an_expiry_and_the_schema_matches_the_models(db_url: str) -> None:
    migrate(db_url, "0005")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO access_token (id, owner_oid, owner_tid, owner_name, name, token_hash, created_at)"
            " VALUES ('t1', 'o', 't', '', 'old tool', :h, :at)"), {"h": "0" * 64, "at": datetime(2025, 1, 1, tzinfo=UTC)})
    migrate(db_url)
    with engine.connect() as conn:
        prefix, expires_at = conn.execute(text("SELECT prefix, expires_at FROM access_token")).one()
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    if isinstance(expires_at, str):  # SQLite hands back text
        expires_at = datetime.fromisoformat(expires_at)
    expires_at = expires_at.replace(tzinfo=expires_at.tzinfo or UTC)
    assert prefix == "bag_pat_"
    assert abs(expires_at - (datetime.now(UTC) + timedelta(days=90))) < timedelta(minutes=5)
    assert [d for d in diff if any(t in repr(d) for t in TABLES)] == []
    assert not any(c["nullable"] for c in inspect(engine).get_columns("access_token") if c["name"] == "expires_at")

    command.downgrade(alembic_config(db_url), "0005")
    names = inspect(engine).get_table_names()
    assert "owner_access" not in names and "audit_event" not in names
    assert "prefix" not in {c["name"] for c in inspect(engine).get_columns("access_token")}
    migrate(db_url)  # and up again over the downgraded schema
    assert "audit_event" in inspect(engine).get_table_names()
    engine.dispose()
