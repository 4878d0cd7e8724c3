"""HMAC-signed, expiring image links for the local store."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from jobs.errors import DomainError


class LinkInvalid(DomainError):
    """The link was altered or has expired (answered 403: the bearer holds no valid capability)."""

    code = "link_invalid"

    def __init__(self, reason: str) -> None:
        super().__init__("This image link is invalid or has expired.")
        self.reason = reason


class LinkExpiry:
    """When links expire; one rule for the local signer and the blob service's SAS links.

    Links made within one window share their expiry, so an image keeps the same URL across polls
    and page loads and the browser's cache can answer; each still lives at least ttl."""

    def __init__(self, ttl_seconds: int, granularity_seconds: int | None = None) -> None:
        self.ttl_seconds = ttl_seconds
        self.granularity = granularity_seconds or min(3600, max(1, ttl_seconds // 24))

    def expiry(self, now: datetime) -> int:
        """When a link made now expires (Unix seconds): ttl from now, rounded up to the window."""
        earliest = int(now.timestamp()) + self.ttl_seconds
        return -(-earliest // self.granularity) * self.granularity

    def expires_at(self, now: datetime) -> datetime:
        return datetime.fromtimestamp(self.expiry(now), UTC)


class LinkSigner(LinkExpiry):
    """Signs with `secret`; verifies with it or any of `previous` (a secret being rotated out: links
    signed before the rotation, or by a replica not yet restarted, keep working until they expire)."""

    def __init__(self, secret: bytes, ttl_seconds: int, granularity_seconds: int | None = None,
                 previous: tuple[bytes, ...] = ()) -> None:
        if len(secret) < 16 or any(len(old) < 16 for old in previous):
            raise ValueError("link secret must be at least 16 bytes")
        super().__init__(ttl_seconds, granularity_seconds)
        self._secret = secret
        self._accepted = (secret, *previous)

    def _mac(self, key: str, expires: int, secret: bytes | None = None) -> str:
        message = f"{key}\n{expires}".encode()
        return hmac.new(secret or self._secret, message, hashlib.sha256).hexdigest()

    def sign(self, key: str, now: datetime) -> tuple[int, str]:
        expires = self.expiry(now)
        return expires, self._mac(key, expires)

    def verify(self, key: str, expires: int, signature: str, now: datetime) -> None:
        # compare_digest refuses str with non-ASCII characters (TypeError: a 500); anything but
        # ASCII cannot be our hex digest anyway.
        if not signature.isascii():
            raise LinkInvalid("signature is not ASCII")
        # Compare first, then check expiry, so a forged expiry is reported as tampering.
        given = signature.encode()
        if not any(hmac.compare_digest(self._mac(key, expires, secret).encode(), given) for secret in self._accepted):
            raise LinkInvalid("signature does not match")
        if now.timestamp() > expires:
            raise LinkInvalid("link has expired")
