"""A storage outage answers 503 with Retry-After in the error envelope, and loses nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from jobs.models import utcnow
from jobs.sweeper import sweep
from storage import StorageUnavailable
from tests.api.conftest import ALICE, wait_status


def submit(client: TestClient) -> dict:
    answer = client.post("/generate", json={"prompt": "a red bicycle", "num_images": 2}, headers=ALICE)
    assert answer.status_code == 202, answer.text
    return wait_status(client, answer.json()["job_id"], "complete")


def storage_down(monkeypatch: pytest.MonkeyPatch, client: TestClient) -> None:
    def down(*_: object, **__: object) -> None:
        raise StorageUnavailable()

    for name in ("get", "size", "chunks", "delete_job"):
        monkeypatch.setattr(client.app.state.services.images, name, down)


def assert_unavailable(answer) -> None:  # noqa: ANN001
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["retry-after"]) > 0
    assert answer.json()["error"]["code"] == "storage_unavailable"


def test_image_archive_and_delete_answer_503_while_storage_is_down(client: TestClient, monkeypatch) -> None:  # noqa: ANN001
    job = submit(client)
    image = job["images"][0]
    storage_down(monkeypatch, client)
    for url in (image["url"], image["download_url"], f"/jobs/{job['job_id']}/archive"):
        assert_unavailable(client.get(url, headers=ALICE))
    assert_unavailable(client.delete(f"/jobs/{job['job_id']}", headers=ALICE))
    # Nothing was lost: once storage is back, the job is there and downloads whole.
    monkeypatch.undo()
    assert client.get(f"/jobs/{job['job_id']}", headers=ALICE).status_code == 200
    archive = client.get(f"/jobs/{job['job_id']}/archive", headers=ALICE)
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        assert len(z.namelist()) == 2 and z.read(z.namelist()[0]) == client.get(image["url"]).content
    assert client.delete(f"/jobs/{job['job_id']}", headers=ALICE).status_code == 204


def test_an_archive_with_a_missing_image_is_a_404_before_any_byte(client: TestClient) -> None:
    job = submit(client)
    client.app.state.services.images.root.joinpath(job["job_id"], "1.png").unlink()
    answer = client.get(f"/jobs/{job['job_id']}/archive", headers=ALICE)
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "image_not_found"


def test_a_sweep_stops_on_an_outage_and_keeps_the_rows(client: TestClient, monkeypatch, caplog) -> None:  # noqa: ANN001
    jobs = [submit(client) for _ in range(2)]
    services = client.app.state.services
    storage_down(monkeypatch, client)
    later = utcnow() + timedelta(days=services.settings.retention_days + 1)
    assert sweep(services.store, services.images, later, services.settings.retention_days) == 0
    assert len([r for r in caplog.records if "image storage is unavailable" in r.getMessage()]) == 1
    assert all(services.store.get(job["job_id"]) is not None for job in jobs)
    monkeypatch.undo()
    assert sweep(services.store, services.images, later, services.settings.retention_days) == 2
