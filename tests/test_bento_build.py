"""`bentoml build` packs both services into a Bento offline."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.built_bento import ROOT, build_bento

# The packages the services import: every top-level package but the tests, benchmarks and dev scripts.
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in {"tests", "bench", "scripts"})


def test_pyproject_installs_every_package() -> None:
    import tomllib

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert set(PACKAGES) <= set(listed)


def test_bento_builds_with_both_services_and_migrations(tmp_path: Path) -> None:
    _, bento = build_bento(tmp_path)
    manifest = yaml.safe_load((bento / "bento.yaml").read_text())
    assert {s["name"] for s in manifest["services"]} == {"brand-asset-generator", "bag-runner"}
    src = bento / "src"
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
