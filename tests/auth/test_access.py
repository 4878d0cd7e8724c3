"""Who may use the API: app roles, groups (with overage), the admin role, and ownership."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.auth.conftest import bearer, token

OVERAGE = {"_claim_names": {"groups": "src1"},
           "_claim_sources": {"src1": {"endpoint": "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}}


def _status(client: TestClient, value: str) -> int:
    return client.get("/jobs", headers=bearer(value)).status_code


def test_no_role_is_403(entra: TestClient) -> None:
    response = entra.get("/jobs", headers=bearer(token(roles=None)))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert _status(entra, token(roles=["Something.Else"])) == 403
    assert _status(entra, token(roles="Generator.Use")) == 403  # a string is not a role list


def test_group_membership_grants_access_when_configured(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(entra_required_group="group-designers")
    assert _status(client, token(roles=None, groups=["group-designers"])) == 200
    assert _status(client, token(roles=None, groups=["group-finance"])) == 403
    assert _status(client, token(roles=None)) == 403
    assert _status(client, token()) == 200  # the app role is enough on its own


def test_groups_overage_is_not_read_as_not_a_member(make_entra_client) -> None:  # noqa: ANN001
    deny = make_entra_client(entra_required_group="group-designers")
    response = deny.get("/jobs", headers=bearer(token(roles=None, **OVERAGE)))
    assert response.status_code == 403
    assert "too many groups" in response.json()["error"]["message"]
    assert _status(deny, token(**OVERAGE)) == 200  # with the app role, overage does not matter
    allow = make_entra_client(entra_required_group="group-designers", entra_groups_overage="allow")
    assert _status(allow, token(roles=None, **OVERAGE)) == 200
    assert _status(allow, token(roles=None, hasgroups=True)) == 200
    assert _status(allow, token(roles=None, groups=["group-finance"])) == 403  # a real list still counts


def test_no_role_or_group_configured_lets_the_tenant_in(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(entra_required_role="")
    assert _status(client, token(roles=None)) == 200


def test_admin_route_needs_the_admin_role(entra: TestClient) -> None:
    entra.post("/generate", json={"prompt": "x"}, headers=bearer(token()))
    assert entra.get("/admin/jobs", headers=bearer(token())).status_code == 403
    assert entra.get("/admin/jobs").status_code == 401
    admin = token(oid="oid-admin", roles=["Generator.Admin"])
    response = entra.get("/admin/jobs", headers=bearer(admin))
    assert response.status_code == 200
    assert response.json()["total"] >= 0


def test_another_users_job_is_404_and_its_images_need_the_signed_link(entra: TestClient) -> None:
    alice, bob = bearer(token()), bearer(token(oid="oid-bob", name="Bob"))
    job_id = entra.post("/generate", json={"prompt": "x", "num_images": 1}, headers=alice).json()["job_id"]
    assert entra.get(f"/jobs/{job_id}", headers=bob).status_code == 404
    assert entra.post(f"/jobs/{job_id}/cancel", headers=bob).status_code == 404
    assert entra.delete(f"/jobs/{job_id}", headers=bob).status_code == 404
    assert entra.get("/jobs", headers=bob).json()["total"] == 0
    # Images are reached only through the signed link in the owner's job; without it, refused.
    assert entra.get(f"/images/{job_id}/0.png?expires=4000000000&sig=forged", headers=bob).status_code == 403
    assert entra.get(f"/jobs/{job_id}", headers=alice).status_code == 200
