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
    token_id: str | None = None


class NotAuthenticated(DomainError):
    code = "not_authenticated"

    def __init__(self, message: str = "Sign in to continue.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    """Signed in, but not allowed to do this (no app role, not in the group, not an admin)."""

    code = "forbidden"

    def __init__(self, message: str = "You do not have access to this.") -> None:
        super().__init__(message)


class SignInUnavailable(DomainError):
    """The tenant's signing keys cannot be fetched and none are cached: a retryable outage, not a 500."""

    code = "sign_in_unavailable"

    def __init__(self, retry_after: int = 30) -> None:
        super().__init__("Sign-in is temporarily unavailable; try again shortly.")
        self.retry_after = retry_after
