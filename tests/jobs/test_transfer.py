"""Moving a one-box install (SQLite + images on disk) to PostgreSQL and Azure Blob: python -m jobs.transfer."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from PIL import Image
from sqlalchemy import insert, select
from sqlmodel import Session

from auth.access import OwnerAccess
from auth.audit import AuditEvent
from auth.tokens import AccessToken
from common.clock import aware, utcnow
from jobs import transfer
from jobs.db import alembic_config, make_engine, migrate, schema_revisions
from jobs.idempotency import IdempotencyKey
from jobs.models import Job, JobStatus
from jobs.store import JobStore
from scripts.azurite import API_VERSION, Azurite, start_azurite
from settings import Settings
from storage import THUMBNAIL_WIDTHS, ImageStore, LinkSigner, image_key, thumbnail_key
from storage.factory import open_image_store
from storage.png import thumbnail_webp
from tests.storage.conftest import need_azurite

ROOT = Path(__file__).resolve().parents[2]
OID, TID = "0b1c8a5e-0000-4000-8000-000000000001", "72f988bf-86f1-41af-91ab-2d7cd011db47"
# The schema before 0007: a one box that has not run this version yet.
OLD_REVISION = "0006"


@dataclass
class OneBox:
    url: str
    images: Path
    complete: str = ""  # two images, thumbnails made at completion
    no_thumbnails: str = ""  # one image, finished before thumbnails were made
    files: dict[str, bytes] = field(default_factory=dict)  # storage key -> bytes on disk

    def args(self) -> list[str]:
        return ["--from-database", self.url, "--from-images", str(self.images)]


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def new_job(status: JobStatus, images_stored: int = 0, **fields: object) -> Job:
    return Job(owner_oid=OID, owner_tid=TID, prompt="a red fox, flat vector logo", model="demo-flux",
               width=640, height=480, num_images=max(1, images_stored), steps=2, guidance=3.5, seed=7,
               status=status, images_stored=images_stored, **fields)


@pytest.fixture
def one_box(tmp_path: Path) -> OneBox:
    """A one box made for real: SQLite at an older schema, jobs written by the job store, PNGs on disk.

    The rows are written at today's schema (the job store writes every column it knows), then the
    database is migrated down to the older one, as a box that never ran this version would be."""
    data = tmp_path / "onebox"
    box = OneBox(url=f"sqlite:///{data / 'jobs.db'}", images=data / "images")
    migrate(box.url)
    engine = make_engine(box.url)
    store = JobStore(engine)
    now = utcnow()
    done = new_job(JobStatus.complete, 2, started_at=now - timedelta(minutes=5), finished_at=now, claims=1, attempts=1)
    key = IdempotencyKey(owner_tid=TID, owner_oid=OID, key="order-42", fingerprint="f" * 64, job_id=done.id,
                         response=f'{{"job_id": "{done.id}", "status": "queued"}}', created_at=now)
    store.add(done, key)
    bare = store.add(new_job(JobStatus.complete, 1, finished_at=now - timedelta(days=3)))
    store.add(new_job(JobStatus.queued))
    store.add(new_job(JobStatus.running, claims=1, attempts=1, heartbeat_at=now - timedelta(hours=1)))
    store.add(new_job(JobStatus.failed, error="The generator stopped while rendering this job 3 times."))
    with Session(engine) as s:
        s.add(AccessToken(owner_oid=OID, owner_tid=TID, name="ci", prefix="bag_abcd", token_hash="a" * 64,
                          expires_at=now + timedelta(days=90)))
        s.add(AuditEvent(actor_oid=OID, actor_tid=TID, action="token.create", target="t1"))
        for n in range(3):  # more rows than a test batch, on a key of two columns
            s.add(OwnerAccess(owner_tid=TID, owner_oid=f"{OID[:-1]}{n}", allowed=n != 1, checked_at=now,
                              source="sign_in"))
        s.commit()
    engine.dispose()
    command.downgrade(alembic_config(box.url), OLD_REVISION)

    box.complete, box.no_thumbnails = done.id, bare.id
    for index in range(2):
        image = png(640, 480, (200, 40 * index, 30))
        box.files[image_key(done.id, index)] = image
        for width in THUMBNAIL_WIDTHS:
            box.files[thumbnail_key(done.id, index, width)] = thumbnail_webp(image, width)
    box.files[image_key(bare.id, 0)] = png(640, 480, (10, 90, 200))
    for key, data in box.files.items():
        (box.images / key).parent.mkdir(parents=True, exist_ok=True)
        (box.images / key).write_bytes(data)
    (box.images / done.id / ".tmp-1a2b3c").write_bytes(b"half an image a crash left behind")
    return box


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    need_azurite()
    server = start_azurite(tmp_path_factory.mktemp("azurite-transfer"))
    yield server
    server.stop()


def azure_target(azurite: Azurite, pg_url: str, tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "new", database_url=pg_url, storage="azure",
                    azure_storage_connection_string=azurite.connection_string,
                    azure_storage_api_version=API_VERSION,
                    azure_storage_container=f"t{os.urandom(6).hex()}")


def open_store(settings: Settings) -> ImageStore:
    return open_image_store(settings, LinkSigner(b"s" * 32, settings.link_ttl_seconds))


def rows(url: str) -> dict[str, list[dict]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = {}
            for name in transfer.DURABLE_TABLES:
                table = transfer.table_of(name)
                found[name] = sorted(
                    ({k: aware(v) if isinstance(v, datetime) else v for k, v in r._mapping.items()}
                     for r in conn.execute(select(table))),
                    key=lambda row, t=table: transfer.key_of(t, row),
                )
            return found
    finally:
        engine.dispose()


def quiet(_: str) -> None:
    pass


def test_one_box_moves_to_postgres_and_blob_and_a_second_run_changes_nothing(
    one_box: OneBox, pg_url: str, azurite: Azurite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = azure_target(azurite, pg_url, tmp_path)

    assert transfer.main(one_box.args(), settings=settings) == 0
    out = capsys.readouterr().out
    assert "1 queued and 1 running jobs were copied as they were" in out
    assert "verified" in out

    assert schema_revisions(one_box.url)[0] == schema_revisions(one_box.url)[1]  # the old box migrated first
    source = rows(one_box.url)
    assert {t: len(source[t]) for t in transfer.DURABLE_TABLES} == {
        "job": 5, "job_image": 0, "image_review": 0, "style_version": 0, "idempotency_key": 1, "access_token": 1,
        "audit_event": 1, "owner_access": 3}
    assert rows(pg_url) == source
    store = open_store(settings)
    for key, data in one_box.files.items():
        assert store.get(key) == data, key
    for width in THUMBNAIL_WIDTHS:
        made = store.get(thumbnail_key(one_box.no_thumbnails, 0, width))
        assert made is not None
        with Image.open(io.BytesIO(made)) as thumb:
            assert (thumb.format, thumb.size) == ("WEBP", (width, width * 3 // 4))

    again = transfer.transfer(one_box.url, one_box.images, settings, say=quiet)
    assert again.rows_copied == dict.fromkeys(transfer.DURABLE_TABLES, 0)
    assert (again.files_uploaded, again.thumbnails_made, again.files_present) == (0, 0, 7)
    assert again.problems == []
    assert rows(pg_url) == source
    assert transfer.main(one_box.args(), settings=settings) == 0


def test_an_interrupted_run_is_finished_by_running_it_again(
    one_box: OneBox, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "BATCH_ROWS", 2)  # rows go over in several batches, as in a big install
    # Target: PostgreSQL with images on a disk of its own (a shared volume), already holding the
    # first half of the jobs and one image, as a run stopped midway leaves it.
    settings = Settings(_env_file=None, data_dir=tmp_path / "new", database_url=pg_url)
    migrate(pg_url)
    migrate(one_box.url)  # to read its rows with today's tables (the transfer would do it first anyway)
    jobs = rows(one_box.url)["job"][:2]
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(insert(transfer.table_of("job")), jobs)
    engine.dispose()
    open_store(settings).put(image_key(one_box.complete, 0), one_box.files[image_key(one_box.complete, 0)])

    report = transfer.transfer(one_box.url, one_box.images, settings, say=quiet)

    assert report.problems == []
    assert report.rows_copied == {"job": 3, "job_image": 0, "image_review": 0, "style_version": 0,
                                  "idempotency_key": 1, "access_token": 1, "audit_event": 1, "owner_access": 3}
    assert (report.files_uploaded, report.files_present, report.thumbnails_made) == (6, 1, 2)
    assert rows(pg_url) == rows(one_box.url)
    stored = settings.data_dir / "images"
    for key, data in one_box.files.items():
        assert (stored / key).read_bytes() == data
    assert not (stored / one_box.complete / ".tmp-1a2b3c").exists()


def test_a_complete_jobs_missing_image_fails_verification_naming_it(
    one_box: OneBox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lost = image_key(one_box.no_thumbnails, 0)
    (one_box.images / lost).unlink()
    settings = Settings(_env_file=None, data_dir=tmp_path / "new")  # SQLite and disk beside it

    assert transfer.main(one_box.args(), settings=settings) == 1
    err = capsys.readouterr().err
    assert "NOT verified, 1 problems" in err
    assert f"image {lost} of complete job {one_box.no_thumbnails} is not in the target store" in err
    assert "missing from --from-images too" in err


def test_refuses_a_target_database_that_is_the_source_and_changes_nothing(one_box: OneBox, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAG_")}
    env.update(BAG_DATABASE_URL=one_box.url, BAG_DATA_DIR=str(tmp_path / "new"))
    done = subprocess.run([sys.executable, "-m", "jobs.transfer", *one_box.args()], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "the target database is the source" in done.stderr
    assert schema_revisions(one_box.url)[0] == OLD_REVISION


def test_refuses_a_local_target_store_in_the_source_directory(
    one_box: OneBox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(_env_file=None, data_dir=one_box.images.parent, database_url="sqlite:///" + str(tmp_path / "n.db"))
    assert transfer.main(one_box.args(), settings=settings) == 2
    assert "the target image store is the source directory" in capsys.readouterr().err
    assert schema_revisions(one_box.url)[0] == OLD_REVISION


def test_refuses_a_source_database_file_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "images").mkdir()
    settings = Settings(_env_file=None, data_dir=tmp_path / "new")
    code = transfer.main(["--from-database", f"sqlite:///{tmp_path / 'typo.db'}", "--from-images",
                          str(tmp_path / "images")], settings=settings)
    assert code == 2
    assert "names no database file" in capsys.readouterr().err
    assert not (tmp_path / "typo.db").exists()
