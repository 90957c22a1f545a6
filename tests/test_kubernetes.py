"""deploy=kubernetes, offline: every overlay builds (generator/kustomize.py), validates against the
Kubernetes 1.3x schemas (kubernetes-validate, strict), and has each property of issue 20, asserted
one test per property for every framework x language; hostile answers still give valid manifests;
`rampart doctor` finds nothing at medium or above in them and flags a weakened copy of each."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from generator.doctor import DoctorOptions, run_doctor
from generator.kustomize import build
from tests.combinations import E2E_VARIANTS, SUPPORTED_COMBINATIONS, combination_id
from tests.conftest import ROOT, _unavailable, run_rampart
from tests.doctor_corpus import medium_or_worse, prepare
from tests.running_service import PROBE_LIMITS, entry_point, output, request, wait_ready
from tests.services import free_port

KUBERNETES_VERSIONS = ("1.30", "1.33", "1.37")  # 1.30: the first where the preStop sleep action is on by default
OVERLAYS = ("production", "staging")
DEPLOY = Path("deploy/kubernetes")
VARIANTS = [
    *({**combo, "deploy": "kubernetes"} for combo in SUPPORTED_COMBINATIONS),
    {**SUPPORTED_COMBINATIONS[0], "deploy": "kubernetes", "auth": "token"},
    {**SUPPORTED_COMBINATIONS[3], "deploy": "kubernetes", "auth": "none"},
]
DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
WORKLOAD = "Deployment"


@pytest.fixture(params=VARIANTS, ids=combination_id)
def variant(request) -> dict:
    return request.param


@pytest.fixture
def project(variant, render) -> Path:
    return render(**variant)


def _built(project: Path) -> dict[str, list[dict]]:
    return {name: [r.obj for r in build(project / DEPLOY / "overlays" / name).resources] for name in OVERLAYS}


@pytest.fixture
def overlays(project) -> dict[str, list[dict]]:
    return _built(project)


def _one(objects: list[dict], kind: str) -> dict:
    (found,) = [o for o in objects if o["kind"] == kind]
    return found


def _pod(objects: list[dict]) -> dict:
    return _one(objects, WORKLOAD)["spec"]["template"]["spec"]


def _containers(objects: list[dict]) -> list[dict]:
    pod = _pod(objects)
    return [*pod.get("initContainers", []), *pod["containers"]]


def _app(objects: list[dict]) -> dict:
    (app,) = _pod(objects)["containers"]
    return app


def _config(objects: list[dict]) -> dict[str, str]:
    return _one(objects, "ConfigMap")["data"]


def _pod_labels(objects: list[dict]) -> dict:
    return _one(objects, WORKLOAD)["spec"]["template"]["metadata"]["labels"]


def _source(project: Path, stem: str) -> str:
    (path,) = (project / "src").rglob(f"{stem}.[jt]s")
    return path.read_text()


def _service_default(project: Path, key: str) -> int:
    """The default src/config gives a key: `KEY: integer(min, max, default)`."""
    match = re.search(rf"\b{key}: integer\([\d_]+, [\d_]+, ([\d_]+)\)", _source(project, "config"))
    assert match, f"{key} not in src/config"
    return int(match[1].replace("_", ""))


def _validate(objects: list[dict]) -> None:
    for obj in objects:
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as err:
                pytest.fail(f"{obj['kind']}/{obj['metadata']['name']} invalid for {version}: {err.message}")


# --- render and schemas -----------------------------------------------------------------------


def test_no_manifests_unless_asked(render):
    assert not (render(**SUPPORTED_COMBINATIONS[0]) / "deploy").exists(), "deploy=none (the default) renders nothing"


def test_overlays_validate_against_kubernetes_schemas(overlays):
    for name, objects in overlays.items():
        kinds = sorted(o["kind"] for o in objects)
        assert kinds == sorted(
            [
                "ConfigMap",
                "Deployment",
                "HorizontalPodAutoscaler",
                "Namespace",
                "NetworkPolicy",
                "PodDisruptionBudget",
                "Service",
                "ServiceAccount",
            ]
        ), name
        _validate(objects)


def test_names_are_dns_labels_in_the_overlays_namespace(overlays, variant):
    namespaces = {}
    for name, objects in overlays.items():
        namespace = _one(objects, "Namespace")
        assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
        for obj in objects:
            assert DNS_LABEL.match(obj["metadata"]["name"]), obj["metadata"]["name"]
            if obj["kind"] != "Namespace":
                assert obj["metadata"]["namespace"] == namespace["metadata"]["name"]
        namespaces[name] = namespace["metadata"]["name"]
    assert len(set(namespaces.values())) == len(OVERLAYS), "each environment has its own namespace"


# --- the properties, one test each ------------------------------------------------------------


def test_replicas_at_least_two(overlays):
    for objects in overlays.values():
        assert _one(objects, WORKLOAD)["spec"]["replicas"] >= 2
        hpa = _one(objects, "HorizontalPodAutoscaler")["spec"]
        assert hpa["minReplicas"] >= 2 and hpa["maxReplicas"] >= hpa["minReplicas"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": WORKLOAD, "name": _name(objects)}


def _name(objects: list[dict]) -> str:
    return _one(objects, WORKLOAD)["metadata"]["name"]


def test_runs_as_numeric_non_root_user(overlays):
    for objects in overlays.values():
        context = _pod(objects)["securityContext"]
        assert context["runAsNonRoot"] is True
        assert isinstance(context["runAsUser"], int) and context["runAsUser"] > 0
        assert all(c["securityContext"]["runAsNonRoot"] is True for c in _containers(objects))
        assert all(c["securityContext"].get("runAsUser", context["runAsUser"]) > 0 for c in _containers(objects))


def test_containers_are_locked_down(overlays):
    for objects in overlays.values():
        assert _pod(objects)["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        for container in _containers(objects):
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"] == {"drop": ["ALL"]}
            assert "privileged" not in context


def test_no_writable_volume_because_the_service_writes_no_files(project, overlays):
    """readOnlyRootFilesystem with no emptyDir: true only while the service never writes a file."""
    for objects in overlays.values():
        assert "volumes" not in _pod(objects)
        assert all("volumeMounts" not in c for c in _containers(objects))
    writers = re.compile(r"tmpdir|mkdtemp|/tmp\b|writeFile|createWriteStream|appendFile|mkdir|fs/promises'\).*write")
    code = [p for folder in ("src", "scripts") for p in (project / folder).rglob("*.[jt]s")]
    assert code
    for path in code:
        assert not writers.search(path.read_text()), f"{path} writes files: add an emptyDir for that folder"


def test_no_service_account_token(overlays):
    for objects in overlays.values():
        pod = _pod(objects)
        assert pod["automountServiceAccountToken"] is False
        account = _one(objects, "ServiceAccount")
        assert pod["serviceAccountName"] == account["metadata"]["name"]
        assert account["automountServiceAccountToken"] is False


def test_requests_and_limits(overlays):
    for objects in overlays.values():
        for container in _containers(objects):
            resources = container["resources"]
            assert set(resources["requests"]) == {"cpu", "memory"} == set(resources["limits"])


def test_grace_period_outlasts_prestop_and_drain(project, overlays):
    for objects in overlays.values():
        drain_ms = int(_config(objects)["SHUTDOWN_TIMEOUT_MS"])
        assert drain_ms == _service_default(project, "SHUTDOWN_TIMEOUT_MS"), "the ConfigMap states the real drain"
        pause = _app(objects)["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert pause >= 3, "endpoints need a moment to drop the pod"
        assert _pod(objects)["terminationGracePeriodSeconds"] > pause + drain_ms / 1000


def test_probes_use_the_services_health_routes(project, overlays):
    health = _source(project, "health")
    assert "'/healthz'" in health and "'/readyz'" in health
    for objects in overlays.values():
        app = _app(objects)
        (port,) = app["ports"]
        assert port["containerPort"] == int(_config(objects)["PORT"])
        assert app["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
        assert app["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}


def test_service_listens_on_every_interface_of_the_pod(overlays):
    for objects in overlays.values():
        assert _config(objects)["HOST"] == "0.0.0.0"  # noqa: S104 -- the pod's interfaces, behind the NetworkPolicy
        assert _config(objects)["NODE_ENV"] == "production"


def test_spread_across_nodes(overlays):
    for objects in overlays.values():
        constraints = _pod(objects)["topologySpreadConstraints"]
        by_node = [c for c in constraints if c["topologyKey"] == "kubernetes.io/hostname"]
        assert by_node and by_node[0]["whenUnsatisfiable"] == "DoNotSchedule"
        assert by_node[0]["labelSelector"]["matchLabels"] == _pod_labels(objects)


def test_image_by_digest_in_the_overlay(project, overlays):
    base = [r.obj for r in build(project / DEPLOY / "base").resources]
    assert all(":" not in c["image"] for c in _containers(base)), "the base names the image; overlays pin it"
    for objects in overlays.values():
        images = {c["image"] for c in _containers(objects)}
        assert len(images) == 1 and re.search(r"@sha256:[0-9a-f]{64}$", images.pop())


def test_service_and_disruption_budget_select_the_pods(overlays):
    for objects in overlays.values():
        labels = _pod_labels(objects)
        service = _one(objects, "Service")["spec"]
        assert service["selector"] == labels and service["type"] == "ClusterIP"
        assert [p["targetPort"] for p in service["ports"]] == [_app(objects)["ports"][0]["name"]]
        budget = _one(objects, "PodDisruptionBudget")["spec"]
        assert budget["selector"]["matchLabels"] == labels and budget["maxUnavailable"] == 1


def test_network_policy_denies_all_but_ingress_dns_and_databases(overlays, variant):
    for objects in overlays.values():
        policy = _one(objects, "NetworkPolicy")["spec"]
        assert policy["podSelector"]["matchLabels"] == _pod_labels(objects)
        assert sorted(policy["policyTypes"]) == ["Egress", "Ingress"]
        (ingress,) = policy["ingress"]
        assert ingress["ports"] == [{"port": _app(objects)["ports"][0]["name"], "protocol": "TCP"}]
        assert ingress["from"] and all("ipBlock" not in peer for peer in ingress["from"])
        egress = {(p["port"], p["protocol"]) for rule in policy["egress"] for p in rule["ports"]}
        servers = {(6379, "TCP"), (5432, "TCP")} if variant.get("auth", "session") != "none" else set()
        assert egress == {(53, "UDP"), (53, "TCP")} | servers
        dns = next(rule for rule in policy["egress"] if rule["ports"][0]["port"] == 53)
        assert dns["to"], "DNS only to the cluster's resolver"


def test_configuration_from_configmap_keys_the_service_reads(project, overlays):
    config_source = _source(project, "config")
    for objects in overlays.values():
        app = _app(objects)
        assert app["envFrom"] == [{"configMapRef": {"name": _one(objects, "ConfigMap")["metadata"]["name"]}}]
        for key in _config(objects):
            assert re.search(rf"^\s+{key}: ", config_source, re.M), f"{key} is not read by src/config"


def test_secrets_are_referenced_never_contained(project, overlays, variant):
    expected = (
        ["APP_SECRET", "REDIS_URL", "DATABASE_URL"] if variant.get("auth", "session") != "none" else ["APP_SECRET"]
    )
    for objects in overlays.values():
        assert not [o for o in objects if o["kind"] == "Secret"]
        refs = [e["valueFrom"]["secretKeyRef"] for e in _app(objects)["env"]]
        assert [e["name"] for e in _app(objects)["env"]] == [r["key"] for r in refs] == expected
        assert {r["name"] for r in refs} == {f"{_name(objects)}-secrets"}
        assert not set(expected) & set(_config(objects)), "no secret in the ConfigMap"
    example = yaml.safe_load((project / DEPLOY / "external-secret.example.yaml").read_text())
    assert example["kind"] == "ExternalSecret" and example["apiVersion"] == "external-secrets.io/v1"
    assert example["spec"]["target"]["name"] == refs[0]["name"]
    # The Secret also holds the migration step's owner-role URL, which the service never gets.
    stored = [*expected, "MIGRATION_DATABASE_URL"] if "DATABASE_URL" in expected else expected
    assert [d["secretKey"] for d in example["spec"]["data"]] == stored


def test_trust_proxy_hops_for_one_ingress_controller(project, overlays):
    for objects in overlays.values():
        assert _config(objects)["TRUST_PROXY_HOPS"] == "1"
    readme = (project / "README.md").read_text()
    assert "`TRUST_PROXY_HOPS` is `1`" in readme and "forge the header" in readme


def test_migrations_run_before_the_new_version_serves(project, overlays, variant):
    for objects in overlays.values():
        pod = _pod(objects)
        if variant.get("auth", "session") == "none":
            assert "initContainers" not in pod and not list((project / "scripts").glob("migrate.*"))
            continue
        (migrate,) = pod["initContainers"]
        assert migrate["image"] == _app(objects)["image"]
        assert migrate["command"][0] == "node" and (project / migrate["command"][1]).is_file()
        # As the owner role, from its own Secret key; DATABASE_URL names the role it grants DML rights.
        keys = {
            e["name"]: e["valueFrom"]["secretKeyRef"]["key"]
            for e in migrate["env"]
            if "secretKeyRef" in e.get("valueFrom", {})
        }
        assert keys == {"MIGRATION_DATABASE_URL": "MIGRATION_DATABASE_URL", "DATABASE_URL": "DATABASE_URL"}
        assert "MIGRATION_DATABASE_URL" not in {e["name"] for e in _app(objects)["env"]}, "the service never owns"
        strategy = _one(objects, WORKLOAD)["spec"]["strategy"]["rollingUpdate"]
        assert strategy["maxUnavailable"] == 0, "old pods serve until a migrated new pod is ready"


def test_staging_overlay_changes_only_its_environment(overlays):
    production, staging = overlays["production"], overlays["staging"]
    assert _config(staging)["LOG_LEVEL"] == "debug" and _config(production)["LOG_LEVEL"] == "info"
    assert _one(staging, "HorizontalPodAutoscaler")["spec"]["maxReplicas"] == 3
    assert _pod(staging) == _pod(production)


def test_readme_section(project, variant):
    readme = (project / "README.md").read_text()
    section = readme.split("## Running on Kubernetes", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"(<!-- not executed by rampart's tests: needs a Kubernetes cluster -->\n)?```bash\n", section)
    assert blocks and all(blocks), "every command block is marked as not executed here"
    assert "kubectl apply -k deploy/kubernetes/overlays/production" in section
    if variant.get("auth", "session") != "none":
        assert "**Redis**" in section and "**PostgreSQL**" in section and "appendonly yes" in section


# --- hostile answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "null", "port": 65535},
        {"project_name": "yes", "port": 1024},
        {"project_name": "a" * 64},
        {"project_name": "a" * 51 + "-b" * 6, "cors_origins": "https://a.example:8443,http://localhost:5173"},
    ],
    ids=lambda answers: answers["project_name"][:12],
)
def test_hostile_answers_still_give_valid_manifests(render, answers):
    project = render(**SUPPORTED_COMBINATIONS[0], deploy="kubernetes", **answers)
    for objects in _built(project).values():
        _validate(objects)
        for obj in objects:
            assert isinstance(obj["metadata"]["name"], str) and DNS_LABEL.match(obj["metadata"]["name"])
        assert _config(objects)["PORT"] == str(answers.get("port", 3000))
        assert _app(objects)["ports"][0]["containerPort"] == answers.get("port", 3000)
        assert _config(objects)["CORS_ORIGINS"] == answers.get("cors_origins", "")


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (with kustomize) is not installed")
def test_python_build_equals_kubectl_kustomize(project):
    """Where kubectl is installed, the subset must build exactly what kustomize builds."""
    for name in OVERLAYS:
        folder = project / DEPLOY / "overlays" / name
        real = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True, check=True)

        def key(obj):
            return (obj["kind"], obj["metadata"].get("namespace"), obj["metadata"]["name"])

        expected = {key(o): o for o in yaml.safe_load_all(real.stdout) if o}
        assert {key(r.obj): r.obj for r in build(folder).resources} == expected


# --- rampart doctor ---------------------------------------------------------------------------

OTHER_FAMILIES = {"dependencies", "code", "secrets", "ci", "docker", "drift"}
BASE = Path("deploy/kubernetes/base")


def test_doctor_finds_nothing_medium_in_the_rendered_service(project, tmp_path):
    copy = prepare(project, tmp_path / "svc")
    report = run_doctor(DoctorOptions(path=copy, skip={"drift"}))
    assert "kubernetes" in report.checks
    assert medium_or_worse(report.sorted_findings()) == []
    assert [f for f in report.findings if f.rule.startswith("kubernetes.")] == [], "not even low or info"


def _edit(project: Path, rel: str | Path, change: Callable[[dict], object]) -> None:
    path = project / rel
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def _pod_of(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]


def _app_of(deployment: dict) -> dict:
    return _pod_of(deployment)["containers"][0]


def _drop_resource(project: Path, name: str) -> None:
    _edit(project, BASE / "kustomization.yaml", lambda k: k["resources"].remove(name))


def _add_resource(project: Path, name: str, document: dict) -> None:
    (project / BASE / name).write_text(yaml.safe_dump(document))
    _edit(project, BASE / "kustomization.yaml", lambda k: k["resources"].append(name))


def _deployment(change: Callable[[dict], object]) -> Callable[[Path], None]:
    return lambda project: _edit(project, BASE / "deployment.yaml", change)


def _container_context(key: str, value) -> Callable[[Path], None]:
    return _deployment(lambda d: _app_of(d)["securityContext"].__setitem__(key, value))


def _everywhere_without(key: str) -> Callable[[dict], None]:
    def change(deployment: dict) -> None:
        pod = _pod_of(deployment)
        for context in [pod["securityContext"], *(c["securityContext"] for c in _containers_of(pod))]:
            context.pop(key, None)

    return change


def _containers_of(pod: dict) -> list[dict]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def _unpinned(project: Path) -> None:
    def change(kustomization: dict) -> None:
        image = kustomization["images"][0]
        del image["digest"]
        image["newTag"] = "latest"

    _edit(project, DEPLOY / "overlays/production/kustomization.yaml", change)


def _committed_secret(project: Path) -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "leak"}, "stringData": {"APP_SECRET": "x" * 8}}
    _add_resource(project, "secret.yaml", secret)


def _open_egress(project: Path) -> None:
    def change(policy: dict) -> None:
        policy["spec"]["policyTypes"] = ["Ingress"]
        del policy["spec"]["egress"]

    _edit(project, BASE / "networkpolicy.yaml", change)


def _trust_no_proxy(project: Path) -> None:
    _edit(project, BASE / "configmap.yaml", lambda c: c["data"].__setitem__("TRUST_PROXY_HOPS", "0"))


def _single_replica(project: Path) -> None:
    _deployment(lambda d: d["spec"].__setitem__("replicas", 1))(project)
    _edit(project, BASE / "horizontalpodautoscaler.yaml", lambda h: h["spec"].__setitem__("minReplicas", 1))


@dataclass(frozen=True)
class Weakening:
    kind: str
    rule: str
    baseline: str
    weaken: Callable[[Path], None]


WEAKENINGS = [
    Weakening(
        "runs as uid 0", "root-user", "B27", _deployment(lambda d: _pod_of(d)["securityContext"].update(runAsUser=0))
    ),
    Weakening("runAsNonRoot removed", "root-user", "B27", _deployment(_everywhere_without("runAsNonRoot"))),
    Weakening("user not numeric", "user-not-numeric", "B27", _deployment(_everywhere_without("runAsUser"))),
    Weakening("writable root", "writable-root-filesystem", "B27", _container_context("readOnlyRootFilesystem", False)),
    Weakening("escalation", "privilege-escalation", "B27", _container_context("allowPrivilegeEscalation", True)),
    Weakening("capabilities kept", "capabilities", "B27", _container_context("capabilities", {"add": ["NET_ADMIN"]})),
    Weakening("privileged", "privileged", "B27", _container_context("privileged", True)),
    Weakening("host network", "host-access", "B27", _deployment(lambda d: _pod_of(d).update(hostNetwork=True))),
    Weakening(
        "seccomp unconfined",
        "seccomp",
        "B27",
        _deployment(lambda d: _pod_of(d)["securityContext"].update(seccompProfile={"type": "Unconfined"})),
    ),
    Weakening(
        "API token mounted",
        "service-account-token",
        "B27",
        _deployment(lambda d: _pod_of(d).update(automountServiceAccountToken=True)),
    ),
    Weakening("no limits", "no-limits", "B27", _deployment(lambda d: _app_of(d)["resources"].pop("limits"))),
    Weakening("no requests", "no-requests", "B27", _deployment(lambda d: _app_of(d)["resources"].pop("requests"))),
    Weakening("image by tag", "image-not-pinned", "B27", _unpinned),
    Weakening("no NetworkPolicy", "no-network-policy", "B27", lambda p: _drop_resource(p, "networkpolicy.yaml")),
    Weakening("egress open", "network-policy-open", "B27", _open_egress),
    Weakening(
        "grace below drain",
        "grace-below-drain",
        "B13",
        _deployment(lambda d: _pod_of(d).update(terminationGracePeriodSeconds=12)),
    ),
    Weakening("no preStop", "no-prestop", "B13", _deployment(lambda d: _app_of(d).pop("lifecycle"))),
    Weakening("no liveness", "no-liveness-probe", "B13", _deployment(lambda d: _app_of(d).pop("livenessProbe"))),
    Weakening("no readiness", "no-readiness-probe", "B13", _deployment(lambda d: _app_of(d).pop("readinessProbe"))),
    Weakening(
        "readiness on /healthz",
        "probes-identical",
        "B13",
        _deployment(lambda d: _app_of(d)["readinessProbe"]["httpGet"].update(path="/healthz")),
    ),
    Weakening("one replica", "single-replica", "B13", _single_replica),
    Weakening("no autoscaler", "no-autoscaler", "B13", lambda p: _drop_resource(p, "horizontalpodautoscaler.yaml")),
    Weakening("no PDB", "no-disruption-budget", "B13", lambda p: _drop_resource(p, "poddisruptionbudget.yaml")),
    Weakening(
        "no spread", "no-topology-spread", "B13", _deployment(lambda d: _pod_of(d).pop("topologySpreadConstraints"))
    ),
    Weakening("Secret committed", "secret-in-manifest", "B18", _committed_secret),
    Weakening(
        "secret env value",
        "secret-in-manifest",
        "B18",
        _deployment(
            lambda d: _app_of(d)["env"].__setitem__(0, {"name": "APP_SECRET", "value": "k8Jq2vX9mP4wZ7rTq1Lx"})
        ),
    ),
    Weakening("no proxy hop", "trust-proxy-unset", "B8", _trust_no_proxy),
]


@pytest.fixture
def pristine(render) -> Path:
    return render(**SUPPORTED_COMBINATIONS[0], deploy="kubernetes")


@pytest.mark.parametrize("weakening", WEAKENINGS, ids=[w.kind for w in WEAKENINGS])
def test_doctor_flags_a_weakened_copy_of_each_property(pristine, tmp_path, weakening):
    project = tmp_path / "svc"
    shutil.copytree(pristine, project)
    weakening.weaken(project)
    findings = run_doctor(DoctorOptions(path=project, skip=OTHER_FAMILIES)).sorted_findings()
    flagged = [f for f in findings if f.rule == f"kubernetes.{weakening.rule}"]
    assert flagged, f"{weakening.kind}: not flagged; got {[(f.rule, f.message) for f in findings]}"
    assert {f.baseline for f in flagged} == {weakening.baseline}
    assert all(f.location.startswith("deploy/kubernetes/") for f in flagged)


def test_doctor_reads_plain_manifests_and_refuses_to_guess_a_kustomization(pristine, tmp_path):
    project = tmp_path / "svc"
    shutil.copytree(pristine, project)
    (project / "manifests").mkdir()
    for path in (project / BASE).glob("*.yaml"):
        if path.name != "kustomization.yaml":
            shutil.copy2(path, project / "manifests" / path.name)
    _edit(project, DEPLOY / "overlays/staging/kustomization.yaml", lambda k: k.update(configMapGenerator=[]))
    findings = run_doctor(DoctorOptions(path=project, skip=OTHER_FAMILIES)).sorted_findings()
    plain = {(f.rule, f.location) for f in findings if f.location.startswith("manifests/")}
    # Plain files are read as written: the base names its image without a digest.
    assert plain == {("kubernetes.image-not-pinned", "manifests/deployment.yaml")}
    (skipped,) = [f for f in findings if f.rule == "kubernetes.kustomization-not-built"]
    assert skipped.severity == "info" and "configMapGenerator" in skipped.message
    assert skipped.location == "deploy/kubernetes/overlays/staging"


def test_cli_reports_kubernetes_findings_in_the_json_schema(pristine, tmp_path):
    project = prepare(pristine, tmp_path / "svc")
    WEAKENINGS[0].weaken(project)  # uid 0
    result = run_rampart("doctor", str(project), "--json", "--skip", "drift")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads((ROOT / "docs" / "doctor-report.schema.json").read_text()))
    assert "kubernetes" in report["checks"]
    assert ("B27", "kubernetes.root-user", "high") in {
        (f["baseline"], f["rule"], f["severity"]) for f in report["findings"]
    }
    skipped = run_rampart("doctor", str(project), "--json", "--skip", "drift", "--skip", "kubernetes")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert {"check": "kubernetes", "reason": "--skip"} in json.loads(skipped.stdout)["skipped"]


# --- the read-only root filesystem, for real --------------------------------------------------


def _read_only_root(command: list[str], project: Path, root: Path, env: dict, log) -> subprocess.Popen:
    """`command` in `project`, in a private mount namespace whose root filesystem (with /tmp) is a
    read-only bind, as under readOnlyRootFilesystem; /proc and /dev stay as a container has them.
    unshare, sh, chroot and sh all exec, so the Popen's pid is the command's."""
    root.mkdir(exist_ok=True)
    inner = f"cd {shlex.quote(str(project))} && exec {shlex.join(command)}"
    script = (
        f"mount --make-rprivate / && mount --rbind / {root} && mount -o remount,bind,ro {root}"
        f" && exec chroot {root} sh -c {shlex.quote(inner)}"
    )
    return subprocess.Popen(["unshare", "--mount", "sh", "-c", script], env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.mark.e2e
def test_service_needs_no_writable_folder(installed_service, tmp_path):
    """Why deployment.yaml mounts no emptyDir: migration, sign-up, tokens, revocation and the drain
    all work with every file read-only (what readOnlyRootFilesystem gives the container)."""
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("chroot"):
        _unavailable(RuntimeError("needs root with unshare and chroot (a private read-only mount)"))
    variant = next(v for v in E2E_VARIANTS if v["auth"] == "token")
    project, env = installed_service(variant)
    env = {**env, "NODE_ENV": "production", "PORT": str(free_port()), "TRUST_PROXY_HOPS": "1", **PROBE_LIMITS}
    with (tmp_path / "migrate.log").open("w+") as log:
        migrate = _read_only_root(
            ["node", next(str(p.relative_to(project)) for p in (project / "scripts").glob("migrate.[jt]s"))],
            project,
            tmp_path / "root",
            env,
            log,
        )
        assert migrate.wait(timeout=60) == 0, (tmp_path / "migrate.log").read_text()
    with (tmp_path / "serve.log").open("w+") as log:
        proc = _read_only_root(["node", "--env-file=.env", entry_point(project)], project, tmp_path / "root", env, log)
        proc.log_path = tmp_path / "serve.log"
        try:
            port = int(env["PORT"])
            wait_ready(port, proc, "/readyz")
            credentials = json.dumps({"username": "readonly", "password": "a long enough password"}).encode()
            headers = {"content-type": "application/json"}
            assert request(port, "POST", "/api/v1/auth/register", credentials, headers)[0] == 201
            status, _, body = request(port, "POST", "/api/v1/auth/token", credentials, headers)
            assert status == 200, body
            bearer = {"authorization": f"Bearer {json.loads(body)['accessToken']}"}
            assert request(port, "GET", "/api/v1/me", None, bearer)[0] == 200
            assert request(port, "POST", "/api/v1/auth/revoke", None, bearer)[0] == 204
            assert request(port, "GET", "/api/v1/me", None, bearer)[0] == 401
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0, output(proc)[-3000:]
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    logs = (tmp_path / "migrate.log").read_text() + output(proc)
    assert "shutdown complete" in logs
    assert not re.search(r"EROFS|read-only file system", logs, re.I), logs[-3000:]


def test_doctor_reports_malformed_manifests_and_charts_without_failing(pristine, tmp_path):
    project = tmp_path / "svc"
    shutil.copytree(pristine, project)
    manifests = project / "manifests"
    (manifests / "chart" / "templates").mkdir(parents=True)
    (manifests / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: svc\nversion: 0.1.0\n")
    (manifests / "chart" / "templates" / "deployment.yaml").write_text("image: {{ .Values.image }}\n")
    (manifests / "odd.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: odd}\nspec: {replicas: two, template: {spec: {}}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: oops\nspec: [1]\n"
    )
    (manifests / "broken.yaml").write_text("kind: [unclosed\n")
    _edit(project, DEPLOY / "overlays/staging/kustomization.yaml", lambda k: k.update(patches="not a list"))
    findings = run_doctor(DoctorOptions(path=project, skip=OTHER_FAMILIES)).sorted_findings()
    rules = {(f.rule, f.location, f.severity) for f in findings}
    assert ("kubernetes.helm-chart-not-checked", "manifests/chart", "info") in rules
    assert ("kubernetes.invalid-manifest", "manifests/odd.yaml", "low") in rules
    (unbuilt,) = [f for f in findings if f.rule == "kubernetes.kustomization-not-built"]
    assert "patches must be a list" in unbuilt.message
    assert not [f for f in findings if "chart/templates" in f.location]
    result = run_rampart("doctor", str(project), "--skip", "drift")
    assert "Traceback" not in result.stderr and result.returncode in {0, 1}, result.stderr
