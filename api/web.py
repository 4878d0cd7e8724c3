"""The built web app under /app/, and CORS for a web app hosted on another origin.

The one-box default serves `frontend/dist` itself. Vite names its assets by content hash, so they
are cached for a year; `index.html` is revalidated on every visit so a new build is picked up.
Any /app/ path that is not a file gets `index.html`: the web app routes in the browser.
"""

from __future__ import annotations

import gzip
import mimetypes
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

BASE = "/app"
# Text assets are gzipped once and kept in memory; the build holds a handful of files.
COMPRESSIBLE = {".js", ".css", ".html", ".svg", ".json", ".map", ".txt", ".webmanifest"}
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def _read(path: Path, mtime_ns: int, compress: bool) -> bytes:  # noqa: ARG001 (mtime_ns keys the cache)
    data = path.read_bytes()
    return gzip.compress(data, compresslevel=9, mtime=0) if compress else data


def resolve(root: Path, rel: str) -> tuple[Path, bool]:
    """The file to answer with and whether it is an app route (index.html) rather than an asset.

    A path that leaves the build folder, or names a missing file with an extension (a stale asset
    link), is not found; anything else without a file behind it is a route of the web app.
    """
    root = root.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        raise HTTPException(404)
    if target.is_file():
        return target, target.name == "index.html"
    if Path(rel).suffix and not rel.endswith(".html"):
        raise HTTPException(404)
    return root / "index.html", True


def install(app: FastAPI, web_dir: Path, cors_origins: list[str]) -> None:
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            # The web app reads these: when to retry, where a new job is, what a download is called.
            expose_headers=["Retry-After", "Location", "Content-Disposition"],
            max_age=600,
        )

    @app.get(BASE, include_in_schema=False)
    def app_root() -> RedirectResponse:
        return RedirectResponse(f"{BASE}/")

    @app.get(BASE + "/{rel:path}", include_in_schema=False)
    def web_app(rel: str, request: Request) -> Response:
        if not (web_dir / "index.html").is_file():
            raise HTTPException(404)
        path, is_page = resolve(web_dir, rel)
        compress = path.suffix in COMPRESSIBLE and "gzip" in request.headers.get("accept-encoding", "")
        body = _read(path, path.stat().st_mtime_ns, compress)
        # Only Vite's assets/ carry a content hash in their names; anything else may change in place.
        hashed = not is_page and rel.startswith("assets/")
        headers = {"Cache-Control": IMMUTABLE if hashed else "no-cache", "Vary": "Accept-Encoding"}
        if compress:
            headers["Content-Encoding"] = "gzip"
        media = "text/html" if is_page else (mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        return Response(body, media_type=media, headers=headers)
