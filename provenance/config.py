"""The BAG_C2PA_* settings turned into signing material, or a start-up error that names the setting.

What happens with each combination (docs/operations.md, "Content credentials"):
- BAG_C2PA_SIGNING=off: images are stored unsigned, on purpose; /health says so.
- on (the default) with neither BAG_C2PA_CERT_CHAIN nor BAG_C2PA_PRIVATE_KEY: the service starts, stores
  images unsigned, logs a warning at start and /health says `unsigned`. A deployment that has not been
  given a key yet still serves; nobody is told its images carry credentials when they do not.
- on with only one of the two, or with either unreadable or not what it should be: the service refuses
  to start and says which setting is wrong. Someone meant to sign; silently not signing would be worse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from provenance.errors import ProvenanceConfigError
from provenance.keyvault import KEYVAULT_PREFIX, fetch_secret
from settings import Settings


@dataclass(frozen=True)
class SigningMaterial:
    chain_pem: str  # the end-entity certificate, then its CA(s)
    key_pem: str
    trust_anchors_pem: str | None  # the CAs trusted when images are read back; None: none


def _read(setting: str, value: str) -> str:
    path = Path(value)
    try:
        return path.read_text()
    except FileNotFoundError:
        raise ProvenanceConfigError(f"{setting}: no file at {value!r}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProvenanceConfigError(f"{setting}: cannot read {value!r} ({exc})") from None


def _certificates(setting: str, pem: str) -> list[x509.Certificate]:
    try:
        certs = x509.load_pem_x509_certificates(pem.encode())
    except ValueError as exc:
        raise ProvenanceConfigError(f"{setting}: not a PEM certificate file ({exc})") from None
    return certs


def _private_key(value: str) -> str:
    setting = "BAG_C2PA_PRIVATE_KEY"
    if value.startswith(KEYVAULT_PREFIX):
        pem = fetch_secret(value[len(KEYVAULT_PREFIX):], setting)
    else:
        pem = _read(setting, value)
    try:
        serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ProvenanceConfigError(
            f"{setting}: not an unencrypted PEM private key ({exc}); C2PA signing here takes a PKCS#8 or "
            "SEC1 PEM key without a passphrase") from None
    return pem


def load_signing(settings: Settings) -> SigningMaterial | None:
    """The signing material; None when images are to be stored unsigned (off, or no key given)."""
    if settings.c2pa_signing == "off":
        return None
    chain_path, key_ref = settings.c2pa_cert_chain.strip(), settings.c2pa_private_key.strip()
    if not chain_path and not key_ref:
        return None
    if not chain_path:
        raise ProvenanceConfigError(
            "BAG_C2PA_CERT_CHAIN is not set but BAG_C2PA_PRIVATE_KEY is: give the signing certificate chain "
            "(a PEM file: the signing certificate, then its CA), or unset both to store images unsigned")
    if not key_ref:
        raise ProvenanceConfigError(
            "BAG_C2PA_PRIVATE_KEY is not set but BAG_C2PA_CERT_CHAIN is: give the signing key (a PEM file, or "
            "keyvault:https://<vault>.vault.azure.net/secrets/<name>), or unset both to store images unsigned")
    chain = _read("BAG_C2PA_CERT_CHAIN", chain_path)
    certs = _certificates("BAG_C2PA_CERT_CHAIN", chain)
    if len(certs) < 2:
        raise ProvenanceConfigError(
            "BAG_C2PA_CERT_CHAIN: the file holds one certificate; C2PA needs the signing certificate followed "
            "by the CA that issued it (a self-signed certificate cannot sign content credentials)")
    key = _private_key(key_ref)
    return SigningMaterial(chain_pem=chain, key_pem=key, trust_anchors_pem=load_trust_anchors(settings))


def load_trust_anchors(settings: Settings) -> str | None:
    """The trust anchors alone: images are read back against them even when this process does not sign."""
    value = settings.c2pa_trust_anchors.strip()
    if not value:
        return None
    anchors = _read("BAG_C2PA_TRUST_ANCHORS", value)
    _certificates("BAG_C2PA_TRUST_ANCHORS", anchors)
    return anchors
