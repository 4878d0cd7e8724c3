"""An in-process stand-in for the runner service, for API tests that need no model.

It implements the same `RunnerClient` interface the real BentoML client does and makes small
deterministic images. Tests may hold a job at a given step with `gate` to observe it running.
"""

from __future__ import annotations

import asyncio
import base64
import threading

from jobs.runner_client import RunnerUnavailable
from runner.schemas import JobProgress, ModelInfo, RenderRequest, RenderResult, RunnerHealth, StyleInfo

DEMO = ModelInfo(
    name="demo-flux", family="flux", demo=True, default_steps=4, default_guidance=3.5,
    default_width=256, default_height=256,
)

ACME = StyleInfo(name="acme", family="flux", description="Acme brand", trigger_words=["acme style"],
                 default_weight=0.8)


class FakeRunner:
    def __init__(self) -> None:
        # A threading.Event, so a test thread can open it: jobs wait on it mid-run while it is set.
        self.gate: threading.Event | None = None
        self.available = True
        self.fail_with: str | None = None
        self.rendered: list[str] = []
        self.requests: list[RenderRequest] = []
        self.cancelled: set[str] = set()
        self._progress: dict[str, tuple[int, int]] = {}
        self.started = threading.Event()

    async def render(self, request: RenderRequest) -> RenderResult:
        if not self.available:
            raise RunnerUnavailable("fake runner is down")
        self._progress[request.job_id] = (1, request.steps)
        self.started.set()
        while self.gate is not None and not self.gate.is_set():
            await asyncio.sleep(0.01)
        self._progress.pop(request.job_id, None)
        if request.job_id in self.cancelled:
            return RenderResult(job_id=request.job_id, cancelled=True)
        if self.fail_with:
            return RenderResult(job_id=request.job_id, error=self.fail_with)
        self.rendered.append(request.job_id)
        self.requests.append(request)
        images = []
        for i in range(request.num_images):
            value = (request.seed + i) % 256
            pixels = bytes([value, 255 - value, 128]) * (request.width * request.height)
            images.append(base64.b64encode(pixels).decode())
        return RenderResult(job_id=request.job_id, images=images, width=request.width,
                            height=request.height, pipeline_ms=12.5)

    async def progress(self, job_ids: list[str]) -> list[JobProgress]:
        return [JobProgress(job_id=j, step=s, total=t) for j, (s, t) in self._progress.items() if j in job_ids]

    async def cancel(self, job_id: str) -> None:
        self.cancelled.add(job_id)

    async def health(self) -> RunnerHealth:
        if not self.available:
            raise RunnerUnavailable("fake runner is down")
        return RunnerHealth(ready=True, device="cpu", models=[DEMO], styles=[ACME])
