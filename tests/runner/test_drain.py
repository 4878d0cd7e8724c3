"""A stopping runner (SIGTERM) takes no new work, lets its batch finish within its drain time, and
hands back what is still running at the deadline, so no job is lost or spent."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from runner.schemas import RenderRequest
from runner.stopping import drain_on_sigterm
from runner.worker import RunnerCore
from settings import Settings


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> RunnerCore:
    from models.demo import ensure_demo_model

    data = tmp_path_factory.mktemp("data")
    ensure_demo_model(data)
    return RunnerCore(Settings(_env_file=None, data_dir=data))


@pytest.fixture
def core(built: RunnerCore) -> Iterator[RunnerCore]:
    yield built
    built._draining_since = None  # each test stops it afresh


def request(job_id: str, steps: int = 2) -> RenderRequest:
    return RenderRequest(job_id=job_id, claim=3, prompt="a mug", seed=5, num_images=1, model="demo-flux",
                         width=256, height=256, steps=steps, guidance=3.5)


def render_in_background(core: RunnerCore, requests: list[RenderRequest]) -> tuple[threading.Thread, list]:
    out: list = []
    thread = threading.Thread(target=lambda: out.extend(core.render(requests)))
    thread.start()
    deadline = time.monotonic() + 30
    while not any(p.step >= 1 for p in core.progress([r.job_id for r in requests])):
        assert time.monotonic() < deadline, "the render never started"
        time.sleep(0.01)
    return thread, out


def test_a_stopping_runner_answers_new_work_not_taken_at_once(core: RunnerCore) -> None:
    core.drain()
    begun = time.monotonic()
    results = core.render([request("n1"), request("n2")])
    assert time.monotonic() - begun < 1
    assert [(r.job_id, r.claim, r.not_taken, r.images) for r in results] == [("n1", 3, True, []), ("n2", 3, True, [])]


def test_the_running_batch_finishes_within_the_drain_time(core: RunnerCore) -> None:
    core.drain_seconds = 60
    thread, out = render_in_background(core, [request("f1", steps=20)])
    core.drain()
    assert core.wait_idle(60)
    thread.join()
    (result,) = out
    assert (result.not_taken, result.cancelled, len(result.images)) == (False, False, 1)


def test_runs_still_going_at_the_deadline_stop_and_are_handed_back(core: RunnerCore) -> None:
    core.drain_seconds = 0.0
    thread, out = render_in_background(core, [request("d1", steps=100)])
    core.drain()
    assert core.wait_idle(30)  # stopped at the next step, not rendered to the end
    thread.join()
    (result,) = out
    assert (result.job_id, result.claim, result.not_taken, result.cancelled, result.images) == ("d1", 3, True, False, [])
    assert core.progress(["d1"]) == []


def test_sigterm_drains_first_then_passes_the_signal_on(core: RunnerCore) -> None:
    passed_on: list[float] = []
    original = signal.signal(signal.SIGTERM, lambda *_: passed_on.append(time.monotonic()))
    try:
        core.drain_seconds = 60
        drain_on_sigterm(core)
        thread, out = render_in_background(core, [request("s1", steps=20)])
        os.kill(os.getpid(), signal.SIGTERM)
        deadline = time.monotonic() + 60
        while not passed_on:
            assert time.monotonic() < deadline, "SIGTERM was never passed on"
            time.sleep(0.01)
        assert core.draining and not thread.is_alive()  # passed on only once the batch had ended
        assert len(out[0].images) == 1
    finally:
        signal.signal(signal.SIGTERM, original)
