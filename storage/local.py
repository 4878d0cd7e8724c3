"""Images on local disk under the data directory, served by the API through signed links."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from storage.links import LinkSigner


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
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside, then rename: a reader never sees half an image, a crash leaves no torn file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete_job(self, job_id: str) -> None:
        uuid.UUID(job_id)
        shutil.rmtree(self.root / job_id, ignore_errors=True)

    def link_expires(self, now: datetime) -> datetime:
        return datetime.fromtimestamp(self.signer.expiry(now), UTC)

    def link(self, key: str, base_url: str, now: datetime) -> str:
        return self._signed_url(key, key, base_url, now)

    def thumbnail_link(self, key: str, base_url: str, now: datetime) -> str:
        # The same signature as the image's own link: a thumbnail is a view of the same image.
        return self._signed_url(key, key.removesuffix(".png") + ".webp", base_url, now)

    def _signed_url(self, key: str, path: str, base_url: str, now: datetime) -> str:
        expires, signature = self.signer.sign(key, now)
        return f"{base_url.rstrip('/')}/images/{path}?expires={expires}&sig={signature}"
