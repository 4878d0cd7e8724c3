"""Style versions: each new adapter file of a style is the next version, numbered in the database
so that every API replica agrees, also when two number the same new files at once."""

from __future__ import annotations

import threading

from jobs.db import get_engine, migrate
from loras.versions import StyleVersions


def versions_in(url: str) -> StyleVersions:
    migrate(url)
    return StyleVersions(get_engine(url))


def test_versions_count_from_one_per_style_and_a_seen_file_keeps_its_number(db_url: str) -> None:
    versions = versions_in(db_url)
    assert versions.version_of("acme", "a" * 64, "flux") == 1
    assert versions.version_of("globex", "b" * 64, "flux") == 1
    assert versions.version_of("acme", "c" * 64, "flux") == 2
    # Back to the first file: it is version 1 again, not a third version.
    assert versions.version_of("acme", "a" * 64, "flux") == 1
    assert StyleVersions(versions.engine).version_of("acme", "c" * 64, "flux") == 2  # another replica
    assert [(v.version, v.fingerprint[0]) for v in versions.history("acme")] == [(1, "a"), (2, "c")]


def test_two_replicas_numbering_the_same_new_files_at_once_agree(pg_url: str) -> None:
    migrate(pg_url)
    prints = [f"{i:064x}" for i in range(12)]
    seen: dict[int, dict[str, int]] = {}
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def replica(n: int) -> None:
        # Each replica its own engine (its own connections), as two API processes would have.
        from sqlalchemy import create_engine

        versions = StyleVersions(create_engine(pg_url, pool_size=2))
        order = prints if n == 0 else list(reversed(prints))
        start.wait()
        try:
            seen[n] = {p: versions.version_of("acme", p, "flux") for p in order}
        except Exception as exc:  # noqa: BLE001 - reported below, a thread's own error is lost
            errors.append(exc)
        finally:
            versions.engine.dispose()

    threads = [threading.Thread(target=replica, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert seen[0] == seen[1]
    assert sorted(seen[0].values()) == list(range(1, len(prints) + 1))
