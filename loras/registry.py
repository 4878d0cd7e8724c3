"""Reads a styles directory and checks each style's files, before any model is involved."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from loras.manifest import MANIFEST_NAME, StyleManifest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Style:
    manifest: StyleManifest
    adapter_path: Path

    @property
    def name(self) -> str:
        return self.manifest.name


@dataclass(frozen=True)
class RefusedStyle:
    """A style that will not be served, and why (shown to operators, never silently skipped)."""

    directory: str
    reason: str


def read_adapter_keys(path: Path) -> list[str]:
    """The tensor names in a safetensors file; raises ValueError when it is not one."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="numpy") as f:
            return list(f.keys())
    except Exception as exc:  # safetensors raises several types for a corrupt header
        raise ValueError(f"not a readable safetensors file ({type(exc).__name__})") from exc


def discover(styles_dir: Path, family: str) -> tuple[list[Style], list[RefusedStyle]]:
    """Every style under `styles_dir` for `family`, and the ones refused with their reasons."""
    styles: list[Style] = []
    refused: list[RefusedStyle] = []
    if not styles_dir.is_dir():
        return styles, refused
    for directory in sorted(p for p in styles_dir.iterdir() if p.is_dir()):
        try:
            style = _read_one(directory)
            if style.manifest.family != family:
                raise ValueError(f"made for the {style.manifest.family} family, the model is {family}")
            if not any("lora_A" in k or "lora_down" in k for k in read_adapter_keys(style.adapter_path)):
                raise ValueError("the adapter file holds no LoRA weights")
        except ValueError as exc:
            refused.append(RefusedStyle(directory.name, str(exc)))
            log.error("style %s refused: %s", directory.name, exc)
            continue
        styles.append(style)
    names = [s.name for s in styles]
    for dup in {n for n in names if names.count(n) > 1}:
        refused.append(RefusedStyle(dup, "two styles share this name"))
        styles = [s for s in styles if s.name != dup]
    return styles, refused


def _read_one(directory: Path) -> Style:
    manifest_path = directory / MANIFEST_NAME
    try:
        manifest = StyleManifest.model_validate(json.loads(manifest_path.read_text()))
    except FileNotFoundError:
        raise ValueError(f"no {MANIFEST_NAME}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{MANIFEST_NAME} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "manifest"
        raise ValueError(f"{MANIFEST_NAME}: {field}: {first['msg']}") from None
    adapter = directory / manifest.adapter
    if not adapter.is_file():
        raise ValueError(f"adapter file {manifest.adapter} is missing")
    return Style(manifest, adapter)
