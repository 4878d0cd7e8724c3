"""Move a one-box install (its SQLite file and its images on disk) to the database and image store the
settings name (BAG_DATABASE_URL, BAG_STORAGE, BAG_AZURE_STORAGE_*), so nobody copies tables by hand:

    python -m jobs.transfer --from-database sqlite:////srv/bag/data/jobs.db --from-images /srv/bag/data/images

Stop the one box first. Safe to run again: rows the target holds are left as they are and files
stored there with the same size are not sent again, so an interrupted run is finished by running it
again. Exit 0: everything verified; 1: something is missing (listed), or a server did not answer;
2: refused (the target is the source, or a setting or argument is wrong).
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Table, insert, select, tuple_
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

import auth.access  # noqa: F401  (registers owner_access)
import auth.audit  # noqa: F401  (registers audit_event)
import auth.tokens  # noqa: F401  (registers access_token)
import jobs.idempotency  # noqa: F401  (registers idempotency_key)
import jobs.images  # noqa: F401  (registers job_image)
import jobs.reviews  # noqa: F401  (registers image_review)
import loras.versions  # noqa: F401  (registers style_version)
from common.clock import aware
from jobs.db import make_engine, migrate
from jobs.models import JobStatus
from settings import Settings
from storage import THUMBNAIL_WIDTHS, ImageStore, LinkSigner, image_key, thumbnail_key
from storage.errors import StorageMisconfigured, StorageUnavailable
from storage.factory import open_image_store
from storage.png import thumbnail_webp

# What a job is: its row and the rows that refer to it or to its owner. submit_bucket and the
# runner_* tables are not copied: they describe processes of the moment, and the new ones make their own.
DURABLE_TABLES = ("job", "job_image", "image_review", "style_version", "idempotency_key", "access_token",
                  "audit_event", "owner_access")
BATCH_ROWS = 500
# Image files are checked and sent a job at a time, several at once: each is a round trip to Blob
# Storage, which is what the run's time goes to.
DEFAULT_WORKERS = 8
IMAGE_FILE = re.compile(r"^(\d+)\.png$|^(\d+)-(\d+)\.webp$")
VERIFIED, NOT_VERIFIED, REFUSED = 0, 1, 2
SHOWN_PROBLEMS = 50


class Refused(Exception):
    """The command would do harm or cannot start; the message says why and what to change."""


@dataclass
class Report:
    source_rows: dict[str, int] = field(default_factory=dict)
    rows_copied: dict[str, int] = field(default_factory=dict)
    files_uploaded: int = 0
    files_present: int = 0
    thumbnails_made: int = 0
    queued: int = 0
    running: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def same_database(a: str, b: str) -> bool:
    ua, ub = make_url(a), make_url(b)
    if ua.get_backend_name() != ub.get_backend_name():
        return False
    if ua.get_backend_name() == "sqlite":
        return Path(ua.database or "").resolve() == Path(ub.database or "").resolve()
    port = {"postgresql": 5432}.get(ua.get_backend_name())
    return (ua.host or "localhost", ua.port or port, ua.database) == (ub.host or "localhost", ub.port or port, ub.database)


def _check_arguments(source_url: str, images: Path, settings: Settings) -> None:
    target_url = settings.sqlalchemy_url
    if same_database(source_url, target_url):
        raise Refused(f"the target database is the source ({_shown(target_url)}): set BAG_DATABASE_URL "
                      "to the new database (PostgreSQL)")
    source = make_url(source_url)
    # Migrating a SQLite URL that names no file would make an empty database and "verify" nothing.
    if source.get_backend_name() == "sqlite" and not Path(source.database or "").is_file():
        raise Refused(f"--from-database names no database file: {source.database}")
    if not images.is_dir():
        raise Refused(f"--from-images is not a directory: {images}")
    if settings.storage == "local" and (settings.data_dir / "images").resolve() == images.resolve():
        raise Refused(f"the target image store is the source directory ({images}): set BAG_STORAGE=azure "
                      "(and BAG_AZURE_STORAGE_*), or BAG_DATA_DIR to the new data directory")


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _open_store(settings: Settings) -> ImageStore:
    # The transfer makes no links, so the signer's key never leaves this process; a throwaway one
    # keeps the one box's secret (or the lack of BAG_LINK_SECRET) out of the way.
    return open_image_store(settings, LinkSigner(secrets.token_bytes(32), settings.link_ttl_seconds))


# -- rows ------------------------------------------------------------------------------------------
def table_of(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def key_of(table: Table, row: dict) -> tuple:
    return tuple(row[c.name] for c in table.primary_key.columns)


def _batches(conn: Connection, table: Table) -> Iterator[list[dict]]:
    """Every row in primary-key order, a batch at a time (keyset paging: no OFFSET rescans)."""
    pk = list(table.primary_key.columns)
    last: tuple | None = None
    while True:
        query = select(table).order_by(*pk).limit(BATCH_ROWS)
        if last is not None:
            query = query.where(tuple_(*pk) > tuple_(*last) if len(pk) > 1 else pk[0] > last[0])
        rows = [dict(r._mapping) for r in conn.execute(query)]
        if not rows:
            return
        yield rows
        last = key_of(table, rows[-1])


def _present(conn: Connection, table: Table, keys: list[tuple]) -> set[tuple]:
    pk = list(table.primary_key.columns)
    column = tuple_(*pk) if len(pk) > 1 else pk[0]
    wanted = keys if len(pk) > 1 else [k[0] for k in keys]
    return {tuple(r) for r in conn.execute(select(*pk).where(column.in_(wanted)))}


def _as_stored(row: dict) -> dict:
    # SQLite gives datetimes back without a zone; everything is stored in UTC, and PostgreSQL would
    # otherwise read a naive value in its session's time zone.
    return {k: aware(v) if isinstance(v, datetime) else v for k, v in row.items()}


def copy_table(source: Engine, target: Engine, table: Table) -> tuple[int, int]:
    """Insert the rows of `table` the target lacks; (rows in the source, rows copied)."""
    seen = copied = 0
    with source.connect() as src:
        for rows in _batches(src, table):
            seen += len(rows)
            with target.begin() as dst:
                have = _present(dst, table, [key_of(table, r) for r in rows])
                missing = [_as_stored(r) for r in rows if key_of(table, r) not in have]
                if missing:
                    dst.execute(insert(table), missing)
            copied += len(missing)
    return seen, copied


# -- images ----------------------------------------------------------------------------------------
def stored_key(job_id: str, name: str) -> str | None:
    """The key a file of a job's folder is stored under; None for what the product never writes
    there itself (a .tmp- file a crash left half written, anything else)."""
    match = IMAGE_FILE.match(name)
    try:
        if match and match[1] is not None:
            return image_key(job_id, int(match[1]))
        if match:
            return thumbnail_key(job_id, int(match[2]), int(match[3]))
    except ValueError:
        pass  # an index or width out of range
    return None


class _Images:
    """Sends one job's files to the store; what is there with the same size is left alone."""

    def __init__(self, store: ImageStore, root: Path, attempts: int) -> None:
        self.store, self.root, self.attempts = store, root, attempts

    def _retry(self, call: Callable, *args):  # noqa: ANN202
        # Blob Storage has bad seconds; a run of hours should not stop for one of them.
        for attempt in Retrying(retry=retry_if_exception_type(StorageUnavailable),
                                stop=stop_after_attempt(self.attempts),
                                wait=wait_exponential_jitter(multiplier=0.5, max=8.0), reraise=True):
            with attempt:
                return call(*args)

    def job(self, job_id: str) -> tuple[int, int, int]:
        """(files uploaded, files already there, thumbnails made) for one job."""
        folder = self.root / job_id
        if not folder.is_dir():
            return 0, 0, 0
        uploaded = present = made = 0
        pngs: list[int] = []
        for path in sorted(folder.iterdir()):
            key = stored_key(job_id, path.name)
            if key is None or not path.is_file():
                continue
            if self._retry(self.store.size, key) == path.stat().st_size:
                present += 1
            else:
                self._retry(self.store.put, key, path.read_bytes())
                uploaded += 1
            if key.endswith(".png"):
                pngs.append(int(path.stem))
        for index in pngs:
            # The links the API now hands out include both thumbnails; jobs finished before they
            # were made at completion have none, so they are made here, once.
            png: bytes | None = None
            for width in THUMBNAIL_WIDTHS:
                key = thumbnail_key(job_id, index, width)
                if (self.root / key).is_file() or self._retry(self.store.size, key) is not None:
                    continue
                png = png or (folder / f"{index}.png").read_bytes()
                self._retry(self.store.put, key, thumbnail_webp(png, width))
                made += 1
        return uploaded, present, made

    def missing(self, job: tuple[str, list[int]]) -> list[str]:
        """The PNGs of a complete job (id, indexes kept) that the store lacks or holds otherwise."""
        job_id, kept = job
        problems = []
        for index in kept:
            key = image_key(job_id, index)
            local = self.root / key
            size = self._retry(self.store.size, key)
            if size is None:
                where = "" if local.is_file() else " (missing from --from-images too)"
                problems.append(f"image {key} of complete job {job_id} is not in the target store{where}")
            elif local.is_file() and size != local.stat().st_size:
                problems.append(f"image {key} differs: {size} bytes stored, {local.stat().st_size} on disk")
        return problems


# -- the run ---------------------------------------------------------------------------------------
def verify(source: Engine, target: Engine, sender: _Images, pool: ThreadPoolExecutor) -> list[str]:
    """What the target lacks: rows of the source (by primary key), and stored PNGs of complete jobs."""
    problems: list[str] = []
    with source.connect() as src, target.connect() as dst:
        for name in DURABLE_TABLES:
            table = table_of(name)
            for rows in _batches(src, table):
                keys = [key_of(table, r) for r in rows]
                have = _present(dst, table, keys)
                problems += [f"{name} row {k if len(k) > 1 else k[0]} is not in the target"
                             for k in keys if k not in have]
        for rows in _batches(src, table_of("job")):
            complete = [r for r in rows if r["status"] == JobStatus.complete.value]
            # Images retention deleted beside an approved one (jobs/sweeper.py) are not looked for.
            table = table_of("job_image")
            purged = set() if not complete else set(src.execute(
                select(table.c.job_id, table.c.idx).where(table.c.job_id.in_([r["id"] for r in complete]),
                                                         table.c.purged_at.is_not(None))).all())
            kept = [(r["id"], [i for i in range(r["images_stored"]) if (r["id"], i) not in purged]) for r in complete]
            for found in pool.map(sender.missing, kept):
                problems += found
    return problems


def transfer(source_url: str, images: Path, settings: Settings, *, workers: int = DEFAULT_WORKERS,
             say: Callable[[str], None] = print) -> Report:
    """Copy rows and images, then verify; raises Refused before touching anything it should not."""
    started = time.monotonic()
    _check_arguments(source_url, images, settings)
    target_url = settings.sqlalchemy_url
    store = _open_store(settings)
    to = (settings.data_dir / "images" if settings.storage == "local"
          else f"Azure Blob container {settings.azure_storage_container!r}")
    say(f"transfer: {_shown(source_url)} -> {_shown(target_url)}; images {images} -> {to}")
    # The one box may run an older version: both ends get this version's schema, so rows fit as read.
    migrate(source_url)
    migrate(target_url)
    report = Report()
    with ExitStack() as stack:
        source, target = make_engine(source_url), make_engine(target_url)
        stack.callback(source.dispose)
        stack.callback(target.dispose)
        # Images before rows: a job row in the target then always has its files there, even when
        # a run is interrupted (and the next run checks every file again anyway).
        sender = _Images(store, images, settings.storage_write_attempts)
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=workers))
        for rows in _batches(stack.enter_context(source.connect()), table_of("job")):
            report.queued += sum(r["status"] == JobStatus.queued.value for r in rows)
            report.running += sum(r["status"] == JobStatus.running.value for r in rows)
            for uploaded, present, made in pool.map(sender.job, [r["id"] for r in rows]):
                report.files_uploaded += uploaded
                report.files_present += present
                report.thumbnails_made += made
        say(f"  images: {report.files_uploaded} files uploaded, {report.files_present} already there, "
            f"{report.thumbnails_made} thumbnails made")
        for name in DURABLE_TABLES:
            seen, copied = copy_table(source, target, table_of(name))
            report.source_rows[name], report.rows_copied[name] = seen, copied
            say(f"  {name:<16} {seen:>8} rows, {copied} copied, {seen - copied} already there")
        if report.queued or report.running:
            say(f"  {report.queued} queued and {report.running} running jobs were copied as they were: the new "
                "dispatcher runs the queued ones, and requeues the running ones (within their retry limits) "
                "once their lease has lapsed")
        report.problems = verify(source, target, sender, pool)
    report.seconds = time.monotonic() - started
    return report


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jobs.transfer", description=(
        "Copy a one-box install's database rows and images to the database and image store the BAG_* settings "
        "name, then verify. Stop the one box first; safe to run again."))
    parser.add_argument("--from-database", required=True, metavar="URL",
                        help="the one box's database, e.g. sqlite:////srv/bag/data/jobs.db")
    parser.add_argument("--from-images", required=True, type=Path, metavar="DIR",
                        help="the one box's image directory (<data dir>/images)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="jobs whose files are sent at once")
    args = parser.parse_args(argv)
    try:
        report = transfer(args.from_database, args.from_images, settings or Settings(), workers=max(1, args.workers))
    except (Refused, StorageMisconfigured, ValidationError) as exc:
        return _fail(f"refused: {exc}", REFUSED)
    except StorageUnavailable:
        return _fail("image storage did not answer; run the command again, it goes on where it stopped", NOT_VERIFIED)
    except Exception as exc:  # noqa: BLE001 - the operator needs the reason, not a traceback
        return _fail(f"failed: {type(exc).__name__}: {exc}; run the command again once the cause is fixed, "
                     "it goes on where it stopped", NOT_VERIFIED)
    if report.problems:
        more = len(report.problems) - SHOWN_PROBLEMS
        shown = report.problems[:SHOWN_PROBLEMS] + ([f"... and {more} more"] if more > 0 else [])
        return _fail(f"NOT verified, {len(report.problems)} problems:\n  " + "\n  ".join(shown), NOT_VERIFIED)
    print(f"transfer: verified in {report.seconds:.1f} s: every row is in the target, every image of every "
          "complete job is in the target store")
    return VERIFIED


def _fail(message: str, code: int) -> int:
    print(f"transfer: {message}", file=sys.stderr)
    return code

if __name__ == "__main__":
    sys.exit(main())
