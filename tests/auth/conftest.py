"""Entra ID sign-in against a real key endpoint: keys the tests generate, a JWKS served over HTTP
on loopback (with a fetch counter and an off switch), and tokens signed like Entra signs them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.app import create_app
from settings import Settings
from tests.api.conftest import wait_for
from tests.fake_runner import FakeRunner

TENANT = "11111111-2222-3333-4444-555555555555"
OTHER_TENANT = "99999999-8888-7777-6666-555555555555"
CLIENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
APP_ID_URI = f"api://{CLIENT_ID}"
V2_ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
V1_ISSUER = f"https://sts.windows.net/{TENANT}/"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


# Generated once per session: RSA key generation is the slow part.
KEY1 = new_key()
KEY2 = new_key()
STRANGER = new_key()


def jwk(key: rsa.RSAPrivateKey, kid: str) -> dict:
    entry = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**entry, "kid": kid, "use": "sig", "alg": "RS256"}


class KeyServer:
    """Serves a JWKS document; `keys` and `failing` may be changed while it runs."""

    def __init__(self) -> None:
        self.keys: list[dict] = [jwk(KEY1, "k1")]
        self.failing = False
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.hits += 1
                if server.failing:
                    self.send_response(500)
                    self.end_headers()
                    return
                body = json.dumps({"keys": server.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/discovery/v2.0/keys"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def key_server() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.close()


def claims(**overrides: object) -> dict:
    now = int(time.time())
    base = {
        "iss": V2_ISSUER, "aud": APP_ID_URI, "tid": TENANT, "oid": "oid-alice", "name": "Alice",
        "preferred_username": "alice@example.com", "roles": ["Generator.Use"], "ver": "2.0",
        "iat": now, "nbf": now, "exp": now + 3600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def token(key: rsa.RSAPrivateKey = KEY1, kid: str | None = "k1", **overrides: object) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims(**overrides), key, algorithm="RS256", headers=headers)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


class Clock:
    """Stands in for the key cache's monotonic clock, so TTL and cooldown need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def entra_settings(settings: Settings, key_server: KeyServer) -> Settings:
    return settings.model_copy(update={
        "dev_auth": False,
        "entra_tenant_id": TENANT,
        "entra_audience": [APP_ID_URI, CLIENT_ID],
        "entra_jwks_url": key_server.url,
        "allow_http_identity_urls_for_tests": True,  # key set and Graph are plain HTTP on loopback
    })


@pytest.fixture
def make_entra_client(entra_settings: Settings) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        cfg = entra_settings.model_copy(update=overrides)
        client = TestClient(create_app(cfg, FakeRunner(), listening=["127.0.0.1"]))
        client.__enter__()
        clients.append(client)
        wait_for(lambda: client.get("/health").json()["runner_ready"])
        client.clock = Clock()  # type: ignore[attr-defined]
        client.app.state.services.entra.keys.clock = client.clock  # type: ignore[attr-defined]
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def entra(make_entra_client: Callable[..., TestClient]) -> TestClient:
    return make_entra_client()
