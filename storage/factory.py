"""Opens the image store the settings name, and checks at start that it works.

A wrong setting stops the service at start with a message naming the setting, instead of failing
every image later.
"""

from __future__ import annotations

from typing import Any

from azure.core.credentials import TokenCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError
from azure.storage.blob import BlobServiceClient, LinearRetry

from settings import Settings
from storage.azure import AzureImageStore
from storage.base import ImageStore
from storage.errors import StorageMisconfigured, StorageUnavailable
from storage.links import LinkSigner
from storage.local import LocalImageStore

# Reads happen inside a request: one quick retry, then 503 (the client tries again later). Writes
# are retried with backoff by their caller (the dispatcher).
RETRY = dict(backoff=0.5, retry_total=1, random_jitter_range=0.2)
CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 10
# Streamed reads (the zip) take a blob in pieces of at most this size.
GET_PIECE_BYTES = 1024 * 1024

CONNECTION_STRING = "BAG_AZURE_STORAGE_CONNECTION_STRING"
ACCOUNT_URL = "BAG_AZURE_STORAGE_ACCOUNT_URL"
CONTAINER = "BAG_AZURE_STORAGE_CONTAINER"
API_VERSION = "BAG_AZURE_STORAGE_API_VERSION"


def open_image_store(settings: Settings, signer: LinkSigner, credential: TokenCredential | None = None) -> ImageStore:
    """The store BAG_STORAGE names; `credential` replaces DefaultAzureCredential (tests)."""
    if settings.storage == "local":
        return LocalImageStore(settings.data_dir / "images", signer)
    store = AzureImageStore(_service_client(settings, credential), settings.azure_storage_container, signer)
    _probe(store, settings)
    return store


def _service_client(settings: Settings, credential: TokenCredential | None) -> BlobServiceClient:
    connection_string = settings.azure_storage_connection_string
    account_url = settings.azure_storage_account_url
    if bool(connection_string) == bool(account_url):
        raise StorageMisconfigured(
            f"BAG_STORAGE=azure needs exactly one of {CONNECTION_STRING} (the account key signs links) or "
            f"{ACCOUNT_URL} (an Entra identity signs links with a user delegation key); "
            + ("both are set" if connection_string else "neither is set")
        )
    options: dict[str, Any] = dict(
        retry_policy=LinearRetry(**RETRY),
        connection_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        max_single_get_size=GET_PIECE_BYTES,
        max_chunk_get_size=GET_PIECE_BYTES,
    )
    if settings.azure_storage_api_version:
        options["api_version"] = settings.azure_storage_api_version
    if settings.azure_storage_ca_bundle:
        options["connection_verify"] = settings.azure_storage_ca_bundle
    if connection_string:
        try:
            service = BlobServiceClient.from_connection_string(connection_string, **options)
        except ValueError as exc:
            raise StorageMisconfigured(f"{_setting_of(exc, CONNECTION_STRING)} is malformed: {exc}") from None
        if getattr(service.credential, "account_key", None) is None:
            raise StorageMisconfigured(
                f"{CONNECTION_STRING} has no AccountKey, which signs the image links; give the account's "
                f"connection string with its key, or use {ACCOUNT_URL} with an Entra identity"
            )
        return service
    if not account_url.lower().startswith("https://"):
        raise StorageMisconfigured(f"{ACCOUNT_URL} must be an https:// URL (got {account_url!r})")
    if credential is None:
        from azure.identity import DefaultAzureCredential

        credential = DefaultAzureCredential()
    try:
        return BlobServiceClient(account_url, credential=credential, **options)
    except ValueError as exc:
        raise StorageMisconfigured(f"{_setting_of(exc, ACCOUNT_URL)} is not usable: {exc}") from None


def _setting_of(exc: ValueError, otherwise: str) -> str:
    # The SDK checks the API version when the client is made, with the other arguments.
    return API_VERSION if "api version" in str(exc).lower() else otherwise


def _probe(store: AzureImageStore, settings: Settings) -> None:
    where = f"container {settings.azure_storage_container!r} at {store.service.url}"
    setting = CONNECTION_STRING if settings.azure_storage_connection_string else ACCOUNT_URL
    try:
        store.probe()
    except (ServiceRequestError, StorageUnavailable) as exc:
        cause = exc.__cause__ or exc
        raise StorageMisconfigured(
            f"Blob storage did not answer for {where} ({type(cause).__name__}); check {setting}, the network "
            f"and, for a private CA, BAG_AZURE_STORAGE_CA_BUNDLE: {cause}"
        ) from None
    except HttpResponseError as exc:
        if not isinstance(exc, ClientAuthenticationError) and exc.status_code not in (401, 403):
            raise StorageMisconfigured(
                f"Blob storage answered {exc.status_code} {_code(exc)} for {where}: {_hint(exc, setting)}"
            ) from None
        raise StorageMisconfigured(
            f"Blob storage refused the credentials of {setting} for {where}: {_code(exc)}. With an account key, "
            "check the key; with an Entra identity, it needs the 'Storage Blob Data Contributor' role on the "
            "container (or account) and the right to make user delegation keys; a firewall or private "
            "endpoint can refuse as well"
        ) from None


def _hint(exc: HttpResponseError, setting: str) -> str:
    return {
        "InvalidResourceName": f"{CONTAINER} must be 3-63 lower-case letters, digits and hyphens",
        "InvalidHeaderValue": f"the service does not take this API version; set {API_VERSION}",
    }.get(_code(exc), f"check {setting} and {CONTAINER}")


def _code(exc: HttpResponseError) -> str:
    if exc.status_code is None:  # no answer from the service: the credential itself failed
        return f"{type(exc).__name__}: {str(exc.message).splitlines()[0][:300]}"
    code = exc.error_code or exc.reason or type(exc).__name__
    return str(getattr(code, "value", code))  # the SDK's error codes are an enum of strings
