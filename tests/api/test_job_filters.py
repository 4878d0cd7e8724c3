"""GET /jobs narrowed by search words, style, model, status and creation time, through HTTP."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ALICE, BOB, wait_for, wait_status
from tests.fake_runner import FakeRunner


def submit(client: TestClient, prompt: str, headers=ALICE, **body) -> str:  # noqa: ANN001, ANN003
    response = client.post("/generate", json={"prompt": prompt, "num_images": 1, **body}, headers=headers)
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def listed(client: TestClient, params: list[tuple[str, str]] | dict, headers=ALICE) -> dict:  # noqa: ANN001
    response = client.get("/jobs", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def prompts(page: dict) -> list[str]:
    return [job["prompt"] for job in page["items"]]


def test_filters_combine_and_the_total_counts_what_they_match(client: TestClient, runner: FakeRunner) -> None:
    done = [submit(client, "Sunny beach, at dawn", style="acme"), submit(client, "Mountain lake at dawn"),
            submit(client, "sunset beach")]
    for job_id in done:
        wait_status(client, job_id, "complete")
    submit(client, "Sunny beach, at dawn", headers=BOB)
    runner.gate = threading.Event()
    running = submit(client, "beach umbrella")
    wait_for(lambda: client.get(f"/jobs/{running}", headers=ALICE).json()["phase"] == "rendering")

    assert prompts(listed(client, {"q": "sun bea"})) == ["sunset beach", "Sunny beach, at dawn"]
    assert prompts(listed(client, {"q": "DAWN", "style": "acme"})) == ["Sunny beach, at dawn"]
    assert prompts(listed(client, {"model": "demo-flux", "q": "lake"})) == ["Mountain lake at dawn"]
    assert listed(client, {"model": "no-such-model"})["total"] == 0
    assert prompts(listed(client, [("status", "running")])) == ["beach umbrella"]
    both = listed(client, [("status", "running"), ("status", "complete"), ("q", "beach"), ("limit", "2")])
    assert both["total"] == 3 and prompts(both) == ["beach umbrella", "sunset beach"]
    assert [j["phase"] for j in both["items"]] == ["rendering", "finished"]
    runner.gate.set()


def test_created_bounds_take_any_time_zone(client: TestClient) -> None:
    job_id = submit(client, "a red bicycle")
    created = datetime.fromisoformat(wait_status(client, job_id, "complete")["created_at"])
    east = timezone(timedelta(hours=5, minutes=30))
    day_start = created.astimezone(east).replace(hour=0, minute=0, second=0, microsecond=0)
    today = {"created_after": day_start.isoformat(), "created_before": (day_start + timedelta(days=1)).isoformat()}
    assert listed(client, today)["total"] == 1
    assert listed(client, {"created_after": created.isoformat()})["total"] == 1  # inclusive
    assert listed(client, {"created_before": created.isoformat()})["total"] == 0  # exclusive
    assert listed(client, {"created_after": (created + timedelta(microseconds=1)).isoformat()})["total"] == 0


@pytest.mark.parametrize(("params", "field"), [
    ({"q": ""}, "q"),
    ({"q": "x" * 201}, "q"),
    ({"q": "sun\x00"}, "q"),
    ({"q": "two\nlines"}, "q"),
    ({"style": ""}, "style"),
    ({"model": "m" * 65}, "model"),
    ({"status": "done"}, "status.0"),
    ({"created_after": "2026-12-03T00:00:00"}, "created_after"),  # no time zone: which day?
    ({"created_before": "yesterday"}, "created_before"),
])
def test_bad_filters_are_400_naming_the_parameter(client: TestClient, params: dict, field: str) -> None:
    response = client.get("/jobs", params=params, headers=ALICE)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert [f["field"] for f in error["fields"]] == [field]


def test_a_search_at_the_length_limit_is_answered(client: TestClient) -> None:
    assert listed(client, {"q": "sun " * 50})["total"] == 0
