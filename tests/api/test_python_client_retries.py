"""The Python client's `retrying.submit` against the real app: a lost answer and a retry make one job."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ALICE

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from bag_client import AuthenticatedClient  # noqa: E402
from bag_client.models import GenerateRequest  # noqa: E402
from bag_client.retrying import SubmitRefused, submit  # noqa: E402


class LosesAnswers(httpx.BaseTransport):
    """Hands each request to the app, then drops the first `lose` answers as a broken connection would."""

    def __init__(self, app: TestClient, lose: int) -> None:
        self.app = app
        self.lose = lose
        self.keys: list[str | None] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers.get("Idempotency-Key"))
        answer = self.app.request(request.method, request.url.path, headers=dict(request.headers), content=request.read())
        if self.lose:
            self.lose -= 1
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


def bag_client(app: TestClient, transport: LosesAnswers) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url="http://testserver", token="dev:alice")
    client.set_httpx_client(httpx.Client(base_url="http://testserver", headers=ALICE, transport=transport))
    return client


# db_url first, so its database is dropped only after the app using it has stopped.
@pytest.fixture
def app(db_url: str, make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(database_url=db_url)


def test_broken_connection_then_retry_makes_one_job(app: TestClient) -> None:
    transport = LosesAnswers(app, lose=1)
    waits: list[float] = []
    accepted = submit(bag_client(app, transport), GenerateRequest(prompt="icon set", num_images=1), sleep=waits.append)
    jobs = app.get("/jobs", headers=ALICE).json()
    assert jobs["total"] == 1 and jobs["items"][0]["job_id"] == accepted.job_id
    assert len(transport.keys) == 2 and transport.keys[0] and transport.keys[0] == transport.keys[1]
    assert waits == [0.5]


def test_gives_up_after_the_retries_and_still_made_one_job(app: TestClient) -> None:
    transport = LosesAnswers(app, lose=3)
    with pytest.raises(httpx.RemoteProtocolError):
        submit(bag_client(app, transport), GenerateRequest(prompt="icon set"), retries=2, sleep=lambda _: None)
    assert len(transport.keys) == 3 and len(set(transport.keys)) == 1
    assert app.get("/jobs", headers=ALICE).json()["total"] == 1


def test_each_call_gets_its_own_key(app: TestClient) -> None:
    transport = LosesAnswers(app, lose=0)
    client = bag_client(app, transport)
    first = submit(client, GenerateRequest(prompt="icon set"))
    second = submit(client, GenerateRequest(prompt="icon set"))
    assert first.job_id != second.job_id and transport.keys[0] != transport.keys[1]


def test_key_reused_for_another_body_is_refused(app: TestClient) -> None:
    client = bag_client(app, LosesAnswers(app, lose=0))
    submit(client, GenerateRequest(prompt="icon set"), idempotency_key="order-42")
    with pytest.raises(SubmitRefused) as refused:
        submit(client, GenerateRequest(prompt="banner"), idempotency_key="order-42")
    assert refused.value.status_code == 409
    assert refused.value.error is not None and refused.value.error.error.code == "idempotency_key_reused"
