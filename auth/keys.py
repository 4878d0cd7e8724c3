"""The tenant's token-signing keys (its JWKS document), fetched over HTTP and cached.

Entra rolls its signing keys every few weeks and publishes the new one before using it, so a token
whose key id we do not know usually means our copy is old: we fetch again once. Anyone can put any
key id in a token, though, so that refetch has a cooldown; a flood of made-up key ids costs at most
one fetch per cooldown. When the endpoint is down we keep answering with the last keys we had.

The fetch is async (httpx) so it never blocks the event loop, and one lock makes concurrent misses
wait for a single fetch instead of each starting its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import httpx
import jwt

log = logging.getLogger(__name__)


class KeysUnavailable(Exception):
    """No keys could be fetched and none were cached: nobody can be signed in right now."""


class KeyCache:
    def __init__(
        self,
        url: str,
        ttl_seconds: float = 3600.0,
        refetch_cooldown_seconds: float = 60.0,
        timeout_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.ttl = ttl_seconds
        self.cooldown = refetch_cooldown_seconds
        self.timeout = timeout_seconds
        self.clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._tried_at: float | None = None  # last attempt, successful or not
        self._lock = asyncio.Lock()
        self.fetches = 0  # attempts; for the logs and the tests

    def _stale(self, now: float) -> bool:
        return self._fetched_at is None or now - self._fetched_at >= self.ttl

    def _may_fetch(self, now: float) -> bool:
        return self._tried_at is None or now - self._tried_at >= self.cooldown

    async def get(self, kid: str) -> jwt.PyJWK | None:
        """The key with this id, or None when the tenant does not publish it.

        Raises KeysUnavailable only when there is no key at all to check against.
        """
        now = self.clock()
        if kid in self._keys and not self._stale(now):
            return self._keys[kid]
        async with self._lock:
            # Another request may have fetched while this one waited for the lock.
            now = self.clock()
            if kid in self._keys and not self._stale(now):
                return self._keys[kid]
            if self._may_fetch(now):
                await self._refresh(now)
            if not self._keys:
                raise KeysUnavailable()
            return self._keys.get(kid)

    async def _refresh(self, now: float) -> None:
        self._tried_at = now
        self.fetches += 1
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(self.url)
                response.raise_for_status()
                keys = _parse(response.json())
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            # Keep the last good keys: a token signed with a key we know is still valid.
            log.warning("could not fetch signing keys from %s (%s); keeping %d cached key(s)",
                        self.url, type(exc).__name__, len(self._keys))
            return
        if not keys:
            log.warning("the key set at %s holds no usable RS256 signing key; keeping the old one", self.url)
            return
        self._keys = keys
        self._fetched_at = now
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
