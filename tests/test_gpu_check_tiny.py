"""bench/gpu_check.py keeps working where no GPU is: --tiny runs every part of it on a CPU, compile included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["family", "mode", "s/image", "x vs eager+LoRA", "peak GiB", "compile s", "max pixel diff vs eager",
           "PSNR vs eager dB", "note"]
FAMILIES = ("FLUX.1-dev", "SD3.5-Large", "HiDream-I1-Dev")
# Compiled against eager, fp32 on a CPU: the same tolerance as tests/models/test_speed.py.
PIXEL_TOLERANCE = 2


# Every part runs; the lossless check (pixels, recompiles) for every family, the rest for FLUX, to keep
# the run to minutes on a CPU (the tiny HiDream renders a megapixel whatever size is asked).
STAGES = "speed:flux,speed:sd3,speed:hidream,fast:flux,memory:flux,serving:flux,startup:flux"


def run_tiny(tmp_path: Path) -> tuple[str, dict[tuple[str, str], dict[str, str]]]:
    result = subprocess.run([sys.executable, "bench/gpu_check.py", "--tiny", "--stages", STAGES, "--out-dir",
                             str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert f"| {' | '.join(COLUMNS)} |" in lines
    table = {}
    for line in lines:
        if line.startswith("| ") and not line.startswith("| family |"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            assert len(cells) == len(COLUMNS), line
            table[(cells[0], cells[1])] = dict(zip(COLUMNS, cells, strict=True))
    return result.stdout, table


# Minutes on a loaded 2-core machine: three families' speed stages and FLUX's others, compiling, and two
# start-up processes.
@pytest.mark.timeout(1500)
def test_tiny_run_prints_every_part(tmp_path: Path) -> None:
    stdout, table = run_tiny(tmp_path)
    assert "ERROR" not in stdout and "Traceback" not in stdout, stdout[-3000:]
    assert stdout.rstrip().splitlines()[-1].startswith("# done")
    for family in FAMILIES:
        eager = table[(family, "eager+LoRA (pipe call)")]
        assert eager["x vs eager+LoRA"] == "1.00" and float(eager["s/image"]) > 0

        lossless = table[(family, "lossless (Engine)")]
        assert int(lossless["max pixel diff vs eager"]) <= PIXEL_TOLERANCE, lossless
        assert lossless["compile s"] != "-", lossless
        assert "recompiles: 0 across 3 style switches (styles' images differ: yes)" in lossless["note"]

    flux = "FLUX.1-dev"
    fast = table[(flux, "fast (Engine, fp8, lossy)")]
    # fp8 changes the numbers, measurably but not into something else: a finite PSNR against lossless.
    assert "PSNR vs lossless on 2 prompts" in fast["note"] and " inf dB" not in fast["note"], fast
    assert float(fast["PSNR vs eager dB"]) > 10, fast
    assert (tmp_path / "side_by_side_flux.png").is_file()

    # fp8 storage runs on a CPU; the 16 GiB cap and bitsandbytes say why they cannot.
    assert float(table[(flux, "fp8_layerwise (uncapped)")]["s/image"]) > 0
    for mode in ("bnb_4bit (uncapped)", "bnb_8bit (uncapped)", "small_gpu @16GiB cap"):
        assert table[(flux, mode)]["note"].startswith("skipped: needs a CUDA GPU"), mode

    one_by_one = table[(flux, "serving: one job at a time")]
    together = table[(flux, "serving: 8 jobs at once")]
    assert "images/s" in one_by_one["note"] and "x one at a time" in together["note"]
    for cache in ("cold", "warm"):
        assert float(table[(flux, f"start-up, compile cache {cache}")]["s/image"]) > 0


def test_each_prepared_device_run_names_only_stages_the_check_knows() -> None:
    """A misspelt stage in bench/gpu_run.sh would surface only on the GPU machine, minutes into its budget."""
    import re
    from argparse import Namespace

    from bench.gpu_check import stages_from
    from bench.gpu_memory import memory_modes

    script = (ROOT / "bench" / "gpu_run.sh").read_text()
    runs = re.split(r"^\s+\d\)$", script, flags=re.M)[1:]
    assert len(runs) == 3
    seen = set()
    for run in runs:
        text = ",".join(value for value in re.findall(r"STAGES\+?=,?(\S+)", run.split(";;")[0]))
        stages = stages_from(Namespace(stages=text))
        assert stages, run
        for part, family, mode in stages:
            assert mode is None or mode in memory_modes(), (part, family, mode)
        seen.update(stages)
    # Between them the three runs cover every part for every family, the 16 GB mode and serving included.
    for family in ("flux", "sd3", "hidream"):
        for part in ("speed", "fast", "startup"):
            assert (part, family, None) in seen, (part, family)
        assert {mode for p, f, mode in seen if p == "memory" and f == family} == set(memory_modes()), family
    assert ("serving", "flux", None) in seen


def test_psnr_and_pixel_difference() -> None:
    import numpy as np

    from bench.gpu_common import max_pixel_diff, psnr

    a = np.zeros((2, 4, 4, 3), np.uint8)
    b = a.copy()
    assert psnr(a, b) == float("inf") and max_pixel_diff(a, b) == 0
    b[0, 0, 0, 0] = 255  # one channel of 96 off by the full range: MSE 255**2 / 96
    assert max_pixel_diff(a, b) == 255
    assert abs(psnr(a, b) - 10 * np.log10(96)) < 1e-9
