"""The part of `kustomize build` that rampart's manifests use, in Python.

Tests and `rampart doctor` read an overlay as the cluster would get it, without a kustomize
binary. Supported: `resources` (files, and directories holding a kustomization), `namespace`,
`images` (newName, newTag, digest) and `patches` written as JSON 6902 operations with a
target. Anything else raises KustomizeError naming it: a build this module cannot do exactly
is refused, never approximated.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_SUPPORTED_FIELDS = {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
# Objects without a namespace: the namespace transformer leaves them alone.
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "IngressClass",
    "PersistentVolume",
    "PriorityClass",
    "StorageClass",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
}


class KustomizeError(Exception):
    """A kustomization this subset cannot build, or an invalid one; the message names the file."""


@dataclass
class Resource:
    obj: dict
    source: Path  # the manifest file it came from


@dataclass
class Build:
    resources: list[Resource] = field(default_factory=list)
    files: set[Path] = field(default_factory=set)  # every file the build read


def kustomization_file(directory: Path) -> Path | None:
    return next((directory / name for name in KUSTOMIZATION_FILES if (directory / name).is_file()), None)


def load_documents(path: Path) -> list[dict]:
    """The YAML documents of a manifest file (empty documents dropped); KustomizeError if unreadable."""
    try:
        documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise KustomizeError(f"{path}: not readable YAML ({str(err).splitlines()[0]})") from None
    return [doc for doc in documents if doc is not None]


def build(directory: Path) -> Build:
    """`kustomize build directory` for the supported subset."""
    return _build(directory.resolve(), ())


def _build(directory: Path, stack: tuple[Path, ...]) -> Build:
    if directory in stack:
        raise KustomizeError(f"{directory}: kustomizations include each other")
    path = kustomization_file(directory)
    if path is None:
        raise KustomizeError(f"{directory}: no kustomization.yaml")
    documents = load_documents(path)
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise KustomizeError(f"{path}: a kustomization is one YAML mapping")
    spec = documents[0]
    unsupported = sorted(set(spec) - _SUPPORTED_FIELDS)
    if unsupported:
        raise KustomizeError(f"{path}: {', '.join(unsupported)} not supported by rampart's kustomize subset")
    for key in ("resources", "patches", "images"):
        entries = spec.get(key) or []
        if not isinstance(entries, list) or (key != "resources" and not all(isinstance(e, dict) for e in entries)):
            raise KustomizeError(f"{path}: {key} must be a list" + ("" if key == "resources" else " of mappings"))
    result = Build(files={path})
    for entry in spec.get("resources") or []:
        target = (directory / str(entry)).resolve()
        if "://" in str(entry) or not target.exists():
            raise KustomizeError(f"{path}: resource {entry} is not a local file or directory")
        if target.is_dir():
            included = _build(target, (*stack, directory))
            result.resources.extend(included.resources)
            result.files |= included.files
        else:
            result.files.add(target)
            documents = load_documents(target)
            if not all(isinstance(doc, dict) for doc in documents):
                raise KustomizeError(f"{target}: a document is not a Kubernetes object (a mapping)")
            result.resources.extend(Resource(doc, target) for doc in documents)
    _check_unique(result.resources, path)
    for patch in spec.get("patches") or []:
        _apply_patch(result, patch, directory, path)
    if spec.get("namespace"):
        for resource in result.resources:
            if resource.obj.get("kind") not in CLUSTER_SCOPED:
                resource.obj.setdefault("metadata", {})["namespace"] = spec["namespace"]
    for image in spec.get("images") or []:
        for resource in result.resources:
            _set_image(resource.obj, image)
    return result


def _check_unique(resources: list[Resource], path: Path) -> None:
    seen: set[tuple] = set()
    for resource in resources:
        meta = resource.obj.get("metadata")
        if not isinstance(meta, dict):
            raise KustomizeError(f"{resource.source}: a {resource.obj.get('kind')} without metadata")
        key = (resource.obj.get("apiVersion"), resource.obj.get("kind"), meta.get("namespace"), meta.get("name"))
        if key in seen:
            raise KustomizeError(f"{path}: {key[1]}/{key[3]} is included twice")
        seen.add(key)


def _apply_patch(result: Build, patch: dict, directory: Path, path: Path) -> None:
    if "path" in patch:
        patch_file = (directory / str(patch["path"])).resolve()
        result.files.add(patch_file)
        documents = load_documents(patch_file)
        operations = documents[0] if len(documents) == 1 else None
    else:
        operations = yaml.safe_load(str(patch.get("patch", "")))
    if not isinstance(operations, list):
        raise KustomizeError(f"{path}: only JSON 6902 patches (a list of operations) are supported")
    target = patch.get("target")
    if not isinstance(target, dict) or not target:
        raise KustomizeError(f"{path}: a JSON 6902 patch needs a target (kind, name)")
    matched = [r for r in result.resources if _matches(r.obj, target)]
    if not matched:
        raise KustomizeError(f"{path}: patch target {target} matches no resource")
    if not all(isinstance(operation, dict) for operation in operations):
        raise KustomizeError(f"{path}: a JSON 6902 operation is a mapping (op, path, value)")
    for resource in matched:
        for operation in operations:
            _apply_operation(resource.obj, operation, path)


def _matches(obj: dict, target: dict) -> bool:
    meta = obj.get("metadata") or {}
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    actual = {"kind": obj.get("kind"), "name": meta.get("name"), "namespace": meta.get("namespace")}
    actual |= {"group": group, "version": version}
    return all(actual.get(key) == value for key, value in target.items())


def _apply_operation(obj: dict, operation: dict, path: Path) -> None:
    op, pointer = operation.get("op"), str(operation.get("path", ""))
    if op not in {"add", "replace", "remove"} or not pointer.startswith("/"):
        raise KustomizeError(f"{path}: unsupported patch operation {op} {pointer}")
    keys = [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]
    parent = obj
    try:
        for key in keys[:-1]:
            parent = parent[int(key)] if isinstance(parent, list) else parent[key]
        last = keys[-1]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if op == "add":
                parent.insert(index, copy.deepcopy(operation["value"]))
            elif op == "replace":
                parent[index] = copy.deepcopy(operation["value"])
            else:
                del parent[index]
        elif op == "add":
            parent[last] = copy.deepcopy(operation["value"])
        elif last not in parent:  # replace and remove need the member to exist
            raise KeyError(last)
        elif op == "remove":
            del parent[last]
        else:
            parent[last] = copy.deepcopy(operation["value"])
    except (KeyError, IndexError, ValueError, TypeError):
        raise KustomizeError(f"{path}: patch path {pointer} does not exist") from None


def image_name(reference: str) -> str:
    """`registry/app:tag@sha256:…` → `registry/app`."""
    name = reference.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def _set_image(node, image: dict) -> None:
    """Rewrite every container image named image['name'] (the `images` transformer)."""
    if isinstance(node, list):
        for item in node:
            _set_image(item, image)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in {"containers", "initContainers"} and isinstance(value, list):
            for container in value:
                reference = container.get("image") if isinstance(container, dict) else None
                if isinstance(reference, str) and image_name(reference) == image.get("name"):
                    container["image"] = _new_reference(reference, image)
        else:
            _set_image(value, image)


def _new_reference(reference: str, image: dict) -> str:
    name = str(image.get("newName") or image_name(reference))
    if image.get("digest"):
        return f"{name}@{image['digest']}"
    if image.get("newTag"):
        return f"{name}:{image['newTag']}"
    return name + reference[len(image_name(reference)) :]
