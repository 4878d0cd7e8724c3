"""Reviews of images and the Approved library. Thin: who is asking, one service call, the response."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import BaseUrl, CurrentUser, LibraryDep, ReviewerUser, ReviewServiceDep
from api.errors import ERROR_RESPONSES
from api.routing import SignedInRoute
from common.text import SingleLine
from jobs.brand_schemas import ImageReviewState
from jobs.library import LibraryPage
from jobs.models import MAX_OFFSET, MAX_PAGE_SIZE
from jobs.reviews import ReviewRecord, ReviewRequest
from jobs.search import MAX_QUERY_LENGTH, JobFilter

router = APIRouter(tags=["reviews"], responses=ERROR_RESPONSES, route_class=SignedInRoute)

Index = Annotated[int, Path(ge=0, le=63, description="The image's index in its job, from 0.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
NOT_REVIEWABLE = {409: {**ERROR_RESPONSES[400], "description": "The job is not complete"}}


@router.put("/jobs/{job_id}/images/{index}/review", operation_id="review_image", responses=NOT_REVIEWABLE)
def review_image(job_id: uuid.UUID, index: Index, body: ReviewRequest, reviewer: ReviewerUser,
                 reviews: ReviewServiceDep) -> ImageReviewState:
    """Approve or reject any user's image (reviewers only); approved images join the Approved library
    and are kept past the retention period. Every decision is recorded."""
    return reviews.decide(reviewer, str(job_id), index, body)


@router.delete("/jobs/{job_id}/images/{index}/review", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="clear_image_review", responses=NOT_REVIEWABLE)
def clear_image_review(job_id: uuid.UUID, index: Index, reviewer: ReviewerUser,
                       reviews: ReviewServiceDep) -> Response:
    """Take the standing decision back (reviewers only; recorded as `cleared`). The image leaves the
    library, and retention counts from the job's creation again."""
    reviews.clear(reviewer, str(job_id), index)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/jobs/{job_id}/images/{index}/reviews", operation_id="list_image_reviews")
def list_image_reviews(job_id: uuid.UUID, index: Index, user: CurrentUser,
                       reviews: ReviewServiceDep) -> list[ReviewRecord]:
    """Every decision on the image, newest first: for the job's owner and for reviewers."""
    return reviews.history(user, str(job_id), index)


@router.get("/library", operation_id="list_library")
def list_library(
    _: CurrentUser,
    library: LibraryDep,
    base_url: BaseUrl,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[
        Annotated[str, SingleLine(MAX_QUERY_LENGTH)] | None,
        Query(min_length=1, description="Words searched in the prompts, as in GET /jobs."),
    ] = None,
    style: Annotated[Annotated[str, SingleLine(64)] | None, Query(min_length=1, description="Only this style (exact name)")] = None,
    model: Annotated[Annotated[str, SingleLine(64)] | None, Query(min_length=1, description="Only this model (exact name)")] = None,
) -> LibraryPage:
    """The Approved library: every user's approved images, for everyone signed in; most recently
    approved first. Rejected images and those without a decision are never here."""
    return library.approved(limit, offset, base_url, JobFilter(q=q, style=style, model=model))


@router.get("/reviews/pending", operation_id="list_pending_reviews")
def list_pending_reviews(_: ReviewerUser, library: LibraryDep, base_url: BaseUrl,
                         limit: Limit = 50, offset: Offset = 0) -> LibraryPage:
    """Images of complete jobs, every user's, on which no decision stands; newest first (reviewers only)."""
    return library.pending(limit, offset, base_url)
