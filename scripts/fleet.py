"""Start the product scaled out on this box, for the scale-out test and benchmark: several runners
behind one haproxy address, several API replicas on one PostgreSQL, images in Azurite.

    with start_fleet(workdir, database_url=..., model_from=...) as fleet:
        fleet.api_urls, fleet.runners[0].kill(), fleet.stored_keys(job_id)

The migrate step runs once before any replica starts, as a deployment would run it. Every process
logs to `<workdir>/logs/`; `stop()` always takes everything down, and leaving the `with` block on
an exception prints the end of every log first.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from scripts.local_server import ROOT, Server, free_port

BIN = Path(sys.executable).parent
LINK_SECRET = "fleet-link-secret-fleet-link-secret"
START_TIMEOUT_S = 300  # runners load torch and the model; two cores shared by every process


@dataclass
class Member(Server):
    """One process of the fleet (a runner, an API replica, haproxy); `kill()` SIGKILLs its whole tree."""

    name: str = ""
    # How it was started, so a test can start it again after stopping it (`restart()`).
    argv: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def restart(self) -> None:
        """Start it again, as before (same port, environment and log), once it has exited."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)


@dataclass
class Fleet:
    workdir: Path
    data_dir: Path
    database_url: str
    runners: list[Member]
    apis: list[Member]
    balancer: Member
    runner_url: str  # haproxy in front of the runners: what every replica's BAG_RUNNER_URL names
    api_lb_url: str | None = None  # haproxy in front of every API replica (start_fleet(api_balancer=True))
    api_one_url: str | None = None  # the same haproxy in front of the first replica only
    azurite: Any = None
    storage_container: str = "images"
    extra: list[Member] = field(default_factory=list)

    @property
    def api_urls(self) -> list[str]:
        return [a.url for a in self.apis]

    @property
    def runner_ids(self) -> list[str]:
        return [r.name for r in self.runners]

    def set_runner_enabled(self, name: str, enabled: bool) -> None:
        """Put a runner in or out of haproxy's rotation (its runtime API), without stopping it."""
        backend_server = f"runners/runner{self.runner_ids.index(name)}"
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.workdir / "haproxy.sock"))
            sock.sendall(f"{'enable' if enabled else 'disable'} server {backend_server}\n".encode())
            answer = sock.makefile().read().strip()
        if answer:
            raise RuntimeError(f"haproxy refused to change {backend_server}: {answer}")

    def stored_keys(self, prefix: str) -> list[str]:
        """Every stored object under `prefix` (a job id), read from the store itself."""
        if self.azurite is not None:
            from azure.storage.blob import ContainerClient

            from scripts.azurite import API_VERSION

            container = ContainerClient.from_connection_string(self.azurite.connection_string, self.storage_container,
                                                               api_version=API_VERSION)
            with container:
                return sorted(b.name for b in container.list_blobs(name_starts_with=f"{prefix}/"))
        root = self.data_dir / "images"
        return sorted(str(p.relative_to(root)) for p in (root / prefix).rglob("*") if p.is_file())

    def logs_tail(self, lines: int = 40) -> str:
        parts = []
        for log in [*sorted((self.workdir / "logs").glob("*.log")), *(self.workdir / "azurite").glob("*.log")]:
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"===== {log.name} (last {len(tail)} lines) =====\n" + "\n".join(tail))
        return "\n".join(parts)

    def stop(self) -> None:
        """APIs first (they stop dispatching), then runners, haproxy and Azurite; never raises."""
        for member in [*self.apis, *self.runners, self.balancer, *self.extra]:
            try:
                member.stop()
            except Exception as exc:  # noqa: BLE001 - the rest must still be stopped
                print(f"fleet: stopping {member.name} failed: {exc!r}", file=sys.stderr)
        if self.azurite is not None:
            try:
                self.azurite.stop()
            except Exception as exc:  # noqa: BLE001
                print(f"fleet: stopping Azurite failed: {exc!r}", file=sys.stderr)

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, exc_type: type | None, *_: object) -> None:
        try:
            if exc_type is not None:
                print(f"\nfleet logs ({self.workdir / 'logs'}):\n{self.logs_tail()}", file=sys.stderr)
        finally:
            self.stop()


def haproxy_config(runner_port: int, runner_ports: list[int], api_ports: list[int],
                   api_lb_port: int | None, api_one_port: int | None, admin_socket: Path) -> str:
    """Round robin over the runners, a dead one's connect failures retried on another; renders are long."""

    def servers(prefix: str, ports: list[int], check: str) -> str:
        return "".join(f"    server {prefix}{i} 127.0.0.1:{p} check inter 1s fall 2 rise 1\n"
                       for i, p in enumerate(ports)) + f"    option httpchk GET {check}\n"

    # `retries 3` + `option redispatch 1`: a refused connection (a killed runner, before its health
    # checks have marked it down) is retried on another server at once, instead of answering 503.
    text = f"""global
    maxconn 4096
    stats socket {admin_socket} mode 600 level admin

defaults
    mode http
    log stdout format raw local0
    option httplog
    balance roundrobin
    retries 3
    option redispatch 1
    timeout connect 2s
    timeout client 3600s
    timeout server 3600s
    timeout http-keep-alive 60s

frontend runners
    bind 127.0.0.1:{runner_port}
    default_backend runners

backend runners
{servers("runner", runner_ports, "/readyz")}"""
    if api_lb_port is not None and api_one_port is not None:
        text += f"""
frontend apis
    bind 127.0.0.1:{api_lb_port}
    default_backend apis

backend apis
{servers("api", api_ports, "/livez")}
frontend api_one
    bind 127.0.0.1:{api_one_port}
    default_backend api_one

backend api_one
{servers("api", api_ports[:1], "/livez")}"""
    return text


def _spawn(name: str, argv: list[str], env: dict[str, str], logs: Path, url: str, data_dir: Path) -> Member:
    log = logs / f"{name}.log"
    out = log.open("ab")
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    out.close()
    return Member(url=url, data_dir=data_dir, process=process, log=log, name=name, argv=argv, env=env)


def _wait_ready(member: Member, ready: Callable[[httpx.Response], bool], path: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if not member.alive or b"Application startup failed" in member.log.read_bytes():
            raise RuntimeError(f"{member.name} did not start:\n{member.log.read_text(errors='replace')[-4000:]}")
        try:
            if ready(httpx.get(f"{member.url}{path}", timeout=2)):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{member.name} not ready in time:\n{member.log.read_text(errors='replace')[-4000:]}")


def migrate(database_url: str, env: dict[str, str], logs: Path) -> None:
    """The deployment's one migrate step, before any replica starts."""
    log = logs / "migrate.log"
    with log.open("ab") as out:
        done = subprocess.run([str(BIN / "python"), "-m", "jobs.migrate"], cwd=ROOT, stdout=out,
                              stderr=subprocess.STDOUT, env={**env, "BAG_DATABASE_URL": database_url}, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"python -m jobs.migrate failed ({done.returncode}):\n{log.read_text()[-4000:]}")


def start_fleet(workdir: Path, *, database_url: str, runners: int = 2, apis: int = 2, storage: str = "azure",
                model_from: Path | None = None, api_balancer: bool = False, api_env: dict[str, str] | None = None,
                runner_env: dict[str, str] | None = None) -> Fleet:
    """Migrate, then start Azurite (storage="azure"), the runners, haproxy and the API replicas.

    `model_from`: a directory holding an already built demo model (`models/demo-flux`), linked in
    so the runners do not build it again. Returns once every runner answers and every replica
    reports its runner ready; on any failure everything started so far is stopped.
    """
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    data_dir = workdir / "data"
    (data_dir / "models").mkdir(parents=True, exist_ok=True)
    if model_from is not None and not (data_dir / "models" / "demo-flux").exists():
        (data_dir / "models" / "demo-flux").symlink_to((model_from / "models" / "demo-flux").resolve())
    base_env = {**os.environ, "BAG_DATA_DIR": str(data_dir), "BENTOML_DO_NOT_TRACK": "true", "HF_HUB_OFFLINE": "1",
                "PYTHONUNBUFFERED": "1", "BAG_DATABASE_URL": database_url}
    migrate(database_url, base_env, logs)

    ports = set()
    while len(ports) < runners + apis + 3:  # distinct, though each pick is free on its own
        ports.add(free_port())
    runner_ports, rest = sorted(ports)[:runners], sorted(ports)[runners:]
    api_ports, (lb_port, api_lb_port, api_one_port) = rest[:apis], rest[apis:]
    if not api_balancer:
        api_lb_port = api_one_port = None
    bentoml = str(BIN / "bentoml")
    started: list[Member] = []
    azurite = None
    try:
        storage_env: dict[str, str] = {"BAG_STORAGE": storage}
        if storage == "azure":
            from scripts.azurite import API_VERSION, start_azurite

            azurite = start_azurite(workdir / "azurite")
            storage_env.update(BAG_AZURE_STORAGE_CONNECTION_STRING=azurite.connection_string,
                               BAG_AZURE_STORAGE_CONTAINER="images", BAG_AZURE_STORAGE_API_VERSION=API_VERSION)
        runner_members = [
            _spawn(f"runner-{i}", [bentoml, "serve", "service:Runner", "--host", "127.0.0.1", "--port", str(port)],
                   {**base_env, **storage_env, "BAG_RUNNER_STATE": "database", "BAG_RUNNER_ID": f"runner-{i}",
                    **(runner_env or {})}, logs, f"http://127.0.0.1:{port}", data_dir)
            for i, port in enumerate(runner_ports)]
        started += runner_members
        config = workdir / "haproxy.cfg"
        config.write_text(haproxy_config(lb_port, runner_ports, api_ports, api_lb_port, api_one_port,
                                         workdir / "haproxy.sock"))
        balancer = _spawn("haproxy", ["haproxy", "-db", "-f", str(config)], base_env, logs,
                          f"http://127.0.0.1:{lb_port}", data_dir)
        started.append(balancer)
        api_members = [
            _spawn(f"api-{i}", [bentoml, "serve", "service:Api", "--host", "127.0.0.1", "--port", str(port)],
                   {**base_env, **storage_env, "BAG_RUNNER_URL": balancer.url, "BAG_LINK_SECRET": LINK_SECRET,
                    "BAG_DEV_AUTH": "1", "BAG_MIGRATE_ON_START": "false", **(api_env or {})},
                   logs, f"http://127.0.0.1:{port}", data_dir)
            for i, port in enumerate(api_ports)]
        started += api_members
        deadline = time.monotonic() + START_TIMEOUT_S
        checks = [(r, lambda resp: resp.status_code == 200, "/readyz") for r in runner_members]
        checks += [(a, lambda resp: bool(resp.json().get("runner_ready")), "/health") for a in api_members]
        with ThreadPoolExecutor(len(checks)) as pool:
            for waited in [pool.submit(_wait_ready, m, ok, path, deadline) for m, ok, path in checks]:
                waited.result()
    except BaseException:
        for member in reversed(started):
            member.stop()
        if azurite is not None:
            azurite.stop()
        raise
    return Fleet(workdir=workdir, data_dir=data_dir, database_url=database_url, runners=runner_members,
                 apis=api_members, balancer=balancer, runner_url=balancer.url,
                 api_lb_url=f"http://127.0.0.1:{api_lb_port}" if api_lb_port else None,
                 api_one_url=f"http://127.0.0.1:{api_one_port}" if api_one_port else None, azurite=azurite)
