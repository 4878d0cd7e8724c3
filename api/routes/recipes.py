"""Exact recipes: whether a job would render the same pixels again, and rendering it again. Thin."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from api.deps import CurrentUser, RecipeServiceDep
from api.errors import ERROR_RESPONSES
from api.routes.jobs import SUBMISSION_429, SUBMISSION_503
from api.routing import SignedInRoute
from jobs.recipes import RecipeCheck, RegenerateAccepted

router = APIRouter(tags=["jobs"], responses=ERROR_RESPONSES, route_class=SignedInRoute)

_NO_RECIPE = {"model": ERROR_RESPONSES[400]["model"],
              "description": "The job has no recipe (not complete), or its model or style is no longer served"}
_NOT_READY = {"model": ERROR_RESPONSES[400]["model"], "description": "The generator is not ready, or sign-in is unavailable; see Retry-After"}


@router.get("/jobs/{job_id}/recipe/check", operation_id="check_job_recipe",
            responses={409: _NO_RECIPE, 503: _NOT_READY})
def check_recipe(job_id: uuid.UUID, user: CurrentUser, recipes: RecipeServiceDep) -> RecipeCheck:
    """Whether regenerating the job now renders the same pixels, and if not, why (one sentence each).
    The job's owner and reviewers may ask."""
    return recipes.check(user, str(job_id))


@router.post(
    "/jobs/{job_id}/regenerate",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="regenerate_job",
    responses={
        202: {"description": "Accepted: a new job of the caller's with the same recipe",
              "headers": {"Location": {"description": "The new job's URL, to poll", "schema": {"type": "string"}}}},
        409: _NO_RECIPE,
        429: SUBMISSION_429,
        503: SUBMISSION_503,
    },
)
def regenerate_job(job_id: uuid.UUID, user: CurrentUser, recipes: RecipeServiceDep,
                   response: Response) -> RegenerateAccepted:
    """Run the job's recipe again (same prompt, model, style and weight, size, steps, guidance and
    seeds) as a new job; `differences` says why its images will not be identical, if they will not."""
    accepted = recipes.regenerate(user, str(job_id))
    response.headers["Location"] = f"/jobs/{accepted.job_id}"
    return accepted
