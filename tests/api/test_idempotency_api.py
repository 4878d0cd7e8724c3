"""POST /generate with an Idempotency-Key, over HTTP: replays, conflicts, bounds and CORS."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ALICE

BODY = {"prompt": "a red bicycle", "num_images": 1}


def post(client: TestClient, key: str | bytes | None, body: dict | None = None):  # noqa: ANN201
    headers = {**ALICE, **({"Idempotency-Key": key} if key is not None else {})}
    return client.post("/generate", json=body or BODY, headers=headers)


def test_replay_is_the_first_answer_and_makes_no_second_job(
    db_url: str, make_client: Callable[..., TestClient]
) -> None:
    client = make_client(database_url=db_url)
    first = post(client, "3f1c9a9e-retry")
    # Same body, other key order and spacing: the same request.
    again = client.post("/generate", content=b'{ "num_images": 1, "prompt": "a red bicycle" }',
                        headers={**ALICE, "Idempotency-Key": "3f1c9a9e-retry", "Content-Type": "application/json"})
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"] == f"/jobs/{first.json()['job_id']}"
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert client.get("/jobs", headers=ALICE).json()["total"] == 1


def test_same_key_with_another_body_is_409(client: TestClient) -> None:
    assert post(client, "k1").status_code == 202
    response = post(client, "k1", {"prompt": "a blue bicycle", "num_images": 1})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert client.get("/jobs", headers=ALICE).json()["total"] == 1


def test_requests_without_a_key_each_make_a_job(client: TestClient) -> None:
    assert post(client, None).json()["job_id"] != post(client, None).json()["job_id"]
    assert client.get("/jobs", headers=ALICE).json()["total"] == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "ключ".encode(), b"tab\there", b"del\x7f"])
def test_malformed_key_is_400_naming_the_header(client: TestClient, key: str | bytes) -> None:
    response = post(client, key)
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["Idempotency-Key"]
    assert client.get("/jobs", headers=ALICE).json()["total"] == 0


def test_longest_key_and_printable_punctuation_are_accepted(client: TestClient) -> None:
    assert post(client, "x" * 255).status_code == 202
    assert post(client, "order 42/retry:~!").status_code == 202


def test_replay_is_answered_when_the_rate_limit_is_spent(make_client: Callable[..., TestClient]) -> None:
    client = make_client(submit_rate_per_minute=1, submit_burst=1)
    first = post(client, "only-once")
    assert post(client, "only-once").json() == first.json()
    assert post(client, "a-new-one").status_code == 429


def test_cors_lets_the_web_app_send_a_key_and_read_the_replay_header(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(cors_origins=["https://bag.example.com"])
    preflight = client.options("/generate", headers={
        "Origin": "https://bag.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
    })
    assert preflight.status_code == 200
    assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()
    response = client.post("/generate", json=BODY,
                           headers={**ALICE, "Idempotency-Key": "c1", "Origin": "https://bag.example.com"})
    exposed = {h.strip() for h in response.headers["access-control-expose-headers"].lower().split(",")}
    assert "idempotent-replayed" in exposed
