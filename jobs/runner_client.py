"""How the API layer talks to the runner: one small async interface, one BentoML implementation.

Tests give the dispatcher another implementation of `RunnerClient`; the real one wraps the
`bentoml.depends` handle, on one box or across the network alike.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from runner.schemas import JobProgress, RenderRequest, RenderResult, RunnerHealth

log = logging.getLogger(__name__)


class RunnerUnavailable(Exception):
    """The runner refused or never got the work (busy, starting, unreachable): retry later."""


class RunnerFailed(Exception):
    """The runner took the work and broke off (crashed, restarted, reset the connection, errored).

    Whether the attempt counts depends on whether the run got past its first step: the dispatcher
    knows that from the progress it copied."""


class RunnerClient(Protocol):
    async def render(self, request: RenderRequest) -> RenderResult: ...

    async def progress(self, job_ids: list[str]) -> list[JobProgress]: ...

    async def cancel(self, job_id: str, claim: int) -> None: ...

    async def health(self) -> RunnerHealth: ...


# BentoML answers overload itself: 429 at the concurrency limit, 503 when its batching queue is
# full or the service is starting. Those mean "not taken", never "failed".
_NOT_TAKEN = {429, 503}


def _status_of(exc: BaseException) -> int | None:
    code = getattr(exc, "error_code", None)
    return int(code) if code is not None else None


class BentoRunnerClient:
    def __init__(self, handle: Any) -> None:
        # A RemoteProxy when the runner is another process; the runner object itself in-process.
        self._async = getattr(handle, "to_async", handle)

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        import httpx  # local: only this implementation needs it

        try:
            return await getattr(self._async, name)(*args, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, ConnectionRefusedError, FileNotFoundError) as exc:
            raise RunnerUnavailable(f"runner unreachable: {type(exc).__name__}") from exc
        except (httpx.HTTPError, ConnectionError) as exc:
            raise RunnerFailed(f"runner connection broke: {type(exc).__name__}") from exc
        except Exception as exc:
            status = _status_of(exc)
            if status in _NOT_TAKEN:
                raise RunnerUnavailable(f"runner busy ({status})") from exc
            raise RunnerFailed(f"runner error ({status}): {exc}") from exc

    async def render(self, request: RenderRequest) -> RenderResult:
        results = await self._call("render", [request])
        result = RenderResult.model_validate(_plain(results[0]))
        if result.not_taken:
            raise RunnerUnavailable("runner stopping")
        return result

    async def progress(self, job_ids: list[str]) -> list[JobProgress]:
        items = await self._call("progress", job_ids=job_ids)
        return [JobProgress.model_validate(_plain(p)) for p in items]

    async def cancel(self, job_id: str, claim: int) -> None:
        await self._call("cancel", job_id=job_id, claim=claim)

    async def health(self) -> RunnerHealth:
        return RunnerHealth.model_validate(_plain(await self._call("health")))


def _plain(value: Any) -> Any:
    """Results arrive as our models (pickled, one box) or as dicts (JSON, runner served apart)."""
    return value.model_dump() if hasattr(value, "model_dump") else value
