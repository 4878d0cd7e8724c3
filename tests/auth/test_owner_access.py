"""A personal access token stops working when its owner loses the app role, checked at an interval."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from auth.access import AccessLedger, OwnerAccess
from auth.models import NotAuthenticated, User
from jobs.db import get_engine, migrate
from jobs.models import utcnow
from tests.auth.conftest import bearer, token

ALICE = bearer(token())
ALICE_WITHOUT_ROLE = bearer(token(roles=None))


def _pat(client: TestClient) -> dict:
    created = client.post("/tokens", json={"name": "tool"}, headers=ALICE)
    assert created.status_code == 201
    return bearer(created.json()["token"])


def _age_confirmation(client: TestClient, by: timedelta) -> None:
    with Session(client.app.state.services.store.engine) as s:
        for row in s.exec(select(OwnerAccess)).all():
            row.checked_at = row.checked_at - by
            s.add(row)
        s.commit()


def test_a_sign_in_without_the_role_stops_the_owners_tokens_at_once(entra: TestClient) -> None:
    pat = _pat(entra)
    assert entra.get("/jobs", headers=pat).status_code == 200
    assert entra.get("/jobs", headers=ALICE_WITHOUT_ROLE).status_code == 403
    refused = entra.get("/jobs", headers=pat)
    assert refused.status_code == 401
    assert "no longer has access" in refused.json()["error"]["message"]
    # The role given back: the next sign-in confirms it, and the token works again.
    assert entra.get("/jobs", headers=ALICE).status_code == 200
    assert entra.get("/jobs", headers=pat).status_code == 200


def test_a_token_stops_when_its_owners_access_was_not_confirmed_within_the_interval(
        make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(access_recheck_seconds=3600)
    pat = _pat(client)
    _age_confirmation(client, timedelta(minutes=59))
    assert client.get("/jobs", headers=pat).status_code == 200
    _age_confirmation(client, timedelta(minutes=2))
    refused = client.get("/jobs", headers=pat)
    assert refused.status_code == 401
    assert "signed in recently" in refused.json()["error"]["message"]


def test_another_users_denial_does_not_touch_a_token(entra: TestClient) -> None:
    pat = _pat(entra)
    assert entra.get("/jobs", headers=bearer(token(oid="oid-bob", roles=None))).status_code == 403
    assert entra.get("/jobs", headers=pat).status_code == 200


def test_development_sign_in_has_nothing_to_recheck(settings) -> None:  # noqa: ANN001
    from api.app import create_app
    from tests.fake_runner import FakeRunner

    with TestClient(create_app(settings, FakeRunner(), listening=["127.0.0.1"])) as client:
        assert client.app.state.services.access is None
        created = client.post("/tokens", json={"name": "tool"}, headers=bearer("dev:alice")).json()
        assert client.get("/tokens", headers=bearer(created["token"])).status_code == 200


def test_a_refusal_is_written_even_when_this_replica_refused_the_owner_lately(db_url: str) -> None:
    # Two replicas on one database: replica A refuses, B confirms, A refuses again within its
    # renewal interval. A's memo still says "not allowed", yet B's "allowed" is what the table holds.
    migrate(db_url)
    engine = get_engine(db_url)
    now = [utcnow()]
    replica_a, replica_b = (AccessLedger(engine, 3600, clock=lambda: now[0]) for _ in range(2))
    owner = User(oid="oid-alice", tid="tenant", token_id="t1")

    asyncio.run(replica_a.observe(owner, allowed=False))
    now[0] += timedelta(minutes=1)
    asyncio.run(replica_b.observe(owner, allowed=True))
    asyncio.run(replica_b.require(owner))  # confirmed
    now[0] += timedelta(minutes=1)
    asyncio.run(replica_a.observe(owner, allowed=False))
    with pytest.raises(NotAuthenticated):
        asyncio.run(replica_b.require(owner))
