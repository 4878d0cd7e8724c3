"""The container image, for real (`make test-image`; opt-in and slow, not part of `make test`).

Builds the image (`make image`, CPU torch) unless BAG_IMAGE names one already built, then runs it
with podman on a mounted data directory holding nothing but what the demo model builds itself:
- one box: no arguments, both services, a job submitted over HTTP and its images downloaded;
- the two roles apart: `bentoml serve service:Runner` in one container, the default command with
  BAG_RUNNER_URL in another, and a job through the API that the runner container renders.

Timings (build, image size, cold start) are printed (run with -s).

Where no registry is reachable, BASE=debian (the default here) makes python:3.11-slim from
Debian's packages, and a CPU torch wheel that pip can get on this machine is served to the build
as an index on loopback (TORCH_INDEX overrides it, e.g. https://download.pytorch.org/whl/cpu).
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from scripts.local_server import ROOT, free_port

ALICE = {"Authorization": "Bearer dev:alice"}
# The in-image bento: its source is where `bentoml serve service:Runner` imports the runner from.
BENTO_SRC = "/home/bentoml/bento/src"
BENTO_UID = 1034  # the user the generated Dockerfile runs as
TORCH_CPU = "torch==2.13.0+cpu"  # the Makefile's development pin
# Debian's podman runs containers here only with these limits, vfs storage (as `make image`), and
# runc: its default crun refuses a host with cgroups in hybrid (v1 + v2) mode.
RUN_FLAGS = ["-d", "--rm", "--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
# Host networking, listening on loopback only (development sign-in refuses 0.0.0.0).
LOOPBACK = {"BENTOML_HOST": "127.0.0.1"}
ENV = {**os.environ, "STORAGE_DRIVER": os.environ.get("STORAGE_DRIVER", "vfs")}


def podman(*args: str, check: bool = True) -> str:
    runtime = ["--runtime", "runc"] if shutil.which("runc") else []
    done = subprocess.run(["podman", *runtime, *args], env=ENV, capture_output=True, text=True)
    assert not check or done.returncode == 0, f"podman {' '.join(args)}: {done.stderr}"
    return done.stdout


def _serve_torch_index(root: Path) -> str:
    """A one-package simple index of the CPU torch wheel, served on loopback for the build."""
    project = root / "simple" / "torch"
    project.mkdir(parents=True, exist_ok=True)
    if not list(project.glob("*.whl")):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", str(project), TORCH_CPU], check=True)
    links = "".join(f'<a href="{w.name}">{w.name}</a>\n' for w in project.glob("*.whl"))
    (project / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/simple"


@pytest.fixture(scope="module")
def image() -> str:
    missing = [tool for tool in ("podman", "runc") if shutil.which(tool) is None]
    if missing:
        subprocess.run([str(ROOT / "scripts" / "apt_install.sh"), *missing], check=True)
    if name := os.environ.get("BAG_IMAGE"):
        return name
    index = os.environ.get("TORCH_INDEX") or _serve_torch_index(ROOT / "build" / "torch-index")
    started = time.monotonic()
    subprocess.run(["make", "image", f"BASE={os.environ.get('BASE', 'debian')}", f"TORCH_INDEX={index}"],
                   cwd=ROOT, env=ENV, check=True)
    tag = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    name = f"brand-asset-generator:{tag}"
    size = int(podman("image", "inspect", "--format", "{{.Size}}", name).strip())
    print(f"\n[image] {name} built in {(time.monotonic() - started) / 60:.1f} min, {size / 1e9:.2f} GB")
    return name


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty volume the image's user can write: the demo model is built into it on first use."""
    data = tmp_path / "data"
    data.mkdir()
    if os.getuid() == 0:
        os.chown(data, BENTO_UID, BENTO_UID)
    else:
        data.chmod(0o777)
    return data


class Containers:
    def __init__(self) -> None:
        self.ids: list[str] = []

    def run(self, image: str, data: Path, env: dict[str, str], *command: str) -> str:
        flags = [f"--env={k}={v}" for k, v in env.items()]
        cid = podman("run", *RUN_FLAGS, "-v", f"{data}:/data", *flags, image, *command).strip()
        self.ids.append(cid)
        return cid

    def logs(self) -> str:
        return "\n".join(podman("logs", "--tail", "60", c, check=False) for c in self.ids)

    def stop(self) -> None:
        for cid in self.ids:
            podman("stop", "-t", "20", cid, check=False)


@pytest.fixture
def containers() -> Iterator[Containers]:
    running = Containers()
    yield running
    running.stop()


def wait_ready(url: str, containers: Containers, timeout: float = 300) -> float:
    """Seconds until the API's /health says its runner is ready."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if httpx.get(f"{url}/health", timeout=2).json().get("runner_ready"):
                return time.monotonic() - started
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} not ready in {timeout} s:\n{containers.logs()}")


def render_one_job(url: str, containers: Containers) -> None:
    body = {"prompt": "a lighthouse at dusk", "width": 512, "height": 384, "num_images": 2, "seed": 3}
    submitted = httpx.post(f"{url}/generate", json=body, headers=ALICE, timeout=10)
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["job_id"]
    deadline = time.monotonic() + 300
    while (job := httpx.get(f"{url}/jobs/{job_id}", headers=ALICE, timeout=10).json())["status"] not in (
            "complete", "failed"):
        assert time.monotonic() < deadline, f"job {job_id} not done: {job}\n{containers.logs()}"
        time.sleep(0.5)
    assert job["status"] == "complete", f"{job}\n{containers.logs()}"
    assert len(job["images"]) == 2
    for image in job["images"]:
        response = httpx.get(image["url"], timeout=10)
        assert response.status_code == 200
        assert Image.open(io.BytesIO(response.content)).size == (512, 384)


def test_one_box_image_serves_a_job_with_the_demo_model(image: str, data_dir: Path, containers: Containers) -> None:
    port = free_port()
    started = time.monotonic()
    containers.run(image, data_dir, {"BAG_DATA_DIR": "/data", **LOOPBACK, "BAG_DEV_AUTH": "1", "BENTOML_PORT": str(port)})
    url = f"http://127.0.0.1:{port}"
    cold = wait_ready(url, containers)
    print(f"\n[image] one box: ready {cold:.0f} s after podman run ({time.monotonic() - started:.0f} s in all)")
    render_one_job(url, containers)
    assert (data_dir / "models" / "demo-flux" / "model_index.json").is_file()  # weights live on the volume


def test_runner_role_and_api_role_from_the_same_image(image: str, data_dir: Path, containers: Containers) -> None:
    runner_port, api_port = free_port(), free_port()
    containers.run(image, data_dir, {"BAG_DATA_DIR": "/data", **LOOPBACK},
                   "bentoml", "serve", "service:Runner", "--working-dir", BENTO_SRC, "--port", str(runner_port))
    containers.run(image, data_dir, {"BAG_DATA_DIR": "/data", **LOOPBACK, "BAG_DEV_AUTH": "1", "BENTOML_PORT": str(api_port),
                                     "BAG_RUNNER_URL": f"http://127.0.0.1:{runner_port}"})
    url = f"http://127.0.0.1:{api_port}"
    cold = wait_ready(url, containers)
    print(f"\n[image] runner + API roles: ready {cold:.0f} s after podman run")
    # The runner role answers on its own port, and the API role renders through it.
    assert httpx.get(f"http://127.0.0.1:{runner_port}/readyz", timeout=5).status_code == 200
    render_one_job(url, containers)
