"""The job API end to end inside one process, with the runner replaced by a stand-in."""

from __future__ import annotations

import io
import threading

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.conftest import ALICE, BOB, wait_for, wait_status
from tests.fake_runner import FakeRunner


def submit(client: TestClient, headers=ALICE, **body) -> str:  # noqa: ANN001, ANN003
    response = client.post("/generate", json={"prompt": "a red bicycle", **body}, headers=headers)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    return response.json()["job_id"]


def test_generate_runs_to_complete_with_four_downloadable_pngs(client: TestClient) -> None:
    job_id = submit(client, seed=7)
    job = wait_status(client, job_id, "complete")
    assert job["demo"] is True
    assert len(job["images"]) == 4
    assert [img["seed"] for img in job["images"]] == [7, 8, 9, 10]
    for img in job["images"]:
        response = client.get(img["url"])
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        png = Image.open(io.BytesIO(response.content))
        assert png.size == (256, 256)
        assert png.info == {} or set(png.info) <= {"dpi"}  # no text chunks: prompts stay private


def test_generate_applies_requested_size_and_count(client: TestClient) -> None:
    job_id = submit(client, width=512, height=256, num_images=2)
    job = wait_status(client, job_id, "complete")
    assert (job["width"], job["height"]) == (512, 256)
    assert len(job["images"]) == 2
    png = Image.open(io.BytesIO(client.get(job["images"][1]["url"]).content))
    assert png.size == (512, 256)


def test_generate_without_sign_in_is_401(client: TestClient) -> None:
    response = client.post("/generate", json={"prompt": "x"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.headers["www-authenticate"] == "Bearer"


def test_invalid_input_is_400_with_field_errors(client: TestClient) -> None:
    response = client.post("/generate", json={"prompt": "  ", "num_images": 9, "width": 500, "colour": 1},
                           headers=ALICE)
    assert response.status_code == 400
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"prompt", "num_images", "width", "colour"} <= fields


def test_unknown_model_is_400_naming_the_field(client: TestClient) -> None:
    response = client.post("/generate", json={"prompt": "x", "model": "nope"}, headers=ALICE)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "model"


def test_another_users_job_is_404_never_403(client: TestClient) -> None:
    job_id = submit(client)
    for method, path in [("get", f"/jobs/{job_id}"), ("post", f"/jobs/{job_id}/cancel"), ("delete", f"/jobs/{job_id}")]:
        response = client.request(method, path, headers=BOB)
        assert response.status_code == 404, (method, response.text)
    assert client.get(f"/jobs/{job_id}", headers=ALICE).status_code == 200


def test_list_is_own_jobs_newest_first_and_paginated(client: TestClient) -> None:
    ids = [submit(client, prompt=f"p{i}") for i in range(5)]
    submit(client, headers=BOB)
    page = client.get("/jobs?limit=2&offset=0", headers=ALICE).json()
    assert page["total"] == 5
    assert [j["job_id"] for j in page["items"]] == ids[::-1][:2]
    page2 = client.get("/jobs?limit=2&offset=2", headers=ALICE).json()
    assert [j["job_id"] for j in page2["items"]] == ids[::-1][2:4]
    assert client.get("/jobs?limit=0", headers=ALICE).status_code == 400


def test_running_job_shows_progress_and_can_be_cancelled(client: TestClient, runner: FakeRunner) -> None:
    runner.gate = threading.Event()
    job_id = submit(client)
    job = wait_for(lambda: (j := client.get(f"/jobs/{job_id}", headers=ALICE).json())["progress"]
                   and j["progress"]["step"] > 0 and j)
    assert job["status"] == "running"
    assert job["progress"] == {"step": 1, "total": 4}
    cancelled = client.post(f"/jobs/{job_id}/cancel", headers=ALICE)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    wait_for(lambda: job_id in runner.cancelled)
    runner.gate.set()
    wait_for(lambda: not client.get("/health").json()["jobs_in_flight"])
    assert client.get(f"/jobs/{job_id}", headers=ALICE).json()["status"] == "cancelled"
    assert client.post(f"/jobs/{job_id}/cancel", headers=ALICE).status_code == 409


def test_queued_job_reports_its_place_and_cancels(make_client, runner: FakeRunner) -> None:  # noqa: ANN001
    client = make_client(runner_concurrency=1)
    runner.gate = threading.Event()
    first = submit(client)
    wait_status(client, first, "running")
    second, third = submit(client), submit(client)
    assert client.get(f"/jobs/{second}", headers=ALICE).json()["queue_position"] == 0
    assert client.get(f"/jobs/{third}", headers=ALICE).json()["queue_position"] == 1
    assert client.post(f"/jobs/{second}/cancel", headers=ALICE).json()["status"] == "cancelled"
    runner.gate.set()
    wait_status(client, third, "complete")
    assert second not in runner.rendered


def test_delete_removes_job_and_its_images(client: TestClient) -> None:
    job_id = submit(client)
    job = wait_status(client, job_id, "complete")
    url = job["images"][0]["url"]
    assert client.delete(f"/jobs/{job_id}", headers=ALICE).status_code == 204
    assert client.get(f"/jobs/{job_id}", headers=ALICE).status_code == 404
    assert client.get(url).status_code == 404


def test_full_queue_is_503_with_retry_after_and_creates_nothing(make_client, runner: FakeRunner) -> None:  # noqa: ANN001
    client = make_client(max_pending_jobs=2, runner_concurrency=1)
    runner.gate = threading.Event()
    submit(client)
    submit(client)
    response = client.post("/generate", json={"prompt": "one too many"}, headers=ALICE)
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert client.get("/jobs", headers=ALICE).json()["total"] == 2
    runner.gate.set()


def test_runner_failure_marks_job_failed_with_generic_reason(client: TestClient, runner: FakeRunner) -> None:
    runner.fail_with = "CUDA out of memory at /secret/path"
    job = wait_status(client, submit(client), "failed")
    assert "secret" not in job["error"]
    assert job["images"] == []


def test_runner_down_keeps_job_queued_until_it_returns(client: TestClient, runner: FakeRunner) -> None:
    runner.available = False
    job_id = submit(client)
    wait_for(lambda: client.get(f"/jobs/{job_id}", headers=ALICE).json()["status"] == "queued")
    runner.available = True
    job = wait_status(client, job_id, "complete")
    assert job["attempts"] == 1


def test_errors_use_the_envelope_and_hide_internals(client: TestClient) -> None:
    response = client.get("/jobs/not-a-job", headers=ALICE)
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_aspect_ratio_presets_pick_a_megapixel_size(client: TestClient) -> None:
    job_id = submit(client, aspect_ratio="16:9", num_images=1)
    job = wait_status(client, job_id, "complete")
    assert (job["width"], job["height"]) == (1280, 720)
    assert client.post("/generate", json={"prompt": "x", "aspect_ratio": "2:1"}, headers=ALICE).status_code == 400


def test_aspect_ratio_and_explicit_size_conflict_is_400(client: TestClient) -> None:
    response = client.post("/generate", json={"prompt": "x", "aspect_ratio": "1:1", "width": 512}, headers=ALICE)
    assert response.status_code == 400
    assert "aspect_ratio" in response.json()["error"]["fields"][0]["message"]
