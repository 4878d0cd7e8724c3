"""This product's name and version, as its content credentials name them."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PRODUCT_NAME = "brand-asset-generator"
_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@lru_cache
def product_version() -> str:
    """The version in pyproject.toml. The file itself first: a source checkout or a Bento (which packs
    it) may run beside an older installed copy's metadata; an installed wheel has only the metadata."""
    try:
        return tomllib.loads(_PYPROJECT.read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version(PRODUCT_NAME)
    except metadata.PackageNotFoundError:
        return "unknown"
