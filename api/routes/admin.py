"""Administrator views; every route here needs the admin app role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminActor, AuditLogDep, BaseUrl, JobServiceDep
from api.errors import ERROR_RESPONSES
from auth.audit import AuditPage
from jobs.models import MAX_OFFSET, MAX_PAGE_SIZE, JobPage

router = APIRouter(prefix="/admin", tags=["admin"], responses=ERROR_RESPONSES)


@router.get("/jobs", operation_id="admin_list_active_jobs")
def list_active_jobs(
    actor: AdminActor,
    audit: AuditLogDep,
    jobs: JobServiceDep,
    base_url: BaseUrl,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> JobPage:
    """Every user's queued and running jobs, oldest first. Recorded in the audit log."""
    audit.record(actor, "admin.list_jobs")
    return jobs.list_active_all(limit, offset, base_url)


@router.get("/audit", operation_id="admin_list_audit_events")
def list_audit_events(
    actor: AdminActor,
    audit: AuditLogDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> AuditPage:
    """The audit log, newest first: token creation and revocation, administrator reads (this one too)."""
    audit.record(actor, "admin.read_audit")
    return audit.page(limit, offset)
