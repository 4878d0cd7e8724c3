"""Why a runner could not start, kept where the API can read it. No torch here.

A runner whose models do not load (a wrong model directory, a style that breaks the pipeline, out
of memory) exits, and BentoML starts it again, and again: without a record of the cause, /health
could only say "starting" for ever. Before it exits the runner writes the cause: into its
`runner_instance` row when runners share their state through the database, else into a small
status file in the data directory (one box: the API shares that directory). A runner that starts
clears it.
"""

from __future__ import annotations

import json
import logging
import socket
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from common.clock import utcnow
from common.files import write_atomically
from settings import Settings

log = logging.getLogger(__name__)

STATUS_FILE = "runner-status.json"
# The cause is shown on /health, which needs no sign-in: one line, bounded.
MAX_ERROR_CHARS = 300


class StartFailure(BaseModel):
    runner_id: str
    host: str
    error: str
    failed_at: datetime


def describe(exc: BaseException) -> str:
    """`<exception type>: <first line of its message>`: the cause without a traceback."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text[:MAX_ERROR_CHARS]


def status_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / STATUS_FILE


def record_failure(settings: Settings, runner_id: str, exc: BaseException) -> None:
    """Write why this runner could not start; never raises (the original error must surface)."""
    failure = StartFailure(runner_id=runner_id, host=socket.gethostname()[:255], error=describe(exc),
                           failed_at=utcnow())
    try:
        from jobs.fleet import shared_runner_state

        if shared_runner_state(settings):
            _write_row(settings, failure)
        else:
            # Atomic: the API may read it at any moment.
            write_atomically(status_path(settings), failure.model_dump_json().encode())
    except Exception:  # noqa: BLE001 - the runner is exiting with the real cause anyway
        log.exception("could not record why runner %s failed to start", runner_id)


def record_started(settings: Settings) -> None:
    """A runner serves: the failures of earlier tries on this host are over (its own row is
    cleared by its renewals)."""
    try:
        from jobs.fleet import shared_runner_state

        if shared_runner_state(settings):
            _forget_failed_tries(settings)
        else:
            status_path(settings).unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a stale record must not stop a runner that works
        log.exception("could not clear the runner's earlier start failure")


def read_failure(settings: Settings) -> StartFailure | None:
    """The failure a memory-state runner left in the data directory, if any."""
    try:
        return StartFailure.model_validate_json(status_path(settings).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("unreadable runner status file %s", status_path(settings))
        return None


def _forget_failed_tries(settings: Settings) -> None:
    from sqlalchemy import delete

    from jobs.db import get_engine
    from runner.tables import RunnerInstance

    with get_engine(settings.sqlalchemy_url).begin() as conn:
        conn.execute(delete(RunnerInstance).where(RunnerInstance.host == socket.gethostname()[:255],
                                                  RunnerInstance.error.is_not(None)))


def _write_row(settings: Settings, failure: StartFailure) -> None:
    from sqlalchemy import delete

    from jobs.db import get_engine
    from runner.tables import RunnerInstance, upsert

    engine = get_engine(settings.sqlalchemy_url)
    row = dict(id=failure.runner_id, host=failure.host, device="", models=json.dumps([]), runs=0,
               started_at=failure.failed_at, seen_at=failure.failed_at, error=failure.error)
    with engine.begin() as conn:
        # A crash loop without BAG_RUNNER_ID names each try by a new process id: keep one row for
        # this host's failed tries, not one per try.
        conn.execute(delete(RunnerInstance).where(RunnerInstance.host == failure.host,
                                                  RunnerInstance.error.is_not(None),
                                                  RunnerInstance.id != failure.runner_id))
        upsert(conn, RunnerInstance, [row], ["id"])
