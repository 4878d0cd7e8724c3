import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.job_page import JobPage
from ...models.job_status import JobStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    q: None | str | Unset = UNSET,
    style: None | str | Unset = UNSET,
    model: None | str | Unset = UNSET,
    status: list[JobStatus] | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_style: None | str | Unset
    if isinstance(style, Unset):
        json_style = UNSET
    else:
        json_style = style
    params["style"] = json_style

    json_model: None | str | Unset
    if isinstance(model, Unset):
        json_model = UNSET
    else:
        json_model = model
    params["model"] = json_model

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = []
        for status_type_0_item_data in status:
            status_type_0_item = status_type_0_item_data.value
            json_status.append(status_type_0_item)

    else:
        json_status = status
    params["status"] = json_status

    json_created_after: None | str | Unset
    if isinstance(created_after, Unset):
        json_created_after = UNSET
    elif isinstance(created_after, datetime.datetime):
        json_created_after = created_after.isoformat()
    else:
        json_created_after = created_after
    params["created_after"] = json_created_after

    json_created_before: None | str | Unset
    if isinstance(created_before, Unset):
        json_created_before = UNSET
    elif isinstance(created_before, datetime.datetime):
        json_created_before = created_before.isoformat()
    else:
        json_created_before = created_before
    params["created_before"] = json_created_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | JobPage | None:
    if response.status_code == 200:
        response_200 = JobPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | JobPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    q: None | str | Unset = UNSET,
    style: None | str | Unset = UNSET,
    model: None | str | Unset = UNSET,
    status: list[JobStatus] | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
) -> Response[ErrorBody | JobPage]:
    """List Jobs

     The caller's jobs, newest first; the filters given all apply, and `total` counts what they match.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        q (None | str | Unset): Words searched in your prompts, case-insensitive; each word must
            begin a word of the prompt (`sun bea` finds "Sunny beach"). Letters, digits and combining
            marks make words; spaces, punctuation and symbols separate them.
        style (None | str | Unset): Only jobs in this style (exact name)
        model (None | str | Unset): Only jobs of this model (exact name)
        status (list[JobStatus] | None | Unset): Only jobs in these statuses (repeat the
            parameter)
        created_after (datetime.datetime | None | Unset): Only jobs created at or after this time
            (with a time zone)
        created_before (datetime.datetime | None | Unset): Only jobs created before this time
            (with a time zone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        q=q,
        style=style,
        model=model,
        status=status,
        created_after=created_after,
        created_before=created_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    q: None | str | Unset = UNSET,
    style: None | str | Unset = UNSET,
    model: None | str | Unset = UNSET,
    status: list[JobStatus] | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
) -> ErrorBody | JobPage | None:
    """List Jobs

     The caller's jobs, newest first; the filters given all apply, and `total` counts what they match.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        q (None | str | Unset): Words searched in your prompts, case-insensitive; each word must
            begin a word of the prompt (`sun bea` finds "Sunny beach"). Letters, digits and combining
            marks make words; spaces, punctuation and symbols separate them.
        style (None | str | Unset): Only jobs in this style (exact name)
        model (None | str | Unset): Only jobs of this model (exact name)
        status (list[JobStatus] | None | Unset): Only jobs in these statuses (repeat the
            parameter)
        created_after (datetime.datetime | None | Unset): Only jobs created at or after this time
            (with a time zone)
        created_before (datetime.datetime | None | Unset): Only jobs created before this time
            (with a time zone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        q=q,
        style=style,
        model=model,
        status=status,
        created_after=created_after,
        created_before=created_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    q: None | str | Unset = UNSET,
    style: None | str | Unset = UNSET,
    model: None | str | Unset = UNSET,
    status: list[JobStatus] | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
) -> Response[ErrorBody | JobPage]:
    """List Jobs

     The caller's jobs, newest first; the filters given all apply, and `total` counts what they match.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        q (None | str | Unset): Words searched in your prompts, case-insensitive; each word must
            begin a word of the prompt (`sun bea` finds "Sunny beach"). Letters, digits and combining
            marks make words; spaces, punctuation and symbols separate them.
        style (None | str | Unset): Only jobs in this style (exact name)
        model (None | str | Unset): Only jobs of this model (exact name)
        status (list[JobStatus] | None | Unset): Only jobs in these statuses (repeat the
            parameter)
        created_after (datetime.datetime | None | Unset): Only jobs created at or after this time
            (with a time zone)
        created_before (datetime.datetime | None | Unset): Only jobs created before this time
            (with a time zone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        q=q,
        style=style,
        model=model,
        status=status,
        created_after=created_after,
        created_before=created_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    q: None | str | Unset = UNSET,
    style: None | str | Unset = UNSET,
    model: None | str | Unset = UNSET,
    status: list[JobStatus] | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
) -> ErrorBody | JobPage | None:
    """List Jobs

     The caller's jobs, newest first; the filters given all apply, and `total` counts what they match.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        q (None | str | Unset): Words searched in your prompts, case-insensitive; each word must
            begin a word of the prompt (`sun bea` finds "Sunny beach"). Letters, digits and combining
            marks make words; spaces, punctuation and symbols separate them.
        style (None | str | Unset): Only jobs in this style (exact name)
        model (None | str | Unset): Only jobs of this model (exact name)
        status (list[JobStatus] | None | Unset): Only jobs in these statuses (repeat the
            parameter)
        created_after (datetime.datetime | None | Unset): Only jobs created at or after this time
            (with a time zone)
        created_before (datetime.datetime | None | Unset): Only jobs created before this time
            (with a time zone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            q=q,
            style=style,
            model=model,
            status=status,
            created_after=created_after,
            created_before=created_before,
        )
    ).parsed
