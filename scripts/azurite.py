"""Start Azurite (the Azure Blob Storage emulator, tools/azurite) on a free local port, for tests and benchmarks.

In memory, no telemetry, the binary itself (through npx a shell sits between, and stopping it would
leave node running). With `https=True` it serves a self-signed certificate made here (`ca_cert`);
with `oauth=True` it also takes bearer tokens (`--oauth basic`), which user-delegation SAS needs.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from scripts.local_server import free_port

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "tools" / "azurite" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's one built-in account and its published, well-known key (not a secret).
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# The newest storage API version Azurite 3.35 accepts (newer SDKs ask for later ones).
API_VERSION = "2025-11-05"


@dataclass
class Azurite:
    blob_url: str
    process: subprocess.Popen
    log: Path
    ca_cert: Path | None = None

    @property
    def connection_string(self) -> str:
        scheme = "https" if self.ca_cert else "http"
        return (f"DefaultEndpointsProtocol={scheme};AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
                f"BlobEndpoint={self.blob_url};")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def self_signed_cert(workdir: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its subjectAltName, which TLS clients check) and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = workdir / "azurite-cert.pem", workdir / "azurite-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def start_azurite(workdir: Path, *, https: bool = False, oauth: bool = False) -> Azurite:
    """Start Azurite's blob service and wait until it answers; `stop()` it when done."""
    if not BINARY.exists():
        raise FileNotFoundError(f"{BINARY} is missing: run `make azurite`")
    if oauth and not https:
        raise ValueError("Azurite takes OAuth tokens only over HTTPS")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [str(BINARY), "--inMemoryPersistence", "--disableTelemetry", "--silent",
            "--blobHost", "127.0.0.1", "--blobPort", str(port)]
    cert = None
    if https:
        cert, key = self_signed_cert(workdir)
        args += ["--cert", str(cert), "--key", str(key)]
    if oauth:
        args += ["--oauth", "basic"]
    log = workdir / "azurite.log"
    with log.open("ab") as out:
        process = subprocess.Popen(args, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    scheme = "https" if https else "http"
    azurite = Azurite(f"{scheme}://127.0.0.1:{port}/{ACCOUNT}", process, log, cert)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Azurite exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            # Any answer (400 or 403 for an unsigned request) means it is listening.
            httpx.get(f"{scheme}://127.0.0.1:{port}/", verify=ssl.create_default_context(cafile=cert) if cert else True,
                      timeout=2)
            return azurite
        except httpx.TransportError:
            time.sleep(0.2)
    azurite.stop()
    raise TimeoutError(f"Azurite did not answer on port {port} within 60 s")
