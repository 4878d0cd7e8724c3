"""The real product for the web app's browser tests (frontend/e2e): `bentoml serve`, both services.

    python -m tests.e2e.browser_server --data-dir DIR

Builds the tiny demo models and two brand styles into DIR (once), serves the built web app
under /app/ with the development sign-in, prints `READY <url>` and serves until SIGTERM/SIGINT
or until the process that started it dies; then stops every process of the server.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from provenance.testchain import ensure_test_chain
from scripts.local_server import ROOT, start_server

# Two models so the web app offers a choice; the first (FLUX demo) is the default.
MODELS = [{"family": "flux", "demo": True}, {"family": "sd3", "demo": True}]


def prepare(data_dir: Path) -> None:
    from loras.samples import ensure_sample_styles
    from models.demo import ensure_demo_model
    from tests.lora_factory import make_style

    ensure_test_chain(data_dir)  # what `make run` sets up: the images' content credentials are signed

    demo = ensure_demo_model(data_dir, "flux")
    flux = demo.path
    ensure_demo_model(data_dir, "sd3")
    styles = data_dir / "styles"
    ensure_sample_styles(styles, demo)  # what `make run` sets up
    for seed, (name, description) in enumerate(
        [("acme", "Acme blue, clean product shots"), ("nordic", "Muted Nordic palette")], start=1
    ):
        if not (styles / name / "style.json").is_file():
            make_style(styles, name, flux, seed=seed, trigger_words=[f"{name} style"], description=description)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    data_dir: Path = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        sys.exit("frontend/dist is not built: run `npm run build` in frontend/ first")
    prepare(data_dir)
    server = start_server(
        data_dir, data_dir / "server.log",
        BAG_MODELS=json.dumps(MODELS),
        # Two runner calls at a time on one GPU: while a long job renders, the next waits for the GPU
        # (running, step 0: `waiting_for_gpu`) and a third waits in the queue, where tests see them.
        BAG_RUNNER_CONCURRENCY="2",
        # A short queue, so a test can fill it and see the 503 the web app must explain.
        BAG_MAX_PENDING_JOBS="4",
        BAG_LINK_SECRET="browser-tests-link-secret-0123456789",
        **ensure_test_chain(data_dir).env(),
        # The browser tests submit faster than a person; the limits have their own tests.
        BAG_SUBMIT_RATE_PER_MINUTE="0",
        BAG_MAX_ACTIVE_JOBS_PER_USER="0",
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    parent = os.getppid()
    print(f"READY {server.url}", flush=True)
    try:
        # Orphaned (the test runner was killed): stop too, rather than leave a server behind.
        while not stop.wait(1.0) and os.getppid() == parent:
            pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
