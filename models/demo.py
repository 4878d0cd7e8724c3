"""The built-in demo model: a tiny random-weight FLUX pipeline, built on first use.

No weights can be downloaded, so the product ships a model it builds itself. Its images are noise;
it exists so the whole service runs, end to end, on any machine.

    python -m models.demo <data_dir>
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from models.family import ModelConfig, get_family

DEMO_NAME = "demo-flux"
DEMO_FAMILY = "flux"


def demo_model_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / "models" / DEMO_NAME


def ensure_demo_model(data_dir: str | Path) -> ModelConfig:
    """Build the demo model under `<data_dir>/models/demo-flux` unless it is there; return its config."""
    family = get_family(DEMO_FAMILY)
    target = demo_model_dir(data_dir)
    if not (target / "model_index.json").is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Built beside the target and renamed into place in one step, so a crash mid-build never leaves
        # a half-written model where a loader would find it.
        building = Path(tempfile.mkdtemp(prefix=f".{DEMO_NAME}-", dir=target.parent))
        try:
            family.build_tiny(building)
            try:
                building.rename(target)
            except OSError:
                # Another process finished first (the target now exists, not empty): use its copy.
                if not (target / "model_index.json").is_file():
                    raise
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return family.model_config(DEMO_NAME, target, preset="demo", is_demo=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m models.demo", description="Build the demo model.")
    parser.add_argument("data_dir", type=Path, help="the data directory; the model goes under models/")
    args = parser.parse_args(argv)
    config = ensure_demo_model(args.data_dir)
    print(config.path)


if __name__ == "__main__":
    main()
