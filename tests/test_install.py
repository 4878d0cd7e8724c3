"""A non-editable install of the project (`pip install .`) holds everything the product runs on.

Development uses an editable install, which imports straight from the source tree, so a package or
data file that pyproject.toml forgets still works there and is missing from a wheel or a plain
`pip install .`. Here the project is installed with pip, non-editable, offline (no build isolation,
no index, no dependencies: those are .venv's), into a folder of its own; then a Python that sees the
dependencies but not the source tree (tests/deps_only_python.py), started outside the source tree,
imports every package and module pyproject.toml lists and every top-level package of the source tree,
each from the installed folder; the Alembic migrations and their template are there; and the
command-line entry points run, `python -m jobs.migrate` for real on an empty SQLite database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.deps_only_python import deps_only_python

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
# The source tree's top-level packages, but the tests, benchmarks and dev scripts.
TOP_LEVEL = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in {"tests", "bench", "scripts"})

IMPORT_ALL = r"""
import importlib, json, sys
where = {}
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    # Namespace packages (no __init__.py, e.g. jobs.migrations) have a __path__ and no __file__.
    where[name] = [module.__file__] if getattr(module, "__file__", None) else list(module.__path__)
print(json.dumps(where))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project installed with pip, non-editable, from a copy of what a build of it reads."""
    work = tmp_path_factory.mktemp("install")
    # A copy: building writes build/ and *.egg-info beside the sources.
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", *(p.name for p in ROOT.glob("*.py")), *TOP_LEVEL):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        kwargs = {"ignore": shutil.ignore_patterns("__pycache__")} if (ROOT / name).is_dir() else {}
        copy(ROOT / name, src / name, **kwargs)
    target = work / "site"
    # No build isolation: the build backend is .venv's setuptools (torch requires it), so nothing is fetched.
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
    proc = subprocess.run([*pip, "--target", str(target), str(src)], cwd=work, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return target


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return deps_only_python(tmp_path_factory.mktemp("deps-only") / "venv")


def _run(python: Path, installed: Path, args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BAG_")}
    environ.update(PYTHONPATH=str(installed), BENTOML_DO_NOT_TRACK="true", HF_HUB_OFFLINE="1", **env)
    return subprocess.run([str(python), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


def test_every_listed_package_imports_from_the_installed_copy(installed: Path, python: Path, tmp_path: Path) -> None:
    names = sorted({*SETUPTOOLS["packages"], *SETUPTOOLS["py-modules"], *TOP_LEVEL})
    proc = _run(python, installed, ["-c", IMPORT_ALL, *names], tmp_path, BAG_DATA_DIR=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-4000:]
    for name, files in json.loads(proc.stdout).items():
        assert files and all(Path(f).is_relative_to(installed) for f in files), f"{name} imported from {files}"


def test_migrations_and_their_template_are_installed(installed: Path) -> None:
    migrations = installed / "jobs" / "migrations"
    assert (migrations / "env.py").exists() and (migrations / "script.py.mako").exists()
    revisions = {p.name for p in (ROOT / "jobs" / "migrations" / "versions").glob("*.py")}
    assert revisions and revisions == {p.name for p in (migrations / "versions").glob("*.py")}


def test_migrate_entry_point_brings_an_empty_database_to_head(installed: Path, python: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'jobs.db'}"
    proc = _run(python, installed, ["-m", "jobs.migrate"], tmp_path, BAG_DATA_DIR=str(tmp_path), BAG_DATABASE_URL=db)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    assert "at revision" in proc.stdout and "empty ->" in proc.stdout, proc.stdout


@pytest.mark.parametrize("module", ["jobs.transfer", "models.demo"])
def test_command_line_modules_start(module: str, installed: Path, python: Path, tmp_path: Path) -> None:
    proc = _run(python, installed, ["-m", module, "--help"], tmp_path, BAG_DATA_DIR=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert f"python -m {module}" in proc.stdout
