"""Kubernetes manifests under deploy/, k8s/ and manifests/: the properties rampart's own manifests have.

A Kustomize overlay is checked as the cluster gets it (generator/kustomize.py builds it); plain
manifests outside any kustomization are checked as written, those of one top folder together, so
a PodDisruptionBudget or NetworkPolicy counts for the workloads beside it. The baseline has no
Kubernetes item: each rule carries the item whose property it protects in a cluster (B27 the
container, B13 shutdown and draining, B18 secrets, B8 the proxy hop count).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.doctor.findings import Finding
from generator.doctor.project import NodeProject
from generator.kustomize import KUSTOMIZATION_FILES, KustomizeError, build, load_documents

MANIFEST_DIRS = ("deploy", "k8s", "manifests")
_POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
_LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"}
_SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$", re.I)
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@:\s]*:[^/@\s]+@", re.I)
_DEFAULT_GRACE_SECONDS = 30  # Kubernetes' default terminationGracePeriodSeconds


@dataclass
class Obj:
    data: dict
    rel: str  # the file it came from, relative to the project

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def name(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("name", "")) if isinstance(meta, dict) else ""

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.name}"


def check(project: NodeProject) -> list[Finding]:
    files = [
        rel
        for rel in project.files
        if rel.split("/", 1)[0] in MANIFEST_DIRS and (rel.endswith((".yaml", ".yml")) or rel.endswith("/Kustomization"))
    ]
    findings: list[Finding] = []
    # A Helm chart's templates are not YAML until rendered: say so once per chart.
    charts = sorted(str(Path(rel).parent) for rel in files if Path(rel).name in {"Chart.yaml", "Chart.yml"})
    for chart in charts:
        message = "a Helm chart: its templates are not checked (doctor reads manifests, not templates)"
        fix = "render it (`helm template`) into manifests/ for doctor to check"
        findings.append(Finding("B27", "kubernetes.helm-chart-not-checked", "info", chart, message, fix))
    files = [rel for rel in files if not any(rel.startswith(chart + "/") for chart in charts)]
    units: list[list[Obj]] = []
    used: set[str] = set()
    for root in _top_kustomizations(project, files):
        try:
            built = build(project.root / root)
        except KustomizeError as err:
            findings.append(
                Finding(
                    "B27",
                    "kubernetes.kustomization-not-built",
                    "info",
                    root,
                    f"not checked as built: {err}",
                    "check `kubectl kustomize` output with `kubectl apply --dry-run=server` or a policy engine",
                )
            )
            continue
        used |= {_relative(project, path) for path in built.files}
        units.append([Obj(r.obj, _relative(project, r.source)) for r in built.resources if isinstance(r.obj, dict)])
    plain: dict[str, list[Obj]] = {}
    for rel in files:
        if rel in used or Path(rel).name in KUSTOMIZATION_FILES:
            continue
        try:
            documents = load_documents(project.root / rel)
        except KustomizeError:
            continue  # a template (Helm) or not Kubernetes at all: nothing to read
        objects = [Obj(doc, rel) for doc in documents if isinstance(doc, dict) and doc.get("kind")]
        plain.setdefault(rel.split("/", 1)[0], []).extend(objects)
    units.extend(plain.values())
    reads_trust_proxy = any("TRUST_PROXY_HOPS" in (project.read(rel) or "") for rel in project.source_files)
    for objects in units:
        findings.extend(_check_unit(objects, reads_trust_proxy))
    return findings


def _relative(project: NodeProject, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.root.resolve()))
    except ValueError:
        return str(path)


def _top_kustomizations(project: NodeProject, files: list[str]) -> list[str]:
    """Folders with a kustomization that no other kustomization includes (the overlays)."""
    folders = sorted({str(Path(rel).parent) for rel in files if Path(rel).name in KUSTOMIZATION_FILES})
    included: set[str] = set()
    for folder in folders:
        try:
            included |= {
                _relative(project, path.parent)
                for path in build(project.root / folder).files
                if path.name in KUSTOMIZATION_FILES and path.parent != (project.root / folder).resolve()
            }
        except KustomizeError:
            continue
    return [folder for folder in folders if folder not in included]


def _pod_spec(obj: Obj) -> dict | None:
    spec = obj.data.get("spec") or {}
    if obj.kind == "Pod":
        return spec
    if obj.kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
        return ((spec.get("template") or {}).get("spec")) or None
    if obj.kind in _POD_TEMPLATE_KINDS:
        return ((spec.get("template") or {}).get("spec")) or None
    return None


def _pod_labels(obj: Obj) -> dict:
    if obj.kind == "Pod":
        return (obj.data.get("metadata") or {}).get("labels") or {}
    return (((obj.data.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}


def _selects(selector: dict | None, labels: dict) -> bool:
    """A label selector (matchLabels only) that matches these pod labels; an empty one matches all."""
    selector = selector or {}
    match = selector.get("matchLabels") or {}
    return not selector.get("matchExpressions") and all(labels.get(k) == v for k, v in match.items())


def _finding(baseline: str, rule: str, severity: str, obj: Obj, message: str, fix: str) -> Finding:
    return Finding(baseline, rule, severity, obj.rel, f"{obj.label}: {message}", fix)


def _check_unit(objects: list[Obj], reads_trust_proxy: bool) -> Iterator[Finding]:
    config_maps = {
        o.name: o.data["data"] for o in objects if o.kind == "ConfigMap" and isinstance(o.data.get("data"), dict)
    }
    accounts = {o.name: o.data for o in objects if o.kind == "ServiceAccount"}
    for obj in objects:
        try:
            # Materialized per object, so a malformed one (a field of the wrong type) is reported
            # as such instead of ending the audit.
            yield from list(_check_object(obj, objects, config_maps, accounts, reads_trust_proxy))
        except (AttributeError, TypeError, ValueError) as err:
            message = f"not a valid manifest, not checked ({type(err).__name__}: {err})"
            fix = "`kubectl apply --dry-run=server -f` it to see what the API server says"
            yield _finding("B27", "kubernetes.invalid-manifest", "low", obj, message, fix)


def _check_object(
    obj: Obj, objects: list[Obj], config_maps: dict, accounts: dict, reads_trust_proxy: bool
) -> Iterator[Finding]:
    yield from _secrets(obj)
    pod = _pod_spec(obj)
    if pod is not None:
        yield from _pod(obj, pod, config_maps, accounts, reads_trust_proxy)
        if obj.kind in {"Deployment", "StatefulSet"}:
            yield from _availability(obj, pod, objects)
        if obj.kind in _LONG_RUNNING:
            yield from _isolation(obj, objects)


def _secrets(obj: Obj) -> Iterator[Finding]:
    fix = "create the Secret outside git (`kubectl create secret generic --from-env-file=.env`, External Secrets)"
    if obj.kind == "Secret" and ((obj.data.get("data") or {}) or (obj.data.get("stringData") or {})):
        yield _finding(
            "B18", "kubernetes.secret-in-manifest", "high", obj, "a Secret with its values is committed", fix
        )
    if obj.kind == "ConfigMap":
        for key, value in (obj.data.get("data") or {}).items():
            if _is_secret(str(key), value):
                message = f"{key} is a secret in a ConfigMap (readable by anyone who can read config)"
                yield _finding("B18", "kubernetes.secret-in-manifest", "high", obj, message, fix)
    for container in _containers(_pod_spec(obj) or {}):
        for env in container.get("env") or []:
            if isinstance(env, dict) and "value" in env and _is_secret(str(env.get("name", "")), env["value"]):
                message = f"container {container.get('name')}: {env.get('name')} has its value in the manifest"
                yield _finding("B18", "kubernetes.secret-in-manifest", "high", obj, message, fix)


def _is_secret(key: str, value) -> bool:
    text = "" if value is None else str(value)
    if text.startswith("$("):
        return False  # a reference to another variable, resolved by the kubelet
    return bool(text.strip()) and (bool(_SECRET_NAME.search(key)) or bool(_URL_WITH_PASSWORD.match(text)))


def _containers(pod: dict) -> list[dict]:
    found = [*(pod.get("initContainers") or []), *(pod.get("containers") or [])]
    return [c for c in found if isinstance(c, dict)]


def _pod(obj: Obj, pod: dict, config_maps: dict, accounts: dict, reads_trust_proxy: bool) -> Iterator[Finding]:
    pod_context = pod.get("securityContext") or {}
    if (
        pod.get("hostNetwork")
        or pod.get("hostPID")
        or pod.get("hostIPC")
        or any(isinstance(v, dict) and "hostPath" in v for v in pod.get("volumes") or [])
    ):
        message = "shares the node's network, processes or files: an escape from the container is a step away"
        fix = "remove hostNetwork/hostPID/hostIPC and hostPath volumes"
        yield _finding("B27", "kubernetes.host-access", "high", obj, message, fix)
    token = pod.get("automountServiceAccountToken")
    account = accounts.get(pod.get("serviceAccountName") or "default") or {}
    if token is not False and not (token is None and account.get("automountServiceAccountToken") is False):
        message = "mounts a Kubernetes API token: code execution in the pod gets the API's credentials"
        fix = "automountServiceAccountToken: false (the service never calls the Kubernetes API)"
        yield _finding("B27", "kubernetes.service-account-token", "medium", obj, message, fix)
    long_running = obj.kind in _LONG_RUNNING
    for container in _containers(pod):
        yield from _container(obj, container, pod_context)
        if long_running and container in (pod.get("containers") or []):
            yield from _probes(obj, container)
    if long_running:
        yield from _shutdown(obj, pod, config_maps)
        if reads_trust_proxy and (pod.get("containers") or []):
            hops = _env_value(pod["containers"][0], config_maps, "TRUST_PROXY_HOPS")
            if hops in (None, "", "0"):
                message = "TRUST_PROXY_HOPS is unset or 0: behind an ingress controller every client has its address"
                fix = "set TRUST_PROXY_HOPS to the number of proxies in front (1 for an ingress controller)"
                yield _finding("B8", "kubernetes.trust-proxy-unset", "low", obj, message, fix)


def _container(obj: Obj, container: dict, pod_context: dict) -> Iterator[Finding]:
    where = f"container {container.get('name')}"
    context = container.get("securityContext") or {}

    def effective(key: str):
        return context.get(key, pod_context.get(key))

    if effective("runAsNonRoot") is not True or effective("runAsUser") == 0:
        message = f"{where} may run as root: a code execution bug owns the container"
        fix = "runAsNonRoot: true with a numeric runAsUser (1000 is the node image's `node` user)"
        yield _finding("B27", "kubernetes.root-user", "high", obj, message, fix)
    elif not isinstance(effective("runAsUser"), int):
        message = f"{where}: runAsNonRoot without a numeric runAsUser; an image whose USER is a name will not start"
        yield _finding(
            "B27", "kubernetes.user-not-numeric", "low", obj, message, "runAsUser: 1000 (the image's node user)"
        )
    if context.get("privileged") is True:
        message = f"{where} is privileged: it has every capability and the node's devices"
        yield _finding("B27", "kubernetes.privileged", "critical", obj, message, "remove `privileged: true`")
    if context.get("allowPrivilegeEscalation") is not False:
        message = f"{where} can gain privileges (setuid binaries, file capabilities)"
        yield _finding(
            "B27", "kubernetes.privilege-escalation", "medium", obj, message, "allowPrivilegeEscalation: false"
        )
    if context.get("readOnlyRootFilesystem") is not True:
        message = f"{where} has a writable root filesystem: an attacker can drop and run files"
        fix = "readOnlyRootFilesystem: true (an emptyDir for the one folder the process must write, if any)"
        yield _finding("B27", "kubernetes.writable-root-filesystem", "medium", obj, message, fix)
    capabilities = context.get("capabilities") or {}
    added = set(capabilities.get("add") or []) - {"NET_BIND_SERVICE"}
    if "ALL" not in (capabilities.get("drop") or []) or added:
        message = f"{where} keeps Linux capabilities it does not need"
        yield _finding(
            "B27", "kubernetes.capabilities", "medium", obj, message, 'capabilities: { drop: ["ALL"] }, nothing added'
        )
    seccomp = (context.get("seccompProfile") or pod_context.get("seccompProfile") or {}).get("type")
    if seccomp not in {"RuntimeDefault", "Localhost"}:
        message = f"{where} runs without a seccomp profile: every system call is open to it"
        yield _finding("B27", "kubernetes.seccomp", "medium", obj, message, "seccompProfile: { type: RuntimeDefault }")
    resources = container.get("resources") or {}
    if not (resources.get("limits") or {}).get("memory"):
        message = f"{where} has no memory limit: one leak or flood starves the node"
        yield _finding("B27", "kubernetes.no-limits", "medium", obj, message, "resources.limits.memory (and cpu)")
    requests = resources.get("requests") or {}
    if not (requests.get("cpu") and requests.get("memory")):
        message = f"{where} requests no cpu/memory: the scheduler packs it blind and the autoscaler cannot measure it"
        yield _finding("B27", "kubernetes.no-requests", "low", obj, message, "resources.requests.cpu and .memory")
    image = str(container.get("image", ""))
    if not re.search(r"@sha256:[0-9a-f]{64}$", image):
        message = f"{where} image {image or '(none)'} is not pinned by digest: a pushed tag changes what runs"
        fix = "reference the image by digest (`images: [{name, newName, digest}]` in the overlay)"
        yield _finding("B27", "kubernetes.image-not-pinned", "medium", obj, message, fix)


def _probes(obj: Obj, container: dict) -> Iterator[Finding]:
    where = f"container {container.get('name')}"
    liveness, readiness = container.get("livenessProbe"), container.get("readinessProbe")
    if not liveness:
        message = f"{where} has no livenessProbe: a hung process is never restarted"
        yield _finding("B13", "kubernetes.no-liveness-probe", "medium", obj, message, "livenessProbe: httpGet /healthz")
    if not readiness:
        message = f"{where} has no readinessProbe: it gets traffic before it is ready and while it drains"
        yield _finding(
            "B13", "kubernetes.no-readiness-probe", "medium", obj, message, "readinessProbe: httpGet /readyz"
        )
    elif liveness and readiness.get("httpGet") and readiness.get("httpGet") == liveness.get("httpGet"):
        message = f"{where}: readiness probes the liveness endpoint, so it cannot say 'draining' or 'dependency down'"
        yield _finding("B13", "kubernetes.probes-identical", "low", obj, message, "readinessProbe: httpGet /readyz")


def _env_value(container: dict, config_maps: dict, key: str) -> str | None:
    for env in container.get("env") or []:
        if isinstance(env, dict) and env.get("name") == key and "value" in env:
            return str(env["value"])
    for source in container.get("envFrom") or []:
        name = ((source or {}).get("configMapRef") or {}).get("name")
        if name in config_maps and key in config_maps[name]:
            return str(config_maps[name][key])
    return None


def _prestop_seconds(container: dict) -> int | None:
    handler = ((container.get("lifecycle") or {}).get("preStop")) or {}
    if "sleep" in handler:
        return int((handler["sleep"] or {}).get("seconds", 0))
    command = " ".join(str(part) for part in ((handler.get("exec") or {}).get("command") or []))
    match = re.search(r"\bsleep\s+(\d+)", command)
    return int(match[1]) if match else (0 if handler else None)


def _shutdown(obj: Obj, pod: dict, config_maps: dict) -> Iterator[Finding]:
    grace = int(pod.get("terminationGracePeriodSeconds", _DEFAULT_GRACE_SECONDS))
    for container in pod.get("containers") or []:
        if not isinstance(container, dict):
            continue
        where = f"container {container.get('name')}"
        pause = _prestop_seconds(container)
        if pause is None and container.get("ports"):
            message = f"{where} has no preStop pause: it gets SIGTERM while endpoints still route to it"
            yield _finding("B13", "kubernetes.no-prestop", "low", obj, message, "lifecycle.preStop.sleep.seconds: 5")
        drain = _env_value(container, config_maps, "SHUTDOWN_TIMEOUT_MS")
        if drain is not None and drain.isdigit() and grace <= (pause or 0) + int(drain) / 1000:
            message = (
                f"{where}: terminationGracePeriodSeconds {grace} is not above the preStop pause ({pause or 0} s)"
                f" plus SHUTDOWN_TIMEOUT_MS ({drain} ms): SIGKILL cuts requests mid-drain"
            )
            fix = "raise terminationGracePeriodSeconds above pause + drain (30 for 5 s + 10 s)"
            yield _finding("B13", "kubernetes.grace-below-drain", "medium", obj, message, fix)


def _availability(obj: Obj, pod: dict, objects: list[Obj]) -> Iterator[Finding]:
    labels = _pod_labels(obj)
    autoscalers = [
        o
        for o in objects
        if o.kind == "HorizontalPodAutoscaler"
        and ((o.data.get("spec") or {}).get("scaleTargetRef") or {}).get("name") == obj.name
    ]
    replicas = int((obj.data.get("spec") or {}).get("replicas", 1))
    minimum = max([replicas] + [int((a.data.get("spec") or {}).get("minReplicas", 1)) for a in autoscalers])
    if minimum < 2:
        message = "runs a single replica: every restart, rollout or node failure is an outage"
        yield _finding(
            "B13", "kubernetes.single-replica", "low", obj, message, "replicas: 2 or more (state is in Redis)"
        )
    if not autoscalers:
        message = "no HorizontalPodAutoscaler: load beyond the fixed replica count is refused or slow"
        fix = "a HorizontalPodAutoscaler (autoscaling/v2) with minReplicas 2 on CPU"
        yield _finding("B13", "kubernetes.no-autoscaler", "low", obj, message, fix)
    if not any(
        o.kind == "PodDisruptionBudget" and _selects((o.data.get("spec") or {}).get("selector"), labels)
        for o in objects
    ):
        message = "no PodDisruptionBudget: a node drain may evict every replica at once"
        yield _finding(
            "B13", "kubernetes.no-disruption-budget", "low", obj, message, "a PodDisruptionBudget, maxUnavailable: 1"
        )
    spread = [
        c
        for c in pod.get("topologySpreadConstraints") or []
        if c.get("topologyKey") == "kubernetes.io/hostname" and _selects(c.get("labelSelector"), labels)
    ]
    if not spread and not (pod.get("affinity") or {}).get("podAntiAffinity"):
        message = "replicas may all land on one node: losing it loses the service"
        fix = "topologySpreadConstraints on kubernetes.io/hostname for the pod's labels"
        yield _finding("B13", "kubernetes.no-topology-spread", "low", obj, message, fix)


def _isolation(obj: Obj, objects: list[Obj]) -> Iterator[Finding]:
    labels = _pod_labels(obj)
    policies = [
        o
        for o in objects
        if o.kind == "NetworkPolicy" and _selects((o.data.get("spec") or {}).get("podSelector"), labels)
    ]
    if not policies:
        message = "no NetworkPolicy selects its pods: any pod in the cluster can reach it, and it can reach anything"
        fix = "a NetworkPolicy, policyTypes [Ingress, Egress], allowing only the ingress controller, DNS, databases"
        yield _finding("B27", "kubernetes.no-network-policy", "medium", obj, message, fix)
        return
    types = {t for p in policies for t in ((p.data.get("spec") or {}).get("policyTypes") or ["Ingress"])}
    if "Egress" not in types:
        message = "its NetworkPolicy leaves egress open: a compromised pod can reach anything"
        fix = "policyTypes: [Ingress, Egress], egress only to DNS, Redis and PostgreSQL"
        yield _finding("B27", "kubernetes.network-policy-open", "medium", obj, message, fix)
    for policy in policies:
        for direction in ("ingress", "egress"):
            rules = (policy.data.get("spec") or {}).get(direction) or []
            if any(isinstance(rule, dict) and not rule for rule in rules):
                message = f"{policy.label} allows all {direction} (an empty rule)"
                fix = "list the peers (from/to) and ports the service needs"
                yield _finding("B27", "kubernetes.network-policy-open", "medium", obj, message, fix)
