"""The run state behind the runner's core: the progress of its runs and the cancels asked of them.

One runner keeps it in memory (`MemoryBoard`). Several runners behind one address share it through
the database (`DatabaseBoard`): a progress poll or a cancel may reach any of them, and the runner
holding the run must see the cancel and the others must know its progress. The pipeline's per-step
callbacks and stop checks never wait on the database: they read and write the local view, and a
background thread syncs that view with the tables in runner/tables.py twice a second.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from common.clock import utcnow
from common.ratelog import RateLimitedLog
from jobs.models import Job, JobStatus
from runner.schemas import JobProgress
from runner.tables import RunnerCancel, RunnerInstance, RunnerRun, upsert
from settings import Settings

log = logging.getLogger(__name__)

# A cancel may overtake its run in BentoML's batching queue, or come after the run ended, so it is
# remembered apart from the runs; bounded (oldest forgotten first), so late ones never pile up.
# An OrderedDict, not cachetools: five lines do not justify a dependency for the runner image.
MAX_REMEMBERED_CANCELS = 4096

SYNC_SECONDS = 0.5
# The instance row says the runner is alive (jobs/fleet.py counts it up for 15 s).
INSTANCE_SECONDS = 2.0
# A run row is rewritten when its step changes, and at least this often, so the cleanup below
# never takes a live run's row for a dead runner's.
RUN_REFRESH_SECONDS = 600.0
CLEANUP_SECONDS = 60.0
# Rows a dead runner left behind: runs and cancels after an hour, its instance row after a day.
STALE_RUN = timedelta(hours=1)
STALE_INSTANCE = timedelta(days=1)


def run_key(job_id: str, claim: int) -> str:
    """One run of a job: a job may be claimed again while an older run is still here."""
    return f"{job_id}/{claim}"


def split_key(key: str) -> tuple[str, int]:
    job_id, claim = key.rsplit("/", 1)
    return job_id, int(claim)


def _remember(table: OrderedDict[str, None], key: str) -> None:
    table[key] = None
    table.move_to_end(key)
    while len(table) > MAX_REMEMBERED_CANCELS:
        table.popitem(last=False)


class MemoryBoard:
    """Runs and cancels of this runner alone, in memory; every method is safe from any thread."""

    def __init__(self, runner_id: str = "") -> None:
        self.runner_id = runner_id
        # Both keyed by run_key(job_id, claim).
        self._progress: dict[str, tuple[int, int]] = {}
        self._cancelled: OrderedDict[str, None] = OrderedDict()
        self._state = threading.Lock()

    def begin(self, keys: list[str], total: int) -> list[str]:
        """Runs start at step 0; returns those not cancelled already."""
        with self._state:
            for k in keys:
                self._progress[k] = (0, total)
            return [k for k in keys if k not in self._cancelled]

    def step(self, keys: list[str], step: int, total: int) -> None:
        with self._state:
            for k in keys:
                self._progress[k] = (step, total)

    def should_stop(self, keys: list[str]) -> bool:
        with self._state:
            return all(k in self._cancelled for k in keys)

    def end(self, keys: list[str]) -> None:
        with self._state:
            for k in keys:
                self._progress.pop(k, None)
                self._cancelled.pop(k, None)

    def cancel(self, job_id: str, claim: int) -> None:
        with self._state:
            _remember(self._cancelled, run_key(job_id, claim))

    def progress(self, job_ids: list[str]) -> list[JobProgress]:
        """Progress of every run of these jobs that is here (callers pick their own claim)."""
        wanted = set(job_ids)
        with self._state:
            runs = [(*split_key(key), step, total) for key, (step, total) in self._progress.items()]
        return [JobProgress(job_id=j, claim=c, step=s, total=t) for j, c, s, t in runs if j in wanted]

    @property
    def runs(self) -> int:
        with self._state:
            return len(self._progress)

    def close(self) -> None:
        pass


class DatabaseBoard(MemoryBoard):
    """The local view of `MemoryBoard`, synced with the shared tables by a background thread.

    Each round it writes the steps that changed, removes the rows of runs that ended, inserts the
    cancels taken here, reads the cancels (and the job rows) of its live runs, reads every other
    runner's runs for progress answers, and renews its `runner_instance` row. A database that is
    down, or not migrated yet, costs only those rounds: the local view keeps answering.
    """

    def __init__(self, engine: Engine, runner_id: str, *, device: str = "", models: Iterable[str] = (),
                 host: str | None = None, interval: float = SYNC_SECONDS, start: bool = True) -> None:
        super().__init__(runner_id)
        self.engine = engine
        self.host = host or socket.gethostname()
        self.device = device
        self.models = list(models)
        self.interval = interval
        self.started_at = utcnow()
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._written: dict[str, tuple[int, int, float]] = {}  # key -> (step, total, monotonic time)
        self._ended: OrderedDict[str, None] = OrderedDict()  # runs whose rows are to go
        self._to_send: OrderedDict[str, None] = OrderedDict()  # cancels taken here, rows to insert
        self._others: dict[str, tuple[int, int]] = {}  # other runners' runs, as last read
        self._next_instance = 0.0
        self._next_cleanup = 0.0
        self.reachable: bool | None = None  # None until the first round
        self._problems = RateLimitedLog(log, interval_seconds=600.0)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="runner-board", daemon=True)
        if start:
            self._thread.start()

    # -- the hot path: local only, then a nudge to the sync thread --------------------------
    def begin(self, keys: list[str], total: int) -> list[str]:
        live = super().begin(keys, total)
        self._wake.set()  # other runners learn of the run at once, not half a second later
        return live

    def end(self, keys: list[str]) -> None:
        super().end(keys)
        with self._state:
            for k in keys:
                _remember(self._ended, k)
        self._wake.set()

    def cancel(self, job_id: str, claim: int) -> None:
        super().cancel(job_id, claim)
        with self._state:
            _remember(self._to_send, run_key(job_id, claim))
        self._wake.set()

    def progress(self, job_ids: list[str]) -> list[JobProgress]:
        local = super().progress(job_ids)
        mine = {(p.job_id, p.claim) for p in local}
        wanted = set(job_ids)
        with self._state:
            others = [(*split_key(key), step, total) for key, (step, total) in self._others.items()]
        return local + [JobProgress(job_id=j, claim=c, step=s, total=t) for j, c, s, t in others
                        if j in wanted and (j, c) not in mine]

    # -- the sync thread ----------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sync_once()
            self._wake.wait(self.interval)
            self._wake.clear()

    def close(self) -> None:
        """Stop syncing, after one last round so the rows of ended runs go (bounded: it may be down)."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.sync_once()

    def sync_once(self) -> bool:
        """One round; False when the database could not be reached (the local view stands)."""
        with self._state:
            live = dict(self._progress)
            ended = list(self._ended)
            cancels = list(self._to_send)
        now, tick = utcnow(), time.monotonic()
        try:
            with self.engine.begin() as conn:
                if cancels:
                    rows = [dict(zip(("job_id", "claim"), split_key(k), strict=True), created_at=now) for k in cancels]
                    conn.execute(self._insert(RunnerCancel.__table__).values(rows).on_conflict_do_nothing())
                written = self._write_runs(conn, live, now, tick)
                if ended:
                    self._remove(conn, ended)
                stop = self._runs_to_stop(conn, list(live)) if live else set()
                others = {run_key(j, c): (s, t) for j, c, s, t in conn.execute(
                    select(RunnerRun.job_id, RunnerRun.claim, RunnerRun.step, RunnerRun.total)
                    .where(RunnerRun.runner_id != self.runner_id))}
                if tick >= self._next_instance:
                    self._renew(conn, len(live), now)
                if tick >= self._next_cleanup:
                    self._clean(conn, now)
        except Exception as exc:  # noqa: BLE001 - any failure here only delays the shared view
            self._unreachable(exc)
            return False
        with self._state:
            for k in cancels:
                self._to_send.pop(k, None)
            for k in ended:
                self._ended.pop(k, None)
                self._written.pop(k, None)
            self._written.update(written)
            for k in stop:
                if k in self._progress:
                    _remember(self._cancelled, k)
            self._others = others
        if tick >= self._next_instance:
            self._next_instance = tick + INSTANCE_SECONDS
        if tick >= self._next_cleanup:
            self._next_cleanup = tick + CLEANUP_SECONDS
        if self.reachable is not True:
            log.info("runner %s shares its run state through the database", self.runner_id)
        self.reachable = True
        return True

    def _write_runs(self, conn, live: dict[str, tuple[int, int]], now: datetime,  # noqa: ANN001
                    tick: float) -> dict[str, tuple[int, int, float]]:
        with self._state:
            before = dict(self._written)
        changed = {}
        for k, (step, total) in live.items():
            old = before.get(k)
            if old is None or old[:2] != (step, total) or tick - old[2] > RUN_REFRESH_SECONDS:
                changed[k] = (step, total, tick)
        if changed:
            rows = [dict(zip(("job_id", "claim"), split_key(k), strict=True), runner_id=self.runner_id,
                         step=s, total=t, updated_at=now) for k, (s, t, _) in changed.items()]
            upsert(conn, RunnerRun, rows, ["job_id", "claim"])
        return changed

    def _remove(self, conn, keys: list[str]) -> None:  # noqa: ANN001
        pairs = [split_key(k) for k in keys]
        for table in (RunnerRun, RunnerCancel):
            conn.execute(delete(table).where(tuple_(table.job_id, table.claim).in_(pairs)))

    def _runs_to_stop(self, conn, keys: list[str]) -> set[str]:  # noqa: ANN001
        """Live runs with a cancel row, or whose job is no longer this run's: not `running` under
        this claim any more (cancelled, taken over after a lapsed lease) or gone."""
        pairs = [split_key(k) for k in keys]
        cancelled = {run_key(j, c) for j, c in conn.execute(
            select(RunnerCancel.job_id, RunnerCancel.claim).where(tuple_(RunnerCancel.job_id, RunnerCancel.claim).in_(pairs)))}
        jobs = {j: (status, claims) for j, status, claims in conn.execute(
            select(Job.id, Job.status, Job.claims).where(Job.id.in_({j for j, _ in pairs})))}
        moved_on = {run_key(j, c) for j, c in pairs if jobs.get(j) != (JobStatus.running, c)}
        return cancelled | moved_on

    def _renew(self, conn, runs: int, now: datetime) -> None:  # noqa: ANN001
        row = dict(id=self.runner_id, host=self.host[:255], device=self.device[:32], models=json.dumps(self.models),
                   runs=runs, started_at=self.started_at, seen_at=now, error=None)
        upsert(conn, RunnerInstance, [row], ["id"])

    def _clean(self, conn, now: datetime) -> None:  # noqa: ANN001
        conn.execute(delete(RunnerRun).where(RunnerRun.updated_at < now - STALE_RUN))
        conn.execute(delete(RunnerCancel).where(RunnerCancel.created_at < now - STALE_RUN))
        conn.execute(delete(RunnerInstance).where(RunnerInstance.seen_at < now - STALE_INSTANCE))

    def _unreachable(self, exc: Exception) -> None:
        self.reachable = False
        # One line per kind of failure every ten minutes: down, not migrated yet, refused.
        self._problems.warning(type(exc).__name__, "runner %s cannot sync its run state with the database "
                               "(%s: %s); answering from its own runs meanwhile", self.runner_id,
                               type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")


def resolved_runner_id(settings: Settings) -> str:
    """The runner's name: BAG_RUNNER_ID, else its host and process id; within the column's 64."""
    return (settings.runner_id or default_runner_id())[:64]


def default_runner_id() -> str:
    """The host name (a container's is its own) and the process id, within the column's 64."""
    return f"{socket.gethostname()}-{os.getpid()}"[:64]


def make_board(settings: Settings, device: str, models: Iterable[str]) -> MemoryBoard:
    from jobs.db import get_engine
    from jobs.fleet import shared_runner_state

    runner_id = resolved_runner_id(settings)
    if shared_runner_state(settings):
        return DatabaseBoard(get_engine(settings.sqlalchemy_url), runner_id, device=device, models=models)
    return MemoryBoard(runner_id)
