"""The one place where errors become HTTP responses, following the seed's status table.

Every error has the same envelope, `{"error": {"code", "message", "fields"}}`, and no exception
text reaches a client unless the exception is a domain error written to be shown.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth.models import Forbidden, NotAuthenticated, SignInUnavailable
from auth.tokens import TokenNotFound, TooManyTokens
from common.ratelog import RateLimitedLog
from jobs.errors import (
    DomainError,
    IdempotencyKeyReused,
    ImageNotFound,
    InvalidRequest,
    JobFinished,
    JobNotComplete,
    JobNotFound,
    QueueFull,
    RunnerNotReady,
)
from jobs.limits import RateLimited
from jobs.recipes import RecipeMissing, RecipeNotRunnable
from jobs.reviews import JobHasApprovedImages, NotReviewable
from storage.errors import StorageUnavailable
from storage.links import LinkInvalid

log = logging.getLogger(__name__)
# One bug that any request can reach must not write a traceback per request: the first of each
# kind (exception type and route) per interval keeps its traceback, the rest are counted.
_unexpected_log = RateLimitedLog(log)

# An id that is not a UUID names nothing that could exist: answered as not found, exactly like an
# id that was deleted, so a client (and the web app's job page) treats both alike.
_MALFORMED_ID: dict[str, type[DomainError]] = {"job_id": JobNotFound, "token_id": TokenNotFound}


class FieldError(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[FieldError] = []


class ErrorBody(BaseModel):
    error: ErrorDetail


STATUS: dict[type[DomainError], int] = {
    InvalidRequest: 400,
    NotAuthenticated: 401,
    Forbidden: 403,
    LinkInvalid: 403,
    ImageNotFound: 404,
    JobNotFound: 404,
    TokenNotFound: 404,
    IdempotencyKeyReused: 409,
    JobFinished: 409,
    JobNotComplete: 409,
    NotReviewable: 409,
    JobHasApprovedImages: 409,
    RecipeMissing: 409,
    RecipeNotRunnable: 409,
    TooManyTokens: 409,
    RateLimited: 429,
    SignInUnavailable: 503,
    QueueFull: 503,
    RunnerNotReady: 503,
    StorageUnavailable: 503,
}

# Declared on every route so the OpenAPI document (and the generated clients) know the envelope.
# Only answers any route may give: api/openapi.py keeps each where it can happen, and an
# operation declares its own (429 and the queue's 503 on POST /generate).
ERROR_RESPONSES: dict[int | str, dict] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        400: "Invalid input, with the specific field errors",
        401: "Not signed in",
        403: "Signed in without access to this (no app role or group, not an administrator)",
        404: "No such job (also another user's job)",
        500: "Internal error; details only in the server log",
    }.items()
}


# Declared by the signed-in operations that read or delete stored images (and only those).
STORAGE_UNAVAILABLE: dict[int | str, dict] = {
    503: {"model": ErrorBody, "description": "Image storage (or sign-in) is unavailable for a moment; see Retry-After"},
}


def error_response(status: int, code: str, message: str, fields: list[FieldError] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, fields=fields or []))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _field_name(loc: tuple, kind: str = "") -> str:
    if kind == "json_invalid":  # its loc holds a character offset, not a field
        return "body"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _domain(_: Request, exc: DomainError) -> JSONResponse:
    status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 500)
    headers = {}
    if (retry := getattr(exc, "retry_after", None)) is not None:
        headers["Retry-After"] = str(retry)
    fields = [FieldError(field=exc.field, message=str(exc))] if isinstance(exc, InvalidRequest) else []
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(status, exc.code, str(exc), fields, headers)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        if len(loc) == 2 and loc[0] == "path" and loc[1] in _MALFORMED_ID:
            return await _domain(request, _MALFORMED_ID[loc[1]]())
    fields = [
        FieldError(field=_field_name(tuple(err.get("loc", ())), err.get("type", "")),
                   message=err.get("msg", "invalid"))
        for err in exc.errors()
    ]
    return error_response(400, "invalid_request", "The request is invalid; see the field errors.", fields)


# Answers made from a bare HTTP status (Starlette's, FastAPI's or BentoML's own), in the envelope.
_STATUS_CODES = {400: "invalid_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 413: "body_too_large", 429: "rate_limited", 503: "unavailable"}
_STATUS_MESSAGES = {404: "Not found.", 405: "Method not allowed.", 503: "Not ready; try again shortly."}


def status_error(status: int, headers: dict[str, str] | None = None, message: str | None = None) -> JSONResponse:
    """The envelope for an error known only by its status."""
    code = _STATUS_CODES.get(status, "internal_error" if status >= 500 else "error")
    fallback = "Something went wrong on our side." if status >= 500 else "Request refused."
    return error_response(status, code, message or _STATUS_MESSAGES.get(status, fallback), headers=headers)


async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    # FastAPI raises a bare 400 when a body is not UTF-8 or is JSON too deep or large to parse.
    message = "The request body could not be read as JSON." if exc.status_code == 400 else None
    return status_error(exc.status_code, getattr(exc, "headers", None), message)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Keyed by the route's template, not the URL, so varying ids or paths make no new kinds.
    route = getattr(request.scope.get("route"), "path", "unrouted")
    _unexpected_log.exception(f"{type(exc).__qualname__} {request.method} {route}",
                              "unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "Something went wrong on our side. It has been logged.")


class UnexpectedErrors:
    """Turns an unhandled exception into the 500 envelope inside the middleware stack.

    Starlette answers unhandled exceptions in its outermost middleware, outside CORS, so a web
    app on another origin would see a bare network error instead of the message. Installed
    before CORS, this one answers first and the answer carries the CORS headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:  # too late for an error answer: let the server close the connection
                raise
            response = await _unexpected(Request(scope), exc)
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    # Added before any other middleware (CORS), so it sits inside them.
    app.add_middleware(UnexpectedErrors)
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
