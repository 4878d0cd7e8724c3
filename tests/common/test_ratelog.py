"""The rate-limited log: a flood of one kind of event writes one line per interval."""

from __future__ import annotations

import logging

import pytest

from common.ratelog import RateLimitedLog


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_of_one_kind_writes_one_line_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    log = RateLimitedLog(logging.getLogger("test.ratelog"), interval_seconds=60, clock=clock)
    with caplog.at_level(logging.INFO, logger="test.ratelog"):
        written = [log.warning("bad-link", "malformed link: %s", "sig") for _ in range(500)]
    assert written.count(True) == 1
    assert len(caplog.records) == 1


def test_the_next_line_counts_what_was_left_out(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    log = RateLimitedLog(logging.getLogger("test.ratelog"), interval_seconds=60, clock=clock)
    with caplog.at_level(logging.INFO, logger="test.ratelog"):
        for _ in range(10):
            log.info("bad-link", "malformed link")
        clock.now += 61
        log.info("bad-link", "malformed link")
    assert len(caplog.records) == 2
    assert "9 more like this" in caplog.records[1].getMessage()


def test_kinds_are_limited_separately(caplog: pytest.LogCaptureFixture) -> None:
    log = RateLimitedLog(logging.getLogger("test.ratelog"), interval_seconds=60, clock=Clock())
    with caplog.at_level(logging.INFO, logger="test.ratelog"):
        assert log.info("a", "first kind")
        assert log.info("b", "second kind")
        assert not log.info("a", "first kind again")
    assert [r.getMessage() for r in caplog.records] == ["first kind", "second kind"]
