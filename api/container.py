"""Builds the API layer's services once per process, in the app's lifespan (never at import)."""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine

from auth.access import AccessLedger
from auth.audit import AuditLog
from auth.entra import EntraValidator
from auth.graph import GraphAccess
from auth.keys import KeyCache
from auth.tokens import TokenService
from jobs.catalog import ModelCatalog
from jobs.db import get_engine, migrate, require_current_schema
from jobs.dispatcher import Dispatcher
from jobs.limits import SubmitLimiter
from jobs.models import utcnow
from jobs.runner_client import RunnerClient
from jobs.service import JobService
from jobs.store import JobStore
from jobs.sweeper import sweep
from loras.versions import StyleVersions
from settings import Settings
from storage import ImageStore, LinkSigner
from storage.factory import open_image_store

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    store: JobStore
    images: ImageStore
    signer: LinkSigner
    catalog: ModelCatalog
    dispatcher: Dispatcher
    jobs: JobService
    tokens: TokenService
    audit: AuditLog
    # None when Entra sign-in is not configured (development sign-in only).
    entra: EntraValidator | None = None
    # Whether an access token's owner still has access; None with the development sign-in,
    # which has no roles to re-check.
    access: AccessLedger | None = None


def build_entra(settings: Settings, access: AccessLedger | None = None) -> EntraValidator | None:
    if not settings.entra_enabled:
        return None
    keys = KeyCache(
        settings.resolved_jwks_url,
        ttl_seconds=settings.entra_keys_ttl_seconds,
        refetch_cooldown_seconds=settings.entra_keys_refetch_cooldown_seconds,
        timeout_seconds=settings.entra_keys_timeout_seconds,
        allow_http=settings.allow_http_identity_urls_for_tests,
    )
    return EntraValidator(settings, keys, observe=access.observe if access else None)


def build_access(settings: Settings, engine: Engine) -> AccessLedger | None:
    if not settings.entra_enabled:
        return None
    graph = GraphAccess(settings) if settings.graph_enabled else None
    return AccessLedger(engine, settings.access_recheck_seconds, graph)


def link_signer(settings: Settings) -> LinkSigner:
    """The key of the API's own image links. Azure Blob links are signed by Azure (SAS), so with
    that backend and no key configured, a key of this process's own signs nothing that leaves it."""
    if settings.storage == "azure" and not settings.link_secret:
        return LinkSigner(secrets.token_bytes(32), settings.link_ttl_seconds)
    previous = tuple(old.encode() for old in settings.link_secret_previous)
    return LinkSigner(settings.resolved_link_secret(), settings.link_ttl_seconds, previous=previous)


def prepare_schema(settings: Settings) -> None:
    """Migrate at start (one box), or check that the migrate step has run (replicas)."""
    if settings.migrate_on_start:
        migrate(settings.sqlalchemy_url)
    else:
        require_current_schema(settings.sqlalchemy_url)


def build_services(settings: Settings, runner: RunnerClient) -> Services:
    prepare_schema(settings)
    store = JobStore(get_engine(settings.sqlalchemy_url))
    signer = link_signer(settings)
    images = open_image_store(settings, signer)
    catalog = ModelCatalog(default_style=settings.default_style, versions=StyleVersions(store.engine))
    dispatcher = Dispatcher(store, runner, images, catalog, settings)
    limiter = SubmitLimiter(settings.submit_rate_per_minute, settings.submit_burst)
    jobs = JobService(store, images, catalog, dispatcher, settings, limiter=limiter)
    tokens = TokenService(store.engine, settings.max_access_tokens_per_user,
                          settings.access_token_default_days, settings.access_token_max_days)
    access = build_access(settings, store.engine)
    return Services(settings, store, images, signer, catalog, dispatcher, jobs, tokens,
                    AuditLog(store.engine), build_entra(settings, access), access)


async def sweep_forever(services: Services) -> None:
    while True:
        try:
            await asyncio.to_thread(
                sweep, services.store, services.images, utcnow(), services.settings.retention_days,
                services.jobs.keys, services.jobs.limiter.seconds_to_full() if services.jobs.limiter else 0.0,
            )
        except Exception:
            log.exception("retention sweep failed")
        await asyncio.sleep(services.settings.sweep_interval_seconds)
