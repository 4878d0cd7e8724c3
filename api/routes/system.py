"""Health, the models on offer, and who the caller is."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from api.deps import CatalogDep, CurrentUser, ServicesDep, SettingsDep
from api.errors import ERROR_RESPONSES
from jobs.fleet import RunnerStatus, current_runners, start_failure
from runner.schemas import ModelInfo, StyleInfo

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str = Field(description="`ok`; `starting` until a runner answers; `runner_failed` while no runner "
                        "is up and the latest one could not start (see `runner_error`).")
    runner_ready: bool = Field(description="Some runner has answered: the models on offer are known.")
    jobs_in_flight: int = Field(description="Jobs this API process is running now.")
    runners: list[RunnerStatus] = Field(
        default_factory=list,
        description="The runners: every one seen in the last day when runners share their run state "
        "through the database (several behind one address), else the one that answered last.",
    )
    runners_up: int = Field(default=0, description="How many of `runners` are up.")
    runner_error: str | None = Field(default=None, description="Why the runner could not start (exception type "
                                     "and first line), while no runner is up; the server log has the rest.")
    content_credentials: Literal["signing", "unsigned", "off"] = Field(
        default="unsigned", description="`signing`: every stored image gets signed content credentials (C2PA); "
        "`unsigned`: no signing key is configured, so images are stored without them; `off`: turned off on purpose "
        "(BAG_C2PA_SIGNING=off).")


class Me(BaseModel):
    oid: str
    tid: str
    name: str
    email: str
    can_review: bool = Field(description="May approve or reject images for the Approved library (the reviewer "
                             "app role, or an administrator).")


class EntraClientConfig(BaseModel):
    """What MSAL in the web app needs: its own client id, the tenant's authority, the API's scopes."""

    client_id: str
    authority: str
    scopes: list[str]


class SignInConfig(BaseModel):
    """How a web app signs people in on this server: the development sign-in or Microsoft Entra ID.

    The API accepts the development sign-in only while Entra ID is off (api/deps.py), so `dev`
    is never offered beside a configured tenant."""

    dev: bool
    entra: EntraClientConfig | None


@router.get("/", include_in_schema=False)
def root(settings: SettingsDep) -> RedirectResponse:
    built = (settings.resolved_web_dir / "index.html").is_file()
    return RedirectResponse("/app/" if built else "/docs")


@router.get("/auth/config", operation_id="auth_config")
def auth_config(settings: SettingsDep) -> SignInConfig:
    """How to sign in here (no sign-in needed): the development sign-in or Microsoft Entra ID."""
    entra = None
    if settings.entra_enabled and settings.web_client_id:
        entra = EntraClientConfig(
            client_id=settings.web_client_id,
            authority=f"https://login.microsoftonline.com/{settings.entra_tenant_id}",
            scopes=settings.resolved_web_scopes,
        )
    return SignInConfig(dev=settings.dev_auth and not settings.entra_enabled, entra=entra)


@router.get("/health", operation_id="health")
def health(services: ServicesDep) -> Health:
    """Liveness of the API, and which runners are up (no sign-in needed)."""
    ready = services.catalog.ready
    runners = current_runners(services.settings, services.store.engine, services.catalog)
    failure = start_failure(runners)
    status = "runner_failed" if failure else "ok" if ready else "starting"
    return Health(status=status, runner_ready=ready, jobs_in_flight=len(services.dispatcher.inflight),
                  runners=runners, runners_up=sum(r.up for r in runners), runner_error=failure,
                  content_credentials=services.dispatcher.credentials.state)


@router.get("/models", operation_id="list_models", responses=ERROR_RESPONSES)
def list_models(_: CurrentUser, catalog: CatalogDep) -> list[ModelInfo]:
    return catalog.models()


@router.get("/me", operation_id="me", responses=ERROR_RESPONSES)
def me(user: CurrentUser) -> Me:
    return Me(oid=user.oid, tid=user.tid, name=user.name, email=user.email, can_review=user.can_review)


@router.get("/styles", operation_id="list_styles", responses=ERROR_RESPONSES)
def list_styles(_: CurrentUser, catalog: CatalogDep) -> list[StyleInfo]:
    """The brand styles the runner serves; a job names one in `style`, or gets the default."""
    return catalog.styles()
