"""/health says which runners serve the API and which of them are up."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from common.clock import utcnow
from runner.tables import RunnerInstance


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
