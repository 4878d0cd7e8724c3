"""Submitting a job safely: one Idempotency-Key per submission, the same key for every retry.

Hand-written, not generated: scripts/generate_client.py copies it in from clients/python-extras/
after each generation. The retry loop is written out rather than taken from tenacity because the
generator writes this package's dependencies, and a few lines do not justify a new one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx

from .api.jobs import generate
from .client import AuthenticatedClient
from .models.error_body import ErrorBody
from .models.generate_request import GenerateRequest
from .models.job_accepted import JobAccepted


class SubmitRefused(Exception):
    """The API answered, and not with 202: the status and, where the body is the error envelope, it."""

    def __init__(self, status_code: int, error: ErrorBody | None) -> None:
        self.status_code = status_code
        self.error = error
        detail = f"{error.error.code}: {error.error.message}" if error is not None else "no error envelope"
        super().__init__(f"POST /generate answered {status_code} ({detail})")


def submit(
    client: AuthenticatedClient,
    body: GenerateRequest,
    *,
    idempotency_key: str | None = None,
    retries: int = 3,
    backoff_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> JobAccepted:
    """POST /generate; after a broken connection or a timeout, send it again with the same key.

    The server answers a repeated key with the first job's 202, so a retry after a lost answer never
    makes a second job. Waits `backoff_seconds`, then twice as long, and so on, between attempts.
    Raises SubmitRefused for any answer other than 202 (a 409 means the key was used for another
    request), and the last httpx.TransportError once `retries` retries have failed too.
    """
    key = idempotency_key or str(uuid.uuid4())
    for attempt in range(retries + 1):
        try:
            response = generate.sync_detailed(client=client, body=body, idempotency_key=key)
            break
        except httpx.TransportError:
            if attempt == retries:
                raise
            sleep(backoff_seconds * 2**attempt)
    if isinstance(response.parsed, JobAccepted):
        return response.parsed
    error = response.parsed if isinstance(response.parsed, ErrorBody) else None
    raise SubmitRefused(int(response.status_code), error)


__all__ = ["SubmitRefused", "submit"]
