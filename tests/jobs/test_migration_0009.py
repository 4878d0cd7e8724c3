"""Migration 0009 (prompt search): the schema it leaves, its way back, and an index built on
PostgreSQL without holding up the writes to `job`."""

from __future__ import annotations

import threading
import time
import warnings
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel

from auth.models import User
from jobs.db import alembic_config, make_engine, migrate, schema_revisions
from jobs.models import Job
from jobs.search import JobFilter
from jobs.store import JobStore

ALICE = User(oid="alice", tid="t1")


def new_job(prompt: str) -> Job:
    return Job(owner_oid=ALICE.oid, owner_tid=ALICE.tid, prompt=prompt, created_at=datetime.now(UTC),
               model="demo-flux", width=256, height=256, num_images=1, steps=4, guidance=3.5, seed=1)


def insert_0008_job(session: Session, prompt: str) -> None:
    """A job as code of revision 0008 writes it: only the columns that existed then (later
    migrations add more, which the table does not have yet while 0009 runs)."""
    job = new_job(prompt)
    columns = ["id", "owner_oid", "owner_tid", "prompt", "model", "width", "height", "num_images", "steps",
               "guidance", "seed", "status", "progress_step", "progress_total", "attempts", "claims",
               "handoffs", "suspect", "created_at", "images_stored"]
    session.execute(text(f"INSERT INTO job ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"),
                    {c: getattr(job, c) for c in columns})


def search_objects(engine: Engine) -> list[str]:
    """What 0009 adds: the GIN index, valid, and on PostgreSQL the function it indexes."""
    names = [ix["name"] for ix in inspect(engine).get_indexes("job") if ix["name"] == "ix_job_prompt_words"]
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            names += conn.execute(text("SELECT proname FROM pg_proc WHERE proname = 'job_prompt_words'")).scalars().all()
            invalid = conn.execute(text("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).scalar()
        assert invalid == 0
    return names


def test_the_job_table_matches_the_migrations_and_0009_goes_down_and_up_again(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (and has none here): Alembic says so and skips it.
        warnings.filterwarnings("ignore", message=".*expression-based index")
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    about_job = [d for d in diff if any(t in repr(d) for t in ("table=<job>", "Table('job'", "'ix_job_"))]
    assert about_job == []

    on_postgresql = ["ix_job_prompt_words", "job_prompt_words"] if engine.dialect.name == "postgresql" else []
    assert search_objects(engine) == on_postgresql
    command.downgrade(alembic_config(db_url), "0008")
    assert search_objects(engine) == []
    migrate(db_url)
    assert search_objects(engine) == on_postgresql
    engine.dispose()


def wait_until_the_index_build_waits(engine: Engine) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND query ILIKE 'CREATE INDEX%ix_job_prompt_words%' AND wait_event_type = 'Lock'"
            )).scalar():
                return
        time.sleep(0.05)
    pytest.fail("the migration never started building ix_job_prompt_words")


def test_jobs_are_stored_while_the_index_is_built(pg_url: str) -> None:
    command.upgrade(alembic_config(pg_url), "0008")
    engine = make_engine(pg_url)
    # A writer whose transaction is open when the build starts: the build waits for it to end.
    older = Session(engine)
    insert_0008_job(older, "a job stored before the build")
    migrating = threading.Thread(target=migrate, args=(pg_url,))
    migrating.start()
    try:
        wait_until_the_index_build_waits(engine)
        # Meanwhile new jobs must go in: a plain CREATE INDEX would queue them behind itself.
        impatient = make_engine(pg_url + "?options=-c%20lock_timeout%3D3000")
        with Session(impatient) as during:
            insert_0008_job(during, "a job stored during the build")
            during.commit()
        impatient.dispose()
    finally:
        older.commit()
        older.close()
        migrating.join(timeout=60)
    assert not migrating.is_alive()
    current, head = schema_revisions(pg_url)
    assert current == head
    assert search_objects(engine) == ["ix_job_prompt_words", "job_prompt_words"]
    rows, total = JobStore(engine).list_owned(ALICE, 10, 0, JobFilter(q="stored build"))
    assert total == 2
    engine.dispose()


def test_a_build_cut_short_is_made_again_by_the_next_migration(pg_url: str) -> None:
    command.upgrade(alembic_config(pg_url), "0008")
    engine = make_engine(pg_url)
    older = Session(engine)
    insert_0008_job(older, "a job stored before the build")
    # The build gives up waiting for that writer, and leaves an invalid index behind.
    with pytest.raises(OperationalError, match="lock timeout"):
        migrate(pg_url + "?options=-c%20lock_timeout%3D500")
    older.commit()
    older.close()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).scalar() == 1
    assert schema_revisions(pg_url)[0] == "0008"
    migrate(pg_url)
    assert search_objects(engine) == ["ix_job_prompt_words", "job_prompt_words"]
    assert JobStore(engine).list_owned(ALICE, 10, 0, JobFilter(q="befor"))[1] == 1
    engine.dispose()
