"""Per-user limits on job submission: a token bucket per user, kept in this process.

Only POST /generate draws from it; polling a job is cheap and never limited here. With several API
replicas each keeps its own buckets, so the effective rate is up to N times the setting; the cap
on jobs queued or running at once is counted in the database and holds across replicas.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from jobs.errors import DomainError


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after: int, message: str = "Too many requests; try again shortly.") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyActiveJobs(RateLimited):
    code = "too_many_active_jobs"

    def __init__(self, limit: int, retry_after: int = 5) -> None:
        super().__init__(retry_after, f"You already have {limit} jobs queued or running; wait for one to finish.")


class SubmitLimiter:
    """`rate_per_minute` tokens a minute, at most `burst` saved up; 0 turns it off."""

    # Idle users' buckets are full again after burst/rate minutes; forget them past this many.
    _MAX_USERS = 10_000

    def __init__(self, rate_per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # (tokens, at)
        self._lock = threading.Lock()

    def take(self, tid: str, oid: str) -> None:
        if self.rate <= 0:
            return
        key = (tid, oid)
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                raise RateLimited(retry_after=max(1, math.ceil((1.0 - tokens) / self.rate)))
            if len(self._buckets) >= self._MAX_USERS and key not in self._buckets:
                self._forget_full(now)
            self._buckets[key] = (tokens - 1.0, now)

    def put_back(self, tid: str, oid: str) -> None:
        """Return the token `take` drew for a request that turned out to be a replay."""
        if self.rate <= 0:
            return
        with self._lock:
            if (saved := self._buckets.get((tid, oid))) is not None:
                self._buckets[(tid, oid)] = (min(self.burst, saved[0] + 1.0), saved[1])

    def _forget_full(self, now: float) -> None:
        full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.burst]
        for k in full:
            del self._buckets[k]
