"""The demo model, built once per test session and loaded once, shared by the model tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.demo import ensure_demo_model
from models.family import ModelConfig


@pytest.fixture(scope="session")
def demo_config(tmp_path_factory: pytest.TempPathFactory) -> ModelConfig:
    return ensure_demo_model(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def demo_dir(demo_config: ModelConfig) -> Path:
    return demo_config.path


@pytest.fixture(scope="session")
def engine(demo_config: ModelConfig):
    from models.engine import Engine

    return Engine(demo_config, device="cpu")
