"""The development sign-in: who it makes you, and where it refuses to run."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from auth import dev
from auth.models import NotAuthenticated
from settings import Settings
from tests.fake_runner import FakeRunner


def test_dev_token_names_the_user() -> None:
    user = dev.user_from_authorization("Bearer dev:alice")
    assert (user.oid, user.tid, user.name) == ("dev-alice", dev.DEV_TENANT, "alice")


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic dev:alice", "Bearer alice", "Bearer dev:", "Bearer dev: a",
                                    "Bearer dev:alice\n", "Bearer dev:a\x00", "Bearer dev:\u00e9"])
def test_malformed_dev_tokens_are_refused(header: str | None) -> None:
    with pytest.raises(NotAuthenticated):
        dev.user_from_authorization(header)


def test_refused_when_listening_beyond_localhost() -> None:
    with pytest.raises(RuntimeError, match="0.0.0.0"):
        dev.check_dev_auth_allowed(["127.0.0.1", "0.0.0.0"], force=False)
    dev.check_dev_auth_allowed(["127.0.0.1", "::1"], force=False)
    dev.check_dev_auth_allowed(["0.0.0.0"], force=True)


def test_server_will_not_start_with_dev_sign_in_on_a_public_address(settings: Settings) -> None:
    app = create_app(settings, FakeRunner(), listening=["0.0.0.0"])
    with pytest.raises(RuntimeError, match="Development sign-in"):
        with TestClient(app):
            pass


def test_without_dev_sign_in_every_route_needs_a_real_sign_in(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"dev_auth": False}), FakeRunner())
    with TestClient(app) as client:
        response = client.get("/jobs", headers={"Authorization": "Bearer dev:alice"})
        assert response.status_code == 401


def test_listening_addresses_reads_this_process_sockets() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert "127.0.0.1" in dev.listening_addresses()
