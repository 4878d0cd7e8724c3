"""The signing key from Azure Key Vault: BAG_C2PA_PRIVATE_KEY=keyvault:https://<vault>.vault.azure.net/secrets/<name>.

The secret holds the PEM text of the key (upload it with `az keyvault secret set --file key.pem`). It is
read once, at start, with DefaultAzureCredential: on Azure Container Apps or AKS the app's managed
identity, which needs the "Key Vault Secrets User" role on the vault. The alternative, a secret mounted
as a file (Container Apps secret volumes, the AKS Key Vault CSI driver), needs no code here: point
BAG_C2PA_PRIVATE_KEY at the mounted file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from provenance.errors import ProvenanceConfigError

KEYVAULT_PREFIX = "keyvault:"


def parse_secret_url(url: str, setting: str) -> tuple[str, str, str | None]:
    """(vault URL, secret name, version or None) of https://<vault>.vault.azure.net/secrets/<name>[/<version>]."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if (parts.scheme != "https" or not parts.hostname or not parts.hostname.endswith(".vault.azure.net")
            or len(segments) not in (2, 3) or segments[0] != "secrets"):
        raise ProvenanceConfigError(
            f"{setting}: {KEYVAULT_PREFIX}{url!r} is not a Key Vault secret reference; the form is "
            f"{KEYVAULT_PREFIX}https://<vault>.vault.azure.net/secrets/<name> (optionally /<version>)")
    version = segments[2] if len(segments) == 3 else None
    return f"https://{parts.hostname}", segments[1], version


def fetch_secret(url: str, setting: str) -> str:
    """The secret's value; a ProvenanceConfigError naming `setting` when it cannot be read."""
    from azure.core.exceptions import AzureError
    from azure.identity import DefaultAzureCredential
    from azure.keyvault.secrets import SecretClient

    vault, name, version = parse_secret_url(url, setting)
    credential = DefaultAzureCredential()
    try:
        secret = SecretClient(vault_url=vault, credential=credential).get_secret(name, version)
    except AzureError as exc:
        raise ProvenanceConfigError(
            f"{setting}: could not read the secret {name!r} from {vault} ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}); the service's identity needs the "
            "'Key Vault Secrets User' role on the vault") from None
    finally:
        credential.close()
    if not secret.value:
        raise ProvenanceConfigError(f"{setting}: the secret {name!r} in {vault} is empty")
    return secret.value
