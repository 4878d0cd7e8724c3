"""The caller, as every route sees it."""

from __future__ import annotations

from dataclasses import dataclass, field

from jobs.errors import DomainError


@dataclass(frozen=True)
class User:
    """Keyed by `oid` and `tid`; name and e-mail are for display only, never for ownership.

    `token_id` is set when the caller came with a personal access token rather than a sign-in.
    """

    oid: str
    tid: str
    name: str = ""
    email: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False
    # Holds the reviewer app role (or, with the development sign-in, asked for it): see `can_review`.
    is_reviewer: bool = False
    token_id: str | None = None

    @property
    def can_review(self) -> bool:
        """May approve or reject images for the Approved library: reviewers and administrators."""
        return self.is_reviewer or self.is_admin


class NotAuthenticated(DomainError):
    """`reason` is for the server log only (the caller sees the message): say why, never the token."""

    code = "not_authenticated"

    def __init__(self, message: str = "Sign in to continue.", reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class Forbidden(DomainError):
    """Signed in, but not allowed to do this (no app role, not in the group, not an admin)."""

    code = "forbidden"

    def __init__(self, message: str = "You do not have access to this.", reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class SignInUnavailable(DomainError):
    """The signing key a token names cannot be had right now: a retryable outage, not a 500.

    `retry_after` is when the key set may next be fetched, so a retry then can succeed.
    """

    code = "sign_in_unavailable"

    def __init__(self, retry_after: int, reason: str = "signing keys unavailable") -> None:
        super().__init__("Sign-in is temporarily unavailable; try again shortly.")
        self.retry_after = retry_after
        self.reason = reason
