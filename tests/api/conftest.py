from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from settings import Settings
from tests.fake_runner import FakeRunner
from tests.polling import wait_for


@pytest.fixture
def runner() -> FakeRunner:
    return FakeRunner()


@pytest.fixture
def make_client(settings: Settings, runner: FakeRunner) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides) -> TestClient:  # noqa: ANN003
        cfg = settings.model_copy(update=overrides)
        client = TestClient(create_app(cfg, runner, listening=["127.0.0.1"]))
        client.__enter__()
        clients.append(client)
        wait_for(lambda: client.get("/health").json()["runner_ready"])
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


ALICE = {"Authorization": "Bearer dev:alice"}
BOB = {"Authorization": "Bearer dev:bob"}


def wait_status(client: TestClient, job_id: str, status: str, headers=ALICE) -> dict:  # noqa: ANN001
    return wait_for(lambda: (j := client.get(f"/jobs/{job_id}", headers=headers).json())["status"] == status and j)
