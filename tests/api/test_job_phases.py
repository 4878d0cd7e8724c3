"""A job's phase and the images ahead of it, as the poll answers them: the real dispatcher, with a
stand-in runner that renders one run at a time as the real one holds its GPU lock."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from tests.api.conftest import ALICE, BOB, wait_for, wait_status
from tests.fake_runner import FakeRunner


def submit(client: TestClient, images: int, headers=ALICE) -> str:  # noqa: ANN001
    response = client.post("/generate", json={"prompt": "a red bicycle", "num_images": images}, headers=headers)
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def poll(client: TestClient, job_id: str, headers=ALICE) -> dict:  # noqa: ANN001
    return client.get(f"/jobs/{job_id}", headers=headers).json()


def wait_phase(client: TestClient, job_id: str, phase: str, headers=ALICE) -> dict:  # noqa: ANN001
    return wait_for(lambda: (j := poll(client, job_id, headers))["phase"] == phase and j, what=f"{job_id} {phase}")


def test_a_job_goes_queued_waiting_rendering_finished_with_the_images_ahead(make_client, runner: FakeRunner) -> None:  # noqa: ANN001, E501
    # Two runs handed to the runner at once, one on the GPU: the second waits for it.
    client = make_client(runner_concurrency=2)
    runner.one_at_a_time, runner.gate = True, threading.Event()
    first = submit(client, 2)
    rendering = wait_phase(client, first, "rendering")
    assert rendering["status"] == "running" and rendering["progress"]["step"] > 0
    assert rendering["images_ahead"] is None and rendering["queue_position"] is None

    second = submit(client, 3, headers=BOB)  # another user's images take the GPU's time all the same
    waiting = wait_phase(client, second, "waiting_for_gpu", headers=BOB)
    assert waiting["status"] == "running"  # the status callers already know is unchanged
    assert waiting["images_ahead"] == 2 and waiting["queue_position"] is None

    third, fourth = submit(client, 1), submit(client, 4)
    queued = poll(client, third)
    assert (queued["status"], queued["phase"]) == ("queued", "queued")
    assert (queued["queue_position"], queued["images_ahead"]) == (0, 2 + 3)
    assert (poll(client, fourth)["queue_position"], poll(client, fourth)["images_ahead"]) == (1, 2 + 3 + 1)

    runner.gate.set()
    for job_id, headers in ((first, ALICE), (second, BOB), (third, ALICE), (fourth, ALICE)):
        done = wait_status(client, job_id, "complete", headers=headers)
        assert (done["phase"], done["images_ahead"], done["queue_position"]) == ("finished", None, None)
    # Answered again from the finished-job cache: the same.
    assert poll(client, first)["phase"] == "finished"


def test_cancelled_and_failed_jobs_are_finished(client: TestClient, runner: FakeRunner) -> None:
    runner.gate = threading.Event()
    job_id = submit(client, 1)
    wait_phase(client, job_id, "rendering")
    client.post(f"/jobs/{job_id}/cancel", headers=ALICE)
    assert poll(client, job_id)["phase"] == "finished"
    runner.gate.set()
    runner.fail_with = "out of memory"
    failed = wait_status(client, submit(client, 1), "failed")
    assert failed["phase"] == "finished"


def test_a_run_whose_steps_all_ended_between_polls_shows_rendering_while_its_images_are_stored(
    make_client, runner: FakeRunner,  # noqa: ANN001
) -> None:
    client = make_client()
    images = client.app.state.services.images
    stored, real_put = threading.Event(), images.put

    def slow_put(key: str, data: bytes) -> None:
        stored.wait(10)
        real_put(key, data)

    images.put = slow_put
    job_id = submit(client, 1)
    # The stand-in renders at once, so no progress poll sees a step; the result says all were done.
    storing = wait_for(lambda: (j := poll(client, job_id))["progress"] and j["progress"]["step"] == 4 and j)
    assert (storing["status"], storing["phase"]) == ("running", "rendering")
    stored.set()
    assert wait_status(client, job_id, "complete")["phase"] == "finished"


def test_lists_carry_the_phase_but_not_the_images_ahead(make_client, runner: FakeRunner) -> None:  # noqa: ANN001
    client = make_client(runner_concurrency=1)
    runner.gate = threading.Event()
    first = submit(client, 1)
    wait_phase(client, first, "rendering")
    second = submit(client, 1)
    items = {j["job_id"]: j for j in client.get("/jobs", headers=ALICE).json()["items"]}
    assert (items[first]["phase"], items[second]["phase"]) == ("rendering", "queued")
    # A query per row would slow every list: the figures are on the job's own poll.
    assert items[second]["images_ahead"] is None and poll(client, second)["images_ahead"] == 1
    runner.gate.set()
    wait_status(client, second, "complete")
