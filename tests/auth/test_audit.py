"""The audit log (token changes, administrator reads) and the one log line per sign-in failure."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

import api.deps
from common.ratelog import RateLimitedLog
from tests.auth.conftest import STRANGER, bearer, token

ALICE = bearer(token())
ADMIN = bearer(token(oid="oid-admin", name="Ada", roles=["Generator.Admin"]))


def _audit(client: TestClient, **params: int) -> dict:
    response = client.get("/admin/audit", headers=ADMIN, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_token_creation_revocation_and_admin_reads_are_audited(entra: TestClient) -> None:
    headers = {**ALICE, "User-Agent": "figma-plugin/1.0"}
    created = entra.post("/tokens", json={"name": "Figma"}, headers=headers).json()
    assert entra.delete(f"/tokens/{created['id']}", headers=headers).status_code == 204
    assert entra.get("/admin/jobs", headers=ADMIN).status_code == 200
    page = _audit(entra)
    # Newest first; this read of the log is itself the newest entry.
    actions = [e["action"] for e in page["items"]]
    assert actions == ["admin.read_audit", "admin.list_jobs", "token.revoke", "token.create"]
    create = page["items"][3]
    assert (create["actor_oid"], create["actor_name"], create["target"]) == ("oid-alice", "Alice", created["id"])
    assert (create["address"], create["user_agent"]) == ("testclient", "figma-plugin/1.0")
    assert page["items"][2]["target"] == created["id"]
    assert page["items"][1]["actor_oid"] == "oid-admin"
    assert page["total"] == 4


def test_the_audit_log_pages_and_needs_the_admin_role(entra: TestClient) -> None:
    for name in ["a", "b", "c"]:
        entra.post("/tokens", json={"name": name}, headers=ALICE)
    assert [e["action"] for e in _audit(entra, limit=2)["items"]] == ["admin.read_audit", "token.create"]
    assert len(_audit(entra, limit=2, offset=4)["items"]) == 1
    assert entra.get("/admin/audit", headers=ALICE).status_code == 403
    assert entra.get("/admin/audit").status_code == 401
    assert all(e["actor_oid"] == "oid-admin" or e["action"] == "token.create" for e in _audit(entra)["items"])


def test_a_refused_creation_is_not_audited(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(max_access_tokens_per_user=1)
    client.post("/tokens", json={"name": "a"}, headers=ALICE)
    assert client.post("/tokens", json={"name": "b"}, headers=ALICE).status_code == 409
    assert [e["action"] for e in _audit(client)["items"]] == ["admin.read_audit", "token.create"]


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh rate-limited log, so lines logged by earlier tests do not hold these back.
    monkeypatch.setattr(api.deps, "_refusals", RateLimitedLog(logging.getLogger("auth.refused")), raising=False)


@pytest.mark.usefixtures("refusals")
def test_each_sign_in_failure_is_logged_once_with_its_reason_and_never_the_token(
        entra: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    wrong_audience = token(aud="api://someone-else")
    assert entra.get("/jobs", headers=bearer(wrong_audience)).status_code == 401
    assert entra.get("/jobs", headers=bearer(token(roles=None))).status_code == 403
    assert entra.get("/jobs", headers=bearer("bag_pat_" + "A" * 43)).status_code == 401
    lines = [r.getMessage() for r in caplog.records if "sign-in refused" in r.getMessage()]
    assert len(lines) == 3, lines
    assert "InvalidAudienceError" in lines[0] and "testclient" in lines[0]
    assert "no app role or group" in lines[1]
    assert "access token unknown" in lines[2]
    assert all(wrong_audience not in r.getMessage() and "AAAA" not in r.getMessage() for r in caplog.records)


@pytest.mark.usefixtures("refusals")
def test_a_flood_of_one_failure_is_one_line(entra: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    for i in range(20):
        entra.get("/jobs", headers=bearer(token(key=STRANGER, kid="k1", name=f"n{i}")))
    assert len([r for r in caplog.records if "sign-in refused" in r.getMessage()]) == 1
