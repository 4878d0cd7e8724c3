"""The caller, as every route sees it."""

from __future__ import annotations

from dataclasses import dataclass

from jobs.errors import DomainError


@dataclass(frozen=True)
class User:
    """Keyed by `oid` and `tid`; name and e-mail are for display only, never for ownership."""

    oid: str
    tid: str
    name: str = ""
    email: str = ""


class NotAuthenticated(DomainError):
    code = "not_authenticated"

    def __init__(self, message: str = "Sign in to continue.") -> None:
        super().__init__(message)
