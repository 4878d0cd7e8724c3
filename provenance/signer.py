"""Signs PNGs with a C2PA manifest (c2pa-python, offline: no timestamp authority) and reads them back.

Each thread keeps its own c2pa contexts: the dispatcher signs a job's images at once in its encoder
pool, and a context holds one signer. Signing a 1024x1024 PNG costs tens of milliseconds without the
manifest's embedded thumbnail and several hundred with it (bench/provenance.py, docs/benchmarks.md); the
thumbnail is off, since every viewer can draw the image itself.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from datetime import datetime
from typing import Any, Literal

import c2pa

from jobs.brand_schemas import ContentCredentials
from provenance.config import SigningMaterial, load_signing, load_trust_anchors
from provenance.errors import ProvenanceConfigError
from provenance.manifest import CREATIVE_WORK_LABEL, GENERATION_LABEL, ImageFacts, build_manifest
from settings import Settings

log = logging.getLogger(__name__)

SigningState = Literal["signing", "unsigned", "off"]
_STATES = {"trusted": "trusted", "valid": "valid", "invalid": "invalid"}
# Never reach out while reading our own images back: no OCSP, no remote manifests.
_OFFLINE = {"verify": {"ocsp_fetch": False, "remote_manifest_fetch": False}}


class ContentSigner:
    """Signs images when given signing material; reads credentials back against the trust anchors."""

    def __init__(self, material: SigningMaterial | None, trust_anchors: str | None = None, *,
                 state: SigningState | None = None, thumbnail: bool = False) -> None:
        self.material = material
        self.trust_anchors = trust_anchors if trust_anchors is not None else (
            material.trust_anchors_pem if material else None)
        self.state: SigningState = state or ("signing" if material else "unsigned")
        self.thumbnail = thumbnail
        self._local = threading.local()

    @classmethod
    def from_settings(cls, settings: Settings) -> ContentSigner:
        """Reads the keys and proves they sign (a tiny image, signed and read back) before the service
        serves: a wrong certificate (no CA, wrong key usage, key not matching) fails the start-up here,
        naming the setting, rather than every job later."""
        material = load_signing(settings)
        if settings.c2pa_signing == "off":
            log.warning("BAG_C2PA_SIGNING=off: images are stored WITHOUT content credentials")
            return cls(None, load_trust_anchors(settings), state="off")
        if material is None:
            log.warning(
                "images are stored WITHOUT content credentials: no signing key is configured. Set "
                "BAG_C2PA_CERT_CHAIN and BAG_C2PA_PRIVATE_KEY (docs/operations.md, 'Content credentials'), or "
                "BAG_C2PA_SIGNING=off to say that unsigned images are intended")
            return cls(None, load_trust_anchors(settings), state="unsigned")
        signer = cls(material)
        signer.self_test()
        return signer

    def self_test(self) -> None:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 30, 60)).save(buffer, "PNG")
        try:
            signed = self.sign(buffer.getvalue(), ImageFacts(model="self-test"), datetime.now().astimezone())
        except c2pa.C2paError as exc:
            raise ProvenanceConfigError(
                f"BAG_C2PA_CERT_CHAIN / BAG_C2PA_PRIVATE_KEY: the key and certificates do not sign ({exc}). The "
                "certificate must be issued by a CA (the chain file: it, then the CA), with keyUsage "
                "digitalSignature and extendedKeyUsage emailProtection, and match the key (ES256: a P-256 key)"
            ) from None
        found = self.read(signed)
        if found is None or found.state == "invalid":
            raise ProvenanceConfigError("BAG_C2PA_CERT_CHAIN: an image signed at start did not read back as valid")
        if self.trust_anchors and found.state != "trusted":
            log.warning("BAG_C2PA_TRUST_ANCHORS does not include the CA of BAG_C2PA_CERT_CHAIN: this service's "
                        "own images will be reported as 'valid', not 'trusted'")

    @property
    def signing(self) -> bool:
        return self.material is not None

    # -- per-thread contexts --------------------------------------------------------------------
    def _sign_context(self) -> c2pa.Context:
        ctx = getattr(self._local, "sign", None)
        if ctx is None:
            assert self.material is not None
            info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, self.material.chain_pem.encode(),
                                       self.material.key_pem.encode(), None)
            config = {"builder": {"thumbnail": {"enabled": self.thumbnail}}, **_OFFLINE}
            ctx = self._local.sign = c2pa.Context.from_dict(config, signer=c2pa.Signer.from_info(info))
        return ctx

    def _read_context(self) -> c2pa.Context:
        ctx = getattr(self._local, "read", None)
        if ctx is None:
            config: dict[str, Any] = {"verify": {**_OFFLINE["verify"]}}
            if self.trust_anchors:
                config["trust"] = {"trust_anchors": self.trust_anchors}
                config["verify"]["verify_trust"] = True
            ctx = self._local.read = c2pa.Context.from_dict(config)
        return ctx

    # -- the work -------------------------------------------------------------------------------
    def sign(self, png: bytes, facts: ImageFacts, when: datetime) -> bytes:
        """The PNG with its manifest embedded; the pixels are untouched (a chunk is added)."""
        out = io.BytesIO()
        with c2pa.Builder.from_json(build_manifest(facts, when), context=self._sign_context()) as builder:
            builder.sign("image/png", io.BytesIO(png), out)
        return out.getvalue()

    def read(self, data: bytes) -> ContentCredentials | None:
        """What the image's manifest says and whether it holds; None when it carries none."""
        try:
            reader = c2pa.Reader.try_create("image/png", io.BytesIO(data), None, self._read_context())
        except c2pa.C2paError as exc:
            # A manifest so damaged it cannot be parsed: present, and not valid.
            log.info("content credentials unreadable: %s", exc)
            return ContentCredentials(state="invalid", generator="unknown", source_type="unknown", model="unknown")
        if reader is None:
            return None
        with reader:
            report = json.loads(reader.json())
            state = (reader.get_validation_state() or "invalid").lower()
        return summarize(report, _STATES.get(state, "invalid"))


def summarize(report: dict[str, Any], state: str) -> ContentCredentials:
    """The ContentCredentials of a c2pa Reader report (its active manifest)."""
    manifest = report.get("manifests", {}).get(report.get("active_manifest", ""), {})
    generator = next(iter(manifest.get("claim_generator_info") or []), {})
    assertions = {a.get("label"): a.get("data") or {} for a in manifest.get("assertions", [])}
    actions = (assertions.get("c2pa.actions.v2") or assertions.get("c2pa.actions") or {}).get("actions", [])
    created = next((a for a in actions if a.get("action") == "c2pa.created"), {})
    generation = assertions.get(GENERATION_LABEL, {})
    authors = assertions.get(CREATIVE_WORK_LABEL, {}).get("author") or []
    signature = manifest.get("signature_info") or {}
    source = str(created.get("digitalSourceType") or "unknown")
    return ContentCredentials(
        state=state,  # type: ignore[arg-type]
        issuer=signature.get("issuer"),
        signed_at=signature.get("time") or created.get("when"),
        generator=" ".join(str(p) for p in (generator.get("name"), generator.get("version")) if p) or "unknown",
        source_type=source.rsplit("/", 1)[-1],
        model=str(generation.get("model") or "unknown"),
        model_version=generation.get("model_version"),
        style=generation.get("style"),
        style_version=generation.get("style_version"),
        prompt=generation.get("prompt"),
        creator=next((a.get("name") for a in authors if isinstance(a, dict) and a.get("name")), None),
    )
