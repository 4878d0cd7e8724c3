"""One clock for every package: UTC-aware now, and SQLite's zone-less datetimes read back as UTC."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from common.clock import aware, utcnow

ROOT = Path(__file__).resolve().parent.parent.parent


def test_utcnow_is_aware_and_in_utc() -> None:
    now = utcnow()
    assert now.tzinfo is UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_naive_datetime_is_read_as_utc_and_an_aware_one_is_kept() -> None:
    assert aware(datetime(2026, 1, 2, 3, 4, 5)) == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    plus_two = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert aware(plus_two) is plus_two
    assert aware(None) is None


def test_the_old_import_of_utcnow_still_works() -> None:
    from jobs.models import utcnow as from_jobs

    assert from_jobs is utcnow


def test_no_package_keeps_its_own_copy_of_the_helpers() -> None:
    copies = []
    for package in ("api", "auth", "jobs", "storage", "runner"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and node.name in {"_aware", "aware", "utcnow"}:
                    copies.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert copies == []
