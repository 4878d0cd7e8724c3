"""The error envelope: unexpected failures say nothing about the internals."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_job_service
from settings import Settings
from tests.api.conftest import ALICE
from tests.fake_runner import FakeRunner


class ExplodingJobs:
    def submit(self, *_args: object) -> None:
        raise RuntimeError("database password is hunter2")


def test_unexpected_error_is_500_with_a_generic_message(settings: Settings) -> None:
    app = create_app(settings, FakeRunner(), listening=["127.0.0.1"])
    app.dependency_overrides[get_job_service] = ExplodingJobs
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/generate", json={"prompt": "x"}, headers=ALICE)
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert "hunter2" not in response.text and "RuntimeError" not in response.text


def test_unexpected_error_reaches_a_web_app_on_another_origin(settings: Settings) -> None:
    # Without CORS headers on the 500 the browser hides the answer and shows a network error.
    cfg = settings.model_copy(update={"cors_origins": ["https://bag.example.com"]})
    app = create_app(cfg, FakeRunner(), listening=["127.0.0.1"])
    app.dependency_overrides[get_job_service] = ExplodingJobs
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/generate", json={"prompt": "x"},
                               headers={**ALICE, "Origin": "https://bag.example.com"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert response.headers["access-control-allow-origin"] == "https://bag.example.com"


def test_unknown_path_and_method_use_the_envelope(client: TestClient) -> None:
    response = client.put("/generate", headers=ALICE)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
