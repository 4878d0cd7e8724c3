"""The edge of the real product (`bentoml serve`): every error in the envelope with CORS headers,
including the paths BentoML answers itself, HEAD and OPTIONS, and the body limit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scripts.local_server import Server, start_server

pytestmark = pytest.mark.e2e
ORIGIN = "https://bag.example.com"
ALICE = {"Authorization": "Bearer dev:alice"}


@pytest.fixture(scope="module")
def cors_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from models.demo import ensure_demo_model

    data: Path = tmp_path_factory.mktemp("edge-data")
    ensure_demo_model(data)
    server = start_server(data, data / "server.log", BAG_CORS_ORIGINS=json.dumps([ORIGIN]))
    yield server
    server.stop()


def test_every_error_is_the_envelope_with_cors_headers_even_outside_the_app(cors_server: Server) -> None:
    url, cors = cors_server.url, {"Origin": ORIGIN}
    cases = [
        ("GET", "/no/such/path", {}, 404, "not_found"),  # BentoML's own plain-text 404 before
        ("GET", "/static_content/missing.js", {}, 404, "not_found"),  # BentoML's static files
        ("POST", "/livez", {}, 405, "method_not_allowed"),  # a BentoML route, wrong method
        ("PUT", "/generate", ALICE, 405, "method_not_allowed"),
        ("GET", "/me", {}, 401, "not_authenticated"),
        ("POST", "/generate", ALICE, 413, "body_too_large"),
    ]
    for method, path, headers, status, code in cases:
        content = b" " * (70 * 1024) if status == 413 else None
        response = httpx.request(method, url + path, headers={**headers, **cors}, content=content, timeout=10)
        assert response.status_code == status, (method, path, response.text)
        assert response.headers["content-type"] == "application/json", (method, path)
        assert response.json()["error"]["code"] == code, (method, path)
        assert response.headers["access-control-allow-origin"] == ORIGIN, (method, path)
    assert "GET" in httpx.post(f"{url}/livez", timeout=10).headers["allow"]
    assert httpx.put(f"{url}/generate", timeout=10).headers["allow"] == "POST, OPTIONS"


def test_refused_preflight_is_the_envelope(cors_server: Server) -> None:
    response = httpx.options(f"{cors_server.url}/generate", timeout=10, headers={
        "Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cors_refused"


def test_head_and_options_wherever_get_is_answered(cors_server: Server) -> None:
    url = cors_server.url
    head = httpx.head(f"{url}/health", timeout=10)
    assert head.status_code == 200
    assert int(head.headers["content-length"]) == len(httpx.get(f"{url}/health", timeout=10).content)
    job = f"{url}/jobs/{uuid.uuid4()}"
    assert httpx.head(job, headers=ALICE, timeout=10).status_code == 404
    options = httpx.options(job, timeout=10)
    assert options.status_code == 204
    assert options.headers["allow"] == "GET, HEAD, DELETE, OPTIONS"
