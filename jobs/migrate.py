"""The migrate step: `python -m jobs.migrate` brings the database (BAG_DATABASE_URL) up to this
version's schema, once, before API replicas start with BAG_MIGRATE_ON_START=false.

Safe to run again (nothing to do) and from several places at once on PostgreSQL (they take turns
on an advisory lock). Exits 0 when the schema is current, 1 with the reason when it is not.
"""

from __future__ import annotations

import sys

from sqlalchemy.engine import make_url

from jobs.db import migrate, schema_revisions
from settings import get_settings


def main() -> int:
    url = get_settings().sqlalchemy_url
    where = make_url(url).render_as_string(hide_password=True)
    try:
        before = migrate(url)
        after, head = schema_revisions(url)
    except Exception as exc:  # noqa: BLE001 - the operator needs the reason, not a traceback
        print(f"migrate: failed on {where}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if after != head:
        print(f"migrate: {where} is at {after}, expected {head}", file=sys.stderr)
        return 1
    change = "already current" if before == after else f"{before or 'empty'} -> {after}"
    print(f"migrate: {where} at revision {after} ({change})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
