"""The real product started and stopped as a platform does it (`bentoml serve`, SIGTERM):

- a runner whose model cannot load is named, with its cause, on /health;
- SIGTERM to a runner mid-job: it drains and hands the job back, and the job completes once a new
  runner starts, with no attempt spent;
- SIGTERM to one of two API replicas mid-job: it hands its job back and the other replica completes
  it promptly (well before the lease would have lapsed), once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from scripts.fleet import Fleet, Member, start_fleet
from scripts.local_server import ROOT, Server, free_port
from tests import polling

pytestmark = pytest.mark.e2e

ALICE = {"Authorization": "Bearer dev:alice"}
# Seconds of rendering on two shared cores: still running when the signal lands, and past the
# runner's drain time below.
LONG_JOB = {"prompt": "a long one", "width": 768, "height": 768, "num_images": 4, "steps": 100}
DRAIN_SECONDS = 2
T = TypeVar("T")


def wait_for(predicate: Callable[[], T | None], timeout: float, what: str) -> T:
    # The product is being stopped and started here: a refused connection means "not yet".
    return polling.wait_for(predicate, timeout, what, interval=0.2, ignore=(httpx.HTTPError,))


def test_a_runner_whose_model_cannot_load_is_named_on_health(tmp_path: Path) -> None:
    empty = tmp_path / "empty-model"
    empty.mkdir()
    port, log = free_port(), tmp_path / "server.log"
    env = {**os.environ, "BAG_DATA_DIR": str(tmp_path / "data"), "BAG_DEV_AUTH": "1", "BAG_MODEL_DIR": str(empty),
           "BENTOML_DO_NOT_TRACK": "true", "HF_HUB_OFFLINE": "1"}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "bentoml"), "serve", "service:Api", "--host", "127.0.0.1",
             "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", tmp_path / "data", process, log)
    try:
        health = wait_for(lambda: (h := httpx.get(f"{server.url}/health", timeout=5).json())["status"]
                          == "runner_failed" and h, 90, "/health reports the failed runner")
        assert health["runner_error"] == (
            f"FileNotFoundError: not a diffusers model directory (no transformer/config.json): {empty}")
        assert not health["runner_ready"] and health["runners"][0]["error"] == health["runner_error"]
        answer = httpx.post(f"{server.url}/generate", json={"prompt": "a mug"}, headers=ALICE, timeout=10)
        assert answer.status_code == 503
        assert answer.json()["error"]["message"].startswith("The image generator failed to start")
    finally:
        server.stop()


@pytest.fixture
def ledger(pg_url: str) -> Iterator[Engine]:
    engine = create_engine(pg_url)
    yield engine
    engine.dispose()


def fleet_of(tmp_path: Path, pg_url: str, e2e_data_dir: Path, apis: int) -> Iterator[Fleet]:
    from models.demo import ensure_demo_model

    ensure_demo_model(e2e_data_dir)
    fleet = start_fleet(tmp_path / "fleet", database_url=pg_url, runners=1, apis=apis, storage="local",
                        model_from=e2e_data_dir, runner_env={"BAG_RUNNER_DRAIN_SECONDS": str(DRAIN_SECONDS)})
    try:
        yield fleet
    finally:
        print(f"\nfleet logs:\n{fleet.logs_tail()}")  # shown when the test failed
        fleet.stop()


@pytest.fixture
def one_api(tmp_path: Path, pg_url: str, e2e_data_dir: Path) -> Iterator[Fleet]:
    yield from fleet_of(tmp_path, pg_url, e2e_data_dir, apis=1)


@pytest.fixture
def two_apis(tmp_path: Path, pg_url: str, e2e_data_dir: Path) -> Iterator[Fleet]:
    yield from fleet_of(tmp_path, pg_url, e2e_data_dir, apis=2)


def row(ledger: Engine, job_id: str):  # noqa: ANN201
    with ledger.connect() as conn:
        return conn.execute(text("SELECT status, attempts, handoffs, claims, suspect, progress_step FROM job "
                                 "WHERE id = :j"), {"j": job_id}).one()


def rendering(ledger: Engine, api: str) -> str:
    """Submit the long job; return its id once the ledger has it past its first step."""
    accepted = httpx.post(f"{api}/generate", json=LONG_JOB, headers=ALICE, timeout=30)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    wait_for(lambda: (r := row(ledger, job_id)).status == "running" and r.progress_step >= 1, 60, "the job renders")
    return job_id


def exits(member: Member, timeout: float) -> int:
    return wait_for(lambda: (rc := member.process.poll()) is not None and str(rc), timeout, f"{member.name} exits")


def test_sigterm_to_a_runner_mid_job_hands_it_back_and_it_completes_once_on_the_next(
    one_api: Fleet, ledger: Engine,
) -> None:
    (runner,), (api,) = one_api.runners, one_api.api_urls
    job_id = rendering(ledger, api)
    runner.process.send_signal(signal.SIGTERM)  # the arbiter, as a container's first process gets it
    exits(runner, DRAIN_SECONDS + 30)
    log = runner.log.read_text(errors="replace")
    assert "stopping: no new work" in log
    # Handed back at the drain deadline: queued again, nothing spent, no suspect.
    r = row(ledger, job_id)
    assert (r.attempts, r.handoffs, r.suspect) == (0, 0, False), r
    assert r.status in ("queued", "running"), r  # the dispatcher keeps offering it, unspent

    runner.restart()
    done = wait_for(lambda: (r := row(ledger, job_id)).status == "complete" and r, 120, "the job completes")
    assert (done.attempts, done.handoffs, done.suspect) == (1, 0, False), done
    assert done.claims >= 2, done
    assert [k for k in one_api.stored_keys(job_id) if k.endswith(".png")] == [f"{job_id}/{n}.png" for n in range(4)]


def test_sigterm_to_an_api_replica_mid_job_hands_it_to_the_other_promptly_once(
    two_apis: Fleet, ledger: Engine,
) -> None:
    job_id = rendering(ledger, two_apis.api_urls[0])
    holder = next(a for a in two_apis.apis if httpx.get(f"{a.url}/health", timeout=10).json()["jobs_in_flight"])
    other = next(a for a in two_apis.apis if a is not holder)
    holder.process.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    # Taken by the other replica well before the 30 s lease of the stopped one could have lapsed.
    wait_for(lambda: (r := row(ledger, job_id)).claims == 2 and r.status == "running", 15, "the other replica claims it")
    assert time.monotonic() - signalled < 15
    exits(holder, 30)
    assert "stopping: queued again, unspent" in holder.log.read_text(errors="replace")
    done = wait_for(lambda: (r := row(ledger, job_id)).status == "complete" and r, 120, "the job completes")
    assert (done.attempts, done.handoffs, done.claims, done.suspect) == (1, 0, 2, False), done
    job = httpx.get(f"{other.url}/jobs/{job_id}", headers=ALICE, timeout=10).json()
    assert job["status"] == "complete" and len(job["images"]) == 4
