"""The committed OpenAPI document and generated Python client match the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_committed_client_matches_the_api() -> None:
    result = subprocess.run([sys.executable, "scripts/generate_client.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
