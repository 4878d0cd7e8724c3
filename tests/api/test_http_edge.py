"""The edge of the API: unknown paths, Allow, HEAD and OPTIONS, the body limit, sign-in before the
body is read, CORS on every error, and what the OpenAPI document declares."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from api.middleware import ForeignErrors
from tests.api.conftest import ALICE

ORIGIN = "https://bag.example.com"
JOB = f"/jobs/{uuid.uuid4()}"


@pytest.fixture
def cors_client(make_client) -> TestClient:  # noqa: ANN001
    return make_client(cors_origins=[ORIGIN], max_body_bytes=4096)


def raw_call(client: TestClient, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bool]:
    """One request straight into the app; the status, and whether the app asked for the body."""
    read: list[bool] = []
    sent: list[dict] = []

    async def receive() -> dict:
        read.append(True)
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in
                    {**headers, "content-length": str(len(body)), "content-type": "application/json"}.items()],
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }
    client.portal.call(client.app, scope, receive, send)
    return sent[0]["status"], bool(read)


# --- paths and methods -----------------------------------------------------------------------

def test_unknown_paths_reach_the_app_when_mounted_the_way_bentoml_mounts_it(make_client) -> None:  # noqa: ANN001
    # BentoML hands a request to the mounted app only if one of its routes matches the path;
    # otherwise its own plain-text 404 answered, without the envelope or CORS headers.
    from _bentoml_impl.server.mount import PassiveMount

    app = make_client(cors_origins=[ORIGIN]).app
    outer = Starlette(routes=[Route("/livez", lambda _: PlainTextResponse("\n")), PassiveMount("/", app)])
    with TestClient(outer) as client:
        response = client.get("/no/such/path", headers={"Origin": ORIGIN})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_405_allows_every_method_the_path_has(client: TestClient) -> None:
    # GET and DELETE /jobs/{id} are two routes; Starlette's own 405 named only the first.
    response = client.put(JOB, headers=ALICE)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response.headers["allow"] == "GET, HEAD, DELETE, OPTIONS"
    assert client.get("/health", headers=ALICE).status_code == 200
    assert client.delete("/health").headers["allow"] == "GET, HEAD, OPTIONS"


def test_options_answers_what_the_path_allows(client: TestClient) -> None:
    response = client.options(JOB)
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, DELETE, OPTIONS"
    assert response.content == b""
    assert client.options("/generate").headers["allow"] == "POST, OPTIONS"
    assert client.options("/no/such/path").status_code == 404


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    for path, headers in (("/health", {}), ("/me", ALICE), ("/jobs", ALICE)):
        got = client.get(path, headers=headers)
        head = client.head(path, headers=headers)
        assert head.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == str(len(got.content))
    missing = client.head(JOB, headers=ALICE)
    assert (missing.status_code, missing.content) == (404, b"")


# --- request bodies --------------------------------------------------------------------------

def test_a_body_over_the_limit_is_413_before_it_is_read(cors_client: TestClient) -> None:
    status, read = raw_call(cors_client, "POST", "/generate", ALICE, b" " * 5000)
    assert (status, read) == (413, False)
    response = cors_client.post("/generate", content=b" " * 5000, headers={**ALICE, "Origin": ORIGIN})
    assert response.json()["error"]["code"] == "body_too_large"
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_a_streamed_body_is_413_once_it_passes_the_limit(cors_client: TestClient) -> None:
    chunks = iter([b'{"prompt": "', *[b"a" * 1024] * 8, b'"}'])  # no Content-Length: chunked
    response = cors_client.post("/generate", content=chunks, headers={**ALICE, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    small = cors_client.post("/generate", content=iter([b'{"prompt": ', b'"a cat"}']),
                             headers={**ALICE, "Content-Type": "application/json"})
    assert small.status_code == 202, small.text


def test_a_caller_without_credentials_is_refused_before_the_body_is_read(client: TestClient) -> None:
    body = b'{"prompt": "' + b"a" * 60 * 1024 + b'"}'
    assert raw_call(client, "POST", "/generate", {}, body) == (401, False)
    assert raw_call(client, "POST", "/generate", {"Authorization": "Bearer nonsense"}, body) == (401, False)
    assert raw_call(client, "POST", "/tokens", {}, b'{"name": "ci"}') == (401, False)
    # A signed-in caller's body is read and validated as before.
    assert raw_call(client, "POST", "/generate", ALICE, b'{"prompt": "a cat"}') == (202, True)


# --- CORS ------------------------------------------------------------------------------------

def test_a_refused_preflight_is_403_in_the_envelope(cors_client: TestClient) -> None:
    response = cors_client.options("/generate", headers={"Origin": "https://evil.example.com",
                                                         "Access-Control-Request-Method": "POST"})
    assert response.status_code == 403
    body = response.json()["error"]
    assert body["code"] == "cors_refused"
    assert [f["field"] for f in body["fields"]] == ["origin"]
    assert "access-control-allow-origin" not in response.headers


def test_every_error_carries_the_cors_headers_for_an_allowed_origin(cors_client: TestClient) -> None:
    cors = {"Origin": ORIGIN}
    for response in (
        cors_client.get("/no/such/path", headers=cors),
        cors_client.put(JOB, headers={**ALICE, **cors}),
        cors_client.get("/me", headers=cors),
        cors_client.post("/generate", content=b" " * 5000, headers={**ALICE, **cors}),
        cors_client.post("/generate", json={"prompt": ""}, headers={**ALICE, **cors}),
    ):
        assert response.status_code >= 400
        assert "error" in response.json(), response.request.url
        assert response.headers["access-control-allow-origin"] == ORIGIN, response.request.url


def test_bentomls_own_error_answers_use_the_envelope_and_cors() -> None:
    async def starting(_: object) -> PlainTextResponse:
        return PlainTextResponse("Internal Server Error", status_code=500)

    bento = Starlette(routes=[Route("/livez", lambda _: PlainTextResponse("\n")), Route("/readyz", starting)])
    with TestClient(ForeignErrors(bento, cors_origins=[ORIGIN])) as client:
        wrong = client.post("/livez", headers={"Origin": ORIGIN})
        assert wrong.status_code == 405
        assert wrong.json()["error"]["code"] == "method_not_allowed"
        assert set(wrong.headers["allow"].split(", ")) == {"GET", "HEAD"}  # Starlette's, from a set
        assert wrong.headers["access-control-allow-origin"] == ORIGIN
        options = client.options("/livez")
        assert options.status_code == 204
        assert set(options.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
        failed = client.get("/readyz")
        assert (failed.status_code, failed.json()["error"]["code"]) == (500, "internal_error")
        assert client.get("/nope").json()["error"]["code"] == "not_found"
        assert client.get("/livez").text == "\n"


# --- the OpenAPI document --------------------------------------------------------------------

def test_the_document_declares_what_each_operation_answers(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    operations = {f"{m.upper()} {p}": op["responses"] for p, item in paths.items() for m, op in item.items()}
    for name, responses in operations.items():
        assert "422" not in responses, name
        assert "500" in responses, name
        if name.startswith("POST "):
            assert "413" in responses, name
    for public in ("GET /health", "GET /auth/config", "GET /images/{job_id}/{index}.png"):
        assert "401" not in operations[public], public
    for signed_in in ("GET /me", "GET /jobs", "POST /generate", "DELETE /tokens/{token_id}"):
        assert "401" in operations[signed_in], signed_in
    assert "400" in operations["POST /generate"]
    assert "400" not in operations["GET /me"]  # nothing to be invalid
    assert "409" in operations["POST /tokens"]
    assert operations["POST /generate"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def test_429_and_the_queue_503_are_declared_only_where_they_can_happen(client: TestClient) -> None:
    # RateLimited (and TooManyActiveJobs), QueueFull and RunnerNotReady come from JobService.submit alone,
    # which a new job and an exact regeneration both go through.
    submitting = ["POST /generate", "POST /jobs/{job_id}/regenerate"]
    paths = client.get("/openapi.json").json()["paths"]
    operations = {f"{m.upper()} {p}": op for p, item in paths.items() for m, op in item.items()}
    assert [name for name, op in operations.items() if "429" in op["responses"]] == submitting
    for name in submitting:
        answer_503 = operations[name]["responses"]["503"]["description"]
        assert "queue" in answer_503.lower() and "sign-in" in answer_503.lower(), name
    # StorageUnavailable comes from the operations that read or delete stored images.
    storage = {"GET /images/{job_id}/{index}.png", "GET /images/{job_id}/{index}.webp",
               "GET /jobs/{job_id}/archive", "DELETE /jobs/{job_id}"}
    for name, op in operations.items():
        answer = op["responses"].get("503")
        if name not in submitting and answer is not None:
            assert "queue" not in answer["description"].lower(), name
            assert ("sign-in" in answer["description"].lower()) == bool(op.get("security")), name
        assert (answer is not None and "storage" in answer["description"].lower()) == (name in storage), name
        # 503 only where sign-in is needed, where storage is read, or where the operation itself
        # can be refused for load.
        assert (answer is not None) == (bool(op.get("security")) or name in submitting or name in storage), name
