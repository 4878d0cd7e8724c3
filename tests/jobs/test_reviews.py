"""Review decisions, their history, and the Approved library, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlmodel import Session, col, select

from common.clock import aware
from jobs.db import make_engine, migrate
from jobs.errors import ImageNotFound, JobNotFound
from jobs.images import JobImage
from jobs.library import Library
from jobs.models import Job, JobStatus
from jobs.reviews import ImageReview, NotReviewable, ReviewRequest, ReviewService
from jobs.search import JobFilter
from jobs.store import JobStore
from storage import LinkSigner
from storage.local import LocalImageStore

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    oid: str
    tid: str = "tenant"
    name: str = ""
    email: str = ""
    can_review: bool = False


RITA = Person("rita-oid", name="Rita Reviewer", can_review=True)
RAJ = Person("raj-oid", name="Raj Reviewer", can_review=True)
ALICE = Person("alice-oid", name="Alice")
BOB = Person("bob-oid", name="Bob")


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(db_url: str) -> JobStore:
    migrate(db_url)
    return JobStore(make_engine(db_url))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def reviews(store: JobStore, clock: Clock) -> ReviewService:
    return ReviewService(store.engine, clock=clock)


@pytest.fixture
def library(store: JobStore, tmp_path: Path, clock: Clock) -> Library:
    images = LocalImageStore(tmp_path / "images", LinkSigner(b"k" * 32, 3600))
    return Library(store.engine, images, clock=clock)


def add_job(store: JobStore, owner: Person = ALICE, status: JobStatus = JobStatus.complete, images: int = 4,
            rows: bool = True, prompt: str = "a red bicycle", style: str | None = None,
            created_at: datetime = T0) -> Job:
    """A job as the dispatcher leaves it; `rows`: with its images' rows (written since migration 0010)."""
    job = store.add(Job(owner_oid=owner.oid, owner_tid=owner.tid, prompt=prompt, model="demo", style=style,
                        width=256, height=256, num_images=images, steps=2, guidance=0.0, seed=100, status=status,
                        images_stored=images if status == JobStatus.complete else 0, created_at=created_at,
                        finished_at=created_at + timedelta(seconds=5) if status.is_terminal else None))
    if rows and status == JobStatus.complete:
        with Session(store.engine) as s:
            s.add_all([JobImage(job_id=job.id, idx=i, seed=100 + i) for i in range(images)])
            s.commit()
    return job


def row(store: JobStore, job_id: str, index: int) -> JobImage:
    with Session(store.engine) as s:
        found = s.get(JobImage, (job_id, index))
    assert found is not None
    return found


def approve(comment: str | None = None) -> ReviewRequest:
    return ReviewRequest(decision="approved", comment=comment)


def reject(comment: str | None = None) -> ReviewRequest:
    return ReviewRequest(decision="rejected", comment=comment)


def test_a_decision_stands_on_the_image_and_is_recorded_with_who_when_and_why(
        store: JobStore, reviews: ReviewService, clock: Clock) -> None:
    job = add_job(store)
    state = reviews.decide(RITA, job.id, 2, approve("On brand; use for the spring campaign."))
    assert (state.decision, state.reviewer_name, state.comment) == ("approved", "Rita Reviewer",
                                                                   "On brand; use for the spring campaign.")
    assert state.decided_at == T0
    image = row(store, job.id, 2)
    assert (image.review, image.reviewer_name, image.review_comment) == ("approved", "Rita Reviewer",
                                                                         "On brand; use for the spring campaign.")
    assert row(store, job.id, 1).review is None
    with Session(store.engine) as s:
        (record,) = s.exec(select(ImageReview)).all()
    assert (record.job_id, record.idx, record.decision) == (job.id, 2, "approved")
    assert (record.reviewer_oid, record.reviewer_tid, record.reviewer_name) == ("rita-oid", "tenant", "Rita Reviewer")


def test_history_lists_every_decision_newest_first_including_take_backs(
        store: JobStore, reviews: ReviewService, clock: Clock) -> None:
    job = add_job(store)
    reviews.decide(RITA, job.id, 0, approve("good"))
    clock.now = T0 + timedelta(minutes=1)
    reviews.clear(RAJ, job.id, 0)
    clock.now = T0 + timedelta(minutes=2)
    reviews.decide(RAJ, job.id, 0, reject("off-palette"))
    history = reviews.history(ALICE, job.id, 0)
    assert [(r.decision, r.reviewer_name, r.comment) for r in history] == [
        ("rejected", "Raj Reviewer", "off-palette"), ("cleared", "Raj Reviewer", None), ("approved", "Rita Reviewer", "good")]
    assert [r.decided_at for r in history] == [T0 + timedelta(minutes=2), T0 + timedelta(minutes=1), T0]
    assert row(store, job.id, 0).review == "rejected"


def test_clearing_takes_the_decision_back_and_nothing_standing_records_nothing(
        store: JobStore, reviews: ReviewService, clock: Clock) -> None:
    job = add_job(store)
    reviews.clear(RITA, job.id, 0)
    assert reviews.history(RITA, job.id, 0) == []
    reviews.decide(RITA, job.id, 0, approve())
    clock.now += timedelta(seconds=1)
    reviews.clear(RITA, job.id, 0)
    image = row(store, job.id, 0)
    assert (image.review, image.reviewer_name, image.review_comment) == (None, None, None)
    assert [r.decision for r in reviews.history(RITA, job.id, 0)] == ["cleared", "approved"]


def test_a_decision_made_earlier_never_overwrites_a_later_one(
        store: JobStore, reviews: ReviewService, clock: Clock) -> None:
    # Two reviewers at once: the one decided later stands, whichever commits last.
    job = add_job(store)
    clock.now = T0 + timedelta(seconds=10)
    reviews.decide(RAJ, job.id, 0, reject())
    clock.now = T0
    reviews.decide(RITA, job.id, 0, approve())
    assert row(store, job.id, 0).review == "rejected"
    assert [r.decision for r in reviews.history(RITA, job.id, 0)] == ["rejected", "approved"]


def test_deciding_on_what_does_not_exist_or_is_not_complete_is_refused(
        store: JobStore, reviews: ReviewService) -> None:
    with pytest.raises(JobNotFound):
        reviews.decide(RITA, str(uuid.uuid4()), 0, approve())
    running = add_job(store, status=JobStatus.running)
    with pytest.raises(NotReviewable):
        reviews.decide(RITA, running.id, 0, approve())
    two = add_job(store, images=2)
    with pytest.raises(ImageNotFound):
        reviews.decide(RITA, two.id, 2, approve())
    with Session(store.engine) as s:
        assert s.exec(select(ImageReview)).all() == []


def test_the_first_decision_on_a_job_stored_before_image_rows_adds_a_row_per_image(
        store: JobStore, reviews: ReviewService) -> None:
    job = add_job(store, images=3, rows=False)
    reviews.decide(RITA, job.id, 1, approve())
    with Session(store.engine) as s:
        rows = s.exec(select(JobImage).where(col(JobImage.job_id) == job.id).order_by(col(JobImage.idx))).all()
    assert [(r.idx, r.seed, r.review) for r in rows] == [(0, 100, None), (1, 101, "approved"), (2, 102, None)]


def test_only_the_owner_and_reviewers_read_the_history(store: JobStore, reviews: ReviewService) -> None:
    job = add_job(store)
    reviews.decide(RITA, job.id, 0, approve())
    assert len(reviews.history(ALICE, job.id, 0)) == 1
    assert len(reviews.history(RAJ, job.id, 0)) == 1
    with pytest.raises(JobNotFound):
        reviews.history(BOB, job.id, 0)


def test_comments_follow_the_text_rules_and_a_length_bound() -> None:
    assert ReviewRequest(decision="approved", comment="  ").comment is None
    assert ReviewRequest(decision="rejected", comment=" Logo too small.\nRedo. ").comment == "Logo too small.\nRedo."
    assert len(ReviewRequest(decision="approved", comment="x" * 1000).comment or "") == 1000
    for bad in ("x" * 1001, "bad\x00byte", "\ud800"):
        with pytest.raises(ValidationError):
            ReviewRequest(decision="approved", comment=bad)
    with pytest.raises(ValidationError):
        ReviewRequest(decision="cleared")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        ReviewRequest.model_validate({"decision": "approved", "score": 5})


def test_the_library_lists_approved_images_only_and_hides_rejected_ones(
        store: JobStore, reviews: ReviewService, library: Library, clock: Clock) -> None:
    mine = add_job(store, prompt="sunny beach at dawn", style="sample-bold")
    theirs = add_job(store, owner=BOB, prompt="mountain lake", created_at=T0 + timedelta(hours=1))
    reviews.decide(RITA, mine.id, 1, approve("hero image"))
    reviews.decide(RITA, mine.id, 2, reject("off-palette"))
    clock.now += timedelta(minutes=1)
    reviews.decide(RAJ, theirs.id, 0, approve())
    page = library.approved(10, 0, "http://testserver")
    assert page.total == 2
    assert [(i.job_id, i.index) for i in page.items] == [(theirs.id, 0), (mine.id, 1)]  # latest approval first
    item = page.items[1]
    assert (item.prompt, item.style, item.review.decision, item.review.comment) == (
        "sunny beach at dawn", "sample-bold", "approved", "hero image")
    assert item.url.startswith(f"http://testserver/images/{mine.id}/1.png?")
    assert library.approved(10, 0, "http://x", JobFilter(q="sun bea")).total == 1
    assert library.approved(10, 0, "http://x", JobFilter(style="sample-bold")).total == 1
    assert library.approved(10, 0, "http://x", JobFilter(model="other")).total == 0
    # Taken back: gone from the library.
    clock.now += timedelta(minutes=1)
    reviews.clear(RITA, mine.id, 1)
    assert [(i.job_id, i.index) for i in library.approved(10, 0, "http://x").items] == [(theirs.id, 0)]


def test_pending_lists_undecided_images_of_complete_jobs_of_every_user(
        store: JobStore, reviews: ReviewService, library: Library) -> None:
    older = add_job(store, images=2)
    newer = add_job(store, owner=BOB, images=1, created_at=T0 + timedelta(hours=1))
    add_job(store, status=JobStatus.failed)
    reviews.decide(RITA, older.id, 0, reject())
    page = library.pending(10, 0, "http://x")
    assert page.total == 2
    assert [(i.job_id, i.index, i.review) for i in page.items] == [(newer.id, 0, None), (older.id, 1, None)]


def test_reviewers_deciding_at_once_leave_the_latest_decision_standing_and_every_one_recorded(
        store: JobStore) -> None:
    job = add_job(store, rows=False)  # the first decisions also race to add the image rows
    decisions = [("approved" if n % 2 else "rejected", T0 + timedelta(seconds=n)) for n in range(8)]
    start = threading.Barrier(len(decisions))

    def decide(decision: str, at: datetime) -> None:
        start.wait()
        ReviewService(store.engine, clock=Clock(at)).decide(RITA, job.id, 0, ReviewRequest(decision=decision))

    threads = [threading.Thread(target=decide, args=d) for d in decisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latest, at = decisions[-1]
    assert (row(store, job.id, 0).review, aware(row(store, job.id, 0).reviewed_at)) == (latest, at)
    assert len(ReviewService(store.engine).history(RITA, job.id, 0)) == len(decisions)
