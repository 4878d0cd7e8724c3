"""The FastAPI application: routes, the error envelope, and the lifespan that starts the dispatcher."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import bentoml_fixes, docs, errors, middleware, openapi, web
from api.container import build_services, sweep_forever
from api.routes import admin, images, jobs, recipes, reviews, system, tokens
from api.routing import Fallback
from auth import dev
from jobs.runner_client import RunnerClient
from settings import Settings, get_settings

log = logging.getLogger(__name__)

TITLE = "brand-asset-generator"
VERSION = "0.1.0"


def create_app(settings: Settings | None = None, runner: RunnerClient | None = None,
               listening: list[str] | None = None, freeze_heap: bool = False) -> FastAPI:
    """Build the app. Nothing is connected until the lifespan starts.

    `runner` may also be set later on `app.state.runner` (the BentoML service does so once its
    dependency is resolved). `listening` overrides the addresses checked for the dev sign-in.
    `freeze_heap` hides what start-up made from the garbage collector (the served process only:
    a test process that builds many apps would never free the frozen ones).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        cfg = settings or get_settings()
        if cfg.dev_auth:
            addresses = listening if listening is not None else dev.listening_addresses()
            dev.check_dev_auth_allowed(addresses, cfg.dev_auth_force)
        client = runner or getattr(app.state, "runner", None)
        if client is None:
            raise RuntimeError("no runner client was given to the API app")
        services = await asyncio.to_thread(build_services, cfg, client)
        app.state.services = services
        await services.dispatcher.start()
        sweeper = asyncio.create_task(sweep_forever(services))
        if freeze_heap:
            bentoml_fixes.freeze_startup_heap()
        try:
            yield
        finally:
            sweeper.cancel()
            await services.dispatcher.stop()

    app = FastAPI(
        title=TITLE,
        version=VERSION,
        summary="On-brand images from a prompt, on your own GPU server.",
        lifespan=lifespan,
        # Served by api/docs.py from a package instead of FastAPI's CDN, so they work offline.
        docs_url=None,
        redoc_url=None,
    )
    cfg = settings or get_settings()
    middleware.install(app, cfg.max_body_bytes)
    errors.install(app)
    # The jobs routes first: every request is matched against the routes in order (twice under
    # BentoML, whose mount scans them too), and the job poll is most of the traffic.
    app.include_router(jobs.router)
    app.include_router(images.router)
    app.include_router(recipes.router)
    app.include_router(system.router)
    app.include_router(tokens.router)
    app.include_router(admin.router)
    app.include_router(reviews.router)
    web.install(app, cfg.resolved_web_dir, cfg.cors_origins)
    app.router.routes.insert(0, Fallback(app.router.routes))  # first: see its docstring
    openapi.install(app)
    docs.install(app)
    return app
