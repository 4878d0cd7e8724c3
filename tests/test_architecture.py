"""Rules of the architecture that a refactor could silently break."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_api_layer_never_imports_torch() -> None:
    # Importing service.py must not load torch either: only the runner's __init__ does.
    code = (
        "import sys, service, api.app, jobs.dispatcher, jobs.service, storage.local, auth.dev, runner.schemas;"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"BENTOML_DO_NOT_TRACK": "true", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


BLOCKING_CALLS = {"get", "list_owned", "add", "claim", "complete", "fail", "cancel", "delete",
                  "read_bytes", "write_bytes", "open", "sleep", "put", "submit", "list"}


def test_async_routes_do_no_blocking_work() -> None:
    """An `async def` route runs on the event loop: it may only await, or call pure functions."""
    offenders = []
    for path in (ROOT / "api" / "routes").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.AsyncFunctionDef):
                continue
            body = [n for stmt in node.body for n in ast.walk(stmt)]  # not the decorators
            awaited = {id(n.value) for n in body if isinstance(n, ast.Await)}
            for call in body:
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr in BLOCKING_CALLS and id(call) not in awaited):
                    offenders.append(f"{path.name}:{call.lineno} {node.name} calls .{call.func.attr}()")
    assert offenders == []


def test_route_parameters_never_shadow_what_their_module_imports() -> None:
    """A parameter named like an import (`status` beside `fastapi.status`) hides it in that route;
    the HTTP name can differ from the Python one (`Query(alias=...)`)."""
    offenders = []
    for path in (ROOT / "api" / "routes").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {(alias.asname or alias.name).split(".")[0] for node in tree.body
                    if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                offenders += [f"{path.name}:{a.lineno} {node.name}({a.arg})" for a in arguments if a.arg in imported]
    assert offenders == []


def test_modules_stay_small() -> None:
    big = []
    for path in ROOT.glob("*/**/*.py"):
        if any(part in {".venv", ".venv-tools", "clients", "node_modules", "build"} for part in path.parts):
            continue
        lines = len(path.read_text().splitlines())
        if lines > 450:  # "about 400": past that, split
            big.append(f"{path.relative_to(ROOT)}: {lines}")
    assert big == []


def test_runner_client_sessions_are_never_recycled_under_running_jobs() -> None:
    # Regression: with BentoML's defaults the API's client closed its session after 100 calls,
    # aborting every render in flight; the benchmark saw seven jobs fail at once.
    import service

    conn = service.Runner.config["runner_connection"]
    assert conn["max_requests"] >= 10**9
    assert conn["max_age"] >= 365 * 24 * 3600
