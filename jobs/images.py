"""What is known about each stored image beyond its pixels: its content credentials, its brand score
and its review. One row per image, written when the job's images are stored.

The schema is owned by the Alembic migrations in `jobs/migrations` (0010, 0011); keep the two in step.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import BigInteger, DateTime, Engine, Index, String, Text
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col, select

from brand.score import score_png
from common.clock import utcnow
from jobs.brand_schemas import BrandColor, BrandMatch, ContentCredentials, ImageReviewState

log = logging.getLogger(__name__)


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


def image_row(job_id: str, index: int, seed: int, credentials: ContentCredentials | None,
              brand: BrandMatch | None) -> JobImage:
    """The row of an image just stored, written with the job's completion (JobStore.complete)."""
    return JobImage(
        job_id=job_id, idx=index, seed=seed,
        credentials=credentials.model_dump_json() if credentials else None,
        brand_score=brand.score if brand else None,
        brand_colors=json.dumps([c.model_dump() for c in brand.colors]) if brand else None,
    )


def rows_for(engine: Engine, job_ids: Collection[str]) -> dict[str, dict[int, JobImage]]:
    """The rows of several jobs' images in one query: job id -> image index -> row."""
    found: dict[str, dict[int, JobImage]] = {}
    if not job_ids:
        return found
    with Session(engine, expire_on_commit=False) as s:
        for row in s.exec(select(JobImage).where(col(JobImage.job_id).in_(list(job_ids)))).all():
            found.setdefault(row.job_id, {})[row.idx] = row
    return found


def image_facts(row: JobImage | None) -> dict[str, Any]:
    """ImagePublic's credentials, brand and review from an image's row (all None without one).

    A row that no longer parses (written by another version) shows as nothing rather than failing
    the whole job view."""
    if row is None:
        return {"credentials": None, "brand": None, "review": None}
    credentials = brand = None
    try:
        if row.credentials:
            credentials = ContentCredentials.model_validate_json(row.credentials)
        if row.brand_score is not None:
            colors = [BrandColor.model_validate(c) for c in json.loads(row.brand_colors or "[]")]
            brand = BrandMatch(score=row.brand_score, colors=colors)
    except (ValidationError, ValueError):
        log.warning("job %s image %d: its stored credentials or brand match do not parse", row.job_id, row.idx)
    return {"credentials": credentials, "brand": brand, "review": ImageReviewState.of(row)}


def brand_match(png: bytes, palette: list[str] | None) -> BrandMatch | None:
    """How much of the image is in the style's palette (brand/score.py); None without a palette. A
    scoring failure is logged and leaves the score empty: it never costs the job its images."""
    if not palette:
        return None
    try:
        return score_png(png, palette)
    except Exception:  # noqa: BLE001
        log.exception("could not score an image against the palette %s", palette)
        return None
