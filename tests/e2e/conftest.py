"""Starts the real product (`bentoml serve`, both services, the demo model) on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK_SECRET = "e2e-link-secret-e2e-link-secret"
sys.path.insert(0, str(ROOT / "clients" / "python"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """SIGKILL the whole server (arbiter, API and runner processes): a crash, not a shutdown."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(data_dir: Path, log: Path, **env_overrides: str) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "BAG_DATA_DIR": str(data_dir),
        "BAG_DEV_AUTH": "1",
        "BAG_LINK_SECRET": LINK_SECRET,
        "BAG_LEASE_SECONDS": "3",
        "BENTOML_DO_NOT_TRACK": "true",
        "HF_HUB_OFFLINE": "1",
        **env_overrides,
    }
    bentoml = Path(sys.executable).parent / "bentoml"
    out = log.open("ab")
    process = subprocess.Popen(
        [str(bentoml), "serve", "service:Api", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, log)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).json().get("runner_ready"):
                return server
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"server not ready in time:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def e2e_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the session, so the demo model is built once."""
    return tmp_path_factory.mktemp("e2e-data")


@pytest.fixture(scope="session")
def server(e2e_data_dir: Path) -> Iterator[Server]:
    srv = start_server(e2e_data_dir, e2e_data_dir / "server.log")
    yield srv
    srv.stop()
