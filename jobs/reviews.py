"""Review decisions on images: a reviewer approves or rejects an image, with a comment, or takes the
standing decision back. An image's standing decision sits on its `job_image` row (jobs/images.py),
which the job view and the Approved library (jobs/library.py) read; every decision, take-backs
included, is also kept as a row of its own here: who (Entra oid and tid, and the name shown), when,
what and why. Those rows are never changed, and stay when the job is deleted, like the audit log.

Who may decide is the caller's to check (api/deps.py `ReviewerUser`); this module knows nothing of
HTTP. The schema is owned by the Alembic migration 0011 in `jobs/migrations`; keep the two in step.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import DateTime, Engine, Index, String, Text, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col, select

from common.clock import aware, utcnow
from common.text import MultiLine
from jobs.brand_schemas import ImageReviewState
from jobs.errors import DomainError, ImageNotFound, JobNotFound
from jobs.images import JobImage
from jobs.models import Job, JobStatus

APPROVED = "approved"
REJECTED = "rejected"
CLEARED = "cleared"
# Room for a reason and a reference or two; the web app counts against the same bound.
MAX_COMMENT = 1000


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


class ReviewRequest(BaseModel):
    """A reviewer's decision on one image. Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approved", "rejected"]
    comment: Annotated[str, MultiLine(MAX_COMMENT)] | None = Field(
        default=None, description=f"Why, for the record and the image's owner; at most {MAX_COMMENT} characters.")

    @field_validator("comment")
    @classmethod
    def blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class ReviewRecord(BaseModel):
    """One decision as it was made; `cleared` takes the standing decision back."""

    decision: Literal["approved", "rejected", "cleared"]
    reviewer_name: str
    comment: str | None = None
    decided_at: datetime


class Reviewer(Protocol):
    """Whoever decides or reads: keyed by Entra oid and tid; the name is what others are shown."""

    @property
    def oid(self) -> str: ...

    @property
    def tid(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str: ...

    @property
    def can_review(self) -> bool: ...


class NotReviewable(DomainError):
    code = "job_not_complete"

    def __init__(self, status: str) -> None:
        super().__init__(f"Only the images of a complete job can be reviewed (this job is {status}).")


class JobHasApprovedImages(DomainError):
    code = "job_has_approved_images"

    def __init__(self) -> None:
        super().__init__("An image of this job is approved for the Approved library, so the job is kept; "
                         "ask a reviewer to take the approval back first.")


def may_read_any_job(user: object) -> bool:
    """Reviewers may read every user's job (read only), so a review can be done from its page."""
    return bool(getattr(user, "can_review", False))


def shown_name(reviewer: Reviewer) -> str:
    return (reviewer.name or reviewer.email or reviewer.oid)[:200]


def kept_indexes(job: Job, rows: Mapping[int, JobImage]) -> list[int]:
    """The job's images whose files are kept: all but those retention deleted beside an approved one."""
    return [i for i in range(job.images_stored) if (row := rows.get(i)) is None or row.purged_at is None]


def withdraw(engine: Engine, job_id: str, now: datetime) -> bool:
    """Before a job's files are deleted: mark its images purged, so no decision lands on them any
    more; False, marking nothing, when an image of it stands approved (the job is kept).

    One transaction, each row's mark conditional on the row: an approval racing the deletion either
    commits first (seen here, the job is kept) or finds its image purged (ImageNotFound), never an
    approval standing on files that are gone."""
    with Session(engine) as s:
        s.exec(update(JobImage)
               .where(col(JobImage.job_id) == job_id, col(JobImage.purged_at).is_(None),
                      or_(col(JobImage.review).is_(None), col(JobImage.review) != APPROVED))
               .values(purged_at=now))
        if s.exec(select(JobImage.idx).where(col(JobImage.job_id) == job_id,
                                            col(JobImage.review) == APPROVED)).first() is not None:
            s.rollback()
            return False
        s.commit()
    return True


def unwithdraw(engine: Engine, job_id: str, marked_at: datetime) -> None:
    """Undo `withdraw(engine, job_id, marked_at)` when the files could not be deleted (storage
    out): the job is shown and reviewable as before; images purged earlier stay purged."""
    with Session(engine) as s:
        s.exec(update(JobImage).where(col(JobImage.job_id) == job_id, col(JobImage.purged_at) == marked_at)
               .values(purged_at=None))
        s.commit()


class ReviewService:
    """`on_change(job_id)` is told after a decision changes what a job's images say (caches drop it)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow,
                 on_change: Callable[[str], None] | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.on_change = on_change or (lambda _job_id: None)

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def decide(self, reviewer: Reviewer, job_id: str, index: int, request: ReviewRequest) -> ImageReviewState:
        now = self.clock()
        name = shown_name(reviewer)
        try:
            self._decide(reviewer, job_id, index, request, now, name)
        except IntegrityError:
            # Two first decisions on a job written before its images had rows both added them: the
            # other's rows are there now, so this one goes through on the second try.
            self._decide(reviewer, job_id, index, request, now, name)
        self.on_change(job_id)
        return ImageReviewState(decision=request.decision, reviewer_name=name, comment=request.comment,
                                decided_at=aware(now))

    def _decide(self, reviewer: Reviewer, job_id: str, index: int, request: ReviewRequest, now: datetime,
                name: str) -> None:
        with self._session() as s:
            job = self._reviewable(s, job_id, index)
            self._add_missing_rows(s, job)
            # Only over an older decision: of two made at once, the later one stands whichever commits
            # last, as the history orders them. Never on an image retention has deleted.
            changed = s.exec(
                update(JobImage)
                .where(col(JobImage.job_id) == job_id, col(JobImage.idx) == index, col(JobImage.purged_at).is_(None),
                       or_(col(JobImage.reviewed_at).is_(None), col(JobImage.reviewed_at) <= now))
                .values(review=request.decision, reviewed_at=now, reviewer_name=name,
                        review_comment=request.comment)
            ).rowcount
            if not changed:
                row = s.get(JobImage, (job_id, index))
                if row is None or row.purged_at is not None:
                    raise ImageNotFound()
            s.add(ImageReview(job_id=job_id, idx=index, decision=request.decision, reviewer_oid=reviewer.oid,
                              reviewer_tid=reviewer.tid, reviewer_name=name, comment=request.comment,
                              decided_at=now))
            s.commit()

    def clear(self, reviewer: Reviewer, job_id: str, index: int) -> None:
        """Take the standing decision back (recorded as `cleared`); nothing standing, nothing to do."""
        now = self.clock()
        with self._session() as s:
            self._reviewable(s, job_id, index)
            changed = s.exec(
                update(JobImage)
                .where(col(JobImage.job_id) == job_id, col(JobImage.idx) == index,
                       col(JobImage.review).is_not(None), col(JobImage.reviewed_at) <= now)
                .values(review=None, reviewed_at=now, reviewer_name=None, review_comment=None)
            ).rowcount
            if not changed:
                return
            s.add(ImageReview(job_id=job_id, idx=index, decision=CLEARED, reviewer_oid=reviewer.oid,
                              reviewer_tid=reviewer.tid, reviewer_name=shown_name(reviewer), decided_at=now))
            s.commit()
        self.on_change(job_id)

    def history(self, viewer: Reviewer, job_id: str, index: int) -> list[ReviewRecord]:
        """Every decision on the image, newest first: for the job's owner and for reviewers."""
        with self._session() as s:
            job = s.get(Job, job_id)
            mine = job is not None and job.owner_oid == viewer.oid and job.owner_tid == viewer.tid
            if job is None or not (mine or viewer.can_review):
                raise JobNotFound()
            if not 0 <= index < job.images_stored:
                raise ImageNotFound()
            rows = s.exec(select(ImageReview)
                          .where(col(ImageReview.job_id) == job_id, col(ImageReview.idx) == index)
                          .order_by(col(ImageReview.decided_at).desc(), col(ImageReview.id).desc())).all()
        return [ReviewRecord(decision=r.decision, reviewer_name=r.reviewer_name, comment=r.comment,  # type: ignore[arg-type]
                             decided_at=aware(r.decided_at)) for r in rows]

    @staticmethod
    def _reviewable(s: Session, job_id: str, index: int) -> Job:
        job = s.get(Job, job_id)
        if job is None:
            raise JobNotFound()
        if job.status != JobStatus.complete:
            raise NotReviewable(job.status)
        if not 0 <= index < job.images_stored:
            raise ImageNotFound()
        return job

    @staticmethod
    def _add_missing_rows(s: Session, job: Job) -> None:
        """Jobs completed before images had rows (migration 0010) get them at their first decision:
        retention then knows each image apart (jobs/sweeper.py)."""
        have = set(s.exec(select(JobImage.idx).where(col(JobImage.job_id) == job.id)).all())
        made = job.finished_at or job.created_at
        missing = [JobImage(job_id=job.id, idx=i, seed=job.seed + i, created_at=made)
                   for i in range(job.images_stored) if i not in have]
        if missing:
            s.add_all(missing)
            s.flush()
