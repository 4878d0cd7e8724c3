"""Administrator views; every route here needs the admin app role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, BaseUrl, JobServiceDep
from api.errors import ERROR_RESPONSES
from jobs.models import JobPage

router = APIRouter(prefix="/admin", tags=["admin"], responses=ERROR_RESPONSES)


@router.get("/jobs", operation_id="admin_list_active_jobs")
def list_active_jobs(
    _: AdminUser,
    jobs: JobServiceDep,
    base_url: BaseUrl,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JobPage:
    """Every user's queued and running jobs, oldest first."""
    return jobs.list_active_all(limit, offset, base_url)
