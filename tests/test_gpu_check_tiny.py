"""bench/gpu_check.py keeps working where no GPU is: its --tiny mode runs the whole flow on a CPU."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_gpu_check_runs_every_family_and_the_offload_row_in_tiny_mode() -> None:
    result = subprocess.run([sys.executable, "bench/gpu_check.py", "--tiny"], cwd=ROOT, capture_output=True,
                            text=True, timeout=400)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    for model in ("FLUX.1-dev", "SD3.5-Large", "HiDream-I1-Dev"):
        assert any(r.startswith(f"| {model} | baseline") for r in rows), model
        assert any(r.startswith(f"| {model} | ours") for r in rows), model
    assert any("16GiB cap" in r for r in rows)
    assert "error" not in result.stdout.lower()
    assert result.stdout.rstrip().splitlines()[-1].startswith("# done")
