"""The API's reference pages, /docs (Swagger UI) and /redoc, served without the internet.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so on a box without internet (or behind
a proxy that blocks it) they are blank. The scripts and styles come from the `fastapi-offline`
package instead (pinned in pyproject.toml and bentofile.yaml), served by this app under a path
that names the package's version: a new version is a new URL, so browsers may keep them for a year.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import metadata, resources

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from api.web import IMMUTABLE, accepts_gzip

PACKAGE = "fastapi_offline"
VERSION = metadata.version("fastapi-offline")
ASSETS = f"/docs/assets/{VERSION}"
# Only these files of the package are served: its folder is not browsed.
MEDIA = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
COMPRESSED = {"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"}
# ReDoc shows its maker's logo from their CDN (and Swagger UI can show a validator badge from
# another host): images from elsewhere are refused, so the pages never ask another host for anything.
PAGE_POLICY = {"Content-Security-Policy": "img-src 'self' data:"}


@cache
def _asset(name: str, compress: bool) -> bytes:
    """The file's bytes, gzipped once if asked; about 3 MB in all, read on first use and kept."""
    data = (resources.files(PACKAGE) / "static" / name).read_bytes()
    return gzip.compress(data, compresslevel=6, mtime=0) if compress else data


def install(app: FastAPI) -> None:
    """Add /docs, its OAuth redirect page, /redoc and their assets; the app must be built with
    `docs_url=None, redoc_url=None` so FastAPI's CDN pages are not added too."""
    oauth2_redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    def root(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        base = root(request)
        page = get_swagger_ui_html(
            openapi_url=base + app.openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{base}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{base}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{base}{ASSETS}/favicon.png",
            oauth2_redirect_url=base + oauth2_redirect,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters=app.swagger_ui_parameters,
        )
        page.headers.update(PAGE_POLICY)
        return page

    @app.get(oauth2_redirect, include_in_schema=False)
    async def swagger_ui_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        base = root(request)
        page = get_redoc_html(
            openapi_url=base + app.openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{base}{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{base}{ASSETS}/favicon.png",
            with_google_fonts=False,
        )
        page.headers.update(PAGE_POLICY)
        return page

    # A plain def: the first read of a file (and its gzip) runs in the thread pool, not on the loop.
    @app.get(ASSETS + "/{name}", include_in_schema=False)
    def docs_asset(name: str, request: Request) -> Response:
        if name not in MEDIA:
            raise HTTPException(404)
        compress = name in COMPRESSED and accepts_gzip(request.headers.get("accept-encoding", ""))
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        if compress:
            headers["Content-Encoding"] = "gzip"
        return Response(_asset(name, compress), media_type=MEDIA[name], headers=headers)
