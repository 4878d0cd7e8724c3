"""Runners behind one address share run state through the database: two boards stand for two runners.

Against SQLite and the real PostgreSQL alike (`db_url`); the boards sync at their real interval, so
the timings asserted here are the ones a deployment gets.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from common.clock import utcnow
from jobs.db import make_engine, migrate
from jobs.models import Job, JobStatus
from runner.board import DatabaseBoard, MemoryBoard, make_board, run_key
from runner.schemas import JobProgress
from runner.tables import RunnerCancel, RunnerInstance, RunnerRun
from settings import Settings
from tests.polling import wait_for


@pytest.fixture
def engine(db_url: str):  # noqa: ANN201
    migrate(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def boards(engine) -> Iterator[Callable[[str], DatabaseBoard]]:  # noqa: ANN001
    made: list[DatabaseBoard] = []

    def make(runner_id: str, **kw) -> DatabaseBoard:  # noqa: ANN003
        board = DatabaseBoard(engine, runner_id, device="cpu", models=["demo-flux"], **kw)
        made.append(board)
        return board

    yield make
    for b in made:
        b.close()


def running_job(engine, claim: int = 1) -> str:  # noqa: ANN001
    """A job row as the dispatcher leaves it once it has claimed the job: running, under `claim`."""
    job = Job(owner_oid="alice", owner_tid="t1", prompt="a mug", model="demo-flux", width=256, height=256,
              num_images=1, steps=4, guidance=3.5, seed=1, status=JobStatus.running, claims=claim, attempts=1)
    with Session(engine) as s:
        s.add(job)
        s.commit()
        return job.id


def rows(engine, table) -> list:  # noqa: ANN001
    with Session(engine) as s:
        return list(s.exec(select(table)).scalars())


def test_a_cancel_taken_by_another_runner_stops_the_run_within_a_second(engine, boards) -> None:  # noqa: ANN001
    a, b = boards("runner-a"), boards("runner-b")
    job = running_job(engine)
    key = run_key(job, 1)
    assert a.begin([key], 4) == [key]
    a.step([key], 1, 4)
    assert not a.should_stop([key])
    b.cancel(job, 1)
    asked = time.monotonic()
    wait_for(lambda: a.should_stop([key]), timeout=3)
    assert time.monotonic() - asked < 3.0  # two sync rounds are 1 s; the rest is room for a loaded machine


def test_a_cancel_for_another_claim_of_the_job_leaves_the_run_alone(engine, boards) -> None:  # noqa: ANN001
    a, b = boards("runner-a"), boards("runner-b")
    job = running_job(engine, claim=2)
    key = run_key(job, 2)
    a.begin([key], 4)
    b.cancel(job, 1)  # meant for an older run, taken over since
    wait_for(lambda: rows(engine, RunnerCancel))
    a.sync_once()
    assert not a.should_stop([key])


def test_progress_asked_of_another_runner_answers_the_runs_step(engine, boards) -> None:  # noqa: ANN001
    a, b = boards("runner-a"), boards("runner-b")
    job, other = running_job(engine), running_job(engine)
    a.begin([run_key(job, 1), run_key(other, 1)], 8)
    a.step([run_key(job, 1)], 3, 8)
    expected = [JobProgress(job_id=job, claim=1, step=3, total=8)]
    assert wait_for(lambda: b.progress([job]) == expected and b.progress([job]), timeout=2)
    assert a.progress([job]) == expected  # the holder answers from its own view at once


def test_a_job_that_moved_on_stops_its_old_run(engine, boards) -> None:  # noqa: ANN001
    a = boards("runner-a")
    ours, cancelled, taken_over, deleted = (running_job(engine) for _ in range(4))
    with Session(engine) as s:
        s.exec(update(Job).where(Job.id == cancelled).values(status=JobStatus.cancelled))
        # A lapsed lease: another dispatcher claimed the job again while this run went on.
        s.exec(update(Job).where(Job.id == taken_over).values(claims=2))
        s.exec(delete(Job).where(Job.id == deleted))
        s.commit()
    keys = {j: run_key(j, 1) for j in (ours, cancelled, taken_over, deleted)}
    a.begin(list(keys.values()), 4)
    assert a.sync_once()
    assert [j for j, k in keys.items() if a.should_stop([k])] == [cancelled, taken_over, deleted]
    assert not a.should_stop([keys[ours]])


def test_rows_of_a_run_go_when_it_ends(engine, boards) -> None:  # noqa: ANN001
    a, b = boards("runner-a"), boards("runner-b")
    job = running_job(engine)
    key = run_key(job, 1)
    a.begin([key], 4)
    wait_for(lambda: rows(engine, RunnerRun))
    b.cancel(job, 1)
    wait_for(lambda: a.should_stop([key]))
    a.end([key])
    wait_for(lambda: not rows(engine, RunnerRun) and not rows(engine, RunnerCancel), timeout=2)
    assert a.progress([job]) == [] and wait_for(lambda: b.progress([job]) == [], timeout=2)


def test_each_runner_renews_its_instance_row(engine, boards) -> None:  # noqa: ANN001
    a = boards("runner-a", start=False)  # no sync thread: its round could write an older view last
    a.begin([run_key(running_job(engine), 1)], 4)
    a._next_instance = 0.0  # the next round writes it
    a.sync_once()
    (row,) = rows(engine, RunnerInstance)
    assert (row.id, row.device, json.loads(row.models), row.runs) == ("runner-a", "cpu", ["demo-flux"], 1)
    assert row.host


def test_rows_dead_runners_left_are_cleaned_up(engine, boards) -> None:  # noqa: ANN001
    long_ago = utcnow() - timedelta(hours=2)
    with Session(engine) as s:
        s.add(RunnerRun(job_id="dead-run", claim=1, runner_id="gone", step=2, total=4, updated_at=long_ago))
        s.add(RunnerRun(job_id="live-run", claim=1, runner_id="other", step=2, total=4))
        s.add(RunnerCancel(job_id="dead-run", claim=1, created_at=long_ago))
        s.add(RunnerInstance(id="gone", host="h", device="cuda", seen_at=utcnow() - timedelta(days=2)))
        s.add(RunnerInstance(id="away", host="h", device="cuda", seen_at=long_ago))
        s.commit()
    a = boards("runner-a", start=False)
    assert a.sync_once()
    assert [r.job_id for r in rows(engine, RunnerRun)] == ["live-run"]
    assert rows(engine, RunnerCancel) == []
    assert sorted(r.id for r in rows(engine, RunnerInstance)) == ["away", "runner-a"]


def test_a_board_whose_database_is_down_keeps_answering_its_own_runs(caplog: pytest.LogCaptureFixture) -> None:
    # Nothing listens on port 1: every connection is refused at once.
    down = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    board = DatabaseBoard(down, "runner-a", start=False)
    key = run_key("j1", 1)
    board.begin([key], 4)
    board.step([key], 2, 4)
    for _ in range(3):
        assert not board.sync_once()
    assert board.progress(["j1"]) == [JobProgress(job_id="j1", claim=1, step=2, total=4)]
    board.cancel("j1", 1)  # taken locally, sent once the database is back
    assert board.should_stop([key]) and board.reachable is False
    assert len([r for r in caplog.records if "cannot sync" in r.getMessage()]) == 1  # once per kind


def test_a_board_started_before_the_migration_catches_up_after_it(db_url: str) -> None:
    engine = make_engine(db_url)
    board = DatabaseBoard(engine, "runner-a", start=False)
    board.begin([run_key("j1", 1)], 4)
    assert not board.sync_once()  # the API is still migrating
    migrate(db_url)
    assert board.sync_once() and board.reachable
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(RunnerRun)).scalar() == 1
    engine.dispose()


def test_run_state_stays_in_memory_on_one_box_and_goes_to_the_database_on_postgresql(tmp_path) -> None:  # noqa: ANN001
    one_box = Settings(_env_file=None, data_dir=tmp_path)
    assert type(make_board(one_box, "cpu", [])) is MemoryBoard
    shared = make_board(one_box.model_copy(update={"runner_state": "database", "runner_id": "gpu-7"}), "cpu", [])
    try:
        assert isinstance(shared, DatabaseBoard) and shared.runner_id == "gpu-7"
    finally:
        shared.close()
    on_pg = one_box.model_copy(update={"database_url": "postgresql+psycopg://h/db"})
    assert type(make_board(on_pg.model_copy(update={"runner_state": "memory"}), "cpu", [])) is MemoryBoard
    from jobs.fleet import shared_runner_state

    assert shared_runner_state(on_pg) and not shared_runner_state(one_box)
