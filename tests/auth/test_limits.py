"""Per-user limits on job submission: a rate (429 with Retry-After) and a cap on active jobs."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from tests.auth.conftest import bearer, token

ALICE = bearer(token())
BOB = bearer(token(oid="oid-bob"))


def post(client: TestClient, headers: dict = ALICE):  # noqa: ANN201
    return client.post("/generate", json={"prompt": "x", "num_images": 1}, headers=headers)


def test_submission_rate_limit_is_429_with_retry_after(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(submit_rate_per_minute=1, submit_burst=2)
    first = post(client)
    assert first.status_code == 202
    assert post(client).status_code == 202
    refused = post(client)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # Polling is not limited, and other users are not affected.
    for _ in range(20):
        assert client.get(f"/jobs/{first.json()['job_id']}", headers=ALICE).status_code == 200
    assert post(client, BOB).status_code == 202


def test_a_personal_access_token_shares_its_owners_limit(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(submit_rate_per_minute=1, submit_burst=1)
    pat = client.post("/tokens", json={"name": "tool"}, headers=ALICE).json()["token"]
    assert post(client).status_code == 202
    assert post(client, bearer(pat)).status_code == 429


def test_active_jobs_per_user_are_capped(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(max_active_jobs_per_user=2, runner_concurrency=1)
    runner = client.app.state.services.dispatcher.runner
    runner.gate = threading.Event()
    assert post(client).status_code == 202
    assert post(client).status_code == 202
    refused = post(client)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_active_jobs"
    assert int(refused.headers["retry-after"]) > 0
    assert client.get("/jobs", headers=ALICE).json()["total"] == 2
    assert post(client, BOB).status_code == 202
    runner.gate.set()
