"""Which settings sign, which store unsigned on purpose, and which stop the start naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance import keyvault
from provenance.config import load_signing
from provenance.errors import ProvenanceConfigError
from provenance.signer import ContentSigner
from provenance.testchain import LocalChain, make_chain
from settings import Settings
from tests.provenance.conftest import chain_settings


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)


def test_the_local_chain_signs(chain: LocalChain) -> None:
    assert ContentSigner.from_settings(settings(**chain_settings(chain))).state == "signing"


def test_no_key_and_no_chain_starts_unsigned_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    signer = ContentSigner.from_settings(settings())

    assert (signer.state, signer.signing) == ("unsigned", False)
    assert "WITHOUT content credentials" in caplog.text and "BAG_C2PA_CERT_CHAIN" in caplog.text


def test_signing_off_stores_unsigned_even_with_a_key(chain: LocalChain) -> None:
    signer = ContentSigner.from_settings(settings(c2pa_signing="off", **chain_settings(chain)))

    assert (signer.state, signer.signing) == ("off", False)


@pytest.mark.parametrize("setting,field", [
    ("BAG_C2PA_CERT_CHAIN", "c2pa_cert_chain"),
    ("BAG_C2PA_PRIVATE_KEY", "c2pa_private_key"),
    ("BAG_C2PA_TRUST_ANCHORS", "c2pa_trust_anchors"),
])
def test_a_missing_file_names_its_setting(chain: LocalChain, tmp_path: Path, setting: str, field: str) -> None:
    values = {**chain_settings(chain), field: str(tmp_path / "nowhere.pem")}

    with pytest.raises(ProvenanceConfigError, match=f"^{setting}: no file at"):
        ContentSigner.from_settings(settings(**values))


@pytest.mark.parametrize("missing,named", [("c2pa_cert_chain", "BAG_C2PA_CERT_CHAIN is not set"),
                                           ("c2pa_private_key", "BAG_C2PA_PRIVATE_KEY is not set")])
def test_half_a_configuration_is_refused(chain: LocalChain, missing: str, named: str) -> None:
    values = {**chain_settings(chain), missing: ""}

    with pytest.raises(ProvenanceConfigError, match=named):
        load_signing(settings(**values))


def test_a_file_that_is_not_a_key_names_the_key_setting(chain: LocalChain) -> None:
    with pytest.raises(ProvenanceConfigError, match="^BAG_C2PA_PRIVATE_KEY: not an unencrypted PEM private key"):
        load_signing(settings(**{**chain_settings(chain), "c2pa_private_key": str(chain.chain)}))


def test_a_chain_of_one_certificate_is_refused(chain: LocalChain, tmp_path: Path) -> None:
    single = tmp_path / "single.pem"
    single.write_text(chain.chain.read_text().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n")

    with pytest.raises(ProvenanceConfigError, match="^BAG_C2PA_CERT_CHAIN: the file holds one certificate"):
        load_signing(settings(**{**chain_settings(chain), "c2pa_cert_chain": str(single)}))


def test_a_key_that_does_not_match_the_certificate_fails_at_start(chain: LocalChain, tmp_path: Path) -> None:
    _, other_key, _ = make_chain()
    key = tmp_path / "other-key.pem"
    key.write_bytes(other_key)

    with pytest.raises(ProvenanceConfigError, match="BAG_C2PA_CERT_CHAIN / BAG_C2PA_PRIVATE_KEY: the key and "):
        ContentSigner.from_settings(settings(**{**chain_settings(chain), "c2pa_private_key": str(key)}))


def test_a_key_vault_reference_is_parsed() -> None:
    assert keyvault.parse_secret_url("https://brand.vault.azure.net/secrets/c2pa-key", "S") == (
        "https://brand.vault.azure.net", "c2pa-key", None)
    assert keyvault.parse_secret_url("https://brand.vault.azure.net/secrets/c2pa-key/0a1b", "S")[2] == "0a1b"
    with pytest.raises(ProvenanceConfigError, match="^S: .* is not a Key Vault secret reference"):
        keyvault.parse_secret_url("https://example.com/secrets/c2pa-key", "S")


def test_the_key_is_read_from_key_vault(chain: LocalChain, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str, str | None]] = []

    class Secret:
        value = chain.key.read_text()

    class FakeClient:
        def __init__(self, vault_url: str, credential: object) -> None:
            self.vault_url = vault_url

        def get_secret(self, name: str, version: str | None = None) -> Secret:
            asked.append((self.vault_url, name, version))
            return Secret()

    class FakeCredential:
        def close(self) -> None:
            pass

    import azure.identity
    import azure.keyvault.secrets

    monkeypatch.setattr(azure.keyvault.secrets, "SecretClient", FakeClient)
    monkeypatch.setattr(azure.identity, "DefaultAzureCredential", FakeCredential)
    reference = "keyvault:https://brand.vault.azure.net/secrets/c2pa-key"

    signer = ContentSigner.from_settings(settings(**{**chain_settings(chain), "c2pa_private_key": reference}))

    assert signer.state == "signing"
    assert asked == [("https://brand.vault.azure.net", "c2pa-key", None)]
