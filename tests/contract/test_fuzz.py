"""Schemathesis over every operation of the real product (`bentoml serve`, the demo model).

It reads the OpenAPI document the product serves and sends generated requests, valid and not,
to every operation, checking that nothing answers 500, and that each answer's status, content
type and body are the ones the document declares. Bounded for `make test` (a fixed seed, a few
minutes); `make fuzz` runs the deeper release run (BAG_FUZZ_EXAMPLES, BAG_FUZZ_SECONDS).
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from scripts import local_server

pytestmark = pytest.mark.e2e

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
EXAMPLES = os.environ.get("BAG_FUZZ_EXAMPLES", "25")
SECONDS = os.environ.get("BAG_FUZZ_SECONDS", "100")
SEED = os.environ.get("BAG_FUZZ_SEED", "1")


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from models.demo import ensure_demo_model
    from tests.lora_factory import make_style

    data = tmp_path_factory.mktemp("fuzz-data")
    demo = ensure_demo_model(data).path
    make_style(data / "styles", "acme", demo, seed=1, trigger_words=["acme style"])
    # One job at a time per user: the fuzzer may ask for 2048x2048 images at 100 steps, and the
    # demo model renders those on the CPU the fuzzer needs. More get a declared 429.
    server = local_server.start_server(data, data / "server.log", BAG_MAX_ACTIVE_JOBS_PER_USER="1",
                                       BAG_MAX_PENDING_JOBS="4", BAG_LINK_SECRET="fuzz-link-secret-fuzz-link")
    yield server
    server.stop()


def operations(document: dict) -> set[str]:
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}
    return {f"{m.upper()} {path}" for path, item in document["paths"].items() for m in item if m in methods}


@pytest.mark.timeout(int(SECONDS) + 600)
def test_fuzzer_finds_no_server_error_and_no_contract_violation(product: local_server.Server,
                                                               tmp_path: Path) -> None:
    document = httpx.get(f"{product.url}/openapi.json", timeout=10).json()
    report = tmp_path / "junit.xml"
    st = Path(sys.executable).parent / "st"
    result = subprocess.run(
        [str(st), "run", f"{product.url}/openapi.json", "--header", "Authorization: Bearer dev:fuzzer",
         "--checks", CHECKS, "--max-examples", EXAMPLES, "--max-time", SECONDS, "--seed", SEED,
         "--workers", "1", "--generation-database", "none", "--no-color", "--request-timeout", "30",
         "--report", "junit", "--report-junit-path", str(report)],
        capture_output=True, text=True, timeout=int(SECONDS) + 600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-12000:]
    # Every operation of the document was exercised: nothing left out of the run.
    tested = {case.get("name") for case in ET.parse(report).getroot().iter("testcase")}
    assert operations(document) <= tested, (sorted(operations(document) - tested), output[-4000:])
    log = product.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-6000:]
