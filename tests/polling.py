"""Waiting for a condition with a deadline, for every suite (never a bare sleep)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float = 10.0, what: str = "condition",
             interval: float = 0.02, ignore: tuple[type[BaseException], ...] = ()) -> T:
    """The first truthy value of `predicate`, polled every `interval` s; AssertionError naming
    `what` after `timeout` s. Exceptions of the `ignore` types count as "not yet"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if value := predicate():
                return value
        except ignore:
            pass
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s: {what}")
