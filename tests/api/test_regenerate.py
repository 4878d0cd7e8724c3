"""Exact recipes through the API with the real runner core on the demo model: a job records what it
rendered with, "regenerate exactly" gives the same pixels bit for bit, and a changed style or model
is reported before the user reruns it."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.app import create_app
from runner.fingerprints import fingerprint_models
from runner.schemas import JobProgress, RenderRequest, RenderResult, RunnerHealth
from runner.worker import RunnerCore
from settings import Settings
from tests.api.conftest import ALICE, BOB
from tests.lora_factory import make_style
from tests.polling import wait_for

REVIEWER = {"Authorization": "Bearer dev:carol;reviewer"}
JOB = {"prompt": "a mug", "style": "acme", "width": 256, "height": 256, "steps": 2, "num_images": 2}


class CoreRunner:
    """The real runner core behind the dispatcher's RunnerClient interface, in process."""

    def __init__(self, core: RunnerCore) -> None:
        self.core = core

    async def render(self, request: RenderRequest) -> RenderResult:
        (result,) = await asyncio.to_thread(self.core.render, [request])
        return result

    async def progress(self, job_ids: list[str]) -> list[JobProgress]:
        return self.core.progress(job_ids)

    async def cancel(self, job_id: str, claim: int) -> None:
        self.core.cancel(job_id, claim)

    async def health(self) -> RunnerHealth:
        return self.core.health()


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> RunnerCore:
    from models.demo import ensure_demo_model

    data = tmp_path_factory.mktemp("runner")
    demo = ensure_demo_model(data).path
    make_style(data / "styles", "acme", demo, seed=1, trigger_words=["acme style"])
    return RunnerCore(Settings(_env_file=None, data_dir=data))


@pytest.fixture
def client(settings: Settings, core: RunnerCore) -> Iterator[TestClient]:
    prints = core.prints
    with TestClient(create_app(settings, CoreRunner(core), listening=["127.0.0.1"])) as client:
        # As tests/api/conftest.py does: a submission before the first health answer is a 503.
        wait_for(lambda: client.get("/health").json()["runner_ready"])
        yield client
    core.prints = prints  # a test may have made the runner report a new adapter file


def wait_status(client: TestClient, job_id: str, status: str, headers: dict = ALICE) -> dict:
    # The real pipeline, on CPU cores the test shares: give it longer than the fake runner's jobs.
    return wait_for(lambda: (j := client.get(f"/jobs/{job_id}", headers=headers).json())["status"] == status and j,
                    timeout=60, what=f"job {job_id} {status}")


def pixels(client: TestClient, job: dict) -> list[np.ndarray]:
    return [np.asarray(Image.open(io.BytesIO(client.get(image["url"]).content))) for image in job["images"]]


def finished_job(client: TestClient, body: dict = JOB, headers: dict = ALICE) -> dict:
    job_id = client.post("/generate", json=body, headers=headers).json()["job_id"]
    return wait_status(client, job_id, "complete", headers)


def test_regenerating_exactly_gives_the_same_pixels_bit_for_bit(client: TestClient, core: RunnerCore) -> None:
    original = finished_job(client)
    recipe = original["recipe"]
    assert recipe["model_fingerprint"] == core.prints["demo-flux"].fingerprint
    assert recipe["style_fingerprint"] == core.prints["demo-flux"].styles["acme"]
    assert (recipe["style"], recipe["style_version"], original["style_version"]) == ("acme", 1, 1)
    assert recipe["seeds"] == [original["seed"], original["seed"] + 1]
    assert recipe["scheduler"] == "FlowMatchEulerDiscreteScheduler"
    assert recipe["trigger_words"] == ["acme style"]
    assert [s["version"] for s in client.get("/styles", headers=ALICE).json()] == [1]

    assert client.get(f"/jobs/{original['job_id']}/recipe/check", headers=ALICE).json() == \
        {"exact": True, "differences": []}
    answer = client.post(f"/jobs/{original['job_id']}/regenerate", headers=ALICE)
    assert answer.status_code == 202 and answer.json()["differences"] == []
    again = wait_status(client, answer.json()["job_id"], "complete")
    assert again["recipe"] == recipe
    before, after = pixels(client, original), pixels(client, again)
    assert len(before) == len(after) == 2
    for a, b in zip(before, after, strict=True):
        assert a.shape == b.shape == (256, 256, 3)
        assert np.array_equal(a, b)
    # A fresh job of the same prompt without the seed is no copy: the test would notice a runner
    # that ignored the seeds.
    other = finished_job(client, {**JOB, "seed": original["seed"] + 7})
    assert not np.array_equal(pixels(client, other)[0], before[0])


def test_a_new_adapter_file_is_version_2_and_the_check_says_the_result_will_differ(
        client: TestClient, core: RunnerCore, settings: Settings) -> None:
    from safetensors.torch import load_file, save_file

    original = finished_job(client)
    # A new adapter file for acme (retrained: other weights), as a brand team would drop in; the
    # runner restarts and reports it.
    adapter = core.models["demo-flux"].adapters.styles["acme"].adapter_path
    kept = adapter.read_bytes()
    try:
        save_file({k: v * 1.5 for k, v in load_file(adapter).items()}, adapter)
        core.prints = fingerprint_models(core.models, Path(settings.data_dir), "cpu", "gpu", False)
    finally:
        adapter.write_bytes(kept)
    services = client.app.state.services
    services.catalog.observe(core.health())
    assert [s["version"] for s in client.get("/styles", headers=ALICE).json()] == [2]

    check = client.get(f"/jobs/{original['job_id']}/recipe/check", headers=ALICE).json()
    assert check == {"exact": False, "differences": [
        "The style acme is now version 2; this job used version 1. The images will differ."]}
    answer = client.post(f"/jobs/{original['job_id']}/regenerate", headers=ALICE)
    assert answer.status_code == 202 and answer.json()["differences"] == check["differences"]


def test_a_style_that_is_gone_cannot_be_regenerated(client: TestClient, core: RunnerCore) -> None:
    original = finished_job(client)
    client.app.state.services.catalog.observe(core.health().model_copy(update={"styles": []}))
    check = client.get(f"/jobs/{original['job_id']}/recipe/check", headers=ALICE).json()
    assert check == {"exact": False,
                     "differences": ["The style acme is no longer served, so this recipe cannot run."]}
    answer = client.post(f"/jobs/{original['job_id']}/regenerate", headers=ALICE)
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "recipe_not_runnable"


def test_only_the_owner_and_reviewers_may_check_or_regenerate(client: TestClient) -> None:
    original = finished_job(client)
    for path in ("recipe/check", "regenerate"):
        url = f"/jobs/{original['job_id']}/{path}"
        response = client.get(url, headers=BOB) if path == "recipe/check" else client.post(url, headers=BOB)
        assert response.status_code == 404
    assert client.get(f"/jobs/{original['job_id']}/recipe/check", headers=REVIEWER).json()["exact"] is True
    answer = client.post(f"/jobs/{original['job_id']}/regenerate", headers=REVIEWER)
    assert answer.status_code == 202
    # The new job is the reviewer's own.
    assert client.get(f"/jobs/{answer.json()['job_id']}", headers=ALICE).status_code == 404
    wait_status(client, answer.json()["job_id"], "complete", REVIEWER)


def test_a_job_from_before_recipes_is_409(client: TestClient) -> None:
    from sqlalchemy import update

    from jobs.models import Job

    job = finished_job(client, {**JOB, "num_images": 1})
    services = client.app.state.services
    with services.store.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job["job_id"]).values(recipe=None, style_version=None))
    services.jobs.finished.drop(job["job_id"])
    response = client.get(f"/jobs/{job['job_id']}/recipe/check", headers=ALICE)
    assert response.status_code == 409 and response.json()["error"]["code"] == "recipe_missing"
    assert client.post(f"/jobs/{job['job_id']}/regenerate", headers=ALICE).status_code == 409


def test_a_regenerated_job_keeps_its_creator_for_credentials_that_name_one(settings: Settings,
                                                                            core: RunnerCore) -> None:
    named = settings.model_copy(update={"c2pa_include_creator": True})
    with TestClient(create_app(named, CoreRunner(core), listening=["127.0.0.1"])) as client:
        wait_for(lambda: client.get("/health").json()["runner_ready"])
        original = finished_job(client, {**JOB, "num_images": 1})
        answer = client.post(f"/jobs/{original['job_id']}/regenerate", headers=REVIEWER)
        assert answer.status_code == 202
        wait_status(client, answer.json()["job_id"], "complete", REVIEWER)
        assert client.app.state.services.store.get(answer.json()["job_id"]).owner_name == "carol"
