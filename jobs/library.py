"""The Approved library (every approved image, for everyone signed in) and the reviewers' queue of
images nobody has decided on yet. Both read `job_image` rows (jobs/images.py) with their jobs; no
HTTP here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from common.clock import utcnow
from jobs.brand_schemas import BrandMatch, ContentCredentials, ImageReviewState
from jobs.images import JobImage, image_facts
from jobs.models import Job, JobStatus
from jobs.reviews import APPROVED
from jobs.search import SQLITE_WORDS_FUNCTION, JobFilter, filter_clauses, prompt_words
from storage import ImageStore


class LibraryImage(BaseModel):
    job_id: str
    index: int
    prompt: str
    model: str
    style: str | None
    style_version: int | None = None
    width: int
    height: int
    url: str = Field(description="The PNG, valid until `expires_at`; the link itself is the credential.")
    download_url: str = Field(description="The same PNG as an attachment with a file name.")
    thumbnail_url: str = Field(description="A WebP copy of at most 512 pixels a side.")
    small_thumbnail_url: str = Field(description="A WebP copy of at most 160 pixels a side.")
    expires_at: datetime
    review: ImageReviewState | None = Field(
        description="The standing decision: approved in the library; null in the reviewers' queue.")
    brand: BrandMatch | None = None
    credentials: ContentCredentials | None = None


class LibraryPage(BaseModel):
    items: list[LibraryImage]
    total: int
    limit: int
    offset: int


class Library:
    def __init__(self, engine: Engine, images: ImageStore, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.images = images
        self.clock = clock

    def approved(self, limit: int, offset: int, base_url: str, where: JobFilter | None = None) -> LibraryPage:
        """Every approved image whose files are kept, most recently approved first."""
        where = where or JobFilter()
        wanted = [col(JobImage.review) == APPROVED, *filter_clauses(where, self.engine.dialect.name)]
        order = [col(JobImage.reviewed_at).desc(), col(JobImage.job_id), col(JobImage.idx)]
        return self._page(wanted, order, limit, offset, base_url, searching=where.q is not None)

    def pending(self, limit: int, offset: int, base_url: str) -> LibraryPage:
        """Images of complete jobs, every user's, on which no decision stands; newest jobs first."""
        wanted = [col(JobImage.review).is_(None), col(Job.status) == JobStatus.complete]
        order = [col(Job.created_at).desc(), col(JobImage.job_id), col(JobImage.idx)]
        return self._page(wanted, order, limit, offset, base_url)

    def _page(self, wanted: list, order: list, limit: int, offset: int, base_url: str,
              searching: bool = False) -> LibraryPage:
        # Images retention deleted while an approved sibling kept the job are never listed.
        wanted = [*wanted, col(JobImage.purged_at).is_(None)]
        joined = (JobImage.job_id == Job.id)
        with Session(self.engine) as s:
            if searching and self.engine.dialect.name == "sqlite":
                # SQLite's side of prompt search (jobs/search.py), on the connection this session uses.
                s.connection().connection.driver_connection.create_function(
                    SQLITE_WORDS_FUNCTION, 1, prompt_words, deterministic=True)
            total = s.exec(select(func.count()).select_from(JobImage).join(Job, joined).where(*wanted)).one()
            rows = s.exec(select(JobImage, Job).join(Job, joined).where(*wanted)
                          .order_by(*order).limit(limit).offset(offset)).all()
        now = self.clock()
        expires_at = self.images.link_expires(now)
        items = []
        for image, job in rows:
            links = self.images.image_links(job.id, image.idx, base_url, now)
            items.append(LibraryImage(
                job_id=job.id, index=image.idx, prompt=job.prompt, model=job.model, style=job.style,
                style_version=job.style_version, width=job.width, height=job.height, url=links.url,
                download_url=links.download_url, thumbnail_url=links.thumbnail_url,
                small_thumbnail_url=links.small_thumbnail_url, expires_at=expires_at,
                **image_facts(image)))
        return LibraryPage(items=items, total=total, limit=limit, offset=offset)
