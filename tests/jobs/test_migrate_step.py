"""The separate migrate step and the rules a replica checks at start (shared schema, shared secret)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from api.container import prepare_schema
from jobs.db import SchemaNotCurrent, require_current_schema, schema_revisions
from settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def run_migrate(url: str) -> subprocess.Popen:
    env = {**os.environ, "BAG_DATABASE_URL": url}
    return subprocess.Popen([sys.executable, "-m", "jobs.migrate"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_migrate_steps_started_together_take_turns_and_both_succeed(pg_url: str) -> None:
    steps = [run_migrate(pg_url) for _ in range(3)]
    outputs = [step.communicate(timeout=120) for step in steps]
    assert [step.returncode for step in steps] == [0, 0, 0], outputs
    current, head = schema_revisions(pg_url)
    assert current == head
    reports = sorted(out for out, _ in outputs)
    assert sum("already current" in r for r in reports) == 2, reports  # one migrated, two found it done
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_migrate_step_reports_an_unreachable_database_and_fails() -> None:
    step = run_migrate("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    out, err = step.communicate(timeout=60)
    assert step.returncode == 1
    assert "migrate: failed on postgresql+psycopg://nobody@127.0.0.1:9/none" in err


def test_a_replica_that_may_not_migrate_refuses_an_old_schema(pg_url: str, settings: Settings) -> None:
    replica = settings.model_copy(update={"database_url": pg_url, "migrate_on_start": False})
    with pytest.raises(SchemaNotCurrent, match=r"python -m jobs\.migrate"):
        prepare_schema(replica)
    assert run_migrate(pg_url).wait(timeout=120) == 0
    prepare_schema(replica)  # current now: starts
    require_current_schema(pg_url)


def test_one_box_migrates_at_start(sqlite_url: str, settings: Settings) -> None:
    prepare_schema(settings.model_copy(update={"database_url": sqlite_url}))
    current, head = schema_revisions(sqlite_url)
    assert current == head


def test_a_replica_never_makes_up_its_own_link_secret(pg_url: str, tmp_path: Path) -> None:
    shared = Settings(_env_file=None, data_dir=tmp_path, database_url=pg_url, link_secret="")
    with pytest.raises(ValueError, match="BAG_LINK_SECRET is not set"):
        shared.resolved_link_secret()
    assert not (tmp_path / "link-secret").exists()
    one_box = Settings(_env_file=None, data_dir=tmp_path, link_secret="")
    made = one_box.resolved_link_secret()
    assert len(made) >= 48 and one_box.resolved_link_secret() == made  # kept, the same next time
