"""The job_image rows on both databases: written with the completion or not at all, read in one query
for many jobs, and gone with their job."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobs.brand_schemas import BrandColor, BrandMatch, ContentCredentials
from jobs.db import make_engine, migrate
from jobs.images import image_facts, image_row, rows_for
from jobs.models import Job, JobStatus
from jobs.store import JobStore

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CREDENTIALS = ContentCredentials(state="trusted", generator="brand-asset-generator 0.1.0",
                                 source_type="trainedAlgorithmicMedia", model="demo-flux", style="acme",
                                 style_version=3)
BRAND = BrandMatch(score=0.75, colors=[BrandColor(hex="#102030", share=0.5), BrandColor(hex="#f0e0d0", share=0.25)])


@pytest.fixture
def store(db_url: str) -> JobStore:
    migrate(db_url)
    return JobStore(make_engine(db_url))


def running_job(store: JobStore) -> Job:
    job = store.add(Job(owner_oid="alice", owner_tid="t1", prompt="p", model="demo-flux", width=256, height=256,
                        num_images=2, steps=4, guidance=3.5, seed=5, created_at=T0))
    claimed = store.claim(job.id, T0)
    assert claimed is not None
    return claimed


def rows(job: Job) -> list:
    return [image_row(job.id, i, job.seed + i, CREDENTIALS, BRAND if i == 0 else None) for i in range(2)]


def test_completion_writes_the_rows_and_they_read_back_as_the_api_shows_them(store: JobStore) -> None:
    job = running_job(store)

    assert store.complete(job.id, job.claims, T0, 2, 10.0, rows=rows(job))

    found = rows_for(store.engine, [job.id])[job.id]
    assert sorted(found) == [0, 1] and found[1].seed == 6
    first = image_facts(found[0])
    assert first["credentials"] == CREDENTIALS and first["brand"] == BRAND and first["review"] is None
    assert image_facts(found[1])["brand"] is None
    assert store.get(job.id).status == JobStatus.complete


def test_a_completion_that_is_not_ours_writes_no_rows(store: JobStore) -> None:
    job = running_job(store)
    store.cancel(job.id, T0)

    assert not store.complete(job.id, job.claims, T0, 2, 10.0, rows=rows(job))

    assert rows_for(store.engine, [job.id]) == {}


def test_rows_of_many_jobs_come_in_one_read_and_go_with_their_job(store: JobStore) -> None:
    jobs = [running_job(store) for _ in range(3)]
    for job in jobs:
        store.complete(job.id, job.claims, T0, 2, 10.0, rows=rows(job))

    assert set(rows_for(store.engine, [j.id for j in jobs])) == {j.id for j in jobs}

    assert store.delete(jobs[0].id)
    assert set(rows_for(store.engine, [j.id for j in jobs])) == {jobs[1].id, jobs[2].id}
    assert image_facts(None) == {"credentials": None, "brand": None, "review": None}
