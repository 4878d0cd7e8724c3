"""Reviews and the Approved library through the API, with the development sign-in's reviewer flag."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from fastapi.testclient import TestClient

from common.clock import utcnow
from jobs.sweeper import sweep
from tests.api.conftest import ALICE, BOB, wait_status
from tests.api.test_jobs_api import submit

RITA = {"Authorization": "Bearer dev:Rita%20Reviewer;reviewer"}


def complete_job(client: TestClient, headers=ALICE, **body) -> str:  # noqa: ANN001, ANN003
    job_id = submit(client, headers=headers, **body)
    wait_status(client, job_id, "complete", headers=headers)
    return job_id


def review(client: TestClient, job_id: str, index: int, headers=RITA, **body):  # noqa: ANN001, ANN003, ANN201
    return client.put(f"/jobs/{job_id}/images/{index}/review", json=body, headers=headers)


def test_me_says_who_may_review(client: TestClient) -> None:
    assert client.get("/me", headers=ALICE).json()["can_review"] is False
    me = client.get("/me", headers=RITA).json()
    assert (me["name"], me["oid"], me["can_review"]) == ("Rita Reviewer", "dev-Rita Reviewer", True)
    # The flag is a role, not a name: only `;reviewer` is accepted after the name.
    assert client.get("/me", headers={"Authorization": "Bearer dev:alice;admin"}).status_code == 401


def test_only_reviewers_may_decide(client: TestClient) -> None:
    job_id = complete_job(client)
    for who in (ALICE, BOB):  # the owner neither
        answer = review(client, job_id, 0, headers=who, decision="approved")
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
        assert client.delete(f"/jobs/{job_id}/images/0/review", headers=who).status_code == 403
    assert client.get("/reviews/pending", headers=ALICE).status_code == 403
    assert client.get(f"/jobs/{job_id}/images/0/reviews", headers=ALICE).json() == []


def test_a_reviewer_approves_from_the_job_page_and_everyone_sees_it_in_the_library(client: TestClient) -> None:
    job_id = complete_job(client, prompt="sunny beach at dawn")
    # Reviewers read any user's job (read only); other users still get 404.
    assert client.get(f"/jobs/{job_id}", headers=RITA).json()["job_id"] == job_id
    assert client.get(f"/jobs/{job_id}", headers=BOB).status_code == 404
    assert client.delete(f"/jobs/{job_id}", headers=RITA).status_code == 404
    answer = review(client, job_id, 1, decision="approved", comment="Hero image for spring.")
    assert answer.status_code == 200, answer.text
    state = answer.json()
    assert (state["decision"], state["reviewer_name"], state["comment"]) == ("approved", "Rita Reviewer",
                                                                           "Hero image for spring.")
    assert review(client, job_id, 2, decision="rejected", comment="Off-palette").status_code == 200
    # The owner's job view shows the decisions at once (its cached answer was dropped).
    images = client.get(f"/jobs/{job_id}", headers=ALICE).json()["images"]
    assert [i["review"] and i["review"]["decision"] for i in images] == [None, "approved", "rejected", None]
    page = client.get("/library", headers=BOB).json()
    assert page["total"] == 1
    (item,) = page["items"]
    assert (item["job_id"], item["index"], item["prompt"], item["review"]["reviewer_name"]) == (
        job_id, 1, "sunny beach at dawn", "Rita Reviewer")
    assert client.get(item["download_url"]).status_code == 200
    assert client.get("/library", params={"q": "beach"}, headers=BOB).json()["total"] == 1
    assert client.get("/library", params={"q": "mountain"}, headers=BOB).json()["total"] == 0
    assert client.get("/library").status_code == 401


def test_history_records_who_when_and_what_for_the_owner_and_reviewers(client: TestClient) -> None:
    job_id = complete_job(client)
    review(client, job_id, 0, decision="approved")
    assert client.delete(f"/jobs/{job_id}/images/0/review", headers=RITA).status_code == 204
    review(client, job_id, 0, decision="rejected", comment="Logo too small")
    history = client.get(f"/jobs/{job_id}/images/0/reviews", headers=ALICE).json()
    assert [(h["decision"], h["reviewer_name"], h["comment"]) for h in history] == [
        ("rejected", "Rita Reviewer", "Logo too small"), ("cleared", "Rita Reviewer", None),
        ("approved", "Rita Reviewer", None)]
    assert history[0]["decided_at"] >= history[1]["decided_at"] >= history[2]["decided_at"]
    assert client.get(f"/jobs/{job_id}/images/0/reviews", headers=RITA).status_code == 200
    assert client.get(f"/jobs/{job_id}/images/0/reviews", headers=BOB).status_code == 404


def test_pending_lists_what_awaits_a_decision(client: TestClient) -> None:
    job_id = complete_job(client, num_images=2)
    review(client, job_id, 0, decision="approved")
    page = client.get("/reviews/pending", headers=RITA).json()
    assert [(i["job_id"], i["index"], i["review"]) for i in page["items"]] == [(job_id, 1, None)]


def test_refusals_name_what_is_wrong(client: TestClient) -> None:
    job_id = complete_job(client, num_images=2)
    assert review(client, job_id, 2, decision="approved").json()["error"]["code"] == "image_not_found"
    assert review(client, "0b0b0b0b-0000-4000-8000-000000000000", 0,
                  decision="approved").json()["error"]["code"] == "job_not_found"
    bad = review(client, job_id, 0, decision="approved", comment="x" * 1001)
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "comment"
    assert review(client, job_id, 0, decision="maybe").status_code == 400


def test_an_owner_cannot_delete_a_job_while_an_image_of_it_stands_approved(client: TestClient) -> None:
    job_id = complete_job(client)
    review(client, job_id, 3, decision="approved")
    refused = client.delete(f"/jobs/{job_id}", headers=ALICE)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "job_has_approved_images"
    assert client.get("/library", headers=ALICE).json()["total"] == 1
    assert client.delete(f"/jobs/{job_id}/images/3/review", headers=RITA).status_code == 204
    assert client.delete(f"/jobs/{job_id}", headers=ALICE).status_code == 204
    assert client.get("/library", headers=ALICE).json()["total"] == 0


def test_past_retention_the_job_shows_and_zips_only_its_approved_image(client: TestClient) -> None:
    job_id = complete_job(client, num_images=3)
    review(client, job_id, 1, decision="approved")
    services = client.app.state.services  # type: ignore[attr-defined]
    assert sweep(services.store, services.images, utcnow() + timedelta(days=31), retention_days=30) == 0
    services.jobs.forget(job_id)  # what another replica's cache would see within its TTL
    images = client.get(f"/jobs/{job_id}", headers=ALICE).json()["images"]
    assert [i["index"] for i in images] == [1]
    assert client.get(images[0]["url"]).status_code == 200
    archive = client.get(f"/jobs/{job_id}/archive", headers=ALICE)
    assert archive.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(archive.content)).namelist()) == 1
    assert [(i["job_id"], i["index"]) for i in client.get("/library", headers=BOB).json()["items"]] == [(job_id, 1)]
