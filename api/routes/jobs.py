"""Generation and the caller's own jobs. Thin: who is asking, one service call, the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import BaseUrl, CurrentUser, JobServiceDep
from api.errors import ERROR_RESPONSES
from jobs.models import GenerateRequest, JobAccepted, JobPage, JobPublic

router = APIRouter(tags=["jobs"], responses=ERROR_RESPONSES)


@router.post("/generate", status_code=status.HTTP_202_ACCEPTED, operation_id="generate")
def generate(body: GenerateRequest, user: CurrentUser, jobs: JobServiceDep, response: Response) -> JobAccepted:
    """Accept a prompt; the job runs in the background. Poll `GET /jobs/{job_id}`."""
    accepted = jobs.submit(user, body)
    response.headers["Location"] = f"/jobs/{accepted.job_id}"
    return accepted


@router.get("/jobs", operation_id="list_jobs")
def list_jobs(
    user: CurrentUser,
    jobs: JobServiceDep,
    base_url: BaseUrl,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JobPage:
    """The caller's jobs, newest first."""
    return jobs.list(user, limit, offset, base_url)


@router.get("/jobs/{job_id}", operation_id="get_job")
async def get_job(job_id: str, user: CurrentUser, jobs: JobServiceDep, base_url: BaseUrl) -> JobPublic:
    """The job, with progress while it runs and image links once complete. Poll this."""
    return await jobs.get_async(user, job_id, base_url)


@router.post("/jobs/{job_id}/cancel", operation_id="cancel_job",
             responses={409: {"model": ERROR_RESPONSES[400]["model"], "description": "The job has already ended"}})
def cancel_job(job_id: str, user: CurrentUser, jobs: JobServiceDep, base_url: BaseUrl) -> JobPublic:
    return jobs.cancel(user, job_id, base_url)


@router.get(
    "/jobs/{job_id}/archive",
    operation_id="download_job_archive",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}, "description": "A zip of the job's images"},
        409: {"model": ERROR_RESPONSES[400]["model"], "description": "The job has no images (not complete)"},
    },
)
def download_job_archive(job_id: str, user: CurrentUser, jobs: JobServiceDep) -> Response:
    """All of a complete job's images in one zip, as an attachment."""
    filename, data = jobs.archive(user, job_id)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.delete("/jobs/{job_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_job")
def delete_job(job_id: str, user: CurrentUser, jobs: JobServiceDep) -> Response:
    """Delete a job and its images (a running job is stopped first)."""
    jobs.delete(user, job_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
