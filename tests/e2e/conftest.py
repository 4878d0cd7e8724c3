"""Starts the real product (`bentoml serve`, both services, the demo model) on a free port."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import local_server
from scripts.local_server import ROOT, Server

LINK_SECRET = "e2e-link-secret-e2e-link-secret"
sys.path.insert(0, str(ROOT / "clients" / "python"))


def start_server(data_dir: Path, log: Path) -> Server:
    # A short lease so the crash test sees the interrupted job taken over within seconds.
    return local_server.start_server(data_dir, log, BAG_LINK_SECRET=LINK_SECRET, BAG_LEASE_SECONDS="3")


@pytest.fixture(scope="session")
def e2e_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the session, so the demo model is built once."""
    return tmp_path_factory.mktemp("e2e-data")


@pytest.fixture(scope="session")
def server(e2e_data_dir: Path) -> Iterator[Server]:
    from models.demo import ensure_demo_model
    from tests.lora_factory import make_style

    demo = ensure_demo_model(e2e_data_dir).path
    make_style(e2e_data_dir / "styles", "acme", demo, seed=1, trigger_words=["acme style"])
    srv = start_server(e2e_data_dir, e2e_data_dir / "server.log")
    yield srv
    srv.stop()
