from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: UUID,
    index: int,
    *,
    expires: int,
    sig: str,
    width: int | Unset = 512,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["expires"] = expires

    params["sig"] = sig

    params["width"] = width

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/images/{job_id}/{index}.webp".format(
            job_id=quote(str(job_id), safe=""),
            index=quote(str(index), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | None:
    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody]:
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
    client: AuthenticatedClient | Client,
    expires: int,
    sig: str,
    width: int | Unset = 512,
) -> Response[ErrorBody]:
    """Get Thumbnail

     A small copy of the image, stored beside it when the job completed.

    Images stored before thumbnails were made at completion get theirs on first request, kept
    beside them. Only a few widths exist, so a link holder cannot make the server resize the image
    in every size (a plain `def`: the work runs in the thread pool).

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        width (int | Unset): Longest side in pixels: one of (160, 512) Default: 512.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        index=index,
        expires=expires,
        sig=sig,
        width=width,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    sig: str,
    width: int | Unset = 512,
) -> ErrorBody | None:
    """Get Thumbnail

     A small copy of the image, stored beside it when the job completed.

    Images stored before thumbnails were made at completion get theirs on first request, kept
    beside them. Only a few widths exist, so a link holder cannot make the server resize the image
    in every size (a plain `def`: the work runs in the thread pool).

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        width (int | Unset): Longest side in pixels: one of (160, 512) Default: 512.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody
    """

    return sync_detailed(
        job_id=job_id,
        index=index,
        client=client,
        expires=expires,
        sig=sig,
        width=width,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    sig: str,
    width: int | Unset = 512,
) -> Response[ErrorBody]:
    """Get Thumbnail

     A small copy of the image, stored beside it when the job completed.

    Images stored before thumbnails were made at completion get theirs on first request, kept
    beside them. Only a few widths exist, so a link holder cannot make the server resize the image
    in every size (a plain `def`: the work runs in the thread pool).

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        width (int | Unset): Longest side in pixels: one of (160, 512) Default: 512.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        index=index,
        expires=expires,
        sig=sig,
        width=width,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    sig: str,
    width: int | Unset = 512,
) -> ErrorBody | None:
    """Get Thumbnail

     A small copy of the image, stored beside it when the job completed.

    Images stored before thumbnails were made at completion get theirs on first request, kept
    beside them. Only a few widths exist, so a link holder cannot make the server resize the image
    in every size (a plain `def`: the work runs in the thread pool).

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        width (int | Unset): Longest side in pixels: one of (160, 512) Default: 512.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            index=index,
            client=client,
            expires=expires,
            sig=sig,
            width=width,
        )
    ).parsed
