"""The key cache on its own: one fetch for many concurrent misses, and the schema of the token table."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from auth.keys import KeyCache
from jobs.db import alembic_config, make_engine, migrate
from tests.auth.conftest import KeyServer


def test_concurrent_misses_share_one_fetch(key_server: KeyServer) -> None:
    cache = KeyCache(key_server.url, allow_http=True)

    async def many() -> list:
        return await asyncio.gather(*(cache.get(kid) for kid in ["k1"] * 10 + ["nope"] * 10))

    found = asyncio.run(many())
    assert all(k is not None for k in found[:10])
    assert all(k is None for k in found[10:])
    assert key_server.hits == 1


def test_non_signing_and_malformed_keys_are_skipped(key_server: KeyServer) -> None:
    good = key_server.keys[0]
    key_server.keys = [{**good, "kid": "enc", "use": "enc"}, {"kty": "RSA", "kid": "broken"}, {**good, "kid": None},
                       {"kty": "EC", "kid": "ec"}, good]
    for kid in ["enc", "broken", "ec"]:
        # A fresh cache each time: only a key set fetched for the lookup itself says "not there".
        assert asyncio.run(KeyCache(key_server.url, allow_http=True).get(kid)) is None
    assert asyncio.run(KeyCache(key_server.url, allow_http=True).get("k1")) is not None


def test_access_token_migration_matches_the_model_and_downgrades(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    assert "access_token" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert [d for d in diff if "access_token" in repr(d)] == []
    command.downgrade(alembic_config(db_url), "0002")
    assert "access_token" not in inspect(engine).get_table_names()
    assert "job" in inspect(engine).get_table_names()
    engine.dispose()
