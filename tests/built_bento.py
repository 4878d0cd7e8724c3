"""Build the Bento from the source tree into a BentoML home of its own (offline, a few seconds)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "brand-asset-generator"


def build_bento(bentoml_home: Path) -> tuple[str, Path]:
    """`bentoml build` into `bentoml_home`; returns the Bento's tag and its folder in that store."""
    env = {**os.environ, "BENTOML_HOME": str(bentoml_home), "BENTOML_DO_NOT_TRACK": "true"}
    bentoml = Path(sys.executable).parent / "bentoml"
    result = subprocess.run([str(bentoml), "build", "--output", "tag"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (manifest,) = (bentoml_home / "bentos" / NAME).glob("*/bento.yaml")
    return f"{NAME}:{manifest.parent.name}", manifest.parent
