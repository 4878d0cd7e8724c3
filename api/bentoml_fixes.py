"""Fixes to BentoML's serving stack that the API's poll path depends on, installed by service.py.

BentoML 1.4's `TimeoutMiddleware` arms a timer for every request (`loop.call_later(timeout, ...)`)
and never cancels it. The timer holds a copy of the request's context, which holds the request's
objects, so each request stays in memory for the whole traffic timeout (60 s): under a few hundred
polls a second the API process carried some 400,000 extra objects, and every full garbage
collection walked them all, stalling every request for 200-400 ms. This version arms the timer in
an empty context and cancels it once the request is answered.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
from typing import Any

from bentoml._internal.server.http import traffic
from starlette.types import Receive, Scope, Send


class TimeoutMiddleware(traffic.TimeoutMiddleware):
    """BentoML's per-request timeout (504 if nothing was answered in time), without the leak."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Any] = loop.create_future()
        # An empty context: the timer needs none, and a copy of the request's would keep the
        # request alive until the loop purges the cancelled timer.
        timer = loop.call_later(self.timeout, self._set_timer_out, waiter, context=contextvars.Context())

        async def _send(message: Any) -> None:
            if not waiter.done():
                waiter.set_result(None)
            await send(message)

        handler = asyncio.ensure_future(self.app(scope, receive, _send))
        # A handler that ends without answering (a client gone, an error raised before the answer)
        # ends the wait too; awaiting it below then raises what it raised.
        handler.add_done_callback(lambda _: waiter.done() or waiter.set_result(None), context=contextvars.Context())
        try:
            await waiter
        except TimeoutError:
            if handler.cancel():
                await timeout_response(self.timeout, scope, receive, send)
            return
        finally:
            timer.cancel()
        await handler


async def timeout_response(timeout: float, scope: Scope, receive: Receive, send: Send) -> None:
    """504 in the error envelope, with the API's CORS headers so a web app on another origin can read it."""
    from starlette.responses import JSONResponse

    from api.web import with_cors
    from settings import get_settings

    body = {"error": {"code": "timeout", "message": f"Not answered within {timeout:g} seconds.", "fields": []}}
    await with_cors(JSONResponse(body, status_code=504), get_settings().cors_origins)(scope, receive, send)


def install() -> None:
    """Make BentoML build our TimeoutMiddleware (it looks the class up when it builds an app)."""
    traffic.TimeoutMiddleware = TimeoutMiddleware  # type: ignore[misc]


def freeze_startup_heap() -> None:
    """Move everything alive after start-up (modules, settings, services) out of the collector's
    sight: a full collection then walks only what requests allocate, not the whole import graph."""
    gc.collect()
    gc.freeze()
