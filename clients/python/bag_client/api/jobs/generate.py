from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.generate_request import GenerateRequest
from ...models.job_accepted import JobAccepted
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: GenerateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/generate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | JobAccepted | None:
    if response.status_code == 202:
        response_202 = JobAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

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
) -> Response[ErrorBody | JobAccepted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GenerateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ErrorBody | JobAccepted]:
    """Generate

     Accept a prompt; the job runs in the background. Poll `GET /jobs/{job_id}`.

    Args:
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first 202 again (with `Idempotent-Replayed: true`) instead of making a
            second job; the same key with another body is a 409. Use a fresh random key (a UUID) per
            submission and the same one for its retries. 1-255 printable ASCII characters; keys belong
            to the caller.
        body (GenerateRequest): What a caller may ask for. Unknown fields are refused rather than
            silently ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobAccepted]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: GenerateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> ErrorBody | JobAccepted | None:
    """Generate

     Accept a prompt; the job runs in the background. Poll `GET /jobs/{job_id}`.

    Args:
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first 202 again (with `Idempotent-Replayed: true`) instead of making a
            second job; the same key with another body is a 409. Use a fresh random key (a UUID) per
            submission and the same one for its retries. 1-255 printable ASCII characters; keys belong
            to the caller.
        body (GenerateRequest): What a caller may ask for. Unknown fields are refused rather than
            silently ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobAccepted
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GenerateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ErrorBody | JobAccepted]:
    """Generate

     Accept a prompt; the job runs in the background. Poll `GET /jobs/{job_id}`.

    Args:
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first 202 again (with `Idempotent-Replayed: true`) instead of making a
            second job; the same key with another body is a 409. Use a fresh random key (a UUID) per
            submission and the same one for its retries. 1-255 printable ASCII characters; keys belong
            to the caller.
        body (GenerateRequest): What a caller may ask for. Unknown fields are refused rather than
            silently ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobAccepted]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: GenerateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> ErrorBody | JobAccepted | None:
    """Generate

     Accept a prompt; the job runs in the background. Poll `GET /jobs/{job_id}`.

    Args:
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first 202 again (with `Idempotent-Replayed: true`) instead of making a
            second job; the same key with another body is a 409. Use a fresh random key (a UUID) per
            submission and the same one for its retries. 1-255 printable ASCII characters; keys belong
            to the caller.
        body (GenerateRequest): What a caller may ask for. Unknown fields are refused rather than
            silently ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobAccepted
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
