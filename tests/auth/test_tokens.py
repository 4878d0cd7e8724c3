"""Personal access tokens: created by a signed-in user, acting as them, revocable, stored hashed."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from auth.tokens import AccessToken
from tests.auth.conftest import bearer, token

ALICE = bearer(token())
BOB = bearer(token(oid="oid-bob", name="Bob"))


def create(client: TestClient, headers: dict = ALICE, name: str = "Figma plugin", **body) -> dict:  # noqa: ANN003
    response = client.post("/tokens", json={"name": name, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_token_acts_as_its_owner(entra: TestClient) -> None:
    job_id = entra.post("/generate", json={"prompt": "x"}, headers=ALICE).json()["job_id"]
    created = create(entra)
    assert created["token"].startswith("bag_pat_")
    pat = bearer(created["token"])
    assert entra.get(f"/jobs/{job_id}", headers=pat).status_code == 200
    submitted = entra.post("/generate", json={"prompt": "from the plugin"}, headers=pat)
    assert submitted.status_code == 202
    assert entra.get(f"/jobs/{submitted.json()['job_id']}", headers=ALICE).status_code == 200
    assert entra.get(f"/jobs/{job_id}", headers=BOB).status_code == 404


def test_only_the_hash_is_stored_and_the_list_never_shows_secrets(entra: TestClient) -> None:
    created = create(entra)
    listed = entra.get("/tokens", headers=ALICE).json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]
    engine = entra.app.state.services.store.engine
    with Session(engine) as s:
        row = s.exec(select(AccessToken)).one()
    assert row.token_hash == hashlib.sha256(created["token"].encode()).hexdigest()
    assert created["token"] not in repr(row.model_dump())


def test_a_revoked_token_is_401(entra: TestClient) -> None:
    created = create(entra)
    pat = bearer(created["token"])
    assert entra.get("/jobs", headers=pat).status_code == 200
    assert entra.delete(f"/tokens/{created['id']}", headers=ALICE).status_code == 204
    assert entra.get("/jobs", headers=pat).status_code == 401
    assert entra.get("/tokens", headers=ALICE).json() == []
    assert entra.delete(f"/tokens/{created['id']}", headers=ALICE).status_code == 404


def test_unknown_and_altered_tokens_are_401(entra: TestClient) -> None:
    created = create(entra)
    assert entra.get("/jobs", headers=bearer("bag_pat_" + "A" * 43)).status_code == 401
    token = created["token"]
    altered = token[:-1] + ("y" if token[-1] == "x" else "x")  # always a different token
    assert entra.get("/jobs", headers=bearer(altered)).status_code == 401
    assert entra.get("/jobs", headers=bearer("bag_pat_")).status_code == 401


def test_another_users_token_is_404_and_unchanged(entra: TestClient) -> None:
    created = create(entra)
    assert entra.delete(f"/tokens/{created['id']}", headers=BOB).status_code == 404
    assert entra.get("/tokens", headers=BOB).json() == []
    assert entra.get("/jobs", headers=bearer(created["token"])).status_code == 200


def test_a_token_cannot_manage_tokens(entra: TestClient) -> None:
    created = create(entra)
    pat = bearer(created["token"])
    assert entra.post("/tokens", json={"name": "another"}, headers=pat).status_code == 403
    assert entra.delete(f"/tokens/{created['id']}", headers=pat).status_code == 403
    assert entra.get("/admin/jobs", headers=pat).status_code == 403


def test_an_expired_token_is_401(entra: TestClient) -> None:
    created = create(entra, expires_in_days=1)
    assert created["expires_at"] is not None
    engine = entra.app.state.services.store.engine
    with Session(engine) as s:
        row = s.get(AccessToken, created["id"])
        row.expires_at = row.created_at.replace(year=2020)
        s.add(row)
        s.commit()
    assert entra.get("/jobs", headers=bearer(created["token"])).status_code == 401


def test_tokens_need_a_sign_in_and_valid_input(entra: TestClient) -> None:
    assert entra.post("/tokens", json={"name": "x"}).status_code == 401
    assert entra.post("/tokens", json={"name": ""}, headers=ALICE).status_code == 400
    assert entra.post("/tokens", json={"name": "x", "expires_in_days": 0}, headers=ALICE).status_code == 400


def test_tokens_per_user_are_capped(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(max_access_tokens_per_user=2)
    create(client, name="a")
    second = create(client, name="b")
    assert client.post("/tokens", json={"name": "c"}, headers=ALICE).status_code == 409
    client.delete(f"/tokens/{second['id']}", headers=ALICE)
    create(client, name="c")


def test_an_oversized_token_is_401(entra: TestClient) -> None:
    assert entra.get("/jobs", headers=bearer("bag_pat_" + "A" * 10_000)).status_code == 401
