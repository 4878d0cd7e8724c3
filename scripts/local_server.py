"""Start the real product (`bentoml serve`, both services) on a free local port, for tests and benchmarks."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free loopback port below the ephemeral range. A port the kernel hands out (bind to 0) is in
    that range, where an outgoing connection (there are many, to PostgreSQL and between processes)
    can take it between our pick and the server's bind: that failed one start in a few on a busy
    machine ("Could not bind")."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(200):
        port = random.randrange(10_000, low)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen
    log: Path

    def _tree(self) -> list[psutil.Process]:
        # BentoML's workers each start a session of their own, so a process group does not hold
        # them: walk the tree instead.
        try:
            parent = psutil.Process(self.process.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kill(self) -> None:
        """SIGKILL every process of the server (arbiter, API, runner) at once: a crash, not a shutdown."""
        tree = self._tree()
        for proc in tree:
            try:
                proc.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(tree, timeout=30)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        tree = self._tree()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        _, alive = psutil.wait_procs(tree, timeout=30)
        if alive:
            self.kill()


def start_server(data_dir: Path, log: Path, *, target: str = "service:Api", cwd: Path = ROOT,
                 python: Path | None = None, **env_overrides: str) -> Server:
    """`bentoml serve target` from `cwd`: the source tree's service by default, or a built Bento by its
    tag. `python` runs BentoML (`python -m bentoml`) instead of this environment's `bentoml`."""
    port = free_port()
    env = {
        **os.environ,
        "BAG_DATA_DIR": str(data_dir),
        "BAG_DEV_AUTH": "1",
        "BENTOML_DO_NOT_TRACK": "true",
        "HF_HUB_OFFLINE": "1",
        **env_overrides,
    }
    bentoml = [str(Path(sys.executable).parent / "bentoml")] if python is None else [str(python), "-m", "bentoml"]
    out = log.open("ab")
    process = subprocess.Popen(
        [*bentoml, "serve", target, "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, log)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None or b"Application startup failed" in log.read_bytes():
            server.stop()
            raise RuntimeError(f"server did not start:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).json().get("runner_ready"):
                return server
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"server not ready in time:\n{log.read_text()[-4000:]}")
