"""Generation and the caller's own jobs. Thin: who is asking, one service call, the response."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime

from api.deps import BaseUrl, CurrentUser, JobServiceDep, base_url_of, services_of
from api.errors import ERROR_RESPONSES, STORAGE_UNAVAILABLE
from api.routing import SignedInRoute
from common.text import SingleLine
from jobs.idempotency import KEY_PATTERN, MAX_KEY_LENGTH
from jobs.models import MAX_OFFSET, MAX_PAGE_SIZE, GenerateRequest, JobAccepted, JobPage, JobPublic, JobStatus
from jobs.search import MAX_QUERY_LENGTH, JobFilter

router = APIRouter(tags=["jobs"], responses=ERROR_RESPONSES, route_class=SignedInRoute)


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=KEY_PATTERN,
        description="Makes a retry safe: the same key and body within 24 hours answer the first 202 again "
        "(with `Idempotent-Replayed: true`) instead of making a second job; the same key with another body "
        "is a 409. Use a fresh random key (a UUID) per submission and the same one for its retries. "
        "1-255 printable ASCII characters; keys belong to the caller.",
    ),
]


# What a submission can be refused with (JobService.submit): also declared by the regenerate route.
SUBMISSION_429 = {"model": ERROR_RESPONSES[400]["model"],
                  "description": "Too many submissions, or too many jobs queued or running; see Retry-After"}
SUBMISSION_503 = {"model": ERROR_RESPONSES[400]["model"],
                  "description": "Queue full, generator not ready or sign-in unavailable; see Retry-After"}


@router.post(
    "/generate",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="generate",
    responses={
        202: {
            "description": "Accepted; the job runs in the background",
            "headers": {
                "Location": {"description": "The job's URL, to poll", "schema": {"type": "string"}},
                "Idempotent-Replayed": {
                    "description": "`true` when this is the first answer to the same Idempotency-Key again",
                    "schema": {"type": "string"},
                },
            },
        },
        409: {"model": ERROR_RESPONSES[400]["model"],
              "description": "The Idempotency-Key was already used with a different body"},
        429: SUBMISSION_429,
        503: SUBMISSION_503,
    },
)
def generate(body: GenerateRequest, user: CurrentUser, jobs: JobServiceDep, response: Response,
             idempotency_key: IdempotencyKey = None) -> JobAccepted:
    """Accept a prompt; the job runs in the background. Poll `GET /jobs/{job_id}`."""
    submitted = jobs.submit(user, body, idempotency_key)
    response.headers["Location"] = f"/jobs/{submitted.accepted.job_id}"
    if submitted.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return submitted.accepted


@router.get("/jobs", operation_id="list_jobs")
def list_jobs(
    user: CurrentUser,
    jobs: JobServiceDep,
    base_url: BaseUrl,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    q: Annotated[
        Annotated[str, SingleLine(MAX_QUERY_LENGTH)] | None,
        Query(min_length=1, description="Words searched in your prompts, case-insensitive; each word must "
              "begin a word of the prompt (`sun bea` finds \"Sunny beach\"). Letters, digits and combining marks "
              "make words; spaces, punctuation and symbols separate them."),
    ] = None,
    style: Annotated[Annotated[str, SingleLine(64)] | None, Query(min_length=1, description="Only jobs in this style (exact name)")] = None,
    model: Annotated[Annotated[str, SingleLine(64)] | None, Query(min_length=1, description="Only jobs of this model (exact name)")] = None,
    # Named `status` over HTTP; `statuses` here, so that fastapi.status stays usable in this module.
    statuses: Annotated[
        list[JobStatus] | None,
        Query(alias="status", description="Only jobs in these statuses (repeat the parameter)"),
    ] = None,
    created_after: Annotated[AwareDatetime | None, Query(description="Only jobs created at or after this time (with a time zone)")] = None,
    created_before: Annotated[AwareDatetime | None, Query(description="Only jobs created before this time (with a time zone)")] = None,
) -> JobPage:
    """The caller's jobs, newest first; the filters given all apply, and `total` counts what they match."""
    where = JobFilter(q=q, style=style, model=model, statuses=tuple(statuses or ()),
                      created_after=created_after, created_before=created_before)
    return jobs.list(user, limit, offset, base_url, where)


@router.get("/jobs/{job_id}", operation_id="get_job", response_model=JobPublic)
async def get_job(job_id: uuid.UUID, user: CurrentUser, request: Request) -> Response:
    """The job, with progress while it runs and image links once complete. Poll this."""
    # Every open page polls this route, so it is kept lean: few dependencies (FastAPI spends time
    # on each, every request), and the answer serialised once by the service, which keeps the
    # JSON of a finished job, instead of FastAPI validating and encoding it again.
    services = services_of(request)
    body = await services.jobs.get_json(user, str(job_id), base_url_of(request, services.settings))
    return Response(body, media_type="application/json")


@router.post("/jobs/{job_id}/cancel", operation_id="cancel_job",
             responses={409: {"model": ERROR_RESPONSES[400]["model"], "description": "The job has already ended"}})
def cancel_job(job_id: uuid.UUID, user: CurrentUser, jobs: JobServiceDep, base_url: BaseUrl) -> JobPublic:
    return jobs.cancel(user, str(job_id), base_url)


@router.get(
    "/jobs/{job_id}/archive",
    operation_id="download_job_archive",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}, "description": "A zip of the job's images"},
        409: {"model": ERROR_RESPONSES[400]["model"], "description": "The job has no images (not complete)"},
        **STORAGE_UNAVAILABLE,
    },
)
def download_job_archive(job_id: uuid.UUID, user: CurrentUser, jobs: JobServiceDep) -> StreamingResponse:
    """All of a complete job's images in one zip, as an attachment (sent as it is made)."""
    filename, chunks = jobs.archive(user, str(job_id))
    return StreamingResponse(chunks, media_type="application/zip",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.delete("/jobs/{job_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_job",
               responses={409: {"model": ERROR_RESPONSES[400]["model"],
                                "description": "An image of the job stands approved for the Approved library"},
                          **STORAGE_UNAVAILABLE})
def delete_job(job_id: uuid.UUID, user: CurrentUser, jobs: JobServiceDep) -> Response:
    """Delete a job and its images (a running job is stopped first). Refused while an image of it
    stands approved: a reviewer takes the approval back first."""
    jobs.delete(user, str(job_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
