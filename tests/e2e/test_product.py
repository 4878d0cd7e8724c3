"""The real product over real HTTP: bentoml serve, both services, the demo model, the Python client."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from PIL import Image

from storage import LinkSigner, image_key
from tests.e2e.conftest import LINK_SECRET, Server, start_server

pytestmark = pytest.mark.e2e
ALICE = {"Authorization": "Bearer dev:alice"}


def poll(url: str, job_id: str, until: set[str], timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(f"{url}/jobs/{job_id}", headers=ALICE, timeout=10).json()
        if job["status"] in until:
            return job
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} not {until} in time: {job}")


def test_prompt_to_four_pngs_of_the_requested_size(server: Server) -> None:
    submitted = httpx.post(f"{server.url}/generate", json={"prompt": "a lighthouse at dusk", "seed": 3},
                           headers=ALICE, timeout=10)
    assert submitted.status_code == 202
    job = poll(server.url, submitted.json()["job_id"], {"complete", "failed"})
    assert job["status"] == "complete", job
    assert job["demo"] is True
    assert len(job["images"]) == 4
    for image in job["images"]:
        response = httpx.get(image["url"], timeout=10)
        assert response.status_code == 200
        png = Image.open(io.BytesIO(response.content))
        assert png.format == "PNG"
        assert png.size == (1024, 1024)
        assert not set(png.info) - {"dpi"}  # no prompt or other text in the file


def test_other_size_and_count(server: Server) -> None:
    body = {"prompt": "wide banner", "width": 768, "height": 512, "num_images": 2}
    job_id = httpx.post(f"{server.url}/generate", json=body, headers=ALICE, timeout=10).json()["job_id"]
    job = poll(server.url, job_id, {"complete", "failed"})
    assert job["status"] == "complete", job
    sizes = {Image.open(io.BytesIO(httpx.get(i["url"], timeout=10).content)).size for i in job["images"]}
    assert sizes == {(768, 512)}


def test_brand_style_is_listed_and_applied(server: Server) -> None:
    styles = httpx.get(f"{server.url}/styles", headers=ALICE, timeout=10).json()
    assert [s["name"] for s in styles] == ["acme"]
    body = {"prompt": "a mug", "style": "acme", "num_images": 1, "aspect_ratio": "16:9", "seed": 4}
    job_id = httpx.post(f"{server.url}/generate", json=body, headers=ALICE, timeout=10).json()["job_id"]
    job = poll(server.url, job_id, {"complete", "failed"})
    assert job["status"] == "complete", job
    assert (job["style"], job["width"], job["height"]) == ("acme", 1280, 720)
    styled = httpx.get(job["images"][0]["url"], timeout=10).content
    plain_id = httpx.post(f"{server.url}/generate", json={**body, "style": None}, headers=ALICE,
                          timeout=10).json()["job_id"]
    plain = poll(server.url, plain_id, {"complete", "failed"})
    assert httpx.get(plain["images"][0]["url"], timeout=10).content != styled


def test_altered_or_expired_links_are_refused(server: Server) -> None:
    job_id = httpx.post(f"{server.url}/generate", json={"prompt": "x", "num_images": 1, "width": 256, "height": 256},
                        headers=ALICE, timeout=10).json()["job_id"]
    job = poll(server.url, job_id, {"complete"})
    url = job["images"][0]["url"]
    assert httpx.get(url, timeout=10).status_code == 200
    tampered = url[:-1] + ("0" if url[-1] != "0" else "1")
    assert httpx.get(tampered, timeout=10).status_code == 403
    # A correctly signed link whose time is up, made with the server's own key.
    signer = LinkSigner(LINK_SECRET.encode(), ttl_seconds=-10)
    key = image_key(job_id, 0)
    expires, sig = signer.sign(key, datetime.now(UTC))
    expired = httpx.get(f"{server.url}/images/{key}?expires={expires}&sig={sig}", timeout=10)
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "link_invalid"


def test_internal_tools_use_the_generated_python_client(server: Server) -> None:
    from bag_client import AuthenticatedClient
    from bag_client.api.jobs import generate, get_job, list_jobs
    from bag_client.models import GenerateRequest, JobPublic

    client = AuthenticatedClient(base_url=server.url, token="dev:toolbot", timeout=httpx.Timeout(10))
    accepted = generate.sync(client=client, body=GenerateRequest(prompt="icon set", num_images=1, width=256, height=256))
    assert accepted.status.value == "queued"
    deadline = time.monotonic() + 120
    while (job := get_job.sync(accepted.job_id, client=client)).status.value not in ("complete", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.25)
    assert isinstance(job, JobPublic) and job.status.value == "complete"
    page = list_jobs.sync(client=client)
    assert page.items[0].job_id == accepted.job_id


def test_sigkill_mid_job_loses_nothing_and_completes_once(tmp_path: Path, e2e_data_dir: Path) -> None:
    # Share the session's demo model so the second server starts quickly.
    data = tmp_path / "crash-data"
    (data / "models").mkdir(parents=True)
    (data / "models" / "demo-flux").symlink_to(e2e_data_dir / "models" / "demo-flux")
    log = tmp_path / "crash.log"
    first = start_server(data, log)
    try:
        body = {"prompt": "slow one", "steps": 60, "seed": 11}
        job_id = httpx.post(f"{first.url}/generate", json=body, headers=ALICE, timeout=10).json()["job_id"]
        deadline = time.monotonic() + 120
        while True:
            job = httpx.get(f"{first.url}/jobs/{job_id}", headers=ALICE, timeout=10).json()
            if job["status"] == "running" and job["progress"] and job["progress"]["step"] >= 1:
                break
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
    finally:
        first.kill()
    second = start_server(data, log)
    try:
        job = poll(second.url, job_id, {"complete", "failed"})
        assert job["status"] == "complete", job
        assert job["attempts"] == 2  # ran again once, and completed once
        assert len(job["images"]) == 4
        for image in job["images"]:
            assert httpx.get(image["url"], timeout=10).status_code == 200
        history = httpx.get(f"{second.url}/jobs", headers=ALICE, timeout=10).json()
        assert [j["job_id"] for j in history["items"]] == [job_id]
    finally:
        second.stop()
