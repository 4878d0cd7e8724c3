"""The reviewer app role in Entra ID tokens: who may approve or reject images for the library."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.auth.conftest import bearer, token


def _me(client: TestClient, roles: list[str]) -> tuple[int, bool | None]:
    answer = client.get("/me", headers=bearer(token(roles=roles)))
    return answer.status_code, answer.json().get("can_review")


def test_the_reviewer_role_or_the_admin_role_may_review(entra: TestClient) -> None:
    assert _me(entra, ["Generator.Use"]) == (200, False)
    assert _me(entra, ["Generator.Use", "Generator.Reviewer"]) == (200, True)
    assert _me(entra, ["Generator.Admin"]) == (200, True)


def test_a_reviewer_without_the_use_role_still_signs_in_to_review(entra: TestClient) -> None:
    assert _me(entra, ["Generator.Reviewer"]) == (200, True)
    assert entra.get("/reviews/pending", headers=bearer(token(roles=["Generator.Reviewer"]))).status_code == 200
    assert entra.get("/reviews/pending", headers=bearer(token(roles=["Generator.Use"]))).status_code == 403
    assert entra.get("/me", headers=bearer(token(roles=["Something.Else"]))).status_code == 403


def test_the_reviewer_role_is_a_setting(make_entra_client: Callable[..., TestClient]) -> None:
    client = make_entra_client(entra_reviewer_role="Brand.Approver")
    assert _me(client, ["Generator.Use", "Generator.Reviewer"]) == (200, False)
    assert _me(client, ["Generator.Use", "Brand.Approver"]) == (200, True)
