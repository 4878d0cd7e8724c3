"""CORS for the Figma plugin (a sandboxed iframe: `Origin: null`) and for image links, beside the
configured origins of a web app hosted elsewhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from api.middleware import ForeignErrors
from tests.api.conftest import ALICE, wait_status

NULL = {"Origin": "null"}
WEB_APP = "https://bag.example.com"
EXPOSED = {"retry-after", "location", "content-disposition", "idempotent-replayed"}


@pytest.fixture(params=[[], [WEB_APP]], ids=["no-origins", "web-app-origin"])
def api(request: pytest.FixtureRequest, make_client: Callable[..., TestClient]) -> TestClient:
    """The API with and without a configured web app origin: the plugin's rules hold either way."""
    return make_client(cors_origins=request.param)


def shared_with_anyone(response: Response) -> bool:
    """Readable from any page, `null` included, and never with credentials."""
    exposed = {h.strip().lower() for h in response.headers.get("access-control-expose-headers", "").split(",")}
    return response.headers.get("access-control-allow-origin") == "*" and EXPOSED <= exposed


def assert_no_credentials(response: Response) -> None:
    assert "access-control-allow-credentials" not in response.headers
    assert response.headers.get("access-control-allow-origin") != "null"


def complete_job(client: TestClient) -> dict:
    job_id = client.post("/generate", json={"prompt": "a red bicycle", "num_images": 1}, headers=ALICE).json()["job_id"]
    return wait_status(client, job_id, "complete")


def test_a_preflight_from_the_plugin_is_allowed_for_the_tokens_and_headers_it_sends(api: TestClient) -> None:
    response = api.options("/generate", headers={
        **NULL, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed
    assert "POST" in response.headers["access-control-allow-methods"]
    assert_no_credentials(response)


def test_a_preflight_from_the_plugin_for_other_headers_is_refused(api: TestClient) -> None:
    response = api.options("/jobs", headers={**NULL, "Access-Control-Request-Method": "GET",
                                              "Access-Control-Request-Headers": "authorization, x-secret"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cors_refused"


def test_a_request_with_a_token_from_the_plugin_is_readable_by_any_origin_never_null(api: TestClient) -> None:
    complete_job(api)
    response = api.get("/jobs", headers={**ALICE, **NULL})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 1
    assert shared_with_anyone(response)
    assert "origin" in response.headers["vary"].lower()
    assert_no_credentials(response)


def test_an_error_for_a_token_from_the_plugin_is_readable_so_it_can_say_why(api: TestClient) -> None:
    # A revoked or expired token is a 401 the panel must read to tell the user to sign in again;
    # a refused job (400) must show its field errors.
    unknown = api.get("/me", headers={"Authorization": "Bearer bag_pat_" + "A" * 43, **NULL})
    assert unknown.status_code == 401
    assert shared_with_anyone(unknown)
    invalid = api.post("/generate", json={"prompt": ""}, headers={**ALICE, **NULL})
    assert invalid.status_code == 400
    assert shared_with_anyone(invalid)


def test_nothing_is_readable_from_null_without_a_token(api: TestClient) -> None:
    for response in (
        api.get("/jobs", headers=NULL),
        api.get("/me", headers=NULL),
        api.get("/jobs", headers={**NULL, "Authorization": "Basic YWxpY2U6cHc="}),
        api.get("/jobs", headers={**NULL, "Authorization": "Bearer "}),
        api.get("/jobs", headers={**NULL, "Cookie": "session=alice"}),
    ):
        assert response.status_code == 401
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-expose-headers" not in response.headers
    # Public routes are no exception: `null` is every sandboxed and file: page, not an origin to trust,
    # and a made-up bearer token opens nothing either (only a token the API accepted does).
    for headers in (NULL, {**NULL, "Authorization": "Bearer x"}, {**NULL, "Authorization": "Bearer dev:"}):
        for path in ("/health", "/openapi.json", "/auth/config"):
            public = api.get(path, headers=headers)
            assert public.status_code < 400, (path, public.status_code)
            assert "access-control-allow-origin" not in public.headers, (path, headers)


def test_image_and_thumbnail_links_are_readable_from_any_origin(api: TestClient) -> None:
    image = complete_job(api)["images"][0]
    # Without an Origin too: that answer may be cached and must serve a later fetch from a script.
    plain = api.get(image["url"])
    assert plain.status_code == 200
    assert shared_with_anyone(plain)
    for origin in ("null", "https://anywhere.example", WEB_APP):
        for url in (image["url"], image["thumbnail_url"], image["url"] + "&download=true"):
            response = api.get(url, headers={"Origin": origin})
            assert response.status_code == 200, url
            assert shared_with_anyone(response), (origin, url)
            assert_no_credentials(response)
    download = api.get(image["url"] + "&download=true", headers=NULL)
    assert download.headers["content-disposition"].startswith("attachment")


def test_an_altered_link_is_refused_and_the_refusal_readable(api: TestClient) -> None:
    url = complete_job(api)["images"][0]["url"]
    response = api.get(url[:-1] + ("0" if url[-1] != "0" else "1"), headers=NULL)
    assert response.status_code == 403
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.content[:8] != b"\x89PNG\r\n\x1a\n"


def test_the_archive_with_a_token_from_the_plugin_is_readable_with_its_filename(api: TestClient) -> None:
    job = complete_job(api)
    response = api.get(f"/jobs/{job['job_id']}/archive", headers={**ALICE, **NULL})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert response.headers["content-disposition"].startswith("attachment")
    assert shared_with_anyone(response)
    assert api.get(f"/jobs/{job['job_id']}/archive", headers=NULL).status_code == 401


def test_the_configured_web_app_origin_is_still_answered_by_name(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins=[WEB_APP])
    response = client.get("/jobs", headers={**ALICE, "Origin": WEB_APP})
    assert response.headers["access-control-allow-origin"] == WEB_APP
    preflight = client.options("/generate", headers={"Origin": WEB_APP, "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == WEB_APP
    # Any other named origin still gets nothing, token or not.
    other = client.get("/jobs", headers={**ALICE, "Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers
    refused = client.options("/generate", headers={"Origin": "https://evil.example.com",
                                                   "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 403


def test_without_configured_origins_a_named_origin_gets_nothing(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins=[])
    response = client.get("/jobs", headers={**ALICE, "Origin": WEB_APP})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_bentomls_own_error_answers_follow_the_same_rules() -> None:
    # /livez, /readyz and the like answer outside the app (api/middleware.py ForeignErrors).
    bento = Starlette(routes=[Route("/livez", lambda _: PlainTextResponse("\n"))])
    with TestClient(ForeignErrors(bento, cors_origins=[])) as client:
        # No token was checked there (the route is BentoML's): nothing is shared, token or not.
        with_token = client.post("/livez", headers={**ALICE, **NULL})
        assert with_token.status_code == 405
        assert "access-control-allow-origin" not in with_token.headers
        without = client.post("/livez", headers=NULL)
        assert without.status_code == 405
        assert "access-control-allow-origin" not in without.headers
