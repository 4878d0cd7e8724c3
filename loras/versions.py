"""Brand style versions: each new adapter file for a style is a new version, numbered from 1.

The schema is owned by the Alembic migration 0012 in `jobs/migrations`; keep the two in step.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Engine, UniqueConstraint, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, select

from common.clock import utcnow


class StyleVersion(SQLModel, table=True):
    __tablename__ = "style_version"
    __table_args__ = (UniqueConstraint("style", "fingerprint", name="uq_style_version_fingerprint"),)

    style: str = SQLField(primary_key=True, max_length=64)
    version: int = SQLField(primary_key=True)
    # sha256 of the adapter file, hex.
    fingerprint: str = SQLField(max_length=64)
    family: str = SQLField(max_length=16)
    first_seen: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))


# Two replicas seeing a new adapter at once both pick max + 1: one insert wins, the other hits the
# primary key (or the fingerprint's unique key) and reads again. Few tries suffice: each loss means
# another writer just succeeded.
_INSERT_TRIES = 8


class StyleVersions:
    """Numbers each (style, adapter fingerprint) the runners report, in the database, so every API
    replica gives the same adapter the same version."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # (style, fingerprint) -> version: a version never changes once numbered.
        self._known: dict[tuple[str, str], int] = {}

    def version_of(self, style: str, fingerprint: str, family: str) -> int:
        """The version of this adapter file of the style, numbering it now if it is new."""
        key = (style, fingerprint)
        if (known := self._known.get(key)) is not None:
            return known
        for _ in range(_INSERT_TRIES):
            with Session(self.engine) as session:
                found = session.exec(select(StyleVersion.version).where(
                    StyleVersion.style == style, StyleVersion.fingerprint == fingerprint)).first()
                if found is not None:
                    self._known[key] = found
                    return found
                latest = session.exec(select(func.max(StyleVersion.version)).where(StyleVersion.style == style)).one()
                version = (latest or 0) + 1
                session.add(StyleVersion(style=style, version=version, fingerprint=fingerprint, family=family))
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
                    continue
            self._known[key] = version
            return version
        raise RuntimeError(f"could not number a new version of style {style!r}: too many concurrent writers")

    def history(self, style: str) -> list[StyleVersion]:
        """Every version of a style, oldest first."""
        with Session(self.engine) as session:
            return list(session.exec(select(StyleVersion).where(StyleVersion.style == style)
                                     .order_by(StyleVersion.version)))
