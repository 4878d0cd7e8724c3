"""Every review decision on an image, kept as a record of who decided what, when and why.

The schema is owned by the Alembic migration 0011 in `jobs/migrations`; keep the two in step.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from common.clock import utcnow


class ImageReview(SQLModel, table=True):
    __tablename__ = "image_review"
    __table_args__ = (Index("ix_image_review_image", "job_id", "idx", "decided_at"),)

    # A uuid, not a serial: the one-box transfer copies rows with their keys, and a PostgreSQL
    # sequence would not know of the copied ones.
    id: str = SQLField(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    job_id: str = SQLField(max_length=36)
    idx: int
    # "approved", "rejected" or "cleared" (a standing decision taken back).
    decision: str = SQLField(sa_type=String(16))
    reviewer_oid: str = SQLField(max_length=64)
    reviewer_tid: str = SQLField(max_length=64)
    reviewer_name: str = SQLField(max_length=200)
    comment: str | None = SQLField(default=None, sa_type=Text)
    decided_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))
