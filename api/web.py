"""The built web app under /app/, and the API's CORS (api/cors.py).

The one-box default serves `frontend/dist` itself. Vite names its assets by content hash, so they
are cached for a year; `index.html` is revalidated on every visit so a new build is picked up.
Any /app/ path that is not a file gets `index.html`: the web app routes in the browser.
"""

from __future__ import annotations

import gzip
import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from api.cors import CORS, with_cors

__all__ = ["install", "with_cors"]

BASE = "/app"
# Text assets are gzipped once and kept in memory; the build holds a handful of files.
COMPRESSIBLE = {".js", ".css", ".html", ".svg", ".json", ".map", ".txt", ".webmanifest"}
IMMUTABLE = "public, max-age=31536000, immutable"


_cache: dict[tuple[Path, int, int, bool], bytes] = {}
_CACHE_MAX = 256


def _read(path: Path, compress: bool) -> bytes:
    """The file's bytes (gzipped if asked), cached while the file stays as it was.

    A rebuild may rewrite a file while it is read: the bytes are kept only when the file's size
    and time are the same before and after the read, so a half-written asset is never cached.
    """
    try:
        before = path.stat()
        key = (path, before.st_mtime_ns, before.st_size, compress)
        if (hit := _cache.get(key)) is not None:
            return hit
        data = path.read_bytes()
        after = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise HTTPException(404) from None
    body = gzip.compress(data, compresslevel=9, mtime=0) if compress else data
    unchanged = (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
    if unchanged and len(data) == before.st_size:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = body
    return body


def accepts_gzip(header: str) -> bool:
    """Whether Accept-Encoding allows gzip: named or `*`, with a q-value above 0 (`gzip;q=0` refuses)."""
    weights: dict[str, float] = {}
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name.strip()] = q
    return weights.get("gzip", weights.get("*", 0.0)) > 0


def resolve(root: Path, rel: str) -> tuple[Path, bool]:
    """The file to answer with and whether it is an app route (index.html) rather than an asset.

    A path that leaves the build folder, or names a missing file with an extension (a stale asset
    link), is not found; anything else without a file behind it is a route of the web app.
    """
    root = root.resolve()
    try:
        target = (root / rel).resolve()
        is_file = target.is_file()
    except (ValueError, OSError):  # a NUL byte, a name too long: no such file
        raise HTTPException(404) from None
    if not target.is_relative_to(root):
        raise HTTPException(404)
    if is_file:
        return target, target.name == "index.html"
    if Path(rel).suffix and not rel.endswith(".html"):
        raise HTTPException(404)
    return root / "index.html", True


def install(app: FastAPI, web_dir: Path, cors_origins: list[str]) -> None:
    app.add_middleware(CORS, cors_origins=cors_origins)

    @app.get(BASE, include_in_schema=False)
    def app_root(request: Request) -> RedirectResponse:
        # The query string goes along: a link such as /app?job=<id> must reach the same page.
        query = request.url.query
        return RedirectResponse(f"{BASE}/?{query}" if query else f"{BASE}/")

    @app.api_route(BASE + "/{rel:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def web_app(rel: str, request: Request) -> Response:
        if not (web_dir / "index.html").is_file():
            raise HTTPException(404)
        path, is_page = resolve(web_dir, rel)
        compress = path.suffix in COMPRESSIBLE and accepts_gzip(request.headers.get("accept-encoding", ""))
        body = _read(path, compress)
        # Only Vite's assets/ carry a content hash in their names; anything else may change in place.
        hashed = not is_page and rel.startswith("assets/")
        headers = {"Cache-Control": IMMUTABLE if hashed else "no-cache", "Vary": "Accept-Encoding"}
        if compress:
            headers["Content-Encoding"] = "gzip"
        media = "text/html" if is_page else (mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        return Response(body, media_type=media, headers=headers)
