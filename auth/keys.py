"""The tenant's token-signing keys (its JWKS document), fetched over HTTP and cached.

Entra rolls its signing keys every few weeks and publishes the new one before using it, so a token
whose key id we do not know usually means our copy is old: we fetch again once. Anyone can put any
key id in a token, though, so that refetch has a cooldown; a flood of made-up key ids costs at most
one fetch per cooldown. When the endpoint is down we keep answering with the last keys we had, and
retry with a backoff (1 s, doubling, at most the cooldown) rather than the whole cooldown.

A key id we cannot look up yet (inside the cooldown, or the endpoint down) raises KeysUnavailable
with `retry_after`, the seconds until the next fetch is allowed: a retry then fetches, so sign-in
recovers within what the 503 announced. Only a key id missing from a set fetched for this very
request (or while it waited) is unknown for sure, and answers None.

The fetch is async (httpx) so it never blocks the event loop, and one lock makes concurrent misses
wait for a single fetch instead of each starting its own.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable

import httpx
import jwt

from settings import require_https

log = logging.getLogger(__name__)


class KeysUnavailable(Exception):
    """The key cannot be looked up now; `retry_after` seconds from now a fetch is allowed again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"signing keys unavailable; retry in {retry_after} s")
        self.retry_after = retry_after


# After a failed fetch the next try waits this long, doubling up to the cooldown.
_FIRST_BACKOFF_SECONDS = 1.0


class KeyCache:
    def __init__(
        self,
        url: str,
        ttl_seconds: float = 3600.0,
        refetch_cooldown_seconds: float = 60.0,
        timeout_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        allow_http: bool = False,
    ) -> None:
        # Keys fetched over plain HTTP could be swapped by anyone on the path, who could then sign
        # in as anybody: only tests (serving keys on loopback) may say otherwise.
        require_https(url, "BAG_ENTRA_JWKS_URL", allow_http=allow_http)
        self.url = url
        self.ttl = ttl_seconds
        self.cooldown = refetch_cooldown_seconds
        self.timeout = timeout_seconds
        self.clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._next_fetch_at: float | None = None  # None: a fetch is allowed now
        self._backoff = _FIRST_BACKOFF_SECONDS
        self._generation = 0  # counts successful fetches
        self._lock = asyncio.Lock()
        self.fetches = 0  # attempts; for the logs and the tests

    def _stale(self, now: float) -> bool:
        return self._fetched_at is None or now - self._fetched_at >= self.ttl

    def _may_fetch(self, now: float) -> bool:
        return self._next_fetch_at is None or now >= self._next_fetch_at

    def retry_after(self, now: float) -> int:
        """Whole seconds until a fetch is allowed again (at least 1, so a client does wait)."""
        wait = 0.0 if self._next_fetch_at is None else self._next_fetch_at - now
        return max(1, math.ceil(wait))

    async def get(self, kid: str) -> jwt.PyJWK | None:
        """The key with this id, or None when a key set fetched for this request lacks it.

        Raises KeysUnavailable when the key cannot be looked up now (see the module docstring).
        """
        now = self.clock()
        if kid in self._keys and not self._stale(now):
            return self._keys[kid]
        generation = self._generation
        async with self._lock:
            # Another request may have fetched while this one waited for the lock.
            now = self.clock()
            if kid in self._keys and not self._stale(now):
                return self._keys[kid]
            if self._may_fetch(now):
                await self._refresh(now)
            if kid in self._keys:
                return self._keys[kid]  # possibly stale: the endpoint is down, the key still good
            if self._generation > generation:
                return None
            raise KeysUnavailable(self.retry_after(self.clock()))

    async def _refresh(self, now: float) -> None:
        self.fetches += 1
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(self.url)
                response.raise_for_status()
                keys = _parse(response.json())
            if not keys:
                raise ValueError("the key set holds no usable RS256 signing key")
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            # Keep the last good keys: a token signed with a key we know is still valid.
            self._next_fetch_at = now + self._backoff
            log.warning("could not fetch signing keys from %s (%s); keeping %d cached key(s); next try in %.0f s",
                        self.url, type(exc).__name__, len(self._keys), self._backoff)
            self._backoff = min(self._backoff * 2, max(self.cooldown, _FIRST_BACKOFF_SECONDS))
            return
        self._keys = keys
        self._fetched_at = now
        self._next_fetch_at = now + self.cooldown
        self._backoff = _FIRST_BACKOFF_SECONDS
        self._generation += 1
        log.info("fetched %d signing key(s) from %s", len(keys), self.url)


def _parse(document: object) -> dict[str, jwt.PyJWK]:
    """RSA signing keys by key id; anything else in the set (encryption keys, other types) is skipped."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document")
    keys: dict[str, jwt.PyJWK] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not kid:
            continue
        try:
            keys[kid] = jwt.PyJWK(entry, algorithm="RS256")
        except (jwt.PyJWTError, ValueError, TypeError):
            # One malformed entry must not cost us the others (or turn into a 500).
            continue
    return keys
