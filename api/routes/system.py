"""Health, the models on offer, and who the caller is."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from api.deps import CatalogDep, CurrentUser, ServicesDep
from api.errors import ERROR_RESPONSES
from runner.schemas import ModelInfo, StyleInfo

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str
    runner_ready: bool
    jobs_in_flight: int


class Me(BaseModel):
    oid: str
    tid: str
    name: str
    email: str


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/docs")


@router.get("/health", operation_id="health")
def health(services: ServicesDep) -> Health:
    """Liveness of the API and whether the runner has answered (no sign-in needed)."""
    ready = services.catalog.ready
    return Health(status="ok" if ready else "starting", runner_ready=ready,
                  jobs_in_flight=len(services.dispatcher.inflight))


@router.get("/models", operation_id="list_models", responses=ERROR_RESPONSES)
def list_models(_: CurrentUser, catalog: CatalogDep) -> list[ModelInfo]:
    return catalog.models()


@router.get("/me", operation_id="me", responses=ERROR_RESPONSES)
def me(user: CurrentUser) -> Me:
    return Me(oid=user.oid, tid=user.tid, name=user.name, email=user.email)


@router.get("/styles", operation_id="list_styles", responses=ERROR_RESPONSES)
def list_styles(_: CurrentUser, catalog: CatalogDep) -> list[StyleInfo]:
    """The brand styles the runner serves; a job names one in `style`, or gets the default."""
    return catalog.styles()
