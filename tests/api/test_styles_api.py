"""Brand styles through the API: listed, chosen per job, checked, and passed to the runner."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import ALICE, wait_for
from tests.fake_runner import FakeRunner


def test_styles_are_listed(client: TestClient) -> None:
    styles = client.get("/styles", headers=ALICE).json()
    assert [s["name"] for s in styles] == ["acme"]
    assert styles[0]["trigger_words"] == ["acme style"]


def test_job_with_a_style_reaches_the_runner_with_its_weight(client: TestClient, runner: FakeRunner) -> None:
    job_id = client.post("/generate", json={"prompt": "a mug", "style": "acme"}, headers=ALICE).json()["job_id"]
    job = wait_for(lambda: (j := client.get(f"/jobs/{job_id}", headers=ALICE).json())["status"] == "complete" and j)
    assert job["style"] == "acme"
    (request,) = runner.requests
    assert (request.style, request.style_weight) == ("acme", 0.8)


def test_unknown_style_is_400_naming_the_field(client: TestClient) -> None:
    response = client.post("/generate", json={"prompt": "a mug", "style": "initech"}, headers=ALICE)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "style"
    assert "acme" in response.json()["error"]["message"]


def test_default_style_applies_when_a_job_names_none(make_client, runner: FakeRunner) -> None:  # noqa: ANN001
    client = make_client(default_style="acme")
    job_id = client.post("/generate", json={"prompt": "a mug"}, headers=ALICE).json()["job_id"]
    wait_for(lambda: runner.requests)
    assert runner.requests[0].style == "acme"
    assert client.get(f"/jobs/{job_id}", headers=ALICE).json()["style"] == "acme"


def test_without_a_default_a_job_gets_the_base_model(client: TestClient, runner: FakeRunner) -> None:
    client.post("/generate", json={"prompt": "a mug"}, headers=ALICE)
    wait_for(lambda: runner.requests)
    assert runner.requests[0].style is None
