"""An in-process stand-in for the runner service, for API tests that need no model.

It implements the same `RunnerClient` interface the real BentoML client does and makes small
deterministic images. Tests may hold a job at a given step with `gate` to observe it running, and
make runs break off like a crashed runner with `break_off` and `poison`.
"""

from __future__ import annotations

import asyncio
import base64
import threading
from collections import defaultdict

from jobs.runner_client import RunnerFailed, RunnerUnavailable
from runner.schemas import JobProgress, ModelInfo, RenderRequest, RenderResult, RunnerHealth, StyleInfo
from storage.png import encode_png

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
        self.cancels: set[tuple[str, int]] = set()  # (job id, claim), as the real runner keys them
        # Keyed by prompt, so a test can set them before the job exists. The step each of the next
        # runs reaches before breaking off (RunnerFailed, as a crashed runner gives); the run waits
        # until the dispatcher has seen that step.
        self.break_off: dict[str, list[int]] = {}
        # Prompts of jobs that crash the whole runner: every run in flight breaks off with theirs.
        self.poison: set[str] = set()
        self.render_seconds = 0.0  # how long a run renders, so runs sent together overlap
        # Like the real runner's GPU lock: one run renders at a time, and the others wait at step 0
        # (handed over, not begun) until it ends. Off by default: runs then overlap freely.
        self.one_at_a_time = False
        self._gpu = asyncio.Lock()
        # Per run (job id, claim): the other jobs that were in flight with it at any moment.
        self.company: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.claims: list[tuple[str, int]] = []  # every run that reached the runner, in order
        self._running: dict[tuple[str, int], int] = {}  # run -> the crash count when it started
        self._crashes = 0
        self._progress: dict[str, tuple[int, int, int]] = {}  # job id -> (claim, step, total)
        self._polled: set[tuple[str, int]] = set()
        self.started = threading.Event()

    @property
    def cancelled(self) -> set[str]:
        return {job_id for job_id, _ in self.cancels}

    async def render(self, request: RenderRequest) -> RenderResult:
        if not self.available:
            raise RunnerUnavailable("fake runner is down")
        run = (request.job_id, request.claim)
        self.claims.append(run)
        for other in self._running:
            self.company[other].add(request.job_id)
            self.company[run].add(other[0])
        self._running[run] = self._crashes
        try:
            return await self._render(request, run)
        finally:
            self._running.pop(run, None)

    async def _render(self, request: RenderRequest, run: tuple[str, int]) -> RenderResult:
        steps = self.break_off.get(request.prompt)
        breaks = bool(steps) or request.prompt in self.poison
        first = steps.pop(0) if steps else (0 if self.one_at_a_time else 1)
        self._progress[request.job_id] = (request.claim, first, request.steps)
        self.started.set()
        if not breaks and self.one_at_a_time:
            async with self._gpu:
                self._progress[request.job_id] = (request.claim, 1, request.steps)
                return await self._finish_render(request, run)
        if breaks:
            while run not in self._polled:
                await asyncio.sleep(0.01)
            self._progress.pop(request.job_id, None)
            if request.prompt in self.poison:
                self._crashes += 1
            raise RunnerFailed("fake runner broke off")
        return await self._finish_render(request, run)

    async def _finish_render(self, request: RenderRequest, run: tuple[str, int]) -> RenderResult:
        while self.gate is not None and not self.gate.is_set():
            await asyncio.sleep(0.01)
            if self._crashes != self._running[run]:
                self._progress.pop(request.job_id, None)
                raise RunnerFailed("fake runner crashed with a batch-mate")
        await asyncio.sleep(self.render_seconds)
        self._progress.pop(request.job_id, None)
        if self._crashes != self._running[run]:
            raise RunnerFailed("fake runner crashed with a batch-mate")
        if run in self.cancels:
            return RenderResult(job_id=request.job_id, claim=request.claim, cancelled=True)
        if self.fail_with:
            return RenderResult(job_id=request.job_id, error=self.fail_with)
        self.rendered.append(request.job_id)
        self.requests.append(request)
        images = []
        for i in range(request.num_images):
            value = (request.seed + i) % 256
            pixels = bytes([value, 255 - value, 128]) * (request.width * request.height)
            # What the real runner sends: PNG files, base64.
            images.append(base64.b64encode(encode_png(pixels, request.width, request.height)).decode())
        return RenderResult(job_id=request.job_id, images=images, width=request.width,
                            height=request.height, pipeline_ms=12.5)

    async def progress(self, job_ids: list[str]) -> list[JobProgress]:
        found = [(j, c, s, t) for j, (c, s, t) in list(self._progress.items()) if j in job_ids]
        self._polled.update((j, c) for j, c, _, _ in found)
        return [JobProgress(job_id=j, claim=c, step=s, total=t) for j, c, s, t in found]

    async def cancel(self, job_id: str, claim: int) -> None:
        self.cancels.add((job_id, claim))

    async def health(self) -> RunnerHealth:
        if not self.available:
            raise RunnerUnavailable("fake runner is down")
        return RunnerHealth(ready=True, runner_id="fake-runner", runs=len(self._running), device="cpu",
                            models=[DEMO], styles=[ACME])
