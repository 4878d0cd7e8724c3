"""Malformed image links are refused (403/400), never a 500, and a flood of them cannot fill the log."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

import api.errors
import api.routes.images
from api.app import create_app
from api.deps import get_job_service
from common.ratelog import RateLimitedLog
from settings import Settings
from tests.api.conftest import ALICE, wait_status
from tests.fake_runner import FakeRunner

MISSING = "00000000-0000-4000-8000-000000000000"
SIG = "0" * 64


@pytest.fixture
def fresh_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The rate-limited logs live for the process; a fresh pair keeps other tests' lines out.
    monkeypatch.setattr(api.routes.images, "_refused", RateLimitedLog(logging.getLogger("api.routes.images")), raising=False)
    monkeypatch.setattr(api.errors, "_unexpected_log", RateLimitedLog(logging.getLogger("api.errors")), raising=False)


def complete_image_url(client: TestClient) -> str:
    job_id = client.post("/generate", json={"prompt": "x", "num_images": 1}, headers=ALICE).json()["job_id"]
    return wait_status(client, job_id, "complete")["images"][0]["url"]


@pytest.mark.parametrize("suffix", ["png", "webp"])
@pytest.mark.parametrize("sig", ["%C3%A9" * 32, "%C3%A9", "%00" * 64, "%F0%9F%92%A9" * 16, "ZZ", ""])
def test_malformed_signature_is_403_even_for_a_missing_job(client: TestClient, sig: str, suffix: str) -> None:
    response = client.get(f"/images/{MISSING}/0.{suffix}?expires=4000000000&sig={sig}")
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "link_invalid"


def test_non_ascii_signature_on_a_real_image_is_403(client: TestClient) -> None:
    url = complete_image_url(client)
    assert client.get(url).status_code == 200
    base, query = url.split("?")
    expires = parse_qs(query)["expires"][0]
    for sig in ["%C3%A9" * 64, "%C3%A9"]:
        assert client.get(f"{base}?expires={expires}&sig={sig}").status_code == 403
    assert client.get(f"{urlsplit(base).path[:-4]}.webp?expires={expires}&sig=%C3%A9").status_code == 403


@pytest.mark.parametrize("expires", [2**63, 2**64, -1, "9" * 5000, "1e3", "%C3%A9"])
def test_out_of_range_expiry_is_400(client: TestClient, expires: object) -> None:
    response = client.get(f"/images/{MISSING}/0.png?expires={expires}&sig={SIG}")
    assert response.status_code == 400, response.text
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["expires"]


@pytest.mark.parametrize("query", ["width=" + str(2**70), "width=-1", "width=300", "width=%C3%A9"])
def test_bad_thumbnail_width_is_400(client: TestClient, query: str) -> None:
    response = client.get(f"/images/{MISSING}/0.webp?expires=4000000000&sig={SIG}&{query}")
    assert response.status_code == 400, response.text


def test_a_flood_of_bad_links_writes_at_most_one_line_per_kind(
    client: TestClient, fresh_logs: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    for i in range(200):
        sig = ("%C3%A9" if i % 2 else "f") * 64  # non-ASCII (once a 500 and a traceback) and forged
        assert client.get(f"/images/{MISSING}/{i % 64}.png?expires=4000000000&sig={sig}").status_code == 403
    lines = [r for r in caplog.records if r.name.startswith("api.")]
    assert len(lines) <= 2, [r.getMessage() for r in lines]
    assert all(r.levelno < logging.ERROR for r in lines)
    assert {r.getMessage() for r in lines} == {"refused an image link: signature is not ASCII",
                                               "refused an image link: signature does not match"}


class ExplodingJobs:
    def list(self, *_args: object) -> None:
        raise RuntimeError("a bug every caller can reach")


def test_a_flood_of_one_unexpected_error_writes_one_traceback(
    settings: Settings, fresh_logs: None, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings, FakeRunner(), listening=["127.0.0.1"])
    app.dependency_overrides[get_job_service] = ExplodingJobs
    caplog.set_level(logging.ERROR, logger="api.errors")
    with TestClient(app, raise_server_exceptions=False) as client:
        for offset in range(100):  # different URLs, one route: one kind
            assert client.get(f"/jobs?offset={offset}", headers=ALICE).status_code == 500
    errors = [r for r in caplog.records if r.name == "api.errors"]
    assert len(errors) == 1
    assert errors[0].exc_info is not None and "GET /jobs" in errors[0].getMessage()
