"""Dependencies as `Annotated` aliases; tests swap them with `app.dependency_overrides`.

They are `async def` because none of them blocks: FastAPI runs a plain `def` dependency in the
thread pool, and on the poll path those hops cost more than the database read.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.container import Services
from api.cors import SIGNED_IN_SCOPE_KEY
from auth import dev
from auth import tokens as pat
from auth.audit import Actor, AuditLog
from auth.models import Forbidden, NotAuthenticated, SignInUnavailable, User
from common.ratelog import RateLimitedLog
from jobs.catalog import ModelCatalog
from jobs.library import Library
from jobs.recipes import RecipeService
from jobs.reviews import ReviewService
from jobs.service import JobService
from settings import Settings


def services_of(request: Request) -> Services:
    return request.app.state.services


async def get_services(request: Request) -> Services:
    return services_of(request)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_settings_dep(services: ServicesDep) -> Settings:
    return services.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_job_service(services: ServicesDep) -> JobService:
    return services.jobs


JobServiceDep = Annotated[JobService, Depends(get_job_service)]


async def get_catalog(services: ServicesDep) -> ModelCatalog:
    return services.catalog


CatalogDep = Annotated[ModelCatalog, Depends(get_catalog)]


async def get_recipe_service(services: ServicesDep) -> RecipeService:
    return RecipeService(services.jobs)  # holds nothing of its own: one per request costs nothing


RecipeServiceDep = Annotated[RecipeService, Depends(get_recipe_service)]


# Declares the bearer scheme in the OpenAPI document (Swagger's Authorize button, the clients'
# token argument); auto_error=False so a missing token reaches our own 401 envelope.
bearer = HTTPBearer(
    auto_error=False,
    description="An Entra ID access token for this API, a personal access token (`bag_pat_...`), "
    "or with the development sign-in `dev:<name>`.",
)


# One line per sign-in failure, keyed by its reason, so a flood of bad tokens cannot fill the log.
_refusals = RateLimitedLog(logging.getLogger("auth.refused"))

# Where api/routing.py's SignedInRoute keeps the caller it resolved before reading the body.
USER_SCOPE_KEY = "bag.user"


async def get_current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    # Resolved already when the request carries a body: a token is validated once per request.
    if (user := request.scope.get(USER_SCOPE_KEY)) is not None:
        return user
    # The services straight from the app, not as a sub-dependency: every signed-in request,
    # each poll included, pays FastAPI's cost per dependency.
    services = services_of(request)
    try:
        user = await _identify(services, credentials)
    except (NotAuthenticated, Forbidden, SignInUnavailable) as exc:
        # The reason and the caller's address; never the token.
        _refusals.info(exc.reason, "sign-in refused: %s (%s) from %s", exc.reason, exc.code,
                       client_address(request) or "?")
        raise
    # CORS shares an answer with the Figma plugin's `null` origin only once its token was accepted.
    request.scope[SIGNED_IN_SCOPE_KEY] = True
    return user


async def _identify(services: Services, credentials: HTTPAuthorizationCredentials | None) -> User:
    """The one place that says who is asking: a personal access token, else an Entra ID token,
    else (only where Entra is not configured) the development sign-in."""
    token = credentials.credentials if credentials else ""
    if token.startswith(pat.PREFIX):
        user = await asyncio.to_thread(services.tokens.authenticate, token)
        if services.access is not None:
            await services.access.require(user)  # the owner must still hold the role or group
        return user
    if services.entra is not None:
        if not token:
            raise NotAuthenticated()
        return await services.entra.validate(token)
    if services.settings.dev_auth:
        header = f"{credentials.scheme} {credentials.credentials}" if credentials else None
        return dev.user_from_authorization(header)
    raise NotAuthenticated("Sign-in is not configured on this server.")


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_reviewer(user: CurrentUser) -> User:
    if not user.can_review:
        raise Forbidden("This needs the reviewer role.")
    return user


ReviewerUser = Annotated[User, Depends(get_reviewer)]


async def get_review_service(services: ServicesDep) -> ReviewService:
    # Holds nothing of its own: one per request costs nothing. A decision drops the job's cached answers.
    return ReviewService(services.store.engine, on_change=services.jobs.forget)


ReviewServiceDep = Annotated[ReviewService, Depends(get_review_service)]


async def get_library(services: ServicesDep) -> Library:
    return Library(services.store.engine, services.images)


LibraryDep = Annotated[Library, Depends(get_library)]


async def get_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise Forbidden("This needs the administrator role.")
    return user


AdminUser = Annotated[User, Depends(get_admin)]


def client_address(request: Request) -> str:
    """The address the request came from, as this server sees it (a proxy's, behind one)."""
    return request.client.host if request.client else ""


def _actor(user: User, request: Request) -> Actor:
    return Actor(user, client_address(request), request.headers.get("user-agent", ""))


async def get_actor(user: CurrentUser, request: Request) -> Actor:
    return _actor(user, request)


async def get_admin_actor(user: AdminUser, request: Request) -> Actor:
    return _actor(user, request)


# Who is acting and from where, for the audit log.
CurrentActor = Annotated[Actor, Depends(get_actor)]
AdminActor = Annotated[Actor, Depends(get_admin_actor)]


async def get_audit_log(services: ServicesDep) -> AuditLog:
    return services.audit


AuditLogDep = Annotated[AuditLog, Depends(get_audit_log)]


async def get_token_service(services: ServicesDep) -> pat.TokenService:
    return services.tokens


TokenServiceDep = Annotated[pat.TokenService, Depends(get_token_service)]


def base_url_of(request: Request, settings: Settings) -> str:
    """Where clients reach the API, for links: the configured address, else the request's own."""
    return settings.public_url or str(request.base_url)


async def get_base_url(request: Request, settings: SettingsDep) -> str:
    return base_url_of(request, settings)


BaseUrl = Annotated[str, Depends(get_base_url)]
