"""The storage interface; `local` keeps images on disk, a later backend keeps them in Azure Blob."""

from __future__ import annotations

import uuid
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


def download_stem(job_id: str) -> str:
    """The name a download of the job is saved under: short and recognisable, never user text."""
    return f"brand-asset-{uuid.UUID(job_id).hex[:8]}"


def image_filename(job_id: str, index: int) -> str:
    """The file name of one image in a download, numbered from 1 as people count."""
    return f"{download_stem(job_id)}-{index + 1}.png"


class ImageStore(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store bytes under key, replacing what was there (writes are idempotent on retry)."""

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None."""

    def delete_job(self, job_id: str) -> None:
        """Delete every image of a job; deleting what is not there is no error."""

    def link(self, key: str, base_url: str, now: datetime) -> str:
        """A URL that serves the image to whoever holds it until it expires."""

    def link_expires(self, now: datetime) -> datetime:
        """When the links made now expire."""

    def thumbnail_link(self, key: str, base_url: str, now: datetime) -> str:
        """Like `link`, for a small WebP copy of the image (lists and grids)."""
