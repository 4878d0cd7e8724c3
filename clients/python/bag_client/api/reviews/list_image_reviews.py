from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.review_record import ReviewRecord
from ...types import Response


def _get_kwargs(
    job_id: UUID,
    index: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs/{job_id}/images/{index}/reviews".format(
            job_id=quote(str(job_id), safe=""),
            index=quote(str(index), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | list[ReviewRecord] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ReviewRecord.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[ErrorBody | list[ReviewRecord]]:
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
) -> Response[ErrorBody | list[ReviewRecord]]:
    """List Image Reviews

     Every decision on the image, newest first: for the job's owner and for reviewers.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[ReviewRecord]]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        index=index,
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
) -> ErrorBody | list[ReviewRecord] | None:
    """List Image Reviews

     Every decision on the image, newest first: for the job's owner and for reviewers.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[ReviewRecord]
    """

    return sync_detailed(
        job_id=job_id,
        index=index,
        client=client,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | list[ReviewRecord]]:
    """List Image Reviews

     Every decision on the image, newest first: for the job's owner and for reviewers.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[ReviewRecord]]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        index=index,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | list[ReviewRecord] | None:
    """List Image Reviews

     Every decision on the image, newest first: for the job's owner and for reviewers.

    Args:
        job_id (UUID):
        index (int): The image's index in its job, from 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[ReviewRecord]
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            index=index,
            client=client,
        )
    ).parsed
