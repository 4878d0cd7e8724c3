"""Brand style versions: each new adapter file for a style is a new version, numbered from 1.

The schema is owned by the Alembic migration 0012 in `jobs/migrations`; keep the two in step.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

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
