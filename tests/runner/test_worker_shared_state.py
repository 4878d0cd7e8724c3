"""Two runner cores on one PostgreSQL, as two runners behind one address: a cancel or a progress
poll that reaches the runner not holding the run still reaches the run."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlmodel import Session

from jobs.db import migrate
from jobs.models import Job, JobStatus
from runner.board import DatabaseBoard
from runner.schemas import RenderRequest
from runner.worker import RunnerCore
from settings import Settings
from tests.polling import wait_for

STEPS = 100


def test_a_cancel_through_another_runner_stops_a_render_early(pg_url: str, tmp_path: Path) -> None:
    from models.demo import ensure_demo_model

    migrate(pg_url)
    ensure_demo_model(tmp_path)
    settings = Settings(_env_file=None, data_dir=tmp_path, database_url=pg_url)  # auto: PostgreSQL shares
    a = RunnerCore(settings.model_copy(update={"runner_id": "runner-a"}))
    b = RunnerCore(settings.model_copy(update={"runner_id": "runner-b"}))
    assert isinstance(a.board, DatabaseBoard) and isinstance(b.board, DatabaseBoard)
    job = Job(owner_oid="alice", owner_tid="t1", prompt="a mug", model="demo-flux", width=256, height=256,
              num_images=1, steps=STEPS, guidance=3.5, seed=1, status=JobStatus.running, claims=1, attempts=1)
    with Session(a.board.engine) as s:
        s.add(job)
        s.commit()
        job_id = job.id
    # The demo model's steps take milliseconds on a CPU; a real model's take a good part of a
    # second. Each step is slowed to 50 ms so the render lasts seconds and the cancel lands mid-run.
    reached: list[int] = []
    fast_step = a.board.step

    def slow_step(keys: list[str], step: int, total: int) -> None:
        reached.append(step)
        fast_step(keys, step, total)
        time.sleep(0.05)

    a.board.step = slow_step
    request = RenderRequest(job_id=job_id, claim=1, prompt="a mug", seed=1, num_images=1, model="demo-flux",
                            width=256, height=256, steps=STEPS, guidance=3.5)
    try:
        with ThreadPoolExecutor(1) as pool:
            rendering = pool.submit(a.render, [request])
            # Runner B answers the progress of A's run, from the shared table.
            seen = wait_for(lambda: [p for p in b.progress([job_id]) if p.step >= 2], timeout=10)
            assert (seen[0].claim, seen[0].total) == (1, STEPS)
            assert b.health().runs == 0 and a.health().runs == 1
            b.cancel(job_id, 1)
            asked = time.monotonic()
            (result,) = rendering.result(timeout=10)
            stopped_after = time.monotonic() - asked
    finally:
        a.close()
        b.close()
    assert result.cancelled and result.images == []
    # About a second here (one sync round, one step); the bound leaves room for a loaded machine.
    assert stopped_after < 4.0
    assert max(reached) < STEPS - 10  # it stopped mid-run, not at the end
