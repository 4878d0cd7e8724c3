"""deploy/k8s: every overlay renders offline, is wired together, locked down, and passes checkov.

Rendering needs kubectl (its built-in Kustomize); checkov comes from `make tools-venv`. Either missing
skips its tests, except under CI=true, where it is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from settings import Settings

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(p.parent.name for p in (K8S / "overlays").glob("*/kustomization.yaml"))
CHECKOV = ROOT / ".venv-tools" / "bin" / "checkov"
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
# Names whose value is a credential, or holds one (a database URL carries its password).
SECRET_NAMES = ("DATABASE_URL", "SECRET", "PASSWORD", "CONNECTION_STRING", "TOKEN", "KEY")


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true")
    pytest.skip(f"{what} is not installed")


def _render(overlay: str) -> list[dict]:
    if shutil.which("kubectl") is None:
        _missing("kubectl (for `kubectl kustomize`)")
    result = subprocess.run(["kubectl", "kustomize", str(K8S / "overlays" / overlay)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def docs(request: pytest.FixtureRequest) -> list[dict]:
    return _render(request.param)


@pytest.fixture(scope="module")
def served_routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """GET paths each BentoML service answers, read from the apps BentoML builds for `service.py`."""
    code = (
        "import json, service\n"
        "from _bentoml_impl.server.app import ServiceAppFactory\n"
        "out = {}\n"
        "for svc in (service.Runner, service.Api):\n"
        "    svc.inject_config()\n"
        "    routes = ServiceAppFactory(svc, is_main=True)().routes\n"
        "    out[svc.name] = [r.path for r in routes if 'GET' in (getattr(r, 'methods', None) or ())]\n"
        "out['mounted'] = [r.path for r in service.app.routes if 'GET' in (getattr(r, 'methods', None) or ())]\n"
        "print(json.dumps(out))\n"
    )
    home = tmp_path_factory.mktemp("bentoml-home")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "BENTOML_HOME": str(home),
           "BENTOML_DO_NOT_TRACK": "true"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    return {"runner": set(found["bag-runner"]), "api": set(found["brand-asset-generator"]) | set(found["mounted"])}


def _of(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def _named(docs: list[dict], kind: str, name: str) -> dict:
    (doc,) = [d for d in _of(docs, kind) if d["metadata"]["name"] == name]
    return doc


def _pod_spec(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def _pod_labels(workload: dict) -> dict:
    spec = workload["spec"]["jobTemplate"]["spec"] if workload["kind"] == "CronJob" else workload["spec"]
    return spec["template"]["metadata"].get("labels", {})


def _containers(workload: dict) -> Iterator[dict]:
    spec = _pod_spec(workload)
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def _selects(selector: dict, labels: dict) -> bool:
    assert not selector.get("matchExpressions"), "only matchLabels selectors are checked here"
    wanted = selector.get("matchLabels", selector)
    return bool(wanted) and all(labels.get(k) == v for k, v in wanted.items())


def _workloads(docs: list[dict]) -> list[dict]:
    return [d for d in docs if d["kind"] in WORKLOADS]


def _role(docs: list[dict], service_ref: str) -> dict:
    """The one workload whose container serves `service:<Name>`."""
    (workload,) = [w for w in _workloads(docs) if any(f"service:{service_ref}" in c.get("args", [])
                                                      for c in _containers(w))]
    return workload


def _env(docs: list[dict], workload: dict) -> dict[str, object]:
    """Every environment variable a workload's containers get: from ConfigMaps (values) and `env` entries."""
    env: dict[str, object] = {}
    for container in _containers(workload):
        for source in container.get("envFrom", []):
            assert "configMapRef" in source, f"envFrom other than a ConfigMap: {source}"
            env.update(_named(docs, "ConfigMap", source["configMapRef"]["name"])["data"])
        for entry in container.get("env", []):
            env[entry["name"]] = entry.get("value", entry.get("valueFrom"))
    return env


def test_every_overlay_is_found() -> None:
    assert {"production", "one-gpu"} <= set(OVERLAYS)


def test_workload_selectors_match_their_pod_labels(docs: list[dict]) -> None:
    for workload in _workloads(docs):
        if workload["kind"] in {"Deployment", "StatefulSet", "DaemonSet"}:
            assert _selects(workload["spec"]["selector"], _pod_labels(workload)), workload["metadata"]["name"]
    api, runner = _role(docs, "Api"), _role(docs, "Runner")
    for kind in ("PodDisruptionBudget", "NetworkPolicy"):
        for doc in _of(docs, kind):
            selector = doc["spec"]["selector" if kind == "PodDisruptionBudget" else "podSelector"]
            assert [w for w in _workloads(docs) if _selects(selector, _pod_labels(w))], doc["metadata"]["name"]
    (pdb,) = [p for p in _of(docs, "PodDisruptionBudget") if _selects(p["spec"]["selector"], _pod_labels(api))]
    assert pdb["spec"].get("maxUnavailable") == 1 or pdb["spec"].get("minAvailable")
    (hpa,) = _of(docs, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": api["metadata"]["name"]}
    assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    # The autoscaler owns the API's replica count; a fixed one would be reset by every apply.
    assert "replicas" not in api["spec"] and runner["spec"]["replicas"] >= 1


def test_services_target_the_right_pods_and_ports(docs: list[dict]) -> None:
    for service in _of(docs, "Service"):
        targets = [w for w in _workloads(docs) if _selects(service["spec"]["selector"], _pod_labels(w))]
        assert len(targets) == 1, service["metadata"]["name"]
        ports = {p["name"]: p["containerPort"] for c in _containers(targets[0]) for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports or port["targetPort"] in ports.values(), port
    api_service = _named(docs, "Service", "bag-api")
    assert _selects(api_service["spec"]["selector"], _pod_labels(_role(docs, "Api")))
    for ingress in _of(docs, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] == "bag-api"
                assert backend["port"].get("name") in {p["name"] for p in api_service["spec"]["ports"]}


def test_api_reaches_the_runners_through_their_service(docs: list[dict]) -> None:
    runner_service = _named(docs, "Service", "bag-runner")
    assert _selects(runner_service["spec"]["selector"], _pod_labels(_role(docs, "Runner")))
    (port,) = runner_service["spec"]["ports"]
    assert _env(docs, _role(docs, "Api"))["BAG_RUNNER_URL"] == f"http://bag-runner:{port['port']}"


def test_runner_is_not_exposed(docs: list[dict]) -> None:
    api, runner = _role(docs, "Api"), _role(docs, "Runner")
    runner_labels = _pod_labels(runner)
    for service in _of(docs, "Service"):
        if _selects(service["spec"]["selector"], runner_labels):
            assert service["spec"].get("type", "ClusterIP") == "ClusterIP", service["metadata"]["name"]
    backends = {p["backend"]["service"]["name"] for i in _of(docs, "Ingress")
                for r in i["spec"]["rules"] for p in r["http"]["paths"]}
    assert "bag-runner" not in backends
    # Policies add up: every one that selects the runners may admit API pods only, on the runner's port.
    policies = [p for p in _of(docs, "NetworkPolicy") if _selects(p["spec"]["podSelector"], runner_labels)]
    assert policies
    for policy in policies:
        assert "Ingress" in policy["spec"]["policyTypes"]
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("from"), "a rule without `from` admits every pod"
            for peer in rule["from"]:
                assert set(peer) == {"podSelector"}, peer
                assert [w for w in _workloads(docs) if _selects(peer["podSelector"], _pod_labels(w))] == [api]
            assert [p["port"] for p in rule["ports"]] == ["http"]


def test_probes_point_at_paths_the_services_answer(docs: list[dict], served_routes: dict[str, set[str]]) -> None:
    for role, workload in (("api", _role(docs, "Api")), ("runner", _role(docs, "Runner"))):
        (container,) = _pod_spec(workload)["containers"]
        port_names = {p["name"] for p in container["ports"]}
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            probe = container[kind]["httpGet"]
            assert probe["path"] in served_routes[role], (role, kind, probe["path"])
            assert probe["port"] in port_names
    runner_startup = _pod_spec(_role(docs, "Runner"))["containers"][0]["startupProbe"]
    # Loading real weights takes minutes: the runner gets at least 10 of them before a restart.
    assert runner_startup["periodSeconds"] * runner_startup["failureThreshold"] >= 600


def test_one_image_serves_both_roles_and_migrates(docs: list[dict]) -> None:
    images = {c["image"] for w in _workloads(docs) for c in _containers(w)}
    assert len(images) == 1
    (migrate,) = _of(docs, "Job")
    assert _pod_spec(migrate)["containers"][0]["args"] == ["python", "-m", "jobs.migrate"]
    assert (ROOT / "jobs" / "migrate.py").exists()
    assert _env(docs, _role(docs, "Api"))["BAG_MIGRATE_ON_START"] == "false"
    assert "BAG_DATABASE_URL" in _env(docs, migrate)


def test_first_release_step_holds_all_the_migrate_job_needs(docs: list[dict]) -> None:
    """README's first step applies `-l 'app.kubernetes.io/component in (namespace,config,migrate)'`."""
    first = [d for d in docs if d["metadata"].get("labels", {}).get("app.kubernetes.io/component")
             in {"namespace", "config", "migrate"}]
    names = {(d["kind"], d["metadata"]["name"]) for d in first}
    (migrate,) = _of(docs, "Job")
    pod = _pod_spec(migrate)
    needed = {("Job", "bag-migrate"), ("ServiceAccount", pod["serviceAccountName"])}
    needed |= {("ConfigMap", s["configMapRef"]["name"]) for c in _containers(migrate) for s in c.get("envFrom", [])}
    needed |= {("Namespace", n) for n in {d["metadata"].get("namespace") for d in docs} if n}
    assert needed <= names
    # The second step (everything) then starts the replicas; none of them is in the first.
    assert not [d for d in first if d["kind"] == "Deployment"]


def test_every_bag_setting_exists(docs: list[dict]) -> None:
    fields = set(Settings.model_fields)
    names = {n for w in _workloads(docs) for n in _env(docs, w) if n.startswith("BAG_")}
    names |= {n for c in _of(docs, "ConfigMap") for n in c["data"] if n.startswith("BAG_")}
    assert names
    assert sorted(n for n in names if n.removeprefix("BAG_").lower() not in fields) == []


def test_no_secret_value_is_inline(docs: list[dict]) -> None:
    assert _of(docs, "Secret") == [], "Secrets are created apart (secret.example.yaml is not rendered)"
    for config_map in _of(docs, "ConfigMap"):
        leaked = [k for k in config_map["data"] if any(s in k for s in SECRET_NAMES)]
        assert leaked == [], config_map["metadata"]["name"]
    for workload in _workloads(docs):
        for container in _containers(workload):
            for entry in container.get("env", []):
                if any(s in entry["name"] for s in SECRET_NAMES):
                    assert "secretKeyRef" in entry.get("valueFrom", {}), entry["name"]
    runner_env = _env(docs, _role(docs, "Runner"))
    assert runner_env["BAG_DATABASE_URL"] == {"secretKeyRef": {"name": "bag-secrets", "key": "database-url"}}


def test_every_container_is_locked_down(docs: list[dict]) -> None:
    for workload in _workloads(docs):
        pod = _pod_spec(workload)
        name = workload["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        mounts_ok = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v or "persistentVolumeClaim" in v}
        for container in _containers(workload):
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True and context["runAsUser"] > 0, name
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"] and "add" not in context["capabilities"], name
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][bound]), (name, bound)
            # With a read-only root, whatever BentoML and Python write must sit on a volume.
            mounted = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert mounted.get("/tmp") in mounts_ok, name
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            for path in (env.get("BENTOML_HOME"), _env(docs, workload).get("BAG_DATA_DIR")):
                if path and workload["kind"] != "Job":
                    assert mounted.get(path) in mounts_ok, (name, path)


def test_gpu_only_on_the_runner(docs: list[dict]) -> None:
    runner = _role(docs, "Runner")
    for workload in _workloads(docs):
        for container in _containers(workload):
            gpus = container["resources"]["limits"].get("nvidia.com/gpu")
            assert gpus == ("1" if workload is runner else None), workload["metadata"]["name"]
    pod = _pod_spec(runner)
    assert pod["nodeSelector"] and any(t["key"] == "nvidia.com/gpu" for t in pod["tolerations"])


def test_a_stopping_runner_drains_before_it_is_killed(docs: list[dict]) -> None:
    runner = _role(docs, "Runner")
    grace = _pod_spec(runner)["terminationGracePeriodSeconds"]
    drain = float(str(_env(docs, runner).get("BAG_RUNNER_DRAIN_SECONDS", Settings.model_fields["runner_drain_seconds"].default)))
    # Longer than a batch (minutes), and the drain ends with room to hand the runs back and stop
    # (the runner waits up to drain + 10 s) before the kubelet's SIGKILL.
    assert drain >= 300 and grace >= drain + 30


def test_weights_are_mounted_read_only_on_the_runner(docs: list[dict]) -> None:
    pod = _pod_spec(_role(docs, "Runner"))
    (volume,) = [v for v in pod["volumes"] if "persistentVolumeClaim" in v]
    claim = _named(docs, "PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"])
    assert volume["persistentVolumeClaim"]["readOnly"] is True and claim["spec"]["accessModes"] == ["ReadOnlyMany"]
    (mount,) = [m for m in pod["containers"][0]["volumeMounts"] if m["name"] == volume["name"]]
    assert mount["readOnly"] is True
    env = _env(docs, _role(docs, "Runner"))
    for entry in json.loads(env["BAG_MODELS"]):
        assert entry["path"].startswith(mount["mountPath"] + "/"), entry
    assert str(env["BAG_STYLES_DIR"]).startswith(mount["mountPath"] + "/")


def test_checkov_finds_nothing_unjustified(tmp_path: Path) -> None:
    if not CHECKOV.exists():
        _missing(f"checkov ({CHECKOV.relative_to(ROOT)}, `make tools-venv`)")
    for overlay in OVERLAYS:
        (tmp_path / f"{overlay}.yaml").write_text(yaml.safe_dump_all(_render(overlay)))
    result = subprocess.run(
        [str(CHECKOV), "--config-file", str(K8S / ".checkov.yaml"), "--directory", str(tmp_path)],
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"}, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert "Passed checks:" in result.stdout
