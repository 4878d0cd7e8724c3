"""Routing beyond FastAPI's: every path answered in the envelope, a true `Allow` on OPTIONS and 405,
and a caller signed in before a request body is read."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from api.deps import USER_SCOPE_KEY, bearer, get_current_user

# Methods a route may answer, in the order `Allow` lists them. HEAD is answered wherever GET is
# (api/middleware.py) and OPTIONS wherever the path exists (Fallback below).
PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """The methods some route answers at this request's path; empty when the path is unknown.

    Each method is put to the routes themselves, so included routers, prefixes and path
    convertors count exactly as when the request is routed."""
    allowed = [
        method for method in PROBED
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    if not allowed:
        return []
    if "GET" in allowed:
        allowed.insert(1, "HEAD")
    return [*allowed, "OPTIONS"]


class Fallback(BaseRoute):
    """The first route, answering what no other route does: an unknown path is 404, a method the
    path lacks is 405 with `Allow`, and OPTIONS answers 204 with `Allow`.

    It matches every request partly, so any full match wins over it and, being first, it is the
    partial match the router falls back on. Mounted under BentoML, which hands on only the paths
    some route of this app matches, that makes unknown paths reach this app (its envelope and CORS
    headers) instead of BentoML's plain-text 404, while BentoML's own routes keep their methods.
    """

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        return (Match.PARTIAL, {}) if scope["type"] == "http" else (Match.NONE, {})

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed = allowed_methods(self.routes, scope)
        if not allowed:
            raise HTTPException(404)
        headers = {"Allow": ", ".join(allowed)}
        if scope["method"] == "OPTIONS":
            await Response(status_code=204, headers=headers)(scope, receive, send)
            return
        raise HTTPException(405, headers=headers)


def _needs_user(dependant: Dependant) -> bool:
    return any(dep.call is get_current_user or _needs_user(dep) for dep in dependant.dependencies)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class SignedInRoute(APIRoute):
    """A route that refuses a caller without valid credentials before reading the request body.

    FastAPI reads and parses the body before it runs any dependency, so without this anyone could
    make the server parse a body up to the size limit on every request. The caller found here is
    kept on the request for `get_current_user`, so a token is still validated once. Routes that
    take no body (the poll) are left exactly as FastAPI builds them.
    """

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.body_field is None or not _needs_user(self.dependant):
            return handler

        async def signed_in_first(request: Request) -> Response:
            if get_current_user not in request.app.dependency_overrides:  # a test's stand-in
                request.scope[USER_SCOPE_KEY] = await get_current_user(request, await bearer(request))
            return await handler(request)

        return signed_in_first

