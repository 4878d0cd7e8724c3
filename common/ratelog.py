"""A log that a flood of requests cannot fill: one line per kind of event per interval.

Anyone can send a malformed link or a bad token as fast as the network allows; logging each
one would let a stranger fill the disk and bury real errors. The first event of a kind in each
interval is logged as it happens; the rest are counted, and the next line of that kind says how
many were left out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

# Kinds are chosen by our code, never by a caller, but bound the table anyway.
_MAX_KINDS = 1024


class RateLimitedLog:
    def __init__(self, logger: logging.Logger, interval_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.logger = logger
        self.interval = interval_seconds
        self.clock = clock
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}
        self._lock = threading.Lock()

    def log(self, level: int, kind: str, msg: str, *args: object, exc_info: object = None) -> bool:
        """Log `msg` unless a line of this kind was logged less than an interval ago.

        Returns whether the line was written. Safe from any thread.
        """
        now = self.clock()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self.interval:
                self._suppressed[kind] = self._suppressed.get(kind, 0) + 1
                return False
            if len(self._last) >= _MAX_KINDS and kind not in self._last:
                self._last.clear()
                self._suppressed.clear()
            self._last[kind] = now
            skipped = self._suppressed.pop(kind, 0)
        if skipped:
            msg += " (%d more like this in the last %.0f s were not logged)"
            args = (*args, skipped, self.interval)
        self.logger.log(level, msg, *args, exc_info=exc_info)
        return True

    def info(self, kind: str, msg: str, *args: object) -> bool:
        return self.log(logging.INFO, kind, msg, *args)

    def warning(self, kind: str, msg: str, *args: object) -> bool:
        return self.log(logging.WARNING, kind, msg, *args)

    def exception(self, kind: str, msg: str, *args: object, exc_info: object = True) -> bool:
        return self.log(logging.ERROR, kind, msg, *args, exc_info=exc_info)
