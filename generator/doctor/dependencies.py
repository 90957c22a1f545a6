"""Dependencies (baseline 24, 25): deny-listed packages, the lockfile and lockfile-lint's rules, install scripts.

lockfile-lint's checks (--validate-https, --allowed-hosts npm, --validate-integrity,
--validate-package-names) are reimplemented over package-lock.json v2/v3 so doctor
needs no Node.js.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from generator.doctor.findings import Finding
from generator.doctor.project import NodeProject, line_of, location

# name -> why, and what to use instead (BASELINE 25, plus packages npm itself marks deprecated).
DENY_LIST = {
    "csurf": "deprecated and unmaintained; use csrf-sync or csrf-csrf (Express), @fastify/csrf-protection",
    "xss-clean": "deprecated, mangles input instead of encoding output; validate input, encode output, use a CSP",
    "request": "deprecated since 2020; use fetch (built into Node.js) or undici",
    "request-promise": "deprecated with request; use fetch",
    "node-serialize": "deserializes to code (remote code execution, CVE-2017-5941); use JSON",
    "node-uuid": "renamed and unmaintained; use crypto.randomUUID()",
    "crypto": "an empty npm placeholder shadowing node:crypto; import 'node:crypto'",
    "bcrypt-nodejs": "unmaintained; use @node-rs/argon2 (argon2id)",
    "jade": "renamed to pug years ago; unmaintained",
    "querystring": "deprecated npm package; use URLSearchParams",
}
# Deny-listed only next to these versions of another package: (package, lowest major, why).
# express-mongo-sanitize works on Express 4 and throws on every request on Express 5.
NEEDS = {
    "express-mongo-sanitize": (
        "express",
        5,
        "crashes on Express 5 (req.query is read-only); validate input with a schema",
    ),
}
CRITICAL = {"node-serialize"}
INSTALL_HOOKS = ("preinstall", "install", "postinstall")
DEFAULT_HOSTS = {"registry.npmjs.org", "registry.yarnpkg.com"}
LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json")
OTHER_LOCKFILES = ("yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock")


def check(project: NodeProject) -> list[Finding]:
    findings = list(_deny_listed(project))
    findings.extend(_install_scripts(project))
    findings.extend(_npmrc(project))
    lockfile = next((name for name in LOCKFILES if project.exists(name)), None)
    if lockfile is None:
        if not any(project.exists(name) for name in OTHER_LOCKFILES):
            findings.append(
                Finding(
                    "B24",
                    "lockfile.missing",
                    "medium",
                    "package.json",
                    "no package-lock.json: every install may resolve different (possibly malicious) versions",
                    "run `npm install` and commit package-lock.json; install with `npm ci` in CI and Docker",
                )
            )
        return findings
    findings.extend(lint_lockfile(project, lockfile))
    return findings


def _manifest_line(project: NodeProject, name: str) -> str:
    text = project.read("package.json") or ""
    return location("package.json", line_of(text, f'"{name}"'))


def installed_major(project: NodeProject, name: str) -> int | None:
    """The major version of `name` the lockfile installs at the top level, else the lowest that
    package.json's range allows; None when neither says."""
    lock = _load_lock(project)
    packages = lock.get("packages") if isinstance(lock.get("packages"), dict) else {}
    legacy = lock.get("dependencies") if isinstance(lock.get("dependencies"), dict) else {}
    entry = packages.get(f"node_modules/{name}") or legacy.get(name)
    version = entry.get("version") if isinstance(entry, dict) else None
    found = re.search(r"\d+", str(version or project.dependencies.get(name) or ""))
    return int(found.group()) if found else None


def _deny_reasons(project: NodeProject) -> dict[str, str]:
    """DENY_LIST, plus the NEEDS entries whose condition the installed versions meet."""
    reasons = dict(DENY_LIST)
    for name, (other, major, why) in NEEDS.items():
        installed = installed_major(project, other)
        if installed is not None and installed >= major:
            reasons[name] = why
    return reasons


def _deny_listed(project: NodeProject) -> Iterator[Finding]:
    direct = project.dependencies
    reasons = _deny_reasons(project)
    for name in sorted(direct.keys() & reasons.keys()):
        yield Finding(
            "B25",
            "deps.deny-listed",
            "critical" if name in CRITICAL else "high",
            _manifest_line(project, name),
            f"{name} is deny-listed: {reasons[name].split(';')[0]}",
            f"remove {name}: {reasons[name]}",
        )
    lock = _load_lock(project)
    transitive = sorted({_package_name(path, entry) for path, entry in _lock_entries(lock)} & reasons.keys())
    for name in transitive:
        if name not in direct:
            yield Finding(
                "B25",
                "deps.deny-listed-transitive",
                "medium",
                "package-lock.json",
                f"{name} is installed as a dependency of a dependency: {reasons[name].split(';')[0]}",
                f"find who needs it with `npm explain {name}` and replace or update that package",
            )


def _install_scripts(project: NodeProject) -> Iterator[Finding]:
    scripts = project.package.get("scripts")
    if isinstance(scripts, dict):
        for hook in INSTALL_HOOKS:
            if hook in scripts:
                yield Finding(
                    "B24",
                    "scripts.install-hook",
                    "medium",
                    _manifest_line(project, hook),
                    f"package.json runs a `{hook}` script on every `npm install` (code runs before any review)",
                    f"remove the {hook} script; run the step explicitly (e.g. an npm script the developer calls)",
                )


def _npmrc_settings(project: NodeProject) -> dict[str, str]:
    settings = {}
    for line in (project.read(".npmrc") or "").splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        key, sep, value = line.partition("=")
        if sep:
            settings[key.strip()] = value.strip()
    return settings


def _npmrc(project: NodeProject) -> Iterator[Finding]:
    if _npmrc_settings(project).get("ignore-scripts", "").lower() != "true":
        scripted = [_package_name(p, e) for p, e in _lock_entries(_load_lock(project)) if e.get("hasInstallScript")]
        detail = f" ({len(scripted)} locked packages have install scripts)" if scripted else ""
        yield Finding(
            "B24",
            "npmrc.scripts-allowed",
            "medium",
            ".npmrc" if project.exists(".npmrc") else "package.json",
            "dependency install scripts run on `npm install`/`npm ci`: a compromised package runs code" + detail,
            "add `ignore-scripts=true` to the project's .npmrc (allow-list a package that truly needs its script)",
        )


def _load_lock(project: NodeProject) -> dict:
    for name in LOCKFILES:
        text = project.read(name)
        if text is not None:
            try:
                loaded = json.loads(text)
            except json.JSONDecodeError:
                return {}
            return loaded if isinstance(loaded, dict) else {}
    return {}


def _lock_entries(lock: dict) -> Iterator[tuple[str, dict]]:
    """(path, entry) of every installed package: v2/v3 `packages`, else v1 `dependencies` (nested)."""
    packages = lock.get("packages")
    if isinstance(packages, dict):
        for path, entry in packages.items():
            if path and isinstance(entry, dict):
                yield path, entry
        return
    stack = [("", lock.get("dependencies"))]
    while stack:
        prefix, deps = stack.pop()
        if not isinstance(deps, dict):
            continue
        for name, entry in deps.items():
            if isinstance(entry, dict):
                path = f"{prefix}node_modules/{name}"
                yield path, entry
                stack.append((f"{path}/", entry.get("dependencies")))


def _package_name(path: str, entry: dict) -> str:
    name = entry.get("name")
    if isinstance(name, str) and name:
        return name
    return path.rsplit("node_modules/", 1)[-1]


def _allowed_hosts(project: NodeProject) -> set[str]:
    hosts = set(DEFAULT_HOSTS)
    registry = _npmrc_settings(project).get("registry")
    if registry:  # the team's own mirror, configured on purpose in the project
        hosts.add(urlsplit(registry).hostname or "")
    return hosts


def lint_lockfile(project: NodeProject, lockfile: str) -> list[Finding]:
    """lockfile-lint --validate-https --allowed-hosts npm --validate-integrity --validate-package-names."""
    text = project.read(lockfile) or ""
    try:
        lock = json.loads(text)
    except json.JSONDecodeError as err:
        return [
            Finding(
                "B24",
                "lockfile.invalid",
                "high",
                location(lockfile, err.lineno),
                f"{lockfile} is not valid JSON: npm ci will fail",
                "regenerate it with `npm install`",
            )
        ]
    if not isinstance(lock, dict):
        lock = {}
    hosts = _allowed_hosts(project)
    findings = []
    for path, entry in _lock_entries(lock):
        if entry.get("link") or entry.get("inBundle") or "resolved" not in entry:
            continue  # workspace links and bundled packages are not downloaded
        resolved = str(entry["resolved"])
        name = _package_name(path, entry)
        where = location(lockfile, line_of(text, f'"{path}"') if path in text else None)
        url = urlsplit(resolved)
        if url.scheme != "https":
            findings.append(
                Finding(
                    "B24",
                    "lockfile.insecure-url",
                    "high",
                    where,
                    f"{name} is downloaded over {url.scheme or 'an unknown scheme'} ({resolved[:80]})",
                    "resolve every package over https from the registry; regenerate the lockfile",
                )
            )
            continue
        if url.hostname not in hosts:
            findings.append(
                Finding(
                    "B24",
                    "lockfile.untrusted-host",
                    "medium",
                    where,
                    f"{name} is downloaded from {url.hostname}, not the npm registry",
                    "install from registry.npmjs.org (or set your mirror as `registry=` in the project's .npmrc)",
                )
            )
        integrity = str(entry.get("integrity") or "")
        if not re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", integrity.split()[0] if integrity else ""):
            findings.append(
                Finding(
                    "B24",
                    "lockfile.integrity",
                    "medium",
                    where,
                    f"{name} has no sha512 integrity hash: a swapped tarball would install unnoticed",
                    "regenerate the lockfile with a current npm (`npm install`)",
                )
            )
        if not url.path.startswith(f"/{name}/-/"):
            findings.append(
                Finding(
                    "B24",
                    "lockfile.package-name",
                    "medium",
                    where,
                    f"{name} resolves to a tarball of another name ({url.path[:80]})",
                    "regenerate the lockfile; investigate who changed it",
                )
            )
    return findings
