"""The built-in demo models: tiny random-weight pipelines of each family, built on first use.

The default demo is FLUX (`demo-flux`); `demo-sd3` and `demo-hidream` exist for trying the other
families' code paths on any machine.

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

DEMO_FAMILY = "flux"


def demo_name(family: str = DEMO_FAMILY) -> str:
    return f"demo-{family}"


def demo_model_dir(data_dir: str | Path, family: str = DEMO_FAMILY) -> Path:
    return Path(data_dir) / "models" / demo_name(family)


def ensure_demo_model(data_dir: str | Path, family_name: str = DEMO_FAMILY) -> ModelConfig:
    """Build the family's demo under `<data_dir>/models/demo-<family>` unless it is there; return its config."""
    family = get_family(family_name)
    name = demo_name(family_name)
    target = demo_model_dir(data_dir, family_name)
    if not (target / "model_index.json").is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Built beside the target and renamed into place in one step, so a crash mid-build never leaves
        # a half-written model where a loader would find it.
        building = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
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
    return family.model_config(name, target, preset="demo", is_demo=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m models.demo", description="Build the demo model.")
    parser.add_argument("data_dir", type=Path, help="the data directory; the model goes under models/")
    parser.add_argument("--family", default=DEMO_FAMILY, help="flux (default), sd3 or hidream")
    args = parser.parse_args(argv)
    config = ensure_demo_model(args.data_dir, args.family)
    print(config.path)


if __name__ == "__main__":
    main()
