"""`bentoml build` packs both services into a Bento offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The packages the services import: every top-level package but the tests, benchmarks and dev scripts.
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in {"tests", "bench", "scripts"})


def test_pyproject_installs_every_package() -> None:
    import tomllib

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert set(PACKAGES) <= set(listed)


def test_bento_builds_with_both_services_and_migrations(tmp_path: Path) -> None:
    env = {**os.environ, "BENTOML_HOME": str(tmp_path), "BENTOML_DO_NOT_TRACK": "true"}
    bentoml = Path(sys.executable).parent / "bentoml"
    result = subprocess.run([str(bentoml), "build", "--output", "tag"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (bento,) = (tmp_path / "bentos" / "brand-asset-generator").glob("*/bento.yaml")
    manifest = yaml.safe_load(bento.read_text())
    assert {s["name"] for s in manifest["services"]} == {"brand-asset-generator", "bag-runner"}
    src = bento.parent / "src"
    assert (src / "service.py").exists()
    assert (src / "jobs" / "migrations" / "versions" / "0001_create_job.py").exists()
    assert not (src / "tests").exists() and not (src / "data").exists()
    # Every package the services import is packed (the runner imports loras/ at start).
    for package in PACKAGES:
        assert (src / package / "__init__.py").exists(), package
    # `make test` builds the web app before the Python suite; a bare pytest run may not have it.
    if (ROOT / "frontend" / "dist" / "index.html").exists():
        assert (src / "frontend" / "dist" / "index.html").exists()
    assert not (src / "frontend" / "node_modules").exists() and not (src / "frontend" / "src").exists()
