"""The two BentoML services: the GPU runner and the API layer that fronts it.

`bentoml serve` starts both on one box. Set BAG_RUNNER_URL to have the API talk to a runner
served elsewhere (then `bentoml serve service:Runner` runs on the GPU host). Several runners
behind one address share their runs' progress and cancels through the database (runner/board.py),
so they need BAG_DATABASE_URL too.
"""

from __future__ import annotations

import asyncio
import logging

import bentoml

from api import bentoml_fixes
from api.app import create_app
from api.middleware import ForeignErrors
from jobs.runner_client import BentoRunnerClient
from runner.schemas import JobProgress, RenderRequest, RenderResult, RunnerHealth
from settings import get_settings

bentoml_fixes.install()
settings = get_settings()
app = create_app(freeze_heap=True)

# BentoML's handlers print what reaches the root logger at WARNING; our own packages report at INFO
# (job timings, recoveries, runner state).
for _package in ("api", "auth", "jobs", "models", "runner", "storage"):
    logging.getLogger(_package).setLevel(logging.INFO)

# Generation takes seconds to minutes, so BentoML's millisecond-scale batching limits are lifted:
# a long max latency keeps its dispatcher from dropping queued requests, and a long timeout lets a
# queued batch wait for the one before it. Overload still answers 503/429, which our dispatcher
# treats as "try again later".
RUNNER_TIMEOUT_S = 3600


@bentoml.service(
    name="bag-runner",
    resources={"gpu": 1},
    workers=1,
    traffic={"timeout": RUNNER_TIMEOUT_S, "max_concurrency": 256},
    # BentoML's client replaces its whole HTTP session after `max_requests` calls or `max_age`
    # seconds and closes the old one, which aborts every call still in flight on it ("Server
    # disconnected"). Renders last seconds to minutes while progress polls run twice a second, so
    # the defaults (100 calls, 300 s) broke running jobs; here a session lives for the process.
    runner_connection={"max_requests": 2**62, "max_age": 10 * 365 * 24 * 3600.0},
    envs=[{"name": "PYTORCH_CUDA_ALLOC_CONF", "value": "expandable_segments:True"}],
)
class Runner:
    def __init__(self) -> None:
        from runner import startup
        from runner.board import resolved_runner_id
        from runner.stopping import drain_on_sigterm

        cfg = get_settings()
        try:
            from runner.worker import RunnerCore  # torch and diffusers load here, in the runner only

            self.core = RunnerCore(cfg)
        except Exception as exc:
            # BentoML starts it again and again; the API shows this cause on /health meanwhile.
            startup.record_failure(cfg, resolved_runner_id(cfg), exc)
            raise
        startup.record_started(cfg)
        drain_on_sigterm(self.core)

    @bentoml.on_shutdown
    async def close(self) -> None:
        # A last sync of the shared run state, so the rows of runs that ended go now (bounded).
        await asyncio.to_thread(self.core.close)

    @bentoml.api(batchable=True, max_batch_size=max(2, settings.runner_max_batch_size),
                 max_latency_ms=RUNNER_TIMEOUT_S * 1000)
    def render(self, requests: list[RenderRequest]) -> list[RenderResult]:
        """Run a batch of jobs: compatible ones as one pipeline call each group."""
        return self.core.render(requests)

    @bentoml.api
    async def progress(self, job_ids: list[str]) -> list[JobProgress]:
        return self.core.progress(job_ids)

    @bentoml.api
    async def cancel(self, job_id: str, claim: int = 0) -> None:
        self.core.cancel(job_id, claim)

    @bentoml.api
    async def health(self) -> RunnerHealth:
        return self.core.health()


# BentoML's runner probe would make /readyz (and shutdown) hang while the runner is down; the API
# reports the runner's state itself at /health.
@bentoml.service(
    name="brand-asset-generator",
    workers=1,
    traffic={"timeout": 60},
    runner_probe={"enabled": False},
    logging={"access": {"enabled": False}},
    metrics={"enabled": False},
    # Polls and image downloads are the bulk of requests and say nothing a trace needs; leaving them
    # out of tracing (and access logs, metrics) roughly doubles the poll throughput.
    tracing={"excluded_urls": [r"/jobs/[0-9a-f-]+$", r"/images/"]},
)
@bentoml.asgi_app(app, path="/")
class Api:
    runner = bentoml.depends(Runner, url=settings.runner_url or None)

    def __init__(self) -> None:
        # The mounted app's lifespan starts after this, and finds the runner here.
        app.state.runner = BentoRunnerClient(self.runner)


# BentoML's own routes (/livez, /readyz, /metrics, ...) answer before the mounted app, in plain
# text; this puts their errors into the API's envelope, with its CORS headers.
Api.add_asgi_middleware(ForeignErrors, cors_origins=settings.cors_origins)
