"""/docs and /redoc work without the internet: every script, style and icon they name is served here."""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.docs import ASSETS, VERSION

PAGES = ["/docs", "/redoc", "/docs/oauth2-redirect"]
EXPECTED_TYPE = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class _Links(HTMLParser):
    """Every URL an HTML page makes the browser load: src and href, and ReDoc's spec-url."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href", "spec-url") and v]


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", PAGES)
def test_docs_pages_name_no_other_host(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    # Any absolute or protocol-relative URL, in an attribute or inside the inline script.
    assert re.findall(r"(?:https?:)?//[\w.-]+\.\w+", response.text) == []


def test_docs_assets_are_served_with_their_types_and_cached_for_good(client: TestClient) -> None:
    assets = {url for page in ("/docs", "/redoc") for url in _links(client.get(page).text)} - {"/openapi.json"}
    assert {u.rsplit("/", 1)[1] for u in assets} == {
        "swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"}
    for url in assets:
        assert url.startswith(ASSETS + "/")
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(EXPECTED_TYPE["." + url.rsplit(".", 1)[1]]), url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert len(response.content) > 1000, url


def test_docs_scripts_are_gzipped_for_browsers_that_ask(client: TestClient) -> None:
    url = f"{ASSETS}/swagger-ui-bundle.js"
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    # The test client decodes gzip itself: both must be the same script, the zipped one smaller on the wire.
    assert zipped.content == plain.content
    assert int(zipped.headers["content-length"]) < len(plain.content) / 2
    assert b"SwaggerUIBundle" in plain.content


def test_docs_asset_paths_serve_only_the_listed_files(client: TestClient) -> None:
    for url in (f"{ASSETS}/core.py", f"{ASSETS}/..%2F__init__.py", "/docs/assets/0.0.1/swagger-ui.css"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"


def test_swagger_ui_points_at_the_local_openapi_and_oauth_redirect(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "url: '/openapi.json'" in html
    assert "'/docs/oauth2-redirect'" in html
    assert client.get("/openapi.json").status_code == 200


def test_bearer_sign_in_stays_declared_for_the_authorize_button(client: TestClient) -> None:
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values() if s["type"] == "http"] == ["bearer"]


def test_head_of_a_docs_asset_answers_like_get(client: TestClient) -> None:
    response = client.head(f"{ASSETS}/swagger-ui.css")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["cache-control"].endswith("immutable")


def test_docs_package_is_pinned_where_the_product_and_its_image_install_from() -> None:
    root = Path(__file__).resolve().parents[2]
    pin = f"fastapi-offline=={VERSION}"
    assert pin in tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    assert pin in yaml.safe_load((root / "bentofile.yaml").read_text())["python"]["packages"]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_refuse_images_from_other_hosts(client: TestClient, page: str) -> None:
    # ReDoc's bundle shows its maker's logo from a CDN; the policy keeps the browser from asking.
    assert client.get(page).headers["content-security-policy"] == "img-src 'self' data:"
