"""Images in Azure Blob Storage; links are read-only SAS URLs straight to the blob service.

Signed with the account key (a connection string) or, with an Entra credential, a user delegation
key (no account key anywhere; the identity needs "Storage Blob Data Contributor" to read and write
and the delegator right to sign, docs/scaling.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from azure.core.exceptions import (
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.storage.blob import (
    BlobSasPermissions,
    BlobServiceClient,
    ContentSettings,
    UserDelegationKey,
    generate_blob_sas,
)

from storage.base import ImageLinks, content_type, image_filename, image_key, image_keys, thumbnail_key
from storage.errors import StorageUnavailable
from storage.links import LinkExpiry

log = logging.getLogger(__name__)

# The most a user delegation key may live (the service refuses more), and how long before the end
# of a key it is renewed: far more than any link outlives the moment it is made, so a key never
# expires under a link, and a failed renewal has days to succeed before it matters.
DELEGATION_KEY_LIFETIME = timedelta(days=7)
DELEGATION_KEY_MARGIN = timedelta(days=2)
# Clock skew between this host and the service: a key (or link) is valid from a little earlier.
CLOCK_SKEW = timedelta(minutes=5)


@contextmanager
def outages() -> Iterator[None]:
    """Errors that mean the service is out of reach (or failing) become StorageUnavailable; a 4xx
    (missing, refused) stays what it is for the caller to judge."""
    try:
        yield
    except (ServiceRequestError, ServiceResponseError) as exc:
        raise StorageUnavailable() from exc
    except HttpResponseError as exc:
        if exc.status_code is None or exc.status_code >= 500:
            raise StorageUnavailable() from exc
        raise


class AzureImageStore:
    def __init__(self, service: BlobServiceClient, container: str, expiry: LinkExpiry) -> None:
        self.service = service
        self.container = service.get_container_client(container)
        self.expiry = expiry
        # A connection string's shared key signs links; without one, a user delegation key does.
        self._account_key: str | None = getattr(service.credential, "account_key", None)
        self._delegation: UserDelegationKey | None = None
        self._delegation_until: datetime | None = None
        self._delegation_lock = threading.Lock()

    @property
    def signs_with_account_key(self) -> bool:
        return self._account_key is not None

    def put(self, key: str, data: bytes) -> None:
        with outages():
            self.container.upload_blob(key, data, overwrite=True,
                                       content_settings=ContentSettings(content_type=content_type(key)))

    def get(self, key: str) -> bytes | None:
        try:
            with outages():
                return self.container.download_blob(key).readall()
        except ResourceNotFoundError:
            return None

    def size(self, key: str) -> int | None:
        try:
            with outages():
                return self.container.get_blob_client(key).get_blob_properties().size
        except ResourceNotFoundError:
            return None

    def chunks(self, key: str) -> Iterator[bytes] | None:
        try:
            with outages():
                # The client's max_single_get_size/max_chunk_get_size bound each piece (factory.py).
                downloader = self.container.download_blob(key)
        except ResourceNotFoundError:
            return None
        return self._pieces(downloader.chunks())

    @staticmethod
    def _pieces(pieces: Iterator[bytes]) -> Iterator[bytes]:
        with outages():
            yield from pieces

    def delete_job(self, job_id: str) -> int:
        prefix = image_key(job_id, 0).split("/")[0] + "/"
        removed = 0
        with outages():
            for name in list(self.container.list_blob_names(name_starts_with=prefix)):
                try:
                    self.container.delete_blob(name)
                    removed += 1
                except ResourceNotFoundError:
                    pass  # deleted by a racing sweep or delete since it was listed
        return removed

    def delete_image(self, job_id: str, index: int) -> int:
        removed = 0
        with outages():
            for key in image_keys(job_id, index):
                try:
                    self.container.delete_blob(key)
                    removed += 1
                except ResourceNotFoundError:
                    pass  # never made (a thumbnail), or deleted by a racing sweep
        return removed

    def link_expires(self, now: datetime) -> datetime:
        return self.expiry.expires_at(now)

    def image_links(self, job_id: str, index: int, base_url: str, now: datetime) -> ImageLinks:
        expires = self.expiry.expires_at(now)
        key = image_key(job_id, index)
        download = f'attachment; filename="{image_filename(job_id, index)}"'
        return ImageLinks(
            url=self._link(key, expires),
            download_url=self._link(key, expires, content_disposition=download),
            thumbnail_url=self._link(thumbnail_key(job_id, index, 512), expires),
            small_thumbnail_url=self._link(thumbnail_key(job_id, index, 160), expires),
        )

    def _link(self, key: str, expires: datetime, content_disposition: str | None = None) -> str:
        # Everything signed is a function of the key and the rounded expiry, so the URL stays the
        # same for a window and browsers cache the image. Hence max-age is the ttl (the least time
        # any link of the window has left when made), not the seconds left now.
        sas = generate_blob_sas(
            self.service.account_name,
            self.container.container_name,
            key,
            account_key=self._account_key,
            user_delegation_key=None if self._account_key else self._delegation_key(expires),
            permission=BlobSasPermissions(read=True),
            expiry=expires,
            cache_control=f"private, max-age={self.expiry.ttl_seconds}",
            content_disposition=content_disposition,
        )
        return f"{self.container.url}/{quote(key)}?{sas}"

    def _delegation_key(self, needed_until: datetime) -> UserDelegationKey:
        """The cached user delegation key, renewed well before it could expire under a link."""
        with self._delegation_lock:
            until = self._delegation_until
            if until is None or until - DELEGATION_KEY_MARGIN < needed_until:
                try:
                    # From the real clock, not `now` (which a test may set in the past).
                    self._renew_delegation_key(datetime.now(UTC))
                except StorageUnavailable:
                    # Keep signing with the old key while it outlives the links made now.
                    if until is None or until < needed_until:
                        raise
                    log.warning("could not renew the user delegation key; the current one lasts until %s", until)
            assert self._delegation is not None
            return self._delegation

    def _renew_delegation_key(self, now: datetime) -> None:
        start = now - CLOCK_SKEW
        end = start + DELEGATION_KEY_LIFETIME
        with outages():
            self._delegation = self.service.get_user_delegation_key(start, end)
        self._delegation_until = end

    def probe(self) -> None:
        """Reach the container (creating it when missing) and, without an account key, fetch a
        delegation key: what every later call needs, checked once at start (factory.py)."""
        try:
            self.container.get_container_properties()
        except ResourceNotFoundError:
            try:
                self.container.create_container()
            except HttpResponseError as exc:
                if exc.status_code != 409:  # made by another replica starting at the same time
                    raise
        if not self._account_key:
            self._renew_delegation_key(datetime.now(UTC))
