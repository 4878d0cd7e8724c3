"""The built Bento serves the product on its own: what a platform team deploys is what runs here.

The Bento is built into a BentoML home of its own and served by its tag (`bentoml serve <tag>`) from a
directory outside the source tree, by a Python that sees the product's dependencies but not the
product (tests/deps_only_python.py). So every module the services import comes from the Bento's src/:
a file bentofile.yaml forgets to include fails here, as it would in the container. With the demo
model and the development sign-in, a job goes from submission to PNGs downloaded through its links.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from PIL import Image

from scripts.local_server import Server, start_server
from tests.built_bento import build_bento
from tests.deps_only_python import deps_only_python

pytestmark = pytest.mark.e2e
ALICE = {"Authorization": "Bearer dev:alice"}


@pytest.fixture(scope="module")
def bento(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    """The Bento's tag, its folder, and the BentoML home it was built into."""
    home = tmp_path_factory.mktemp("bentoml-home")
    tag, folder = build_bento(home)
    return tag, folder, home


@pytest.fixture(scope="module")
def served(bento: tuple[str, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from models.demo import ensure_demo_model

    tag, _, home = bento
    data_dir = tmp_path_factory.mktemp("data")
    ensure_demo_model(data_dir)
    python = deps_only_python(tmp_path_factory.mktemp("deps-only") / "venv")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    unreachable = subprocess.run([str(python), "-c", "import service"], cwd=elsewhere, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": ""}, timeout=60)
    assert "No module named 'service'" in unreachable.stderr, "the source tree is importable without the Bento"
    # PYTHONPATH empty: nothing from the caller's environment may put the source tree back.
    server = start_server(data_dir, data_dir / "server.log", target=tag, cwd=elsewhere, python=python,
                          BENTOML_HOME=str(home), PYTHONPATH="")
    yield server
    server.stop()


def _workers(server: Server) -> list[psutil.Process]:
    children = psutil.Process(server.process.pid).children(recursive=True)
    return [p for p in children if "_bentoml_impl.worker.service" in p.cmdline()]


def test_both_services_run_from_the_bentos_source(served: Server, bento: tuple[str, Path, Path]) -> None:
    _, folder, _ = bento
    workers = _workers(served)
    names = {p.cmdline()[p.cmdline().index("--service-name") + 1] for p in workers}
    assert names == {"brand-asset-generator", "bag-runner"}
    # BentoML starts each service in the Bento's src/ and imports it from there; the source tree is
    # out of reach of this Python (no editable install, cwd elsewhere, no PYTHONPATH).
    assert {Path(p.cwd()) for p in workers} == {folder / "src"}
    health = httpx.get(f"{served.url}/health", timeout=10).json()
    assert health["status"] == "ok" and health["runner_ready"] is True, health


def test_a_job_completes_and_its_images_download_as_png(served: Server) -> None:
    body = {"prompt": "a lighthouse at dusk", "num_images": 2, "width": 256, "height": 256, "seed": 7}
    submitted = httpx.post(f"{served.url}/generate", json=body, headers=ALICE, timeout=10)
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["job_id"]
    deadline = time.monotonic() + 120
    while (job := httpx.get(f"{served.url}/jobs/{job_id}", headers=ALICE, timeout=10).json())["status"] not in {
        "complete", "failed", "cancelled"} and time.monotonic() < deadline:
        time.sleep(0.25)
    assert job["status"] == "complete", job
    assert len(job["images"]) == 2
    for image in job["images"]:
        response = httpx.get(image["url"], timeout=10)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        png = Image.open(io.BytesIO(response.content))
        assert (png.format, png.size) == ("PNG", (256, 256))
