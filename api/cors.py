"""CORS for three kinds of caller: the web app on another origin, the Figma plugin, and image links.

- The web app hosted elsewhere: its origins are configured (`cors_origins`) and answered by name.
- The Figma plugin: its panel runs in a sandboxed iframe whose origin is the opaque `null`, shared by
  every sandboxed page and every `file:` page, so `null` is never an origin to trust. What makes its
  answers safe to share is the bearer token it sends: a page that holds the token can act as the
  user anyway. So a `null`-origin request whose bearer token was checked and accepted is answered
  with `Access-Control-Allow-Origin: *` (never `null` reflected, never credentials: no cookie ever
  works with `*`), and so is a refusal of the token (401/403, so the panel can say why). Any other
  answer to `null` gets no CORS headers: a made-up `Bearer x` opens no public route (/health,
  /openapi.json, the web app) to sandboxed pages, which matters for an API reachable only inside
  a company's network.
- Image links (`/images/...`): signed, expiring URLs that are their own credential; anyone holding the
  link may fetch it with no CORS at all (an `<img>`), so every origin gets `*` and reading the bytes
  from script (the plugin places them in Figma) gains nothing a link holder did not have. Answers
  without an Origin get it too: they are cached, and a cached copy must serve a later script fetch.
"""

from __future__ import annotations

from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import FieldError, error_response

OPAQUE_ORIGIN = "null"
# Set on the request's scope by api.deps.get_current_user once a token is checked and accepted.
SIGNED_IN_SCOPE_KEY = "bag.signed_in"
# Refusals of a token: the plugin must read them to say "revoked or expired" or "no access".
TOKEN_REFUSALS = (401, 403)
LINKS = "/images/"
# The web app reads these: when to retry, where a new job is, whether an answer is a replay of an
# earlier one, what a download is called.
EXPOSED = ["Retry-After", "Location", "Idempotent-Replayed", "Content-Disposition"]


def cors_options(cors_origins: list[str]) -> dict:
    return {
        "allow_origins": cors_origins,
        "allow_methods": ["GET", "POST", "DELETE"],
        "allow_headers": ["Authorization", "Content-Type", "Idempotency-Key"],
        "expose_headers": EXPOSED,
        "max_age": 600,
    }


class EnvelopeCORS(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered 403 in the error envelope, not plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ").split(", ")
        headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
        return error_response(
            403, "cors_refused", "This cross-origin request is not allowed; see the field errors.",
            [FieldError(field=name, message=f"This {name} is not allowed here.") for name in refused], headers)


class CORS:
    """The API's CORS: the configured origins by name, bearer requests from `null` and image links with `*`."""

    def __init__(self, app: ASGIApp, cors_origins: list[str]) -> None:
        self.app = app
        self.configured = EnvelopeCORS(app, **cors_options(cors_origins)) if cors_origins else app
        # Preflights carry no credentials, so one from `null` (or to a link) is allowed for the
        # usual methods and headers; the answer to the request itself decides what is readable.
        # An allow-all CORSMiddleware answers them with `*`, never with the origin.
        self.anyone = EnvelopeCORS(app, **cors_options(["*"]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(raw=scope.get("headers", []))
        origin = headers.get("origin")
        preflight = scope.get("method") == "OPTIONS" and "access-control-request-method" in headers
        if scope.get("path", "").startswith(LINKS):
            await (self.anyone(scope, receive, send) if preflight
                   else self.app(scope, receive, _shared_with_anyone(send, scope, always=True)))
            return
        if origin != OPAQUE_ORIGIN:
            await self.configured(scope, receive, send)
            return
        if preflight:
            await self.anyone(scope, receive, send)
            return
        if _has_bearer(headers):
            await self.app(scope, receive, _shared_with_anyone(send, scope))
            return
        await self.app(scope, receive, send)  # `null` without a token: nothing made readable


def _has_bearer(headers: Headers) -> bool:
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(credentials.strip())


def _shared_with_anyone(send: Send, scope: Scope, *, always: bool = False) -> Send:
    """`send` with the answer shared with `*`: always (links), or when the token was accepted or
    refused; looked at when the answer starts, after sign-in has run."""

    async def with_headers(message: Message) -> None:
        if message["type"] == "http.response.start" and (
                always or scope.get(SIGNED_IN_SCOPE_KEY) or message["status"] in TOKEN_REFUSALS):
            message.setdefault("headers", [])
            headers = MutableHeaders(scope=message)
            headers["Access-Control-Allow-Origin"] = "*"
            headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)
            if "access-control-allow-credentials" in headers:
                del headers["Access-Control-Allow-Credentials"]
            # Whether the answer is shared depends on the Origin (and, for the API, on the token).
            headers.add_vary_header("Origin")
        await send(message)

    return with_headers


def with_cors(app: ASGIApp, cors_origins: list[str]) -> ASGIApp:
    """`app` behind the same CORS rules as the API, for answers made outside it (api/middleware.py)."""
    return CORS(app, cors_origins)
