"""A zip of stored images, written as it is sent: never whole in memory, whatever the images weigh."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from storage.base import ImageStore


class _Drain(io.RawIOBase):
    """An unseekable sink that hands over what was written since it was last emptied.

    Unseekable, zipfile writes each entry's sizes after its data (a data descriptor) instead of
    seeking back, which is what lets the archive go out as it is made."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def zip_stream(store: ImageStore, entries: Iterable[tuple[str, str]], modified: datetime) -> Iterator[bytes]:
    """The bytes of a zip holding each (file name, storage key), stored (PNGs do not shrink)."""
    sink = _Drain()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, key in entries:
            chunks = store.chunks(key)
            if chunks is None:
                # Deleted since the caller checked it: too late for an error answer, so the
                # download breaks off (the client sees an incomplete file, not a wrong one).
                raise FileNotFoundError(key)
            info = zipfile.ZipInfo(name, date_time=modified.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as entry:
                for chunk in chunks:
                    entry.write(chunk)
                    if data := sink.take():
                        yield data
            yield sink.take()
    yield sink.take()
