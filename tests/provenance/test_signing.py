"""Signing a PNG and reading it back: trusted against the configured anchor, invalid after one changed
byte, and nothing private in the manifest unless the settings put it there."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import c2pa
import pytest

from provenance.manifest import TRAINED_ALGORITHMIC_MEDIA, ImageFacts
from provenance.product import product_version
from provenance.signer import ContentSigner
from provenance.testchain import LocalChain
from settings import Settings
from tests.provenance.conftest import chain_settings, pixels, png_of

WHEN = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
FACTS = ImageFacts(model="demo-flux", model_version="abc123", style="acme", style_version=2)


def signer_for(chain: LocalChain, **overrides: object) -> ContentSigner:
    return ContentSigner.from_settings(Settings(_env_file=None, **{**chain_settings(chain), **overrides}))


def raw_manifest(data: bytes) -> dict:
    with c2pa.Reader("image/png", io.BytesIO(data)) as reader:
        report = json.loads(reader.json())
    return report["manifests"][report["active_manifest"]]


def test_signed_image_reads_back_trusted_with_what_it_was_made_by(chain: LocalChain) -> None:
    signer = signer_for(chain)
    png = png_of((200, 30, 60))
    signed = signer.sign(png, FACTS, WHEN)

    found = signer.read(signed)

    assert found is not None
    assert found.state == "trusted"
    assert found.generator == f"brand-asset-generator {product_version()}"
    assert found.source_type == "trainedAlgorithmicMedia"
    assert (found.model, found.model_version, found.style, found.style_version) == ("demo-flux", "abc123", "acme", 2)
    assert found.signed_at == WHEN
    assert found.issuer is not None and "LOCAL TEST" in found.issuer
    # Signing adds the manifest beside the pixels and changes none of them.
    assert pixels(signed) == pixels(png)


def test_one_changed_byte_makes_the_credentials_invalid(chain: LocalChain) -> None:
    signer = signer_for(chain)
    signed = bytearray(signer.sign(png_of((10, 120, 200)), FACTS, WHEN))
    # A byte of the image data (the first IDAT chunk's payload), not of the manifest.
    at = signed.index(b"IDAT") + 8
    signed[at] ^= 0x01

    found = signer.read(bytes(signed))

    assert found is not None and found.state == "invalid"


def test_a_signer_the_anchors_do_not_name_reads_valid_not_trusted(chain: LocalChain, other_chain: LocalChain) -> None:
    signed = signer_for(other_chain).sign(png_of((1, 2, 3)), FACTS, WHEN)

    assert signer_for(chain).read(signed).state == "valid"
    assert ContentSigner(None, None).read(signed).state == "valid"  # no anchors at all


def test_an_unsigned_image_has_no_credentials(chain: LocalChain) -> None:
    assert signer_for(chain).read(png_of((9, 9, 9))) is None


def test_the_manifest_names_product_source_type_model_and_style_and_nothing_private(chain: LocalChain) -> None:
    signer = signer_for(chain)
    private = ImageFacts(model="demo-flux", model_version="abc123", style="acme", style_version=2)
    manifest = raw_manifest(signer.sign(png_of((5, 5, 5)), private, WHEN))

    assert manifest["claim_generator_info"][0]["name"] == "brand-asset-generator"
    action = manifest["assertions"][0]["data"]["actions"][0]
    assert action["action"] == "c2pa.created" and action["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    text = json.dumps(manifest)
    assert "prompt" not in text and "author" not in text and "CreativeWork" not in text
    assert signer.read(signer.sign(png_of((5, 5, 5)), private, WHEN)).prompt is None


@pytest.mark.parametrize("prompt,creator", [("a red kite over the sea", None), (None, "Alice Example"),
                                            ("a red kite over the sea", "Alice Example")])
def test_prompt_and_creator_are_in_the_manifest_only_when_given(chain: LocalChain, prompt: str | None,
                                                                 creator: str | None) -> None:
    signer = signer_for(chain)
    facts = ImageFacts(model="demo-flux", prompt=prompt, creator=creator)
    signed = signer.sign(png_of((5, 5, 5)), facts, WHEN)

    found = signer.read(signed)

    assert (found.prompt, found.creator) == (prompt, creator)
    text = json.dumps(raw_manifest(signed))
    assert ("a red kite" in text) == (prompt is not None)
    assert ("Alice Example" in text) == (creator is not None)


def test_the_embedded_thumbnail_is_off(chain: LocalChain) -> None:
    signer = signer_for(chain)
    with_thumbnail = ContentSigner(signer.material, thumbnail=True)
    png = png_of((40, 80, 120), size=256)

    assert "thumbnail" not in raw_manifest(signer.sign(png, FACTS, WHEN))
    assert "thumbnail" in raw_manifest(with_thumbnail.sign(png, FACTS, WHEN))  # what it would carry
