"""Scale-out benchmarks, each comparing two things in one run on this machine (docs/benchmarks.md).

    .venv/bin/python bench/scale.py [--only render|poll] [--rounds N] [--jobs N]

The product runs as a deployment runs it (scripts/fleet.py): PostgreSQL, images in Azurite, two
runners behind haproxy, two API replicas, and haproxy in front of the replicas too.
1. Render throughput: images per second of the same job mix with one runner in haproxy's rotation
   against both (the other taken out through haproxy's runtime API, still loaded), alternating
   rounds. On a machine whose cores the runners share, this shows how far the cores, not the
   number of runners, set the pace.
2. Poll throughput: `GET /jobs/{id}` of a finished job under wrk (as bench/serving.py) through the
   same haproxy, to both API replicas against to the first only, alternating rounds.
BAG_BENCH_PG (default postgresql://postgres@127.0.0.1:5432/test) is the server a scratch database
is made on, and dropped after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import HEADERS, submit, wait, wrk_rps  # noqa: E402
from scripts.fleet import Fleet, start_fleet  # noqa: E402

PG_ADMIN_URL = os.environ.get("BAG_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
# Small images, so a round takes seconds: what is compared is how the work spreads over runners.
JOB = {"prompt": "benchmark", "width": 256, "height": 256, "num_images": 2, "steps": 12}


def render_round(fleet: Fleet, jobs: int, seed: int) -> float:
    """Images per second of `jobs` jobs sent at once, spread over the replicas, until all complete."""
    apis = fleet.api_urls
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        pending = set(pool.map(lambda i: submit(apis[i % len(apis)], **JOB, seed=seed + i), range(jobs)))
    # One poll of the history covers all of them: on shared cores, many pollers would slow the runners.
    with httpx.Client(headers=HEADERS, timeout=30) as client:
        while pending:
            page = client.get(f"{apis[0]}/jobs", params={"limit": 100}).json()["items"]
            for job in page:
                if job["job_id"] in pending and job["status"] in ("complete", "failed", "cancelled"):
                    if job["status"] != "complete":
                        raise RuntimeError(f"job ended {job['status']}: {job.get('error')}")
                    pending.discard(job["job_id"])
            time.sleep(0.2)
    return jobs * JOB["num_images"] / (time.perf_counter() - started)


def bench_render(fleet: Fleet, rounds: int, jobs: int) -> None:
    second = fleet.runner_ids[1]
    results: dict[str, list[float]] = {"one": [], "two": []}
    for r in range(rounds):
        for label in ("one", "two"):
            fleet.set_runner_enabled(second, label == "two")
            results[label].append(render_round(fleet, jobs, seed=1000 * r))
        print(f"render round {r + 1}: one runner {results['one'][-1]:.2f} images/s, "
              f"two runners {results['two'][-1]:.2f} images/s", flush=True)
    fleet.set_runner_enabled(second, True)
    one_rate, two_rate = statistics.median(results["one"]), statistics.median(results["two"])
    print(f"render {jobs} jobs x {JOB['num_images']} images {JOB['width']}x{JOB['height']}, {JOB['steps']} steps, "
          f"median of {rounds}: one runner {one_rate:.2f} images/s, two {two_rate:.2f} images/s, "
          f"ratio {two_rate / one_rate:.2f}x on {os.cpu_count()} cpus", flush=True)


def bench_poll(fleet: Fleet, rounds: int) -> None:
    job_id = submit(fleet.api_urls[0], **{**JOB, "num_images": 1, "steps": 2})
    wait(fleet.api_urls[0], job_id)
    auth = "Authorization: Bearer dev:bench"
    results: dict[str, list[tuple[float, str]]] = {"one": [], "two": []}
    for r in range(rounds):
        results["one"].append(wrk_rps(f"{fleet.api_one_url}/jobs/{job_id}", auth))
        results["two"].append(wrk_rps(f"{fleet.api_lb_url}/jobs/{job_id}", auth))
        print(f"poll  round {r + 1}: one replica {results['one'][-1][0]:.0f} req/s (p99 {results['one'][-1][1]}), "
              f"two replicas {results['two'][-1][0]:.0f} req/s (p99 {results['two'][-1][1]})", flush=True)
    one, two = (statistics.median(x[0] for x in results[k]) for k in ("one", "two"))
    print(f"poll  GET /jobs/{{id}} through haproxy, median of {rounds}: one replica {one:.0f} req/s, "
          f"two replicas {two:.0f} req/s, ratio {two / one:.2f}x on {os.cpu_count()} cpus", flush=True)


def main() -> None:
    import psycopg

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["render", "poll"])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each benchmark")
    parser.add_argument("--jobs", type=int, default=12, help="jobs in each render round")
    parser.add_argument("--runner-threads", type=int,
                        help="torch threads of each runner (OMP_NUM_THREADS); unset: torch's default, every core")
    parser.add_argument("--model-from", type=Path, default=ROOT / "data",
                        help="a data directory whose demo model to reuse (else it is built)")
    args = parser.parse_args()
    threads = {"OMP_NUM_THREADS": str(args.runner_threads)} if args.runner_threads else {}
    print(f"scale benchmarks on {os.cpu_count()} cpus (runners, replicas, haproxy, PostgreSQL and wrk share them); "
          f"torch threads per runner: {args.runner_threads or 'default (every core)'}", flush=True)
    name = f"bag_bench_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(PG_ADMIN_URL, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    model_from = args.model_from if (args.model_from / "models" / "demo-flux").exists() else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            # One benchmark user sends far more than a person would: the per-user limits are lifted.
            fleet = start_fleet(Path(tmp), database_url=f"{base}/{name}", model_from=model_from, api_balancer=True,
                                api_env={"BAG_MAX_PENDING_JOBS": "256", "BAG_SUBMIT_RATE_PER_MINUTE": "0",
                                         "BAG_MAX_ACTIVE_JOBS_PER_USER": "0"}, runner_env=threads)
            with fleet:
                # Both runners warm (BentoML's batching dispatcher trains on its first calls).
                render_round(fleet, 8, seed=0)
                if args.only in (None, "render"):
                    bench_render(fleet, args.rounds, args.jobs)
                if args.only in (None, "poll"):
                    bench_poll(fleet, args.rounds)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
