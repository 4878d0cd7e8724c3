"""Fingerprints of what decides a render's pixels besides the request: the model's weights, each
style's adapter file, the scheduler, and the runtime (libraries, device, precision).

A job's recipe records them (jobs/recipes.py), so "regenerate exactly" can say whether the same
pixels will come out. Hashing a real model reads tens of GB, so each file's sha256 is kept in a
sidecar cache keyed by the file's size and modification time: a restart with unchanged weights
reads nothing but the cache. A file replaced in place (new size or mtime) is hashed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.files import write_atomically

log = logging.getLogger(__name__)

CACHE_FILE = "fingerprints.json"
# What in a diffusers model directory decides the pixels: weights, configs, tokenizer files.
# Docs (README.md) and dotfiles (caches, editor files) do not, so changing them changes nothing.
_MODEL_SUFFIXES = {".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf", ".json", ".txt", ".model",
                   ".tiktoken"}


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class FingerprintCache:
    """sha256 per file, reused while the file's size and mtime are what they were when hashed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hashed_bytes = 0  # read this run: what the cache saved is the rest
        self._entries: dict[str, dict[str, Any]] = {}
        self._dirty = False
        if path is not None:
            try:
                self._entries = json.loads(path.read_text())
            except FileNotFoundError:
                pass
            except (OSError, ValueError):
                log.warning("fingerprint cache %s is unreadable; hashing again", path)

    def digest(self, path: Path) -> str:
        stat = path.stat()
        key = str(path.resolve())
        entry = self._entries.get(key)
        if entry and entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns:
            return entry["sha256"]
        digest = file_sha256(path)
        self.hashed_bytes += stat.st_size
        self._entries[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
        self._dirty = True
        return digest

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        # Files replaced under a new name (a new model version) would otherwise pile up here.
        self._entries = {k: v for k, v in self._entries.items() if Path(k).is_file()}
        try:
            write_atomically(self.path, json.dumps(self._entries, indent=1, sort_keys=True).encode())
            self._dirty = False
        except OSError:
            # A read-only data directory costs a rehash at the next start, nothing more.
            log.warning("could not write the fingerprint cache %s", self.path)


def model_files(model_dir: Path) -> list[Path]:
    """The files of a model directory that decide its output, in a stable order."""
    return sorted(
        p for p in Path(model_dir).rglob("*")
        if p.is_file() and p.suffix in _MODEL_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(model_dir).parts)
    )


def model_fingerprint(model_dir: Path, cache: FingerprintCache) -> str:
    """sha256 over each file's path in the directory and its sha256: any changed, added or removed
    weight or config file changes it; the directory's own location does not."""
    model_dir = Path(model_dir)
    listing = hashlib.sha256()
    for path in model_files(model_dir):
        listing.update(f"{path.relative_to(model_dir).as_posix()}\0{cache.digest(path)}\n".encode())
    return listing.hexdigest()


@dataclass(frozen=True)
class ModelPrints:
    """What one loaded model renders with, besides the request."""

    fingerprint: str
    scheduler: str
    scheduler_config: dict[str, Any]
    runtime: str
    styles: dict[str, str]  # style name -> sha256 of its adapter file


def runtime_of(pipe: Any, device: str, memory_mode: str, compiled: bool, speed_mode: str = "off") -> str:
    """Libraries, device and precision: a change in any may change pixels in the last bits. The
    speed mode too: `fast` renders with fp8 weights (lossy)."""
    import diffusers
    import torch

    where = torch.cuda.get_device_name(0) if device == "cuda" else "cpu"
    dtype = str(getattr(getattr(pipe, "transformer", None), "dtype", "")).removeprefix("torch.")
    parts = [f"torch {torch.__version__}", f"diffusers {diffusers.__version__}", where, dtype]
    if memory_mode != "gpu":
        parts.append(f"memory mode {memory_mode}")
    if speed_mode != "off":
        parts.append(f"speed mode {speed_mode}")
    if compiled:
        parts.append("compiled")
    return ", ".join(parts)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def fingerprint_models(loaded: dict[str, Any], data_dir: Path, device: str, memory_mode: str,
                       compiled: bool) -> dict[str, ModelPrints]:
    """Fingerprint every loaded model (runner.loading.LoadedModel) and its styles, once at start."""
    cache = FingerprintCache(Path(data_dir) / CACHE_FILE)
    started = time.perf_counter()
    prints: dict[str, ModelPrints] = {}
    for name, model in loaded.items():
        pipe = model.engine.pipe
        scheduler = pipe.scheduler
        # What models/speed.py applied (runner/loading.py), which `compiled` alone does not say.
        speed = getattr(model, "acceleration", None)
        prints[name] = ModelPrints(
            fingerprint=model_fingerprint(model.config.path, cache),
            scheduler=type(scheduler).__name__,
            # The scheduler as built, not as its file says: code may override its settings.
            scheduler_config=_jsonable({k: v for k, v in dict(scheduler.config).items() if not k.startswith("_")}),
            runtime=runtime_of(pipe, device, memory_mode, compiled or bool(speed and speed.compiled),
                               speed.mode if speed else "off"),
            styles={s.name: cache.digest(s.adapter_path) for s in model.adapters.styles.values()},
        )
    cache.save()
    seconds = time.perf_counter() - started
    log.info("fingerprints in %.1f s (%.2f GB hashed, the rest from the cache)", seconds, cache.hashed_bytes / 1e9)
    return prints
