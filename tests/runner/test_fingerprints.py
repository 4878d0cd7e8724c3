"""Fingerprints of the model's weights and the styles' adapter files: hashed once, reused from
the sidecar cache while a file's size and mtime are unchanged, hashed again when they change."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

import runner.fingerprints as fingerprints
from runner.fingerprints import FingerprintCache, model_fingerprint


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    root = tmp_path / "model"
    (root / "transformer").mkdir(parents=True)
    (root / "scheduler").mkdir()
    (root / "model_index.json").write_text('{"_class_name": "FluxPipeline"}')
    (root / "transformer" / "diffusion_pytorch_model.safetensors").write_bytes(b"w" * 4096)
    (root / "transformer" / "config.json").write_text('{"num_layers": 1}')
    (root / "scheduler" / "scheduler_config.json").write_text('{"shift": 1.0}')
    (root / "README.md").write_text("about this model")
    return root


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually read and hashed, in order."""
    seen: list[str] = []
    real = fingerprints.file_sha256

    def counting(path: Path) -> str:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(fingerprints, "file_sha256", counting)
    return seen


def test_a_restart_with_unchanged_files_reads_only_the_cache(model_dir: Path, tmp_path: Path,
                                                             hashed: list[str]) -> None:
    cache_file = tmp_path / "fingerprints.json"
    first = FingerprintCache(cache_file)
    print_ = model_fingerprint(model_dir, first)
    first.save()
    assert sorted(hashed) == ["config.json", "diffusion_pytorch_model.safetensors", "model_index.json",
                              "scheduler_config.json"]
    hashed.clear()
    again = FingerprintCache(cache_file)  # a new process: only the sidecar file carries over
    assert model_fingerprint(model_dir, again) == print_
    assert hashed == [] and again.hashed_bytes == 0


def test_a_weight_file_replaced_in_place_is_hashed_again_and_changes_the_fingerprint(
        model_dir: Path, tmp_path: Path, hashed: list[str]) -> None:
    cache = FingerprintCache(tmp_path / "fingerprints.json")
    before = model_fingerprint(model_dir, cache)
    cache.save()
    weights = model_dir / "transformer" / "diffusion_pytorch_model.safetensors"
    stat = weights.stat()
    weights.write_bytes(b"v" * 4096)  # the same size: only the mtime tells
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    hashed.clear()
    after = model_fingerprint(model_dir, FingerprintCache(tmp_path / "fingerprints.json"))
    assert hashed == ["diffusion_pytorch_model.safetensors"]
    assert after != before


def test_docs_do_not_count_but_configs_do(model_dir: Path) -> None:
    before = model_fingerprint(model_dir, FingerprintCache(None))
    (model_dir / "README.md").write_text("edited notes")
    assert model_fingerprint(model_dir, FingerprintCache(None)) == before
    (model_dir / "scheduler" / "scheduler_config.json").write_text('{"shift": 3.0}')
    assert model_fingerprint(model_dir, FingerprintCache(None)) != before


def test_the_directory_may_move_without_changing_the_fingerprint(model_dir: Path, tmp_path: Path) -> None:
    before = model_fingerprint(model_dir, FingerprintCache(None))
    moved = model_dir.rename(tmp_path / "elsewhere")
    assert model_fingerprint(moved, FingerprintCache(None)) == before


def test_an_unreadable_cache_means_hashing_again_not_failing(model_dir: Path, tmp_path: Path,
                                                             hashed: list[str]) -> None:
    cache_file = tmp_path / "fingerprints.json"
    cache_file.write_text("{not json")
    model_fingerprint(model_dir, FingerprintCache(cache_file))
    assert len(hashed) == 4


def test_files_that_are_gone_leave_the_cache_when_it_is_next_written(model_dir: Path, tmp_path: Path) -> None:
    import json

    cache_file = tmp_path / "fingerprints.json"
    cache = FingerprintCache(cache_file)
    model_fingerprint(model_dir, cache)
    cache.save()
    old = model_dir / "transformer" / "diffusion_pytorch_model.safetensors"
    old.rename(old.with_name("diffusion_pytorch_model-v2.safetensors"))
    cache = FingerprintCache(cache_file)
    model_fingerprint(model_dir, cache)
    cache.save()
    kept = json.loads(cache_file.read_text())
    assert str(old.resolve()) not in kept
    assert str(old.with_name("diffusion_pytorch_model-v2.safetensors").resolve()) in kept


def test_the_runtime_names_a_speed_mode_since_fast_renders_other_pixels() -> None:
    import torch

    from runner.fingerprints import runtime_of

    pipe = SimpleNamespace(transformer=SimpleNamespace(dtype=torch.bfloat16))
    plain = runtime_of(pipe, "cpu", "gpu", compiled=False)
    assert "speed mode" not in plain and plain.endswith("cpu, bfloat16")
    fast = runtime_of(pipe, "cpu", "gpu", compiled=True, speed_mode="fast")
    assert fast != runtime_of(pipe, "cpu", "gpu", compiled=True, speed_mode="lossless")
    assert fast.endswith("speed mode fast, compiled")
