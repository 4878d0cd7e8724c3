"""What is known about each stored image beyond its pixels: its content credentials, its brand score
and its review. One row per image, written when the job's images are stored.

The schema is owned by the Alembic migrations in `jobs/migrations` (0010, 0011); keep the two in step.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, String, Text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from common.clock import utcnow


class JobImage(SQLModel, table=True):
    __tablename__ = "job_image"
    __table_args__ = (Index("ix_job_image_review", "review", "reviewed_at"),)

    job_id: str = SQLField(primary_key=True, max_length=36)
    idx: int = SQLField(primary_key=True)
    seed: int = SQLField(sa_type=BigInteger)
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))
    # What the signed C2PA manifest says (JSON), or null when the image was stored unsigned.
    credentials: str | None = SQLField(default=None, sa_type=Text)
    # Share of the image near the style's palette, 0..1, and the brand colours found (JSON); null
    # when the style declares no palette.
    brand_score: float | None = None
    brand_colors: str | None = SQLField(default=None, sa_type=Text)
    # The standing review decision ("approved" or "rejected"), null when none stands, with who made
    # it and why (jobs/reviews.py; every decision is also in image_review). `reviewed_at` is the
    # latest decision's time, a take-back's too: a decision made earlier never overwrites a later one.
    review: str | None = SQLField(default=None, sa_type=String(16))
    reviewed_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))
    reviewer_name: str | None = SQLField(default=None, max_length=200)
    review_comment: str | None = SQLField(default=None, sa_type=Text)
    # When retention deleted this image's files while an approved image kept its job (jobs/sweeper.py).
    purged_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))
