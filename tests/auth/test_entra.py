"""Entra ID token validation through the real app and a real key endpoint; each case its exact status."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from tests.auth.conftest import (
    CLIENT_ID,
    KEY1,
    KEY2,
    OTHER_TENANT,
    STRANGER,
    V1_ISSUER,
    KeyServer,
    bearer,
    claims,
    jwk,
    token,
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _status(client: TestClient, value: str) -> int:
    return client.get("/jobs", headers=bearer(value)).status_code


def test_a_valid_token_signs_in_and_keys_are_fetched_once(entra: TestClient, key_server: KeyServer) -> None:
    for _ in range(5):
        response = entra.get("/jobs", headers=bearer(token()))
        assert response.status_code == 200
    assert key_server.hits == 1


def test_no_token_is_401(entra: TestClient) -> None:
    response = entra.get("/jobs")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert entra.get("/jobs", headers={"Authorization": "Bearer "}).status_code == 401


def test_garbage_and_dev_tokens_are_401(entra: TestClient) -> None:
    assert _status(entra, "not-a-jwt") == 401
    assert _status(entra, "dev:alice") == 401  # no development sign-in while Entra is configured


def test_alg_none_is_401_and_fetches_no_key(entra: TestClient, key_server: KeyServer) -> None:
    unsigned = jwt.encode(claims(), None, algorithm="none", headers={"kid": "k1"})
    assert _status(entra, unsigned) == 401
    # The same with an empty signature built by hand, as an attacker would.
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": "k1"}).encode())
    assert _status(entra, f"{header}.{_b64(json.dumps(claims()).encode())}.") == 401
    assert key_server.hits == 0


def test_hs256_signed_with_the_public_key_is_401(entra: TestClient) -> None:
    # The classic algorithm-confusion attack: HMAC keyed with the RSA public key the JWKS publishes.
    public_pem = KEY1.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = (
        f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT', 'kid': 'k1'}).encode())}."
        f"{_b64(json.dumps(claims()).encode())}"
    )
    signature = _b64(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest())
    assert _status(entra, f"{signing_input}.{signature}") == 401


def test_a_token_signed_by_another_key_under_a_known_id_is_401(entra: TestClient) -> None:
    assert _status(entra, token(key=STRANGER, kid="k1")) == 401


def test_unknown_key_id_refetches_once_then_cools_down(entra: TestClient, key_server: KeyServer) -> None:
    assert _status(entra, token()) == 200
    assert key_server.hits == 1
    entra.clock.now += 61  # past the cooldown since the last fetch
    assert _status(entra, token(key=STRANGER, kid="made-up-0")) == 401
    assert key_server.hits == 2
    # A flood of made-up key ids inside the cooldown: every one refused, no further fetch. They
    # could be a key published since, so the answer is 503 with the wait until the next fetch.
    for i in range(1, 60):
        response = entra.get("/jobs", headers=bearer(token(key=STRANGER, kid=f"made-up-{i}")))
        assert response.status_code == 503
        assert 1 <= int(response.headers["retry-after"]) <= 60
    assert key_server.hits == 2
    assert _status(entra, token()) == 200


def test_a_flood_before_any_fetch_fetches_once(entra: TestClient, key_server: KeyServer) -> None:
    assert _status(entra, token(key=STRANGER, kid="made-up")) == 401  # missing from a fresh fetch
    for i in range(30):
        assert _status(entra, token(key=STRANGER, kid=f"made-up-{i}")) == 503
    assert key_server.hits == 1
    assert _status(entra, token()) == 200
    assert key_server.hits == 1


def test_a_rotated_key_is_picked_up(entra: TestClient, key_server: KeyServer) -> None:
    assert _status(entra, token()) == 200
    key_server.keys = [jwk(KEY1, "k1"), jwk(KEY2, "k2")]
    entra.clock.now += 61
    assert _status(entra, token(key=KEY2, kid="k2")) == 200
    assert key_server.hits == 2
    # The old key retired: after the cache's lifetime it is dropped too.
    key_server.keys = [jwk(KEY2, "k2")]
    entra.clock.now += 3601
    assert _status(entra, token(key=KEY2, kid="k2")) == 200
    # Within the cooldown the retired key might be a new one: retry later; then it is invalid.
    refused = entra.get("/jobs", headers=bearer(token()))
    assert refused.status_code == 503
    entra.clock.now += int(refused.headers["retry-after"])
    assert _status(entra, token()) == 401


def test_key_endpoint_down_with_no_cached_keys_is_503_not_500(entra: TestClient, key_server: KeyServer) -> None:
    key_server.failing = True
    response = entra.get("/jobs", headers=bearer(token()))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sign_in_unavailable"
    retry_after = int(response.headers["retry-after"])
    assert retry_after > 0
    # Before the announced time the endpoint is not asked again; at it, it is, and sign-in recovers.
    assert _status(entra, token()) == 503
    assert key_server.hits == 1
    key_server.failing = False
    entra.clock.now += retry_after
    assert _status(entra, token()) == 200


def test_a_new_key_signs_in_within_the_retry_after_it_was_refused_with(
        entra: TestClient, key_server: KeyServer) -> None:
    assert _status(entra, token()) == 200
    key_server.keys = [jwk(KEY1, "k1"), jwk(KEY2, "k2")]  # rotated just after our fetch
    entra.clock.now += 10
    refused = entra.get("/jobs", headers=bearer(token(key=KEY2, kid="k2")))
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "sign_in_unavailable"
    entra.clock.now += int(refused.headers["retry-after"])
    assert _status(entra, token(key=KEY2, kid="k2")) == 200
    assert key_server.hits == 2


def test_an_outage_is_retried_with_backoff_not_per_request(entra: TestClient, key_server: KeyServer) -> None:
    key_server.failing = True
    waits = []
    for _ in range(5):
        for _ in range(10):  # many callers at once cost one fetch
            response = entra.get("/jobs", headers=bearer(token()))
            assert response.status_code == 503
        waits.append(int(response.headers["retry-after"]))
        entra.clock.now += waits[-1]
    assert key_server.hits == 5
    assert waits == [1, 2, 4, 8, 16]  # doubling, capped at the 60 s cooldown


def test_key_endpoint_down_with_cached_keys_keeps_signing_in(entra: TestClient, key_server: KeyServer) -> None:
    assert _status(entra, token()) == 200
    key_server.failing = True
    entra.clock.now += 3601  # the cache is stale; the refetch fails; the last good keys still serve
    assert _status(entra, token()) == 200
    assert key_server.hits == 2
    # An unknown key id cannot be looked up while the endpoint is down: retry, not "invalid".
    assert _status(entra, token(key=STRANGER, kid="made-up")) == 503


def test_key_endpoint_unreachable_is_503(make_entra_client, key_server: KeyServer) -> None:  # noqa: ANN001
    client = make_entra_client(entra_jwks_url="http://127.0.0.1:9/keys")
    assert _status(client, token()) == 503


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"exp": 1_000_000_000}, "expired"),
        ({"nbf": 4_000_000_000}, "not yet valid"),
        ({"aud": "api://someone-else"}, "wrong audience"),
        ({"iss": "https://login.microsoftonline.com/evil/v2.0"}, "wrong issuer"),
        ({"iss": V1_ISSUER}, "v1 issuer while v1 is not accepted"),
        ({"iss": f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0", "tid": OTHER_TENANT}, "other tenant"),
        ({"tid": OTHER_TENANT}, "tenant claim does not match the issuer"),
        ({"oid": None}, "missing oid"),
        ({"tid": None}, "missing tid"),
        ({"exp": None}, "missing exp"),
        ({"oid": 12345}, "oid not a string"),
    ],
)
def test_bad_claims_are_401(entra: TestClient, overrides: dict, why: str) -> None:
    assert _status(entra, token(**overrides)) == 401, why


def test_expiry_has_a_small_leeway(entra: TestClient) -> None:
    import time

    assert _status(entra, token(exp=int(time.time()) - 30)) == 200
    assert _status(entra, token(exp=int(time.time()) - 120)) == 401


def test_client_id_audience_and_v1_tokens_when_configured(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(entra_accept_v1=True)
    assert _status(client, token(aud=CLIENT_ID)) == 200
    assert _status(client, token(iss=V1_ISSUER, ver="1.0")) == 200


def test_a_huge_token_is_401(entra: TestClient, key_server: KeyServer) -> None:
    assert _status(entra, token(padding="x" * 10_000)) == 401
    huge_kid = token(kid="k" * 5000)
    assert _status(entra, huge_kid) == 401
    assert key_server.hits == 0


def test_missing_key_id_is_401(entra: TestClient) -> None:
    assert _status(entra, token(kid=None)) == 401


def test_the_signed_in_user_is_keyed_by_oid_and_tid(entra: TestClient) -> None:
    job = entra.post("/generate", json={"prompt": "x"}, headers=bearer(token())).json()
    # Same display name and e-mail, another oid: another person, who cannot see the job.
    impostor = token(oid="oid-mallory", name="Alice", preferred_username="alice@example.com")
    assert entra.get(f"/jobs/{job['job_id']}", headers=bearer(impostor)).status_code == 404
    assert entra.get(f"/jobs/{job['job_id']}", headers=bearer(token())).status_code == 200


def test_entra_without_an_audience_refuses_to_start(settings) -> None:  # noqa: ANN001
    from auth.entra import EntraValidator
    from auth.keys import KeyCache

    cfg = settings.model_copy(update={"entra_tenant_id": "t", "entra_audience": []})
    with pytest.raises(ValueError, match="BAG_ENTRA_AUDIENCE"):
        EntraValidator(cfg, KeyCache("https://127.0.0.1:9/keys"))


def test_a_plain_http_key_set_url_is_refused_unless_the_test_setting_allows_it(settings) -> None:  # noqa: ANN001
    from api.container import build_entra
    from auth.keys import KeyCache

    with pytest.raises(ValueError, match="BAG_ALLOW_HTTP_IDENTITY_URLS_FOR_TESTS"):
        KeyCache("http://login.example.com/keys")
    cfg = settings.model_copy(update={"entra_tenant_id": "t", "entra_audience": ["api://x"],
                                      "entra_jwks_url": "HTTP://127.0.0.1:9/keys"})
    with pytest.raises(ValueError, match="https://"):
        build_entra(cfg)
    allowed = build_entra(cfg.model_copy(update={"allow_http_identity_urls_for_tests": True}))
    assert allowed is not None and allowed.keys.url == "HTTP://127.0.0.1:9/keys"
    assert build_entra(cfg.model_copy(update={"entra_jwks_url": ""})).keys.url.startswith("https://")
