"""The storage interface; `local` keeps images on disk, `azure` in Azure Blob Storage."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


def image_key(job_id: str, index: int) -> str:
    """The deterministic key of a job's image; both parts are validated, so no path comes from input."""
    uuid.UUID(job_id)
    if not 0 <= index < 64:
        raise ValueError("image index out of range")
    return f"{job_id}/{index}.png"


# The sizes a thumbnail is made in: few, so each is made once, kept, and cached by browsers.
THUMBNAIL_WIDTHS = (160, 512)


def thumbnail_key(job_id: str, index: int, width: int) -> str:
    """Where a thumbnail is kept beside its image (deleted with the job's folder)."""
    if width not in THUMBNAIL_WIDTHS:
        raise ValueError("not a thumbnail width")
    return image_key(job_id, index).removesuffix(".png") + f"-{width}.webp"


def image_keys(job_id: str, index: int) -> list[str]:
    """Everything stored for one image: the PNG and its thumbnails."""
    return [image_key(job_id, index), *(thumbnail_key(job_id, index, width) for width in THUMBNAIL_WIDTHS)]


def download_stem(job_id: str) -> str:
    """The name a download of the job is saved under: short and recognisable, never user text."""
    return f"brand-asset-{uuid.UUID(job_id).hex[:8]}"


def image_filename(job_id: str, index: int) -> str:
    """The file name of one image in a download, numbered from 1 as people count."""
    return f"{download_stem(job_id)}-{index + 1}.png"


CONTENT_TYPES = {".png": "image/png", ".webp": "image/webp"}


def content_type(key: str) -> str:
    """The media type a stored key is served with, from its suffix."""
    return CONTENT_TYPES["." + key.rsplit(".", 1)[-1]]


@dataclass(frozen=True)
class ImageLinks:
    """The links to one image: itself, as a download, and its two thumbnails."""

    url: str
    download_url: str
    thumbnail_url: str
    small_thumbnail_url: str


class ImageStore(Protocol):
    """Every call that fails because the store is out of reach raises `StorageUnavailable`."""

    def put(self, key: str, data: bytes) -> None:
        """Store bytes under key, replacing what was there (writes are idempotent on retry)."""

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None."""

    def size(self, key: str) -> int | None:
        """How many bytes are stored under key, or None when nothing is."""

    def chunks(self, key: str) -> Iterator[bytes] | None:
        """The stored bytes a piece at a time (never all in memory), or None when nothing is stored."""

    def delete_job(self, job_id: str) -> int:
        """Delete everything stored for a job; returns how many objects this call removed.

        What is already gone is no error, so two sweepers, or a sweep and a user's delete, may race."""

    def delete_image(self, job_id: str, index: int) -> int:
        """Delete one image and its thumbnails, leaving the job's other images; returns how many
        objects this call removed. What is already gone is no error, as with `delete_job`."""

    def link_expires(self, now: datetime) -> datetime:
        """When the links made now expire."""

    def image_links(self, job_id: str, index: int, base_url: str, now: datetime) -> ImageLinks:
        """Links that serve the image (and its thumbnails) to whoever holds them until they expire."""
