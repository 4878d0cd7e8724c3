"""/health says which runners serve the API and which of them are up."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from common.clock import utcnow
from runner import startup
from runner.tables import RunnerInstance
from settings import Settings
from tests.api.conftest import ALICE, wait_for
from tests.fake_runner import FakeRunner


def test_health_lists_every_runner_reporting_to_the_database_and_counts_those_up(
    make_client: Callable[..., TestClient], db_url: str,
) -> None:
    client = make_client(database_url=db_url, runner_state="database")
    with Session(client.app.state.services.store.engine) as s:
        s.add(RunnerInstance(id="gpu-1", host="node-a", device="cuda", models=json.dumps(["flux-dev"]), runs=3))
        # Missed its renewals for a minute: crashed, or cut off from the database.
        s.add(RunnerInstance(id="gpu-2", host="node-b", device="cuda", models=json.dumps(["flux-dev"]), runs=1,
                             seen_at=utcnow() - timedelta(seconds=60)))
        # Gone for days: not listed any more.
        s.add(RunnerInstance(id="gpu-0", host="node-c", device="cuda", seen_at=utcnow() - timedelta(days=3)))
        s.commit()
    body = client.get("/health").json()
    assert [(r["id"], r["host"], r["models"], r["runs"], r["up"]) for r in body["runners"]] == [
        ("gpu-1", "node-a", ["flux-dev"], 3, True),
        ("gpu-2", "node-b", ["flux-dev"], 1, False),
    ]
    assert body["runners"][0]["seen_seconds_ago"] < 15 <= body["runners"][1]["seen_seconds_ago"]
    assert body["runners_up"] == 1
    assert body["runner_ready"] is True  # the runner behind the address answered


def test_health_shows_the_one_runner_by_its_last_answer_when_state_stays_in_memory(
    client: TestClient,
) -> None:
    body = client.get("/health").json()
    (runner,) = body["runners"]
    assert (runner["id"], runner["device"], runner["models"], runner["up"]) == ("fake-runner", "cpu", ["demo-flux"], True)
    assert body["runners_up"] == 1 and body["status"] == "ok"


def test_a_runner_that_cannot_start_is_named_on_health_and_submissions_say_so(settings: Settings) -> None:
    runner = FakeRunner()
    runner.available = False  # it crash-loops: never answers
    startup.record_failure(settings, "gpu-1", FileNotFoundError("not a diffusers model directory: /models/x"))
    with TestClient(create_app(settings, runner, listening=["127.0.0.1"])) as client:
        body = client.get("/health").json()
        assert (body["status"], body["runner_ready"], body["runners_up"]) == ("runner_failed", False, 0)
        assert body["runner_error"] == "FileNotFoundError: not a diffusers model directory: /models/x"
        assert [(r["id"], r["up"], r["error"]) for r in body["runners"]] == [("gpu-1", False, body["runner_error"])]
        answer = client.post("/generate", json={"prompt": "a mug"}, headers=ALICE)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
        assert answer.json()["error"] == {
            "code": "runner_not_ready", "fields": [],
            "message": "The image generator failed to start; an operator has to fix it (see /health).",
        }
        # Fixed and restarted: the runner clears its failure as it starts, and answers.
        startup.record_started(settings)
        runner.available = True
        body = wait_for(lambda: (b := client.get("/health").json())["runner_ready"] and b)
        assert (body["status"], body["runner_error"], body["runners"][0]["error"]) == ("ok", None, None)


def test_a_runner_still_starting_says_starting(settings: Settings) -> None:
    runner = FakeRunner()
    runner.available = False
    with TestClient(create_app(settings, runner, listening=["127.0.0.1"])) as client:
        body = client.get("/health").json()
        assert (body["status"], body["runner_error"], body["runners"]) == ("starting", None, [])
        answer = client.post("/generate", json={"prompt": "a mug"}, headers=ALICE)
        assert answer.status_code == 503
        assert answer.json()["error"]["message"] == "The image generator is starting; try again shortly."


def test_the_latest_runner_failing_while_none_is_up_fails_health_in_the_database(
    make_client: Callable[..., TestClient], db_url: str,
) -> None:
    client = make_client(database_url=db_url, runner_state="database")
    with Session(client.app.state.services.store.engine) as s:
        s.add(RunnerInstance(id="gpu-1", host="node-a", device="cuda", seen_at=utcnow() - timedelta(seconds=60)))
        s.add(RunnerInstance(id="gpu-2", host="node-a", device="", error="OutOfMemoryError: CUDA out of memory"))
        s.commit()
    body = client.get("/health").json()
    assert (body["status"], body["runner_error"]) == ("runner_failed", "OutOfMemoryError: CUDA out of memory")
    assert [(r["id"], r["error"]) for r in body["runners"]] == [("gpu-1", None),
                                                              ("gpu-2", "OutOfMemoryError: CUDA out of memory")]
