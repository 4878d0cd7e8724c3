"""The Dockerfile the Bento carries passes hadolint and checkov, with only the listed exceptions.

`bentoml containerize` builds the image from this file (env/docker/Dockerfile in the Bento), so a
platform team's image scanners see what is checked here. The tools come from `make tools-venv`; the
ignore lists are tools/hadolint.yaml and tools/checkov-dockerfile.yaml, every entry with its reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.built_bento import ROOT, build_bento

TOOLS_BIN = ROOT / ".venv-tools" / "bin"
HADOLINT_CONFIG = ROOT / "tools" / "hadolint.yaml"
CHECKOV_CONFIG = ROOT / "tools" / "checkov-dockerfile.yaml"


def _tool(name: str) -> Path:
    """A missing tool skips here and fails under CI=true, where `make test` must have installed it."""
    path = TOOLS_BIN / name
    if not path.exists():
        reason = f"{path} is missing: run `make tools-venv`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (required under CI=true)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, bento = build_bento(tmp_path_factory.mktemp("bentoml-home"))
    return bento / "env" / "docker" / "Dockerfile"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # cwd outside the source tree: neither tool picks up a configuration file by accident.
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _listed_with_reasons(config: Path, key: str) -> list[str]:
    """The entries under `key`, asserting each has a comment of its own just above it."""
    lines = config.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    entries = []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line and not line.startswith(" "):
            break
        match = re.fullmatch(r"\s+- (\S+)", line)
        if match:
            assert lines[i - 1].strip().startswith("#"), f"{config.name}: {match[1]} has no reason above it"
            entries.append(match[1])
    assert entries == yaml.safe_load(config.read_text())[key]
    return entries


def test_hadolint_passes_with_the_listed_exceptions(dockerfile: Path, tmp_path: Path) -> None:
    proc = _run([str(_tool("hadolint")), "--no-color", "--config", str(HADOLINT_CONFIG), str(dockerfile)], tmp_path)
    assert proc.returncode == 0, f"hadolint:\n{proc.stdout}{proc.stderr}"


def test_every_hadolint_exception_says_why_and_still_occurs(dockerfile: Path, tmp_path: Path) -> None:
    ignored = _listed_with_reasons(HADOLINT_CONFIG, "ignored")
    empty = tmp_path / "hadolint.yaml"
    empty.write_text("ignored: []\n")
    proc = _run([str(_tool("hadolint")), "--no-fail", "--format", "json", "--config", str(empty), str(dockerfile)],
                tmp_path)
    found = {finding["code"] for finding in json.loads(proc.stdout)}
    assert not set(ignored) - found, f"listed but no longer found, drop them: {set(ignored) - found}"


def test_checkov_passes_with_the_listed_skips(dockerfile: Path, tmp_path: Path) -> None:
    proc = _run([str(_tool("checkov")), "--config-file", str(CHECKOV_CONFIG), "--file", str(dockerfile)], tmp_path)
    assert proc.returncode == 0, f"checkov:\n{proc.stdout[-6000:]}{proc.stderr[-2000:]}"
    assert "Failed checks: 0" in proc.stdout, proc.stdout[-3000:]


def test_every_checkov_skip_says_why(dockerfile: Path, tmp_path: Path) -> None:
    skipped = _listed_with_reasons(CHECKOV_CONFIG, "skip-check")
    unskipped = tmp_path / "checkov.yaml"
    settings = {k: v for k, v in yaml.safe_load(CHECKOV_CONFIG.read_text()).items() if k != "skip-check"}
    unskipped.write_text(yaml.safe_dump(settings))
    proc = _run([str(_tool("checkov")), "--config-file", str(unskipped), "--file", str(dockerfile),
                 "--output", "json"], tmp_path)
    failed = {check["check_id"] for check in json.loads(proc.stdout)["results"]["failed_checks"]}
    assert not set(skipped) - failed, f"skipped but no longer failing, drop them: {set(skipped) - failed}"
