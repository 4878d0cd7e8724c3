"""Retention with approvals, on an injected clock: an approved image outlives the retention period
with its job, the job's other images go, and once no approval stands the job goes at the next pass."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from jobs import sweeper
from jobs.db import make_engine, migrate
from jobs.errors import ImageNotFound
from jobs.library import Library
from jobs.reviews import ReviewService, withdraw
from jobs.store import JobStore
from jobs.sweeper import sweep
from jobs.transfer import transfer
from settings import Settings
from storage import LinkSigner, StorageUnavailable, image_key, thumbnail_key
from storage.local import LocalImageStore
from tests.jobs.test_reviews import RITA, T0, Clock, add_job, approve, reject, row

DAY = timedelta(days=1)


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
def images(tmp_path: Path) -> LocalImageStore:
    return LocalImageStore(tmp_path / "images", LinkSigner(b"k" * 32, 3600))


def stored_job(store: JobStore, images: LocalImageStore, count: int = 3, **fields) -> str:  # noqa: ANN003
    job = add_job(store, images=count, **fields)
    for i in range(count):
        images.put(image_key(job.id, i), b"png")
        images.put(thumbnail_key(job.id, i, 160), b"webp")
        images.put(thumbnail_key(job.id, i, 512), b"webp")
    return job.id


def files_of(images: LocalImageStore, job_id: str, index: int) -> list[bytes | None]:
    return [images.get(image_key(job_id, index)), images.get(thumbnail_key(job_id, index, 160)),
            images.get(thumbnail_key(job_id, index, 512))]


def test_an_approved_image_survives_past_retention_and_the_unapproved_go(
        store: JobStore, images: LocalImageStore, reviews: ReviewService) -> None:
    kept = stored_job(store, images)
    plain = stored_job(store, images)
    reviews.decide(RITA, kept, 1, approve())
    reviews.decide(RITA, kept, 2, reject())
    assert sweep(store, images, T0 + 29 * DAY, retention_days=30) == 0
    assert sweep(store, images, T0 + 31 * DAY, retention_days=30) == 1
    assert store.get(plain) is None and files_of(images, plain, 0) == [None, None, None]
    # The approved image, its thumbnails and its job stay; the job's other images are deleted.
    assert store.get(kept) is not None
    assert files_of(images, kept, 1) == [b"png", b"webp", b"webp"]
    assert files_of(images, kept, 0) == files_of(images, kept, 2) == [None, None, None]
    assert row(store, kept, 0).purged_at is not None and row(store, kept, 2).purged_at is not None
    assert row(store, kept, 1).purged_at is None
    # A year on, still there.
    assert sweep(store, images, T0 + 365 * DAY, retention_days=30) == 0
    assert store.get(kept) is not None and images.get(image_key(kept, 1)) == b"png"


def test_an_image_taken_back_goes_at_the_next_pass(
        store: JobStore, images: LocalImageStore, reviews: ReviewService, clock: Clock) -> None:
    job_id = stored_job(store, images)
    reviews.decide(RITA, job_id, 0, approve())
    assert sweep(store, images, T0 + 40 * DAY, retention_days=30) == 0
    clock.now = T0 + 41 * DAY
    reviews.clear(RITA, job_id, 0)
    assert sweep(store, images, T0 + 42 * DAY, retention_days=30) == 1
    assert store.get(job_id) is None and files_of(images, job_id, 0) == [None, None, None]


def test_a_rejected_image_does_not_keep_its_job(
        store: JobStore, images: LocalImageStore, reviews: ReviewService, clock: Clock) -> None:
    job_id = stored_job(store, images)
    reviews.decide(RITA, job_id, 0, approve())
    clock.now = T0 + DAY
    reviews.decide(RITA, job_id, 0, reject("on second thought, off-brand"))
    assert sweep(store, images, T0 + 31 * DAY, retention_days=30) == 1
    assert store.get(job_id) is None


def test_the_library_never_lists_what_retention_deleted(
        store: JobStore, images: LocalImageStore, reviews: ReviewService, clock: Clock) -> None:
    job_id = stored_job(store, images)
    reviews.decide(RITA, job_id, 0, approve())
    sweep(store, images, T0 + 31 * DAY, retention_days=30)
    library = Library(store.engine, images, clock=clock)
    assert [(i.job_id, i.index) for i in library.approved(10, 0, "http://x").items] == [(job_id, 0)]
    assert library.pending(10, 0, "http://x").total == 0  # the purged images are not waiting for review
    # A purged image can no longer be approved: its files are gone.
    clock.now = T0 + 32 * DAY
    with pytest.raises(ImageNotFound):
        reviews.decide(RITA, job_id, 1, approve())


def test_an_image_whose_files_storage_could_not_delete_is_purged_at_a_later_pass(
        store: JobStore, images: LocalImageStore, reviews: ReviewService, monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = stored_job(store, images, count=2)
    reviews.decide(RITA, job_id, 0, approve())

    def out(*_: object) -> int:
        raise StorageUnavailable()

    with monkeypatch.context() as patched:
        patched.setattr(images, "delete_image", out)
        sweep(store, images, T0 + 31 * DAY, retention_days=30)
    assert row(store, job_id, 1).purged_at is None  # not marked gone while its files are still there
    sweep(store, images, T0 + 31 * DAY, retention_days=30)
    assert row(store, job_id, 1).purged_at is not None and images.get(image_key(job_id, 1)) is None


def test_an_image_approved_after_the_sweep_picked_its_job_keeps_the_job(
        store: JobStore, images: LocalImageStore, reviews: ReviewService, monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = stored_job(store, images, count=2)
    picked = iter([[job_id]])  # the job as the sweep picked it, before the approval landed
    monkeypatch.setattr(sweeper, "_unkept_before", lambda *_: next(picked, []))
    reviews.decide(RITA, job_id, 1, approve())
    assert sweep(store, images, T0 + 31 * DAY, retention_days=30) == 0
    assert store.get(job_id) is not None and files_of(images, job_id, 1) == [b"png", b"webp", b"webp"]
    assert files_of(images, job_id, 0) == [None, None, None]  # purged beside the approved image


def test_an_approval_after_the_sweep_withdrew_the_job_is_refused(
        store: JobStore, images: LocalImageStore, reviews: ReviewService) -> None:
    job_id = stored_job(store, images, count=2)
    assert withdraw(store.engine, job_id, T0 + 31 * DAY)  # the sweep, between marking and deleting
    with pytest.raises(ImageNotFound):
        reviews.decide(RITA, job_id, 0, approve())
    reviews.decide(RITA, (other := stored_job(store, images, count=1)), 0, approve())
    assert not withdraw(store.engine, other, T0 + 31 * DAY)  # an approved image: nothing marked
    assert row(store, other, 0).purged_at is None


def test_a_job_whose_files_storage_could_not_delete_stays_as_it_was(
        store: JobStore, images: LocalImageStore, reviews: ReviewService, monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = stored_job(store, images, count=1)

    def out(*_: object) -> int:
        raise StorageUnavailable()

    with monkeypatch.context() as patched:
        patched.setattr(images, "delete_job", out)
        assert sweep(store, images, T0 + 31 * DAY, retention_days=30) == 0
    assert row(store, job_id, 0).purged_at is None  # shown and reviewable until a pass deletes it
    assert reviews.decide(RITA, job_id, 0, approve()).decision == "approved"


def test_the_one_box_transfer_does_not_look_for_images_retention_deleted(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'box' / 'jobs.db'}"
    migrate(source)
    box_store = JobStore(make_engine(source))
    box_images = LocalImageStore(tmp_path / "box" / "images", LinkSigner(b"k" * 32, 3600))
    job_id = stored_job(box_store, box_images, count=2)
    ReviewService(box_store.engine, clock=Clock(T0)).decide(RITA, job_id, 1, approve())
    sweep(box_store, box_images, T0 + 31 * DAY, retention_days=30)
    assert box_images.get(image_key(job_id, 0)) is None
    target = Settings(_env_file=None, data_dir=tmp_path / "new", link_secret="s" * 32,
                      database_url=f"sqlite:///{tmp_path / 'new' / 'jobs.db'}")
    report = transfer(source, tmp_path / "box" / "images", target, say=lambda _: None)
    assert report.problems == []
    assert LocalImageStore(tmp_path / "new" / "images", LinkSigner(b"k" * 32, 3600)).get(image_key(job_id, 1)) == b"png"
