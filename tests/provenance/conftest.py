from __future__ import annotations

import io

import pytest
from PIL import Image

from provenance.testchain import LocalChain, ensure_test_chain
from tests.api.conftest import client, make_client, runner  # noqa: F401  (the API fixtures, with the fake runner)


@pytest.fixture(scope="session")
def chain(tmp_path_factory: pytest.TempPathFactory) -> LocalChain:
    """One local test chain for the session (making a CA and a signer takes a few milliseconds, but
    every test signing with the same one is what `make run` does)."""
    return ensure_test_chain(tmp_path_factory.mktemp("c2pa"))


@pytest.fixture(scope="session")
def other_chain(tmp_path_factory: pytest.TempPathFactory) -> LocalChain:
    return ensure_test_chain(tmp_path_factory.mktemp("c2pa-other"))


def chain_settings(chain: LocalChain) -> dict[str, str]:
    return {"c2pa_cert_chain": str(chain.chain), "c2pa_private_key": str(chain.key),
            "c2pa_trust_anchors": str(chain.ca)}


def png_of(color: tuple[int, int, int], size: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buffer, "PNG")
    return buffer.getvalue()


def pixels(png: bytes) -> bytes:
    return Image.open(io.BytesIO(png)).convert("RGB").tobytes()

