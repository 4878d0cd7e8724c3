"""Local image storage, signed links, PNG encoding and the retention sweeper."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from jobs.db import make_engine, migrate
from jobs.models import Job
from jobs.store import JobStore
from jobs.sweeper import sweep
from storage import LinkInvalid, LinkSigner, image_key
from storage.local import LocalImageStore
from storage.png import encode_png

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


@pytest.fixture
def signer() -> LinkSigner:
    return LinkSigner(b"0123456789abcdef0123456789abcdef", ttl_seconds=24 * 3600)


@pytest.fixture
def images(tmp_path: Path, signer: LinkSigner) -> LocalImageStore:
    return LocalImageStore(tmp_path / "images", signer)


def test_link_verifies_until_it_expires(signer: LinkSigner) -> None:
    key = image_key(str(uuid.uuid4()), 0)
    expires, sig = signer.sign(key, NOW)
    # At least the ttl, at most one window (an hour) more.
    assert int(NOW.timestamp()) + 24 * 3600 <= expires < int(NOW.timestamp()) + 25 * 3600
    signer.verify(key, expires, sig, NOW + timedelta(hours=23, minutes=59))
    signer.verify(key, expires, sig, datetime.fromtimestamp(expires, UTC))
    with pytest.raises(LinkInvalid, match="expired"):
        signer.verify(key, expires, sig, datetime.fromtimestamp(expires + 1, UTC))


def test_links_made_within_an_hour_are_the_same_url(images: LocalImageStore) -> None:
    """So a browser's cache answers for an image seen again (a poll, history, a page reload)."""
    job_id = str(uuid.uuid4())
    start = datetime(2026, 5, 1, 10, 0, 1, tzinfo=UTC)
    first = images.image_links(job_id, 0, "http://h", start)
    assert images.image_links(job_id, 0, "http://h", start + timedelta(minutes=59, seconds=59)) == first
    assert images.image_links(job_id, 0, "http://h", start + timedelta(hours=1, seconds=1)).url != first.url
    assert images.link_expires(start) == datetime(2026, 5, 2, 11, 0, 0, tzinfo=UTC)


def test_altered_link_is_refused(signer: LinkSigner) -> None:
    key = image_key(str(uuid.uuid4()), 0)
    expires, sig = signer.sign(key, NOW)
    other = image_key(str(uuid.uuid4()), 0)
    flipped = sig[:-1] + ("1" if sig[-1] == "0" else "0")  # always a different signature
    for args in [(other, expires, sig), (key, expires + 3600, sig), (key, expires, flipped),
                 (image_key(key.split("/")[0], 1), expires, sig)]:
        with pytest.raises(LinkInvalid):
            signer.verify(*args, NOW)


def test_links_signed_with_a_secret_being_rotated_out_still_verify() -> None:
    """A rotation: replicas restarted with the new secret keep accepting links the old one signed
    (made before, or by a replica not restarted yet) until they expire; new links use the new one."""
    old_secret, new_secret = b"old-secret-old-secret-0123456789", b"new-secret-new-secret-0123456789"
    old = LinkSigner(old_secret, ttl_seconds=3600)
    rotated = LinkSigner(new_secret, ttl_seconds=3600, previous=(old_secret,))
    key = image_key(str(uuid.uuid4()), 0)
    expires, sig = old.sign(key, NOW)
    rotated.verify(key, expires, sig, NOW)
    assert rotated.sign(key, NOW) == (expires, LinkSigner(new_secret, ttl_seconds=3600).sign(key, NOW)[1])
    with pytest.raises(LinkInvalid):
        LinkSigner(new_secret, ttl_seconds=3600).verify(key, expires, sig, NOW)  # once dropped: refused
    with pytest.raises(ValueError):
        LinkSigner(new_secret, ttl_seconds=3600, previous=(b"short",))


def test_keys_never_take_paths_from_input() -> None:
    with pytest.raises(ValueError):
        image_key("../../etc/passwd", 0)
    with pytest.raises(ValueError):
        image_key(str(uuid.uuid4()), -1)


def test_put_get_delete(images: LocalImageStore) -> None:
    job_id = str(uuid.uuid4())
    images.put(image_key(job_id, 0), b"png-bytes")
    assert images.get(image_key(job_id, 0)) == b"png-bytes"
    images.put(image_key(job_id, 0), b"again")  # a retried attempt overwrites
    assert images.get(image_key(job_id, 0)) == b"again"
    images.delete_job(job_id)
    assert images.get(image_key(job_id, 0)) is None
    assert not list(images.root.rglob(".tmp-*"))


def png_chunks(png: bytes) -> list[bytes]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = [], 8
    while i < len(png):
        length = int.from_bytes(png[i : i + 4], "big")
        chunks.append(png[i + 4 : i + 8])
        i += 12 + length
    return chunks


@pytest.mark.parametrize("encoder", ["fast", "zlib"])
def test_png_is_lossless_and_carries_no_metadata(encoder: str) -> None:
    rgb = bytes(range(256)) * (64 * 48 * 3 // 256)
    png = encode_png(rgb, 64, 48, encoder)
    image = Image.open(io.BytesIO(png))
    assert image.size == (64, 48)
    assert image.tobytes() == rgb
    assert image.info == {}
    # Only pixels and structure: no text, time, colour-profile or EXIF chunk (fpng adds its
    # private five-byte fdEC marker).
    assert set(png_chunks(png)) <= {b"IHDR", b"IDAT", b"IEND", b"fdEC"}


def test_png_refuses_the_wrong_amount_of_pixels() -> None:
    with pytest.raises(ValueError):
        encode_png(b"\0" * 10, 64, 48)


def test_sweeper_deletes_jobs_and_images_past_retention(tmp_path: Path, images: LocalImageStore) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    migrate(url)
    store = JobStore(make_engine(url))
    fields = dict(owner_oid="a", owner_tid="t", prompt="p", model="m", width=16, height=16, num_images=1,
                  steps=1, guidance=0.0, seed=0)
    old = store.add(Job(created_at=NOW - timedelta(days=31), **fields))
    young = store.add(Job(created_at=NOW - timedelta(days=29), **fields))
    for job in (old, young):
        images.put(image_key(job.id, 0), b"x")
    assert sweep(store, images, NOW, retention_days=30) == 1
    assert store.get(old.id) is None and images.get(image_key(old.id, 0)) is None
    assert store.get(young.id) is not None and images.get(image_key(young.id, 0)) == b"x"
    # The same clock a day later takes the second one too.
    assert sweep(store, images, NOW + timedelta(days=2), retention_days=30) == 1
