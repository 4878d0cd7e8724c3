"""Jobs through the API (the fake runner): each stored image is signed, its row is written with the
job's completion, the API reports what its credentials say, and deleting the job takes the rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from jobs.images import JobImage
from provenance.errors import ProvenanceConfigError
from provenance.signer import ContentSigner
from provenance.testchain import LocalChain
from tests.api.conftest import ALICE, wait_status
from tests.provenance.conftest import chain_settings


def submit(client: TestClient, **body: object) -> str:
    response = client.post("/generate", json={"prompt": "a red bicycle on a quay", "num_images": 2, **body},
                           headers=ALICE)
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def rows_of(client: TestClient, job_id: str) -> list[JobImage]:
    with Session(client.app.state.services.store.engine) as s:
        return list(s.exec(select(JobImage).where(JobImage.job_id == job_id).order_by(JobImage.idx)).all())


@pytest.fixture
def signing_client(make_client: Callable[..., TestClient], chain: LocalChain) -> TestClient:
    return make_client(**chain_settings(chain))


def test_a_finished_job_shows_trusted_credentials_on_every_image(signing_client: TestClient) -> None:
    job = wait_status(signing_client, submit(signing_client, seed=11), "complete")

    assert signing_client.get("/health").json()["content_credentials"] == "signing"
    for image in job["images"]:
        credentials = image["credentials"]
        assert credentials["state"] == "trusted"
        assert credentials["source_type"] == "trainedAlgorithmicMedia"
        assert credentials["generator"].startswith("brand-asset-generator ")
        assert credentials["model"] == job["model"]
        assert credentials["prompt"] is None and credentials["creator"] is None
        # The stored file itself carries them: read back here, as anyone downloading it would.
        png = signing_client.get(image["url"]).content
        assert ContentSigner(None, None).read(png).model == job["model"]


def test_the_image_rows_exist_when_the_job_is_complete(signing_client: TestClient) -> None:
    job_id = submit(signing_client, seed=40)
    wait_status(signing_client, job_id, "complete")

    rows = rows_of(signing_client, job_id)

    assert [(r.idx, r.seed) for r in rows] == [(0, 40), (1, 41)]
    assert all(r.credentials and '"state":"trusted"' in r.credentials for r in rows)


def test_deleting_a_job_deletes_its_image_rows(signing_client: TestClient) -> None:
    job_id = submit(signing_client)
    wait_status(signing_client, job_id, "complete")

    assert signing_client.delete(f"/jobs/{job_id}", headers=ALICE).status_code == 204

    assert rows_of(signing_client, job_id) == []


def test_the_job_list_reads_all_image_rows_in_one_query(signing_client: TestClient) -> None:
    ids = [submit(signing_client) for _ in range(3)]
    for job_id in ids:
        wait_status(signing_client, job_id, "complete")
    engine = signing_client.app.state.services.store.engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        page = signing_client.get("/jobs", headers=ALICE).json()
    finally:
        event.remove(engine, "before_cursor_execute", listener)

    assert all(image["credentials"]["state"] == "trusted" for job in page["items"] for image in job["images"])
    assert sum("FROM job_image" in s for s in statements) == 1


def test_prompt_and_creator_are_stated_only_when_the_settings_say_so(make_client: Callable[..., TestClient],
                                                                     chain: LocalChain) -> None:
    client = make_client(**chain_settings(chain), c2pa_include_prompt=True, c2pa_include_creator=True)
    job = wait_status(client, submit(client), "complete")

    credentials = job["images"][0]["credentials"]

    assert credentials["prompt"] == "a red bicycle on a quay"
    assert credentials["creator"] == client.get("/me", headers=ALICE).json()["name"]


def test_without_a_key_images_are_stored_unsigned_and_health_says_so(client: TestClient) -> None:
    job_id = submit(client)
    job = wait_status(client, job_id, "complete")

    assert client.get("/health").json()["content_credentials"] == "unsigned"
    assert [image["credentials"] for image in job["images"]] == [None, None]
    assert ContentSigner(None, None).read(client.get(job["images"][0]["url"]).content) is None
    assert len(rows_of(client, job_id)) == 2  # the rows are written all the same


def test_a_wrong_key_path_stops_the_start_naming_the_setting(make_client: Callable[..., TestClient],
                                                              chain: LocalChain) -> None:
    with pytest.raises(ProvenanceConfigError, match="^BAG_C2PA_PRIVATE_KEY: no file at '/nonexistent/key.pem'"):
        make_client(**{**chain_settings(chain), "c2pa_private_key": "/nonexistent/key.pem"})



def test_a_style_with_a_palette_gives_each_image_its_brand_match(make_client: Callable[..., TestClient],
                                                                  chain: LocalChain,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import fake_runner

    monkeypatch.setattr(fake_runner, "ACME", fake_runner.ACME.model_copy(update={"palette": ["#102030", "#f0e0d0"]}))
    client = make_client(**chain_settings(chain))
    job_id = submit(client, style="acme")
    job = wait_status(client, job_id, "complete")

    for image, row in zip(job["images"], rows_of(client, job_id), strict=True):
        assert image["brand"] is not None and 0.0 <= image["brand"]["score"] <= 1.0
        assert image["brand"]["score"] == pytest.approx(row.brand_score)
        assert image["credentials"]["style"] == "acme"


def test_a_signing_failure_fails_the_job_rather_than_store_it_unsigned(signing_client: TestClient,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> bytes:
        raise RuntimeError("the signing key went away")

    monkeypatch.setattr(ContentSigner, "sign", refuse)
    job_id = submit(signing_client)

    job = wait_status(signing_client, job_id, "failed")

    assert job["images"] == []
    assert rows_of(signing_client, job_id) == []
