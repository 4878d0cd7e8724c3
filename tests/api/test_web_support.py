"""What the web app needs from the API: how to sign in, downloads, its own files under /app/, CORS."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from starlette.exceptions import HTTPException

from api.web import resolve
from tests.api.conftest import ALICE, BOB, wait_status
from tests.fake_runner import FakeRunner

TENANT = "11111111-2222-3333-4444-555555555555"


def submit(client: TestClient, **body) -> str:  # noqa: ANN003
    response = client.post("/generate", json={"prompt": "a red bicycle", **body}, headers=ALICE)
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


# --- GET /auth/config ------------------------------------------------------------------------

def test_auth_config_needs_no_sign_in_and_reports_the_dev_sign_in(client: TestClient) -> None:
    response = client.get("/auth/config")
    assert response.status_code == 200
    assert response.json() == {"dev": True, "entra": None}


def test_auth_config_gives_msal_the_web_client_authority_and_api_scope(make_client) -> None:  # noqa: ANN001
    client = make_client(dev_auth=False, entra_tenant_id=TENANT, web_client_id="web-client",
                         entra_audience=["api://api-client", "api-client"])
    assert client.get("/auth/config").json() == {
        "dev": False,
        "entra": {
            "client_id": "web-client",
            "authority": f"https://login.microsoftonline.com/{TENANT}",
            "scopes": ["api://api-client/access_as_user"],
        },
    }


def test_auth_config_uses_configured_scopes_over_the_derived_one(make_client) -> None:  # noqa: ANN001
    client = make_client(entra_tenant_id=TENANT, web_client_id="web-client",
                         entra_audience=["api://api-client"], web_scopes=["api://other/.default"])
    assert client.get("/auth/config").json()["entra"]["scopes"] == ["api://other/.default"]


def test_auth_config_never_offers_the_dev_sign_in_the_api_would_refuse(make_client) -> None:  # noqa: ANN001
    # With a tenant configured the API ignores dev tokens, so the web app must not offer them.
    client = make_client(dev_auth=True, entra_tenant_id=TENANT, web_client_id="web-client",
                         entra_audience=["api://api-client"])
    assert client.get("/auth/config").json()["dev"] is False
    assert client.get("/me", headers=ALICE).status_code == 401


def test_auth_config_offers_no_microsoft_sign_in_without_a_web_client_id(make_client) -> None:  # noqa: ANN001
    client = make_client(entra_tenant_id=TENANT, entra_audience=["api://api-client"])
    assert client.get("/auth/config").json()["entra"] is None


# --- downloads -------------------------------------------------------------------------------

def test_image_link_with_download_answers_as_a_named_attachment(client: TestClient) -> None:
    job = wait_status(client, submit(client, num_images=2), "complete")
    url = job["images"][1]["url"]
    inline = client.get(url)
    assert inline.status_code == 200
    assert "content-disposition" not in inline.headers
    attached = client.get(url + "&download=1")
    assert attached.status_code == 200
    stem = f"brand-asset-{job['job_id'].replace('-', '')[:8]}"
    assert attached.headers["content-disposition"] == f'attachment; filename="{stem}-2.png"'
    assert attached.content == inline.content


def test_archive_holds_every_image_of_the_job_under_numbered_names(client: TestClient) -> None:
    job = wait_status(client, submit(client, num_images=3), "complete")
    response = client.get(f"/jobs/{job['job_id']}/archive", headers=ALICE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    stem = f"brand-asset-{job['job_id'].replace('-', '')[:8]}"
    assert response.headers["content-disposition"] == f'attachment; filename="{stem}.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert names == [f"{stem}-1.png", f"{stem}-2.png", f"{stem}-3.png"]
        for name, image in zip(names, job["images"], strict=True):
            assert archive.read(name) == client.get(image["url"]).content
            assert Image.open(io.BytesIO(archive.read(name))).size == (image["width"], image["height"])


def test_archive_of_another_users_job_is_404(client: TestClient) -> None:
    job = wait_status(client, submit(client), "complete")
    response = client.get(f"/jobs/{job['job_id']}/archive", headers=BOB)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "job_not_found"


def test_archive_of_a_job_without_images_is_409(make_client, runner: FakeRunner) -> None:  # noqa: ANN001
    client = make_client()
    runner.gate = threading.Event()
    job_id = submit(client)
    wait_status(client, job_id, "running")
    response = client.get(f"/jobs/{job_id}/archive", headers=ALICE)
    runner.gate.set()
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "job_not_complete"


def test_archive_needs_sign_in(client: TestClient) -> None:
    job = wait_status(client, submit(client), "complete")
    assert client.get(f"/jobs/{job['job_id']}/archive").status_code == 401


# --- the built web app under /app/ -----------------------------------------------------------

@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><div id=root></div>" + " " * 2000)
    (root / "assets" / "index-abc123.js").write_text("console.log('app');" * 200)
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("not for you")
    return root


def test_root_redirects_to_the_web_app_once_it_is_built(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/app/"
    assert client.get("/app", follow_redirects=False).headers["location"] == "/app/"


def test_root_redirects_to_the_api_docs_without_a_build(make_client, tmp_path: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(tmp_path / "missing"))
    assert client.get("/", follow_redirects=False).headers["location"] == "/docs"
    response = client.get("/app/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_web_app_routes_get_index_html_revalidated_every_visit(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    index = (web_dir / "index.html").read_text()
    for path in ("/app/", "/app/jobs", "/app/jobs/0b7a5f4e-0000-4000-8000-000000000000"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.text == index
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_gzipped_and_cached_for_a_year(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    raw = (web_dir / "assets" / "index-abc123.js").read_bytes()
    response = client.get("/app/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "javascript" in response.headers["content-type"]
    assert response.content == raw  # the test client decodes gzip
    assert int(response.headers["content-length"]) < len(raw) / 5
    plain = client.get("/app/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == raw


def test_unhashed_files_are_revalidated(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    response = client.get("/app/favicon.svg")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_missing_assets_and_escapes_are_404_not_the_page(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    assert client.get("/app/assets/gone-123.js").status_code == 404
    # Encoded dots reach the route undecoded by the client (a plain "../" the client would fold
    # away before sending); test_resolve_refuses_paths_that_leave_the_build covers the rest.
    for path in ("/app/%2e%2e/secret.txt", "/app/..%2fsecret.txt"):
        response = client.get(path)
        assert "not for you" not in response.text, path


# --- CORS for a web app on another origin ---------------------------------------------------

def test_cors_lets_the_configured_origin_call_and_read_retry_after(make_client) -> None:  # noqa: ANN001
    client = make_client(cors_origins=["https://bag.example.com"])
    preflight = client.options("/generate", headers={
        "Origin": "https://bag.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    })
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://bag.example.com"
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    response = client.get("/me", headers={**ALICE, "Origin": "https://bag.example.com"})
    assert response.headers["access-control-allow-origin"] == "https://bag.example.com"
    exposed = response.headers["access-control-expose-headers"].lower()
    assert {"retry-after", "location", "content-disposition"} <= {h.strip() for h in exposed.split(",")}


def test_cors_refuses_other_origins_and_is_off_by_default(make_client) -> None:  # noqa: ANN001
    configured = make_client(cors_origins=["https://bag.example.com"])
    other = configured.get("/me", headers={**ALICE, "Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers
    default = make_client()
    plain = default.get("/me", headers={**ALICE, "Origin": "https://bag.example.com"})
    assert "access-control-allow-origin" not in plain.headers


def test_resolve_refuses_paths_that_leave_the_build(web_dir: Path) -> None:
    for rel in ("../secret.txt", "assets/../../secret.txt", str(web_dir.parent / "secret.txt")):
        with pytest.raises(HTTPException) as caught:
            resolve(web_dir, rel)
        assert caught.value.status_code == 404
    assert resolve(web_dir, "assets/index-abc123.js") == (web_dir.resolve() / "assets" / "index-abc123.js", False)
    assert resolve(web_dir, "jobs/42") == (web_dir.resolve() / "index.html", True)


# --- thumbnails and the settings a job can be repeated with ------------------------------------

def test_thumbnail_is_a_small_webp_of_the_same_image(client: TestClient) -> None:
    job = wait_status(client, submit(client, num_images=1, aspect_ratio="16:9"), "complete")
    image = job["images"][0]
    full = Image.open(io.BytesIO(client.get(image["url"]).content)).convert("RGB")
    response = client.get(image["thumbnail_url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"].startswith("private, max-age=")
    thumb = Image.open(io.BytesIO(response.content))
    assert thumb.format == "WEBP"
    assert thumb.size == (512, 288)  # the longest side capped at 512, the ratio kept
    # The same picture: the full image scaled down differs from it only by compression.
    scaled = full.resize(thumb.size, Image.Resampling.LANCZOS)
    diff = sum(abs(a - b) for a, b in zip(scaled.tobytes(), thumb.convert("RGB").tobytes(), strict=True))
    assert diff / len(scaled.tobytes()) < 40
    smaller = client.get(image["thumbnail_url"] + "&width=160")
    assert Image.open(io.BytesIO(smaller.content)).size == (160, 90)


def test_thumbnail_link_is_refused_when_altered_or_out_of_range(client: TestClient) -> None:
    job = wait_status(client, submit(client, num_images=2), "complete")
    first, second = job["images"]
    # A valid signature for image 0 does not open image 1.
    forged = first["thumbnail_url"].replace("/0.webp", "/1.webp")
    assert client.get(forged).status_code == 403
    assert client.get(second["thumbnail_url"]).status_code == 200
    for width in (5000, 64, 511):
        refused = client.get(first["thumbnail_url"] + f"&width={width}")
        assert refused.status_code == 400
        assert refused.json()["error"]["fields"][0]["field"] == "width"


def test_thumbnail_is_stored_at_completion_and_made_once_when_missing(make_client, settings) -> None:  # noqa: ANN001
    client = make_client()
    job = wait_status(client, submit(client, num_images=1), "complete")
    kept = settings.data_dir / "images" / job["job_id"] / "0-512.webp"
    assert client.get(job["images"][0]["thumbnail_url"]).content == kept.read_bytes()
    kept.unlink()  # as for an image stored before thumbnails were made at completion
    first = client.get(job["images"][0]["thumbnail_url"])
    assert first.headers["content-type"] == "image/webp"
    assert kept.read_bytes() == first.content
    kept.write_bytes(b"kept copy")  # a second request answers from the kept file, not a new encode
    assert client.get(job["images"][0]["thumbnail_url"]).content == b"kept copy"
    assert client.delete(f"/jobs/{job['job_id']}", headers=ALICE).status_code == 204
    assert not kept.exists()


def test_job_reports_the_aspect_ratio_preset_its_size_matches(client: TestClient) -> None:
    preset = wait_status(client, submit(client, aspect_ratio="4:5", num_images=1), "complete")
    assert (preset["width"], preset["height"], preset["aspect_ratio"]) == (896, 1120, "4:5")
    custom = wait_status(client, submit(client, width=512, height=256, num_images=1), "complete")
    assert custom["aspect_ratio"] is None


def test_polls_of_a_job_give_the_same_image_urls_and_their_true_expiry(client: TestClient) -> None:
    """Stable URLs let the browser's cache answer when the job or history is fetched again."""
    from datetime import datetime
    from urllib.parse import parse_qs, urlparse

    job = wait_status(client, submit(client, num_images=2), "complete")
    again = client.get(f"/jobs/{job['job_id']}", headers=ALICE).json()
    listed = client.get("/jobs", headers=ALICE).json()["items"][0]
    assert [i["url"] for i in again["images"]] == [i["url"] for i in job["images"]]
    assert [i["thumbnail_url"] for i in listed["images"]] == [i["thumbnail_url"] for i in job["images"]]
    for image in job["images"]:
        expires = int(parse_qs(urlparse(image["url"]).query)["expires"][0])
        assert datetime.fromisoformat(image["expires_at"]).timestamp() == expires


def test_gzip_follows_accept_encoding_weights() -> None:
    from api.web import accepts_gzip

    assert accepts_gzip("gzip, deflate, br")
    assert accepts_gzip("br;q=1.0, gzip;q=0.8")
    assert accepts_gzip("*")
    assert not accepts_gzip("gzip;q=0")
    assert not accepts_gzip("*;q=0, br")
    assert not accepts_gzip("identity")
    assert not accepts_gzip("")
    assert accepts_gzip("*;q=0, gzip")


def test_odd_paths_and_head_requests(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    assert client.get("/app/%00").status_code == 404
    assert client.get("/app/" + "a" * 5000 + ".js").status_code == 404
    head = client.head("/app/jobs")
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("text/html")


def test_a_rewritten_asset_is_served_fresh(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    asset = web_dir / "favicon.svg"
    assert client.get("/app/favicon.svg").text == asset.read_text()
    asset.write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect width='2' height='2'/></svg>")
    assert "rect" in client.get("/app/favicon.svg").text
