"""Links into the web app keep their query string (a shared /app?job=<id> opens that job)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><div id=root></div>")
    return root


def test_app_without_slash_redirects_keeping_the_query_string(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    job = "0b7a5f4e-0000-4000-8000-000000000000"
    response = client.get(f"/app?job={job}", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == f"/app/?job={job}"
    # Several parameters and encoded characters arrive exactly as sent.
    response = client.get("/app?job=a%26b&tab=images", follow_redirects=False)
    assert response.headers["location"] == "/app/?job=a%26b&tab=images"
    assert client.get("/app", follow_redirects=False).headers["location"] == "/app/"


def test_app_paths_answer_the_page_without_redirecting(make_client, web_dir: Path) -> None:  # noqa: ANN001
    client = make_client(web_dir=str(web_dir))
    for path in ("/app/?job=x", "/app/jobs?job=x&q=sun"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 200, path
        assert response.text == (web_dir / "index.html").read_text()
    # Followed from the bare /app, the browser lands on the page with the query intact.
    landed = client.get("/app?job=x")
    assert landed.status_code == 200
    assert str(landed.url).endswith("/app/?job=x")
