"""Personal access tokens always expire, within the configured maximum, and list what an owner needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from settings import Settings
from tests.auth.conftest import bearer, token

ALICE = bearer(token())


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_token_without_a_lifetime_gets_the_default(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(access_token_default_days=30)
    created = client.post("/tokens", json={"name": "Figma plugin"}, headers=ALICE).json()
    lifetime = _when(created["expires_at"]) - _when(created["created_at"])
    assert lifetime == timedelta(days=30)


def test_a_lifetime_over_the_maximum_is_400_and_the_maximum_is_accepted(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(access_token_default_days=7, access_token_max_days=30)
    refused = client.post("/tokens", json={"name": "x", "expires_in_days": 31}, headers=ALICE)
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"][0]["field"] == "expires_in_days"
    assert client.post("/tokens", json={"name": "x", "expires_in_days": 30}, headers=ALICE).status_code == 201
    assert client.get("/tokens/policy", headers=ALICE).json() == {"default_days": 7, "max_days": 30}


def test_the_list_shows_name_prefix_created_last_used_and_expiry(entra: TestClient) -> None:
    created = entra.post("/tokens", json={"name": "CI", "expires_in_days": 5}, headers=ALICE).json()
    assert created["prefix"] == created["token"][:12] and created["prefix"].startswith("bag_pat_")
    [listed] = entra.get("/tokens", headers=ALICE).json()
    assert listed["last_used_at"] is None
    assert entra.get("/jobs", headers=bearer(created["token"])).status_code == 200
    [listed] = entra.get("/tokens", headers=ALICE).json()
    assert set(listed) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at"}
    assert (listed["name"], listed["prefix"]) == ("CI", created["prefix"])
    assert abs(_when(listed["last_used_at"]) - datetime.now(UTC)) < timedelta(minutes=1)
    assert _when(listed["expires_at"]) - _when(listed["created_at"]) == timedelta(days=5)


def test_a_name_with_a_line_break_is_400(entra: TestClient) -> None:
    response = entra.post("/tokens", json={"name": "CI\nINFO forged log line"}, headers=ALICE)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "name"


def test_a_default_over_the_maximum_stops_the_service_at_start(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError, match="BAG_ACCESS_TOKEN_DEFAULT_DAYS"):
        Settings(_env_file=None, data_dir=tmp_path, access_token_default_days=400, access_token_max_days=366)


def test_the_token_service_refuses_a_default_over_the_maximum_too(settings: Settings) -> None:
    from auth.tokens import TokenService
    from jobs.db import get_engine

    with pytest.raises(ValueError, match="exceeds the maximum"):
        TokenService(get_engine(settings.sqlalchemy_url), default_days=30, max_days=7)
