"""Pure ASGI middleware at the edge of the API: the body size limit, HEAD, and BentoML's own errors.

Pure ASGI rather than Starlette's BaseHTTPMiddleware, and each passes a request it has nothing to
do with straight on: the job poll is the hottest route and pays for every layer.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import web
from api.errors import error_response, status_error

# Kept from an error answer that is put into the envelope: they tell the client what to do next.
_KEPT_HEADERS = (b"allow", b"retry-after", b"www-authenticate")


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit.

    An HTTPException, so FastAPI's body reading passes it on (anything else it turns into a 400)
    to the handler installed below; BodyLimit answers it where nothing else did."""

    def __init__(self, limit: int) -> None:
        super().__init__(413)
        self.limit = limit


def too_large(limit: int) -> JSONResponse:
    return error_response(413, "body_too_large", f"The request body is larger than {limit} bytes.")


async def _too_large(_: Request, exc: BodyTooLarge) -> JSONResponse:
    return too_large(exc.limit)


def install(app: FastAPI, max_body_bytes: int) -> None:
    """HEAD and the body limit. Added before the other middleware, so they sit inside them: inside
    the 500 envelope and CORS, so every answer they give carries the CORS headers."""
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_exception_handler(BodyTooLarge, _too_large)


class BodyLimit:
    """413 for a body over `max_bytes`: from Content-Length before any of it is read, and for a
    streamed (chunked) body as soon as the bytes received pass the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        streamed = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                # The server ends the body at the declared length, so nothing more needs counting.
                if not value.isdigit() or int(value) > self.max_bytes:
                    await too_large(self.max_bytes)(scope, receive, send)
                    return
                await self.app(scope, receive, send)
                return
            if name == b"transfer-encoding":
                streamed = True
        if not streamed:  # no body at all: the poll and every other GET
            await self.app(scope, receive, send)
            return
        await self._counted(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:  # too late for an error answer: let the server close the connection
                raise
            await too_large(self.max_bytes)(scope, receive, send)


class HeadAsGet:
    """HEAD wherever GET is answered: the GET's status and headers without its body (RFC 9110 9.3.2).

    FastAPI registers GET routes without HEAD; answering it here covers every route at once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class ForeignErrors:
    """BentoML's own error answers in the envelope, with the app's CORS headers.

    Added to the BentoML service (service.py), around BentoML's router: its system routes
    (/livez, /readyz, /metrics, ...) answer before the mounted app and in plain text, e.g. a 405
    or a 500 from /readyz while starting. The app's own answers are JSON already and pass as
    they are; any other error answer is replaced by the envelope with the same status.
    """

    def __init__(self, app: ASGIApp, cors_origins: list[str]) -> None:
        self.app = app
        self.cors_origins = cors_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def enveloping_send(message: Message) -> None:
            nonlocal replaced
            if replaced:  # the replaced answer's body
                return
            if message["type"] == "http.response.start" and message["status"] >= 400 and not _is_json(message):
                replaced = True
                await self._envelope(message, scope, receive, send)
                return
            await send(message)

        await self.app(scope, receive, enveloping_send)

    async def _envelope(self, start: Message, scope: Scope, receive: Receive, send: Send) -> None:
        status = start["status"]
        kept = {name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in start.get("headers", []) if name.lower() in _KEPT_HEADERS}
        answer: ASGIApp
        if status == 405 and scope["method"] == "OPTIONS" and "allow" in kept:
            # Starlette's routes have no OPTIONS: it is the question "what may I do here?"
            answer = Response(status_code=204, headers={"allow": f"{kept['allow']}, OPTIONS"})
        else:
            answer = status_error(status, kept)
        await web.with_cors(answer, self.cors_origins)(scope, receive, send)


def _is_json(start: Message) -> bool:
    for name, value in start.get("headers", []):
        if name.lower() == b"content-type":
            return value.split(b";")[0].strip().lower() == b"application/json"
    return False
