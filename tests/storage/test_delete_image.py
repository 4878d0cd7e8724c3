"""Deleting one image of a job, on every image store (local disk, and Azure Blob Storage on Azurite):
retention keeps an approved image and deletes the job's others (jobs/sweeper.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import image_key, thumbnail_key
from tests.storage.conftest import Backend
from tests.storage.test_contract import png, store_job


def test_deleting_an_image_takes_its_thumbnails_and_leaves_the_others(backend: Backend) -> None:
    job_id, data = store_job(backend, images=2)
    for index in (0, 1):
        for width in (160, 512):
            backend.store.put(thumbnail_key(job_id, index, width), png(16, 16, seed=index))
    assert backend.store.delete_image(job_id, 0) == 3
    assert [backend.store.get(key) for key in (image_key(job_id, 0), thumbnail_key(job_id, 0, 160),
                                               thumbnail_key(job_id, 0, 512))] == [None, None, None]
    assert backend.store.get(image_key(job_id, 1)) == data[1]
    assert backend.store.get(thumbnail_key(job_id, 1, 160)) is not None
    # The kept image's link still serves it; the deleted one's is gone.
    now = datetime.now(UTC)
    assert backend.fetch(backend.links(job_id, 1, now).url).content == data[1]
    assert backend.fetch(backend.links(job_id, 0, now).url).status_code == 404


def test_deleting_what_is_already_gone_is_no_error(backend: Backend) -> None:
    job_id, _ = store_job(backend, images=1)  # no thumbnails made yet
    assert backend.store.delete_image(job_id, 0) == 1
    assert backend.store.delete_image(job_id, 0) == 0
    assert backend.store.delete_image(job_id, 5) == 0
