"""Shared fixtures: settings in a temporary data directory, and both databases.

PostgreSQL tests use the server on 127.0.0.1:5432 for real, each in a database of its own. Where
no server answers they skip, except under CI=true, where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from settings import Settings

PG_ADMIN_URL = os.environ.get("BAG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

# The container image test builds an image for minutes: it is opt-in (`make test-image` sets this),
# left out of collection otherwise rather than collected and skipped.
collect_ignore = [] if os.environ.get("BAG_TEST_IMAGE") == "1" else ["image"]


def _has_cuda() -> bool:
    import torch

    return torch.cuda.is_available()


# Checks of CUDA-only behaviour (tests/gpu) are collected only on a machine with a GPU: elsewhere they
# are not part of the suite at all, rather than skipped. bench/gpu_run.sh runs them on the GPU machine.
if not _has_cuda():
    collect_ignore.append("gpu")


def _pg_admin():  # noqa: ANN202
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true and did not answer: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped on leaving."""
    name = f"bag_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{base}/{name}"
    finally:
        from jobs.db import get_engine

        get_engine.cache_clear()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'jobs.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Runs a test once against SQLite and once against PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        dev_auth=True,
        link_secret="test-secret-test-secret-test-secret",
        lease_seconds=2.0,
        runner_retry_seconds=0.2,
    )


# Tests that start the real product (bentoml serve, several processes) run one after another in one
# xdist worker: their timings (a cancel seen within 5 s, a lease that lapses) assume the machine is
# not also running another such test. Everything else spreads over both workers.
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("serving"))
