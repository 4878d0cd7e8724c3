"""Which runners serve this API and whether they are up, for /health. No torch here.

Runners that share their run state through the database (runner/board.py) renew a `runner_instance`
row every few seconds, so any API replica can list all of them, including the ones its own calls
have not reached lately. A runner that keeps its state in memory is known only by its last answer
to the health call the dispatcher makes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from common.clock import aware, utcnow
from jobs.catalog import ModelCatalog
from runner.schemas import RunnerHealth
from runner.startup import StartFailure, read_failure
from runner.tables import RunnerInstance
from settings import Settings

# A runner renews its row every few seconds (runner/board.py); three missed renewals and a margin.
UP_WITHIN_SECONDS = 15.0
# The dispatcher asks a memory-state runner for its health every 10 s (CATALOG_REFRESH_SECONDS):
# up means it answered one of the last two times it was asked.
ANSWER_UP_WITHIN_SECONDS = 25.0
# Rows of runners gone this long are left out (and removed by the runners now and then).
LISTED_WITHIN = timedelta(days=1)


class RunnerStatus(BaseModel):
    id: str = Field(description="The runner's name (BAG_RUNNER_ID, or its host and process id).")
    host: str = Field(description="The host it runs on; empty when it does not report to the database.")
    device: str
    models: list[str]
    runs: int = Field(description="Jobs it is rendering now.")
    seen_seconds_ago: float = Field(description="Seconds since it last reported.")
    up: bool = Field(description="Whether it reported lately enough to count as serving.")
    error: str | None = Field(default=None, description="Why it could not start (exception type and first "
                              "line), as it exited; null for a runner that started.")


def shared_runner_state(settings: Settings) -> bool:
    """Whether runners keep run state in the database: `database`, or `auto` on PostgreSQL."""
    if settings.runner_state == "auto":
        return settings.sqlalchemy_url.startswith("postgresql")
    return settings.runner_state == "database"


def current_runners(settings: Settings, engine: Engine, catalog: ModelCatalog) -> list[RunnerStatus]:
    """Every runner that reports to the database, or else the one whose health answer came last
    (or, while it is not up, the one that left a start failure in the data directory)."""
    if shared_runner_state(settings):
        return read_runners(engine, utcnow())
    answer = catalog.last_answer()
    answered = answered_runner(*answer) if answer else None
    if answered is None or not answered.up:
        failure = read_failure(settings)
        if failure is not None:
            return [failed_runner(failure, utcnow())]
    return [answered] if answered else []


def start_failure(runners: list[RunnerStatus]) -> str | None:
    """Why the runners cannot start: the cause the latest of them left, while none is up.

    The latest only: a runner that failed once and then started (or a newer one that started)
    clears it."""
    if any(r.up for r in runners) or not runners:
        return None
    latest = min(runners, key=lambda r: r.seen_seconds_ago)
    return latest.error


def failed_runner(failure: StartFailure, now: datetime) -> RunnerStatus:
    ago = max(0.0, (now - aware(failure.failed_at)).total_seconds())
    return RunnerStatus(id=failure.runner_id, host=failure.host, device="", models=[], runs=0,
                        seen_seconds_ago=round(ago, 1), up=False, error=failure.error)


def read_runners(engine: Engine, now: datetime) -> list[RunnerStatus]:
    """The runners seen in the last day, from their `runner_instance` rows."""
    with Session(engine) as s:
        rows = s.exec(
            select(RunnerInstance).where(col(RunnerInstance.seen_at) >= now - LISTED_WITHIN).order_by(RunnerInstance.id)
        ).all()
    out = []
    for r in rows:
        ago = max(0.0, (now - aware(r.seen_at)).total_seconds())
        out.append(RunnerStatus(id=r.id, host=r.host, device=r.device, models=_names(r.models), runs=r.runs,
                                seen_seconds_ago=round(ago, 1), up=ago <= UP_WITHIN_SECONDS and r.error is None,
                                error=r.error))
    return out


def answered_runner(health: RunnerHealth, seconds_ago: float) -> RunnerStatus:
    """The one runner known by its last health answer (run state in memory)."""
    return RunnerStatus(id=health.runner_id, host="", device=health.device, models=[m.name for m in health.models],
                        runs=health.runs, seen_seconds_ago=round(max(0.0, seconds_ago), 1),
                        up=seconds_ago <= ANSWER_UP_WITHIN_SECONDS)


def _names(models: str) -> list[str]:
    try:
        names = json.loads(models)
    except ValueError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []
