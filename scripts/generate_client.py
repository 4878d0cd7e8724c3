"""Generate the Python client from the OpenAPI document, or check that the committed one is current.

    python scripts/generate_client.py          # regenerate clients/openapi.json and clients/python
    python scripts/generate_client.py --check  # exit 1 if either is stale (run by the test suite)
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.export_openapi import openapi_text  # noqa: E402

CLIENTS = ROOT / "clients"
SPEC = CLIENTS / "openapi.json"
TARGET = CLIENTS / "python"
CONFIG = CLIENTS / "python-config.yaml"
# Hand-written parts of the package (the generator replaces the whole folder): copied in after each
# generation; a README.md there is appended to the generated one.
EXTRAS = CLIENTS / "python-extras"


def generate(spec: Path, out: Path) -> None:
    bin_dir = Path(sys.executable).parent
    generator = bin_dir / "openapi-python-client"
    # The generator's post-hooks call `ruff` by name: make sure it is the venv's, activated or not.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    # From scratch: the generator leaves files it no longer makes (and the hand-written ones) behind.
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        [str(generator), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite",
         "--meta", "setup", "--config", str(CONFIG)],
        check=True, capture_output=True, text=True, env=env,
    )
    add_hand_written(out)


def add_hand_written(out: Path) -> None:
    for source in sorted(EXTRAS.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        target = out / source.relative_to(EXTRAS)
        if source.name == "README.md" and source.parent == EXTRAS:
            target.write_text(target.read_text().rstrip("\n") + "\n" + source.read_text())
            continue
        if target.exists():
            raise SystemExit(f"{source} would replace the generated {target}; rename it")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__", ".ruff_cache"])
    found = [f"{a.name}/{n}" for n in cmp.left_only + cmp.right_only + cmp.diff_files]
    for sub in cmp.common_dirs:
        found += differences(a / sub, b / sub)
    return found


def main() -> int:
    spec_text = openapi_text()
    if "--check" not in sys.argv:
        SPEC.write_text(spec_text)
        generate(SPEC, TARGET)
        print(f"generated {TARGET.relative_to(ROOT)} from {SPEC.relative_to(ROOT)}")
        return 0
    stale = []
    if not SPEC.exists() or SPEC.read_text() != spec_text:
        stale.append(str(SPEC.relative_to(ROOT)))
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "openapi.json"
        spec.write_text(spec_text)
        fresh = Path(tmp) / "python"
        generate(spec, fresh)
        stale += differences(fresh, TARGET) if TARGET.exists() else [str(TARGET)]
        shutil.rmtree(fresh, ignore_errors=True)
    if stale:
        print("The committed client is stale; run `make client`. Differs:", *stale, sep="\n  ")
        return 1
    print("client is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
