"""One contract for every image store: local disk, and Azure Blob Storage (on Azurite) with
account-key SAS over HTTP and user-delegation SAS over HTTPS. Links are fetched as a browser
would; what one backend does, the other must do too."""

from __future__ import annotations

import io
import os
import random
import threading
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from PIL import Image

from scripts.azurite import ACCOUNT_KEY, API_VERSION, start_azurite
from settings import Settings
from storage import LinkSigner, StorageMisconfigured, StorageUnavailable, image_filename, image_key, thumbnail_key
from storage.archive import zip_stream
from storage.factory import open_image_store
from storage.local import LocalImageStore
from storage.png import thumbnail_webp
from tests.storage.conftest import Backend, EmulatorCredential, azurite_settings, need_azurite


def png(width: int = 64, height: int = 48, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3)).save(out, format="PNG")
    return out.getvalue()


def store_job(backend: Backend, images: int = 2) -> tuple[str, list[bytes]]:
    job_id = str(uuid.uuid4())
    data = [png(seed=i) for i in range(images)]
    for i, image in enumerate(data):
        backend.store.put(image_key(job_id, i), image)
    return job_id, data


def other_path(url: str, old: str, new: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.replace(old, new)))


def test_a_link_serves_the_stored_image_with_its_type(backend: Backend) -> None:
    job_id, data = store_job(backend)
    assert backend.store.get(image_key(job_id, 0)) == data[0]
    assert backend.store.size(image_key(job_id, 0)) == len(data[0])
    answer = backend.fetch(backend.links(job_id, 0, datetime.now(UTC)).url)
    assert answer.status_code == 200, answer.text
    assert answer.content == data[0]
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["cache-control"].startswith("private, max-age=")
    assert "content-disposition" not in answer.headers


def test_missing_keys_read_as_nothing(backend: Backend) -> None:
    key = image_key(str(uuid.uuid4()), 0)
    assert backend.store.get(key) is None and backend.store.size(key) is None and backend.store.chunks(key) is None


def test_the_download_link_is_an_attachment_named_for_the_image(backend: Backend) -> None:
    job_id, data = store_job(backend)
    answer = backend.fetch(backend.links(job_id, 1, datetime.now(UTC)).download_url)
    assert answer.status_code == 200 and answer.content == data[1]
    assert answer.headers["content-disposition"] == f'attachment; filename="{image_filename(job_id, 1)}"'


def test_an_altered_link_is_refused(backend: Backend) -> None:
    job_id, _ = store_job(backend)
    url = backend.links(job_id, 0, datetime.now(UTC)).url
    # Change one character of the signature (hex locally, base64 on Azure; both follow "sig=").
    head, sig = url.split("sig=")
    assert backend.fetch(f"{head}sig={'B' if sig[0] == 'A' else 'A'}{sig[1:]}").status_code == 403
    if backend.name != "local":  # no signature at all: the container is private
        assert backend.fetch(url.split("?")[0]).status_code in (403, 404)


def test_an_expired_link_is_refused(backend: Backend) -> None:
    job_id, _ = store_job(backend)
    links = backend.links(job_id, 0, datetime.now(UTC) - timedelta(days=3))
    assert backend.fetch(links.url).status_code == 403
    assert backend.fetch(links.download_url).status_code == 403


def test_a_link_opens_only_its_own_image(backend: Backend) -> None:
    job_id, _ = store_job(backend)
    other_job, _ = store_job(backend)
    url = backend.links(job_id, 0, datetime.now(UTC)).url
    assert backend.fetch(other_path(url, "/0.png", "/1.png")).status_code == 403
    assert backend.fetch(other_path(url, job_id, other_job)).status_code == 403


def test_links_made_within_a_window_are_the_same_url(backend: Backend) -> None:
    """So a browser's cache answers for an image seen again (a poll, history, a page reload)."""
    job_id, _ = store_job(backend, images=1)
    start = datetime.now(UTC).replace(minute=0, second=1, microsecond=0)
    first = backend.links(job_id, 0, start)
    assert backend.links(job_id, 0, start + timedelta(minutes=59, seconds=58)) == first
    assert backend.links(job_id, 0, start + timedelta(hours=1, seconds=1)).url != first.url
    assert backend.store.link_expires(start) == start.replace(second=0) + timedelta(hours=25)


def test_thumbnails_are_stored_beside_the_image_and_served_by_their_links(backend: Backend) -> None:
    job_id, data = store_job(backend, images=1)
    for width in (160, 512):
        backend.store.put(thumbnail_key(job_id, 0, width), thumbnail_webp(png(1024, 768), width))
    links = backend.links(job_id, 0, datetime.now(UTC))
    for url, width in ((links.thumbnail_url, 512), (links.small_thumbnail_url, 160)):
        answer = backend.fetch(url)
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/webp"
        with Image.open(io.BytesIO(answer.content)) as image:
            assert image.format == "WEBP" and max(image.size) == width


def test_delete_removes_everything_of_the_job_and_only_it(backend: Backend) -> None:
    job_id, _ = store_job(backend, images=2)
    backend.store.put(thumbnail_key(job_id, 0, 160), b"webp")
    kept, kept_data = store_job(backend, images=1)
    assert backend.store.delete_job(job_id) == 3
    assert backend.store.get(image_key(job_id, 0)) is None
    assert backend.store.get(thumbnail_key(job_id, 0, 160)) is None
    assert backend.store.get(image_key(kept, 0)) == kept_data[0]
    assert backend.store.delete_job(job_id) == 0  # already gone: no error
    assert backend.store.delete_job(str(uuid.uuid4())) == 0


def test_two_sweeps_at_once_delete_each_thing_once_and_fail_nothing(backend: Backend) -> None:
    jobs = [store_job(backend, images=3)[0] for _ in range(4)]
    counts: list[int] = []
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def sweep() -> None:
        start.wait()
        try:
            counts.append(sum(backend.store.delete_job(job_id) for job_id in jobs))
        except BaseException as exc:  # noqa: BLE001 - any failure fails the test
            failures.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sum(counts) == 12
    assert all(backend.store.get(image_key(job_id, 0)) is None for job_id in jobs)


def test_the_zip_is_streamed_in_pieces_and_reads_back(backend: Backend) -> None:
    job_id = str(uuid.uuid4())
    # Incompressible data (a PNG's compressed pixels look like this), 3 MiB per image.
    images = [random.Random(i).randbytes(3 * 1024 * 1024) for i in range(3)]
    for i, data in enumerate(images):
        backend.store.put(image_key(job_id, i), data)
    entries = [(image_filename(job_id, i), image_key(job_id, i)) for i in range(3)]
    pieces = list(zip_stream(backend.store, entries, datetime(2026, 5, 1, 12, 0, tzinfo=UTC)))
    total = sum(map(len, pieces))
    assert total > 9 * 1024 * 1024
    assert max(map(len, pieces)) <= 1024 * 1024 + 4096  # one stored piece at a time, never an image
    with zipfile.ZipFile(io.BytesIO(b"".join(pieces))) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [name for name, _ in entries]
        assert [archive.read(name) for name, _ in entries] == images
        assert archive.getinfo(entries[0][0]).compress_type == zipfile.ZIP_STORED


# --- outages and wrong settings --------------------------------------------------------------

def test_a_local_disk_error_is_an_outage_not_a_missing_image(tmp_path: Path) -> None:
    store = LocalImageStore(tmp_path / "images", LinkSigner(b"s" * 32, 3600))
    job_id = str(uuid.uuid4())
    (tmp_path / "images" / job_id).write_bytes(b"")  # a file where the job's folder belongs
    key = image_key(job_id, 0)
    for call in (lambda: store.put(key, b"x"), lambda: store.get(key), lambda: store.size(key),
                 lambda: store.chunks(key), lambda: store.delete_job(job_id)):
        with pytest.raises(StorageUnavailable):
            call()


@pytest.mark.parametrize("oauth", [False, True], ids=["account-key", "user-delegation"])
def test_blob_storage_out_of_reach_is_an_outage_answered_quickly(tmp_path: Path, oauth: bool) -> None:
    need_azurite()
    azurite = start_azurite(tmp_path / "azurite", https=oauth, oauth=oauth)
    try:
        settings = azurite_settings(azurite, tmp_path)
        store = open_image_store(settings, LinkSigner(b"s" * 32, 3600), EmulatorCredential() if oauth else None)
        job_id = str(uuid.uuid4())
        key = image_key(job_id, 0)
        store.put(key, b"x")
    finally:
        azurite.stop()
    for call in (lambda: store.put(key, b"x"), lambda: store.get(key), lambda: store.size(key),
                 lambda: store.chunks(key), lambda: store.delete_job(job_id)):
        started = time.monotonic()
        with pytest.raises(StorageUnavailable):
            call()
        assert time.monotonic() - started < 5  # a read in a request answers 503 soon
    # Links need no round trip (the delegation key is cached), so polls still answer.
    assert store.image_links(job_id, 0, "http://x", datetime.now(UTC)).url.startswith(azurite.blob_url)


def test_the_settings_choose_the_local_store_by_default(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert isinstance(open_image_store(settings, LinkSigner(b"s" * 32, 3600)), LocalImageStore)
    assert os.path.isdir(tmp_path / "images")


def misconfigured(tmp_path: Path, credential: object = None, **fields: str) -> str:
    settings = Settings(_env_file=None, data_dir=tmp_path, storage="azure", **fields)
    with pytest.raises(StorageMisconfigured) as caught:
        open_image_store(settings, LinkSigner(b"s" * 32, 3600), credential)  # type: ignore[arg-type]
    return str(caught.value)


def test_wrong_azure_settings_stop_the_start_with_a_message_naming_them(tmp_path: Path) -> None:
    message = misconfigured(tmp_path)
    assert "BAG_AZURE_STORAGE_CONNECTION_STRING" in message and "neither is set" in message
    assert "both are set" in misconfigured(tmp_path, azure_storage_connection_string="AccountName=a;AccountKey=aw==",
                                           azure_storage_account_url="https://a.blob.core.windows.net")
    assert "is malformed" in misconfigured(tmp_path, azure_storage_connection_string="not a connection string")
    assert "has no AccountKey" in misconfigured(
        tmp_path, azure_storage_connection_string="BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1")
    assert "must be an https:// URL" in misconfigured(tmp_path, azure_storage_account_url="http://a.example")
    dead = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=aw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;"
    message = misconfigured(tmp_path, azure_storage_connection_string=dead)
    assert "did not answer" in message and "BAG_AZURE_STORAGE_CONNECTION_STRING" in message


def test_azure_refusals_at_start_name_the_setting(azurite_http, tmp_path: Path) -> None:  # noqa: ANN001
    wrong_key = azurite_http.connection_string.replace(ACCOUNT_KEY, "d3Jvbmcga2V5" * 8)
    message = misconfigured(tmp_path, azure_storage_connection_string=wrong_key, azure_storage_api_version=API_VERSION)
    assert "refused the credentials of BAG_AZURE_STORAGE_CONNECTION_STRING" in message
    message = misconfigured(tmp_path, azure_storage_connection_string=azurite_http.connection_string,
                            azure_storage_api_version=API_VERSION, azure_storage_container="Not_Valid")
    assert "BAG_AZURE_STORAGE_CONTAINER must be 3-63" in message
    for version in ("1999-01-01", "2026-02-06"):  # unknown to the SDK; newer than Azurite 3.35 takes
        message = misconfigured(tmp_path, azure_storage_connection_string=azurite_http.connection_string,
                                azure_storage_api_version=version)
        assert "BAG_AZURE_STORAGE_API_VERSION" in message, message


def test_an_untrusted_certificate_is_named_at_start(azurite_oauth, tmp_path: Path) -> None:  # noqa: ANN001
    message = misconfigured(tmp_path, EmulatorCredential(), azure_storage_account_url=azurite_oauth.blob_url,
                            azure_storage_api_version=API_VERSION)
    assert "did not answer" in message and "BAG_AZURE_STORAGE_CA_BUNDLE" in message
