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
    download: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["expires"] = expires

    params["sig"] = sig

    params["download"] = download

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/images/{job_id}/{index}.png".format(
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
    download: bool | Unset = False,
) -> Response[ErrorBody]:
    """Get Image

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        download (bool | Unset): Answer as an attachment (a browser saves it) Default: False.

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
        download=download,
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
    download: bool | Unset = False,
) -> ErrorBody | None:
    """Get Image

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        download (bool | Unset): Answer as an attachment (a browser saves it) Default: False.

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
        download=download,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    index: int,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    sig: str,
    download: bool | Unset = False,
) -> Response[ErrorBody]:
    """Get Image

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        download (bool | Unset): Answer as an attachment (a browser saves it) Default: False.

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
        download=download,
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
    download: bool | Unset = False,
) -> ErrorBody | None:
    """Get Image

    Args:
        job_id (UUID):
        index (int):
        expires (int):
        sig (str): The link's HMAC-SHA256, lower-case hex
        download (bool | Unset): Answer as an attachment (a browser saves it) Default: False.

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
            download=download,
        )
    ).parsed
