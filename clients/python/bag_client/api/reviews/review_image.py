from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.image_review_state import ImageReviewState
from ...models.review_request import ReviewRequest
from ...types import Response


def _get_kwargs(
    job_id: UUID,
    index: int,
    *,
    body: ReviewRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/jobs/{job_id}/images/{index}/review".format(
            job_id=quote(str(job_id), safe=""),
            index=quote(str(index), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ImageReviewState | None:
    if response.status_code == 200:
        response_200 = ImageReviewState.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ImageReviewState]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient,
    body: ReviewRequest,
) -> Response[ErrorBody | ImageReviewState]:
    """Review Image

     Approve or reject any user's image (reviewers only); approved images join the Approved library
    and are kept past the retention period. Every decision is recorded.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.
        body (ReviewRequest): A reviewer's decision on one image. Unknown fields are refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ImageReviewState]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        index=index,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient,
    body: ReviewRequest,
) -> ErrorBody | ImageReviewState | None:
    """Review Image

     Approve or reject any user's image (reviewers only); approved images join the Approved library
    and are kept past the retention period. Every decision is recorded.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.
        body (ReviewRequest): A reviewer's decision on one image. Unknown fields are refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ImageReviewState
    """

    return sync_detailed(
        job_id=job_id,
        index=index,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient,
    body: ReviewRequest,
) -> Response[ErrorBody | ImageReviewState]:
    """Review Image

     Approve or reject any user's image (reviewers only); approved images join the Approved library
    and are kept past the retention period. Every decision is recorded.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.
        body (ReviewRequest): A reviewer's decision on one image. Unknown fields are refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ImageReviewState]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        index=index,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient,
    body: ReviewRequest,
) -> ErrorBody | ImageReviewState | None:
    """Review Image

     Approve or reject any user's image (reviewers only); approved images join the Approved library
    and are kept past the retention period. Every decision is recorded.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.
        body (ReviewRequest): A reviewer's decision on one image. Unknown fields are refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ImageReviewState
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            index=index,
            client=client,
            body=body,
        )
    ).parsed
