"""BentoML's per-request timeout, fixed: a finished request keeps nothing alive, a slow one gets 504."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import inspect
import weakref

from bentoml._internal.server import base_app
from bentoml._internal.server.http import traffic

from api import bentoml_fixes

REQUEST = contextvars.ContextVar("request")


class RequestObjects:
    """Stands for what a request holds (scope, dependencies, response) through its context."""


def receive_nothing():  # noqa: ANN201
    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    return receive


async def answered_at_once(scope: dict, receive, send) -> None:  # noqa: ANN001
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_finished_request_keeps_nothing_alive_for_the_timeout() -> None:
    async def main() -> tuple[bool, int]:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        objects = RequestObjects()
        alive = weakref.ref(objects)
        token = REQUEST.set(objects)
        await bentoml_fixes.TimeoutMiddleware(answered_at_once, timeout=60)({"type": "http"}, receive_nothing(), send)
        REQUEST.reset(token)
        del objects
        await asyncio.sleep(0)  # the finished handler's own callbacks run on the next turn of the loop
        gc.collect()
        return alive() is None, sent[0]["status"]

    # BentoML's own middleware leaves a 60 s timer holding the request's context: still alive.
    released, status = asyncio.run(main())
    assert status == 200
    assert released


def test_a_request_not_answered_in_time_gets_504_in_the_envelope() -> None:
    async def never_answers(scope: dict, receive, send) -> None:  # noqa: ANN001
        await asyncio.sleep(30)

    async def main() -> list[dict]:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        await bentoml_fixes.TimeoutMiddleware(never_answers, timeout=0.05)({"type": "http"}, receive_nothing(), send)
        return sent

    sent = asyncio.run(main())
    assert sent[0]["status"] == 504
    assert b'"code":"timeout"' in sent[1]["body"]


def test_bentoml_builds_the_fixed_middleware_once_installed() -> None:
    # BentoML imports the class when it builds an app, so replacing the module's attribute is
    # enough; if a BentoML upgrade binds it earlier, this fails and the fix must move.
    assert "from .http.traffic import TimeoutMiddleware" in inspect.getsource(base_app.BaseAppFactory.middlewares.fget)
    original = traffic.TimeoutMiddleware
    try:
        bentoml_fixes.install()
        assert traffic.TimeoutMiddleware is bentoml_fixes.TimeoutMiddleware
    finally:
        traffic.TimeoutMiddleware = original


def test_a_handler_that_ends_without_answering_does_not_wait_for_the_timeout() -> None:
    async def fails_before_answering(scope: dict, receive, send) -> None:  # noqa: ANN001
        raise RuntimeError("broke before answering")

    async def main() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            await bentoml_fixes.TimeoutMiddleware(fails_before_answering, timeout=30)(
                {"type": "http"}, receive_nothing(), lambda message: asyncio.sleep(0))
        except RuntimeError:
            return loop.time() - started
        raise AssertionError("the handler's error was swallowed")

    assert asyncio.run(main()) < 5


def test_the_timeout_answer_carries_cors_headers_for_an_allowed_origin(monkeypatch) -> None:  # noqa: ANN001
    from settings import Settings

    monkeypatch.setattr("settings.get_settings", lambda: Settings(_env_file=None, cors_origins=["https://app.example"]))

    async def never_answers(scope: dict, receive, send) -> None:  # noqa: ANN001
        await asyncio.sleep(30)

    async def main() -> list[dict]:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/jobs", "headers": [(b"origin", b"https://app.example")]}
        await bentoml_fixes.TimeoutMiddleware(never_answers, timeout=0.05)(scope, receive_nothing(), send)
        return sent

    start = asyncio.run(main())[0]
    assert start["status"] == 504
    assert (b"access-control-allow-origin", b"https://app.example") in start["headers"]
