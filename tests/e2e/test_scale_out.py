"""Scale-out: the real product as a deployment runs it, on this box. PostgreSQL, images in Azurite,
two runners behind one haproxy address (scripts/fleet.py), two API replicas started after one
migrate step. Users spread over both replicas must see one product: every job done exactly once,
links that work, their own jobs only, cancels and progress that hold whichever replica or runner
answers, limits that hold across replicas, and a killed runner's job finished by the other.
"""

from __future__ import annotations

import io
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, create_engine, text

from scripts.fleet import Fleet, start_fleet
from tests.conftest import fresh_pg_database
from tests.polling import wait_for

pytestmark = pytest.mark.e2e

USERS = ("ann", "bob", "cyd")
TERMINAL = ("complete", "failed", "cancelled")
# Long enough to be seen running for seconds even on an idle machine (the demo model renders 100
# steps of one 512x512 image in about 1.5 s there), for the cancel and the kill; the rest are quick.
LONG_JOB = {"width": 768, "height": 768, "num_images": 4, "steps": 100}
# The limits test: a per-user cap below the burst, and a refill so slow that the burst is what counts.
CAP, BURST, RATE_PER_MINUTE = 3, 4, 2.0


def auth(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer dev:{user}"}


@pytest.fixture(scope="module")
def shared_db() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="module")
def ledger(shared_db: str) -> Iterator[Engine]:
    engine = create_engine(shared_db)
    yield engine
    engine.dispose()


def _fleet(root: Path, pg_url: str, e2e_data_dir: Path, **api_env: str) -> Iterator[Fleet]:
    from models.demo import ensure_demo_model

    ensure_demo_model(e2e_data_dir)
    fleet = start_fleet(root / "fleet", database_url=pg_url, model_from=e2e_data_dir, api_env=api_env)
    try:
        yield fleet
    finally:
        # Captured output: pytest shows it only when the test failed.
        print(f"\nfleet logs:\n{fleet.logs_tail()}")
        fleet.stop()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory, shared_db: str, e2e_data_dir: Path) -> Iterator[Fleet]:
    """One fleet for the module's tests (starting one takes about 20 s). Each test uses users of its
    own, and the test that kills a runner comes last of those sharing it (pytest keeps file order)."""
    yield from _fleet(tmp_path_factory.mktemp("scale-out"), shared_db, e2e_data_dir)


@pytest.fixture
def limited_fleet(tmp_path: Path, pg_url: str, e2e_data_dir: Path) -> Iterator[Fleet]:
    yield from _fleet(tmp_path, pg_url, e2e_data_dir, BAG_MAX_ACTIVE_JOBS_PER_USER=str(CAP),
                      BAG_SUBMIT_BURST=str(BURST), BAG_SUBMIT_RATE_PER_MINUTE=str(RATE_PER_MINUTE))


@pytest.fixture
def limited_ledger(pg_url: str) -> Iterator[Engine]:
    engine = create_engine(pg_url)
    yield engine
    engine.dispose()


def submit(api: str, user: str, body: dict, key: str | None = None) -> httpx.Response:
    return httpx.post(f"{api}/generate", json=body, timeout=30,
                      headers={**auth(user), "Idempotency-Key": key or str(uuid.uuid4())})


def get_job(api: str, user: str, job_id: str) -> dict:
    answer = httpx.get(f"{api}/jobs/{job_id}", headers=auth(user), timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


class Watcher(threading.Thread):
    """Polls jobs from every replica in turn, keeping each observation (status, step) in order."""

    def __init__(self, apis: list[str], jobs: dict[str, str]) -> None:  # job id -> owner
        super().__init__(daemon=True)
        self.apis, self.jobs = apis, jobs
        self.seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.final: dict[str, dict] = {}
        self.error: BaseException | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        n = 0
        try:
            with httpx.Client(timeout=30) as client:
                while not self.stop.is_set() and len(self.final) < len(self.jobs):
                    for job_id, user in list(self.jobs.items()):
                        if job_id in self.final:
                            continue
                        n += 1
                        job = client.get(f"{self.apis[n % len(self.apis)]}/jobs/{job_id}", headers=auth(user)).json()
                        self.seen[job_id].append((job["status"], (job.get("progress") or {}).get("step", 0)))
                        if job["status"] in TERMINAL:
                            self.final[job_id] = job
                    time.sleep(0.1)
        except BaseException as exc:  # noqa: BLE001 - the test thread fails with it
            self.error = exc

    def wait(self, timeout: float) -> dict[str, dict]:
        self.join(timeout)
        self.stop.set()
        assert self.error is None, repr(self.error)
        assert len(self.final) == len(self.jobs), f"not finished in {timeout} s: {set(self.jobs) - set(self.final)}"
        return self.final


def runs_never_go_back(observations: list[tuple[str, int]]) -> bool:
    """Within one run (a stretch of `running` observations) the step never decreases."""
    last = -1
    for status, step in observations:
        if status != "running":
            last = -1  # back in the queue (or done): a new run may start again from 0
            continue
        if step < last:
            return False
        last = step
    return True


def rendering(api: str, user: str, job_id: str) -> bool:
    job = get_job(api, user, job_id)
    assert job["status"] not in TERMINAL, job
    return job["status"] == "running" and (job.get("progress") or {}).get("step", 0) >= 2


def runner_rows(ledger: Engine, job_id: str) -> list[tuple[int, str]]:
    with ledger.connect() as conn:
        return [tuple(r) for r in conn.execute(
            text("SELECT claim, runner_id FROM runner_run WHERE job_id = :j"), {"j": job_id})]


def runner_reports(runner_url: str, job_id: str) -> bool:
    """Whether this runner, asked directly (not through haproxy), reports a run of the job."""
    answer = httpx.post(f"{runner_url}/progress", json={"job_ids": [job_id]}, timeout=10)
    answer.raise_for_status()
    return any(p["job_id"] == job_id for p in answer.json())


def check_images(fleet: Fleet, job: dict) -> None:
    """Every image: stored once under its key, its SAS link answered by Azurite with the PNG."""
    pngs = [k for k in fleet.stored_keys(job["job_id"]) if k.endswith(".png")]
    assert pngs == [f"{job['job_id']}/{n}.png" for n in range(job["num_images"])], pngs
    assert len(job["images"]) == job["num_images"]
    blob = urlsplit(fleet.azurite.blob_url)
    for image in job["images"]:
        link = urlsplit(image["url"])
        assert (link.scheme, link.netloc) == (blob.scheme, blob.netloc), image["url"]
        assert "sig=" in link.query and "se=" in link.query, image["url"]
        png = httpx.get(image["url"], timeout=30)
        assert png.status_code == 200, (image["url"], png.text[:300])
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert Image.open(io.BytesIO(png.content)).size == (job["width"], job["height"])
        for other in ("download_url", "thumbnail_url", "small_thumbnail_url"):
            assert httpx.get(image[other], timeout=30).status_code == 200, image[other]


@pytest.mark.timeout(600)
def test_jobs_spread_over_replicas_and_runners_complete_once_for_their_owners_only(
    fleet: Fleet, ledger: Engine
) -> None:
    apis = fleet.api_urls
    owners: dict[str, str] = {}
    for i in range(12):
        user, api = USERS[i % 3], apis[i % 2]
        body = {"prompt": f"{user} asset {i}", "width": 256, "height": 256, "num_images": 1 + i % 2,
                "steps": 8 + i, "seed": i}
        key = str(uuid.uuid4())
        first = submit(api, user, body, key)
        assert first.status_code == 202, first.text
        owners[first.json()["job_id"]] = user
        if i < 3:
            # The same submission sent again to the other replica names the same job.
            again = submit(apis[(i + 1) % 2], user, body, key)
            assert again.status_code == 202 and again.headers.get("Idempotent-Replayed") == "true", again.text
            assert again.json()["job_id"] == first.json()["job_id"]
    watcher = Watcher(apis, owners)
    watcher.start()
    final = watcher.wait(timeout=300)

    with ledger.connect() as conn:
        rows = {r.id: r for r in conn.execute(text(
            "SELECT id, status, attempts, claims, images_stored, num_images, finished_at FROM job "
            "WHERE owner_oid IN ('dev-ann', 'dev-bob', 'dev-cyd')"))}
    assert set(rows) == set(owners), "exactly the accepted jobs, none made twice by a replayed key"
    for job_id, job in final.items():
        row = rows[job_id]
        # Nothing broke, so each job was claimed and rendered exactly once.
        assert (job["status"], row.status, row.attempts, row.claims) == ("complete", "complete", 1, 1), (job, row)
        assert row.images_stored == row.num_images and row.finished_at is not None, row
        assert runs_never_go_back(watcher.seen[job_id]), watcher.seen[job_id]
        check_images(fleet, job)

    for user in USERS:
        mine = sorted(j for j, owner in owners.items() if owner == user)
        for api in apis:
            page = httpx.get(f"{api}/jobs", params={"limit": 100}, headers=auth(user), timeout=30).json()
            assert sorted(j["job_id"] for j in page["items"]) == mine, (user, api)
            theirs = next(j for j, owner in owners.items() if owner != user)
            assert httpx.get(f"{api}/jobs/{theirs}", headers=auth(user), timeout=30).status_code == 404

    health = httpx.get(f"{apis[0]}/health", timeout=30).json()
    assert runner_states(health) == {r: True for r in fleet.runner_ids}, health


@pytest.mark.timeout(600)
def test_cancel_from_the_other_replica_stops_the_run_on_its_runner_within_5_s(
    fleet: Fleet, ledger: Engine
) -> None:
    a, b = fleet.api_urls
    accepted = submit(a, "eve", {"prompt": "to be cancelled", **LONG_JOB})
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    wait_for(lambda: rendering(b, "eve", job_id), 300, "the job renders")

    cancelled = httpx.post(f"{b}/jobs/{job_id}/cancel", headers=auth("eve"), timeout=30)
    asked = time.monotonic()
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
    assert [get_job(api, "eve", job_id)["status"] for api in (a, b)] == ["cancelled", "cancelled"]
    wait_for(lambda: not runner_rows(ledger, job_id) and not any(runner_reports(r.url, job_id) for r in fleet.runners),
             5, "the run gone from every runner")
    print(f"cancel took effect on the runners in {time.monotonic() - asked:.1f} s")
    # And it stays cancelled: the stopped run does not complete it after all.
    time.sleep(2)
    assert [get_job(api, "eve", job_id)["status"] for api in (a, b)] == ["cancelled", "cancelled"]


def runner_states(health: dict) -> dict[str, bool]:
    """Runner id -> up, as a replica's /health lists them."""
    return {r["id"]: bool(r["up"]) for r in health.get("runners", [])}


@pytest.mark.timeout(600)
def test_a_killed_runners_job_is_finished_by_the_other_runner(fleet: Fleet, ledger: Engine) -> None:
    a, b = fleet.api_urls
    accepted = submit(a, "dan", {"prompt": "survives a runner crash", **LONG_JOB})
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    wait_for(lambda: rendering(b, "dan", job_id), 300, "the job renders")
    ((first_claim, holder),) = wait_for(lambda: runner_rows(ledger, job_id), 10, "the run's runner_run row")
    victim = next(r for r in fleet.runners if r.name == holder)
    survivor = next(r for r in fleet.runners if r.name != holder)
    health = httpx.get(f"{b}/health", timeout=30).json()
    assert runner_states(health) == {victim.name: True, survivor.name: True}, health

    victim.kill()
    # Until the job ends: who holds its later runs (the survivor, the only runner left).
    holders: set[str] = set()

    def ended() -> dict | None:
        holders.update(r for c, r in runner_rows(ledger, job_id) if c > first_claim)
        job = get_job(b, "dan", job_id)
        return job if job["status"] in TERMINAL else None

    job = wait_for(ended, 300, "the job ends", interval=0.2)
    assert job["status"] == "complete", job
    assert holders == {survivor.name} and not victim.alive, holders
    with ledger.connect() as conn:
        row = conn.execute(text("SELECT attempts, claims FROM job WHERE id = :j"), {"j": job_id}).one()
    # One run interrupted mid-render (spends an attempt), one that completed.
    assert row.attempts == 2 and row.claims >= 2, row
    check_images(fleet, job)

    def killed_is_down() -> dict | None:
        health = httpx.get(f"{a}/health", timeout=30).json()
        return health if runner_states(health) == {victim.name: False, survivor.name: True} else None

    assert wait_for(killed_is_down, 60, "/health shows the killed runner down", interval=1)["runner_ready"]


@pytest.mark.timeout(600)
def test_limits_hold_when_one_user_fires_at_both_replicas_at_once(limited_fleet: Fleet, limited_ledger: Engine) -> None:
    apis = limited_fleet.api_urls
    body = {"prompt": "flood", "width": 256, "height": 256, "num_images": 1, "steps": 30}
    most_active, done = 0, threading.Event()

    def watch_active() -> None:
        nonlocal most_active
        with limited_ledger.connect() as conn:
            while not done.is_set():
                active = conn.execute(text(
                    "SELECT count(*) FROM job WHERE owner_oid = 'dev-flo' AND status IN ('queued', 'running')")).scalar()
                conn.commit()  # a fresh snapshot each time
                most_active = max(most_active, active)
                time.sleep(0.02)

    watcher = threading.Thread(target=watch_active, daemon=True)
    started = time.monotonic()
    watcher.start()
    accepted: list[str] = []
    try:
        for wave in range(3):
            with ThreadPoolExecutor(12) as pool:
                answers = list(pool.map(lambda i: submit(apis[i % 2], "flo", {**body, "seed": i}), range(12)))
            wave_accepted = [r.json()["job_id"] for r in answers if r.status_code == 202]
            refused = [r for r in answers if r.status_code != 202]
            assert all(r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 for r in refused), \
                [(r.status_code, r.headers.get("Retry-After"), r.text) for r in refused]
            assert len(wave_accepted) <= CAP, f"wave {wave}: {len(wave_accepted)} accepted at once, cap {CAP}"
            if wave > 0:
                # Nothing of this user's is active now: what refuses these is the bucket alone.
                assert {r.json()["error"]["code"] for r in refused} <= {"rate_limited"}, [r.text for r in refused]
            accepted += wave_accepted
            # The next wave after these have finished, so only the bucket can refuse it.
            for job_id in wave_accepted:
                wait_for(lambda j=job_id: get_job(apis[0], "flo", j)["status"] in TERMINAL, 120, f"{job_id} ends")
    finally:
        done.set()
        watcher.join()
    elapsed = time.monotonic() - started
    allowed = int(BURST + elapsed * RATE_PER_MINUTE / 60)
    print(f"limits: {len(accepted)} accepted of 36 in {elapsed:.0f} s (bucket allows {allowed}), "
          f"at most {most_active} active")
    assert most_active <= CAP
    assert BURST <= len(accepted) <= allowed, (len(accepted), allowed)
    for api in apis:
        page = httpx.get(f"{api}/jobs", params={"limit": 100}, headers=auth("flo"), timeout=30).json()
        assert sorted(j["job_id"] for j in page["items"]) == sorted(accepted)
