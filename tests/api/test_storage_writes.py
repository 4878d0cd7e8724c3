"""Storing a finished job's images: thumbnails made once at completion, writes retried with backoff
while storage is down, and a job whose images cannot be stored requeued, then failed saying why."""

from __future__ import annotations

import io
from collections import Counter

from fastapi.testclient import TestClient
from PIL import Image

from jobs.dispatcher import STORAGE_FAILED_REASON
from storage import THUMBNAIL_WIDTHS, image_key, thumbnail_key
from storage.errors import StorageUnavailable
from tests.api.conftest import ALICE, wait_status
from tests.fake_runner import FakeRunner


def flaky_put(client: TestClient, failures_per_key: int | None) -> Counter:
    """Make every write fail `failures_per_key` times (None: for ever) before it goes through."""
    services = client.app.state.services
    services.dispatcher.storage_retry_initial_seconds = 0.01
    images = services.images
    real_put, tries = images.put, Counter()

    def put(key: str, data: bytes) -> None:
        tries[key] += 1
        if failures_per_key is None or tries[key] <= failures_per_key:
            raise StorageUnavailable()
        real_put(key, data)

    images.put = put
    return tries


def submit(client: TestClient, **body: object) -> str:
    answer = client.post("/generate", json={"prompt": "a red bicycle", "num_images": 2, **body}, headers=ALICE)
    assert answer.status_code == 202, answer.text
    return answer.json()["job_id"]


def test_thumbnails_are_stored_beside_the_pngs_when_the_job_completes(client: TestClient) -> None:
    job_id = submit(client, width=512, height=256)
    wait_status(client, job_id, "complete")
    images = client.app.state.services.images
    for index in range(2):
        assert images.get(image_key(job_id, index)).startswith(b"\x89PNG")
        for width in THUMBNAIL_WIDTHS:
            with Image.open(io.BytesIO(images.get(thumbnail_key(job_id, index, width)))) as thumb:
                assert thumb.format == "WEBP" and max(thumb.size) == width


def test_writes_are_retried_while_storage_is_down(make_client, runner: FakeRunner) -> None:  # noqa: ANN001
    client = make_client(storage_write_attempts=4)
    tries = flaky_put(client, failures_per_key=2)
    job_id = submit(client)
    job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 1 and runner.rendered.count(job_id) == 1  # rendered once, stored on retry
    assert tries[image_key(job_id, 0)] == 3 and tries[thumbnail_key(job_id, 1, 160)] == 3
    assert len(tries) == 2 * (1 + len(THUMBNAIL_WIDTHS))


def test_a_job_whose_images_cannot_be_stored_is_requeued_then_failed_with_the_reason(
        make_client, runner: FakeRunner) -> None:  # noqa: ANN001
    client = make_client(storage_write_attempts=2, max_attempts=2)
    tries = flaky_put(client, failures_per_key=None)
    job_id = submit(client)
    job = wait_status(client, job_id, "failed")
    assert job["error"] == STORAGE_FAILED_REASON.format(n=2)
    assert job["attempts"] == 2 and runner.rendered.count(job_id) == 2  # queued again once, then given up
    assert tries[image_key(job_id, 0)] == 2 * 2  # two tries in each of the two runs
    assert job["images"] == []
