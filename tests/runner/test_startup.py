"""A runner that cannot start leaves its cause where the API reads it; one that starts clears it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from jobs.db import get_engine, migrate
from jobs.fleet import current_runners, start_failure
from runner import startup
from runner.board import DatabaseBoard
from runner.tables import RunnerInstance
from settings import Settings


def broken_model() -> FileNotFoundError:
    return FileNotFoundError("not a diffusers model directory (no transformer/config.json): /models/x\nmore detail")


def test_the_cause_is_the_exception_type_and_its_first_line_only() -> None:
    assert startup.describe(broken_model()) == (
        "FileNotFoundError: not a diffusers model directory (no transformer/config.json): /models/x")
    assert startup.describe(MemoryError()) == "MemoryError"
    assert len(startup.describe(ValueError("x" * 5000))) == startup.MAX_ERROR_CHARS


def test_a_memory_state_runner_leaves_its_failure_in_the_data_directory_until_one_starts(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", runner_state="memory")
    startup.record_failure(settings, "gpu-1", broken_model())
    written = json.loads((tmp_path / "data" / startup.STATUS_FILE).read_text())
    assert (written["runner_id"], written["error"]) == ("gpu-1", startup.describe(broken_model()))
    assert [p.name for p in (tmp_path / "data").iterdir()] == [startup.STATUS_FILE]  # no temporary left
    assert startup.read_failure(settings).error == startup.describe(broken_model())
    startup.record_started(settings)
    assert startup.read_failure(settings) is None


def test_an_unreadable_status_file_is_no_failure(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)
    (tmp_path / startup.STATUS_FILE).write_text("{half")
    assert startup.read_failure(settings) is None


def rows(url: str) -> list[tuple[str, str | None]]:
    with Session(get_engine(url)) as s:
        return [(r.id, r.error) for r in s.exec(select(RunnerInstance).order_by(RunnerInstance.id))]


def test_a_shared_state_runner_writes_its_failure_to_its_row_and_a_start_clears_it(db_url: str) -> None:
    migrate(db_url)
    settings = Settings(_env_file=None, database_url=db_url, runner_state="database")
    # A crash loop without a fixed runner id: each try is a new process id, one row is kept.
    startup.record_failure(settings, "host-101", broken_model())
    startup.record_failure(settings, "host-102", MemoryError("CUDA out of memory"))
    assert rows(db_url) == [("host-102", "MemoryError: CUDA out of memory")]
    runners = current_runners(settings, get_engine(db_url), catalog=None)  # type: ignore[arg-type]
    assert [r.up for r in runners] == [False]
    assert start_failure(runners) == "MemoryError: CUDA out of memory"

    board = DatabaseBoard(get_engine(db_url), "host-102", start=False)
    assert board.sync_once()
    assert rows(db_url) == [("host-102", None)]
    runners = current_runners(settings, get_engine(db_url), catalog=None)  # type: ignore[arg-type]
    assert [r.up for r in runners] == [True] and start_failure(runners) is None


def test_a_runner_that_starts_forgets_the_failed_tries_on_its_host(db_url: str) -> None:
    migrate(db_url)
    settings = Settings(_env_file=None, database_url=db_url, runner_state="database")
    startup.record_failure(settings, "host-101", broken_model())
    with Session(get_engine(db_url)) as s:
        s.add(RunnerInstance(id="elsewhere-7", host="another-node", device="", error="MemoryError"))
        s.commit()
    startup.record_started(settings)  # as host-102, a new process on the same host
    assert rows(db_url) == [("elsewhere-7", "MemoryError")]


def test_recording_never_raises_when_the_database_is_not_there(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'none' / 'x.db'}", runner_state="database")
    startup.record_failure(settings, "gpu-1", broken_model())  # the table does not exist: logged only
    assert "could not record why runner gpu-1 failed to start" in caplog.text
