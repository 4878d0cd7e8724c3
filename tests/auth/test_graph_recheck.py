"""With Graph credentials, a token whose owner has not signed in lately is re-checked in Graph, at
most once per interval: against a Graph (and token endpoint) served on loopback, never the internet."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from auth.access import OwnerAccess
from tests.auth.conftest import TENANT, bearer, token

ALICE = bearer(token())
APP_ID = "api-app-id"
SP_ID = "sp-object-id"
USE_ROLE_ID = "role-use-id"


class FakeGraph:
    """Microsoft's token endpoint and the few Graph calls auth/graph.py makes; `roles` and
    `enabled` say what Graph answers for oid-alice."""

    def __init__(self) -> None:
        self.roles = [USE_ROLE_ID]
        self.enabled = True
        self.calls: list[str] = []
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                graph.calls.append("token")
                assert self.path == f"/{TENANT}/oauth2/v2.0/token"
                assert form["grant_type"] == ["client_credentials"] and form["client_id"] == [APP_ID]
                self._send(200, {"access_token": "app-token", "expires_in": 3600})

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                assert self.headers["Authorization"] == "Bearer app-token"
                graph.calls.append(url.path)
                if url.path == "/v1.0/users/oid-alice":
                    self._send(200, {"id": "oid-alice", "accountEnabled": graph.enabled})
                elif url.path == f"/v1.0/servicePrincipals(appId='{APP_ID}')":
                    self._send(200, {"id": SP_ID, "appRoles": [
                        {"id": USE_ROLE_ID, "value": "Generator.Use"}, {"id": "role-admin-id", "value": "Generator.Admin"},
                        {"id": "role-other", "value": "Other.Role"}]})
                elif url.path == "/v1.0/users/oid-alice/appRoleAssignments":
                    assert parse_qs(url.query)["$filter"] == [f"resourceId eq {SP_ID}"]
                    self._send(200, {"value": [{"appRoleId": r, "resourceId": SP_ID} for r in graph.roles]})
                else:  # another user, or anything else: Graph's "not found"
                    self._send(404, {"error": {"code": "Request_ResourceNotFound"}})

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    server = FakeGraph()
    yield server
    server.close()


@pytest.fixture
def client(make_entra_client, graph: FakeGraph) -> TestClient:  # noqa: ANN001
    return make_entra_client(graph_client_id=APP_ID, graph_client_secret="s3cret", graph_url=graph.url,
                             login_url=graph.url, access_recheck_seconds=3600)


def _pat_with_stale_confirmation(client: TestClient) -> dict:
    secret = client.post("/tokens", json={"name": "tool"}, headers=ALICE).json()["token"]
    with Session(client.app.state.services.store.engine) as s:
        row = s.exec(select(OwnerAccess)).one()
        row.checked_at -= timedelta(hours=2)
        s.add(row)
        s.commit()
    return bearer(secret)


def test_graph_confirms_a_stale_owner_once_per_interval(client: TestClient, graph: FakeGraph) -> None:
    pat = _pat_with_stale_confirmation(client)
    for _ in range(5):
        assert client.get("/jobs", headers=pat).status_code == 200
    assert graph.calls.count("/v1.0/users/oid-alice/appRoleAssignments") == 1
    assert graph.calls.count("token") == 1
    with Session(client.app.state.services.store.engine) as s:
        assert s.exec(select(OwnerAccess)).one().source == "graph"


def test_graph_saying_the_role_is_gone_stops_the_token(client: TestClient, graph: FakeGraph) -> None:
    graph.roles = ["role-other"]
    pat = _pat_with_stale_confirmation(client)
    refused = client.get("/jobs", headers=pat)
    assert refused.status_code == 401
    assert "no longer has access" in refused.json()["error"]["message"]
    assert client.get("/jobs", headers=pat).status_code == 401
    assert len([c for c in graph.calls if c.endswith("appRoleAssignments")]) == 1  # "no" stands for the interval


def test_a_disabled_account_stops_the_token(client: TestClient, graph: FakeGraph) -> None:
    graph.enabled = False
    assert client.get("/jobs", headers=_pat_with_stale_confirmation(client)).status_code == 401


def test_graph_unreachable_confirms_nothing(make_entra_client) -> None:  # noqa: ANN001
    client = make_entra_client(graph_client_id=APP_ID, graph_client_secret="s3cret", graph_url="http://127.0.0.1:9",
                               login_url="http://127.0.0.1:9", graph_timeout_seconds=1,
                               access_recheck_seconds=3600)
    refused = client.get("/jobs", headers=_pat_with_stale_confirmation(client))
    assert refused.status_code == 401
    assert "signed in recently" in refused.json()["error"]["message"]


def test_an_owner_deleted_from_the_tenant_stops_the_token(client: TestClient, graph: FakeGraph) -> None:
    bob = bearer(token(oid="oid-bob"))
    secret = client.post("/tokens", json={"name": "tool"}, headers=bob).json()["token"]
    with Session(client.app.state.services.store.engine) as s:
        row = s.exec(select(OwnerAccess)).one()
        row.checked_at -= timedelta(hours=2)
        s.add(row)
        s.commit()
    refused = client.get("/jobs", headers=bearer(secret))
    assert refused.status_code == 401
    assert "no longer has access" in refused.json()["error"]["message"]


def test_concurrent_requests_of_one_stale_owner_share_one_graph_lookup(settings) -> None:  # noqa: ANN001
    import asyncio

    from auth.access import AccessLedger
    from auth.models import User
    from jobs.db import get_engine, migrate

    migrate(settings.sqlalchemy_url)
    asked: list[str] = []

    async def graph(oid: str) -> bool:
        asked.append(oid)
        await asyncio.sleep(0.05)  # in flight while the other requests arrive
        return True

    ledger = AccessLedger(get_engine(settings.sqlalchemy_url), 3600, graph)
    owner = User(oid="oid-alice", tid=TENANT, token_id="t1")

    async def many() -> None:
        await asyncio.gather(*(ledger.require(owner) for _ in range(5)))  # none refused

    asyncio.run(many())
    assert asked == ["oid-alice"]


@pytest.mark.parametrize("field", ["graph_url", "login_url"])
def test_graph_refuses_plain_http_unless_the_test_setting_allows_it(entra_settings, field: str) -> None:  # noqa: ANN001
    # Settings built without validation (model_copy) are checked again where the secret is sent.
    from auth.graph import GraphAccess

    cfg = entra_settings.model_copy(update={field: "http://graph.example.com",
                                            "allow_http_identity_urls_for_tests": False})
    with pytest.raises(ValueError, match="BAG_ALLOW_HTTP_IDENTITY_URLS_FOR_TESTS"):
        GraphAccess(cfg)
    assert GraphAccess(cfg.model_copy(update={"allow_http_identity_urls_for_tests": True})) is not None
