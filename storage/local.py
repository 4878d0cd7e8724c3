"""Images on local disk under the data directory, served by the API through signed links."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from common.files import write_atomically
from storage.base import ImageLinks, image_key, image_keys
from storage.errors import StorageUnavailable
from storage.links import LinkSigner

CHUNK_BYTES = 256 * 1024


@contextmanager
def _disk_errors() -> Iterator[None]:
    """A disk that fails (full, read-only, gone) is an outage; a missing file is the caller's to handle."""
    try:
        yield
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise StorageUnavailable() from exc


class LocalImageStore:
    def __init__(self, root: Path, signer: LinkSigner) -> None:
        self.root = root
        self.signer = signer
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        # Keys are built by image_key(); refuse anything that could climb out of the root anyway.
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("key escapes the storage root")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        with _disk_errors():
            write_atomically(path, data)

    def get(self, key: str) -> bytes | None:
        try:
            with _disk_errors():
                return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def size(self, key: str) -> int | None:
        try:
            with _disk_errors():
                return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def chunks(self, key: str) -> Iterator[bytes] | None:
        try:
            with _disk_errors():
                f = self._path(key).open("rb")
        except FileNotFoundError:
            return None
        return self._read(f)

    @staticmethod
    def _read(f: BinaryIO) -> Iterator[bytes]:
        with f, _disk_errors():
            while chunk := f.read(CHUNK_BYTES):
                yield chunk

    def delete_job(self, job_id: str) -> int:
        folder = self.root / str(uuid.UUID(job_id))
        removed = 0
        with _disk_errors():
            try:
                names = os.listdir(folder)
            except FileNotFoundError:
                return 0
            for name in names:
                # One file at a time, so a racing delete's files are neither an error nor counted twice.
                try:
                    (folder / name).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
            try:
                folder.rmdir()
            except OSError:
                # Gone already, or a write raced in: the next sweep takes what is left.
                pass
        return removed

    def delete_image(self, job_id: str, index: int) -> int:
        removed = 0
        with _disk_errors():
            for key in image_keys(job_id, index):
                try:
                    self._path(key).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
        return removed

    def link_expires(self, now: datetime) -> datetime:
        return self.signer.expires_at(now)

    def image_links(self, job_id: str, index: int, base_url: str, now: datetime) -> ImageLinks:
        key = image_key(job_id, index)
        # One signature for the image and its thumbnails: a thumbnail is a view of the same image.
        expires, signature = self.signer.sign(key, now)
        query = f"expires={expires}&sig={signature}"
        base = f"{base_url.rstrip('/')}/images/{key.removesuffix('.png')}"
        return ImageLinks(
            url=f"{base}.png?{query}",
            download_url=f"{base}.png?{query}&download=1",
            thumbnail_url=f"{base}.webp?{query}",
            small_thumbnail_url=f"{base}.webp?{query}&width=160",
        )
