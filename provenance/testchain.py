"""A local TEST certificate chain for content credentials: a CA and an end-entity signing certificate.

`python -m provenance.testchain <data_dir>` writes, once, under <data_dir>/c2pa-test/:
  chain.pem  the signing certificate, then the CA (BAG_C2PA_CERT_CHAIN)
  key.pem    the signing key, ES256 (BAG_C2PA_PRIVATE_KEY)
  ca.pem     the CA, as the trust anchor (BAG_C2PA_TRUST_ANCHORS)
and prints the three settings. Nobody outside this box trusts that CA: images signed with it read as
"valid" (intact, signer unknown) everywhere else. It is for development and tests, never production
(docs/operations.md, "Content credentials", says how to get a real certificate).

What C2PA signing requires of the end-entity certificate (refused otherwise): issued by a CA, not
self-signed; keyUsage digitalSignature; extendedKeyUsage emailProtection (C2PA's accepted EKUs include it;
codeSigning or anyExtendedKeyUsage are refused).
"""

from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "brand-asset-generator LOCAL TEST CA — not for production"
SIGNER_NAME = "brand-asset-generator LOCAL TEST signer — not for production"
ORGANISATION = "brand-asset-generator LOCAL TEST — not for production"
VALID_DAYS = 3650


@dataclass(frozen=True)
class LocalChain:
    chain: Path
    key: Path
    ca: Path

    def env(self) -> dict[str, str]:
        """The settings that sign with this chain and trust its CA."""
        return {
            "BAG_C2PA_CERT_CHAIN": str(self.chain),
            "BAG_C2PA_PRIVATE_KEY": str(self.key),
            "BAG_C2PA_TRUST_ANCHORS": str(self.ca),
        }


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
    ])


def _key_usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )


def make_chain(days: int = VALID_DAYS) -> tuple[bytes, bytes, bytes]:
    """(chain PEM: end-entity then CA, the end-entity's private key PEM, the CA PEM)."""
    now = datetime.datetime.now(datetime.UTC)
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=days)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder().subject_name(_name(CA_NAME)).issuer_name(_name(CA_NAME))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    signer = (
        x509.CertificateBuilder().subject_name(_name(SIGNER_NAME)).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True, ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return signer.public_bytes(pem) + ca.public_bytes(pem), key_pem, ca.public_bytes(pem)


def ensure_test_chain(data_dir: Path) -> LocalChain:
    """The test chain under `data_dir`, made on first use and kept (the key readable by its owner only)."""
    folder = data_dir / "c2pa-test"
    found = LocalChain(folder / "chain.pem", folder / "key.pem", folder / "ca.pem")
    if all(p.is_file() for p in (found.chain, found.key, found.ca)):
        return found
    folder.mkdir(parents=True, exist_ok=True)
    chain, key, ca = make_chain()
    # The key first and the chain last: a half-made set (interrupted) is made again next time.
    for path, data, mode in ((found.key, key, 0o600), (found.ca, ca, 0o644), (found.chain, chain, 0o644)):
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.chmod(mode)
        tmp.replace(path)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="Make (once) a local TEST certificate chain for content credentials.")
    parser.add_argument("data_dir", type=Path)
    args = parser.parse_args()
    chain = ensure_test_chain(args.data_dir)
    for name, value in chain.env().items():
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
