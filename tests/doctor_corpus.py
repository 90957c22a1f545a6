"""The weakened-project corpus for `rampart doctor`: pristine generated services, each copy weakened
in exactly one way, and the finding (baseline id and rule) doctor must report for it.

Edits are anchored on content, not on file paths, so they follow the template when its files move;
an anchor that no longer matches fails the test loudly rather than testing nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.doctor import DoctorOptions, run_doctor
from generator.doctor.findings import Finding, rank

SOURCE_SUFFIXES = {".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"}
SECRET_VALUE = "k8Jq2vX9mP4wZ7rTq1Lx"


def fake_integrity(name: str, version: str) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(f"{name}@{version}".encode()).digest()).decode()


def write_lockfile(project: Path) -> None:
    """A small, realistic package-lock.json (v3) for package.json's direct dependencies."""
    package = json.loads((project / "package.json").read_text())
    packages: dict[str, dict] = {
        "": {
            "name": package["name"],
            "version": package["version"],
            "dependencies": package.get("dependencies", {}),
            "devDependencies": package.get("devDependencies", {}),
        }
    }
    for section in ("dependencies", "devDependencies"):
        for name, spec in package.get(section, {}).items():
            version = re.sub(r"^[^\d]*", "", spec) or "1.0.0"
            entry = {
                "version": version,
                "resolved": f"https://registry.npmjs.org/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz",
                "integrity": fake_integrity(name, version),
                "license": "MIT",
            }
            if section == "devDependencies":
                entry["dev"] = True
            packages[f"node_modules/{name}"] = entry
    lock = {"name": package["name"], "version": package["version"], "lockfileVersion": 3, "requires": True}
    lock["packages"] = packages
    (project / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")


def prepare(pristine: Path, dest: Path) -> Path:
    """A writable copy of a rendered (shared, read-only) project, with a lockfile."""
    shutil.copytree(pristine, dest, symlinks=True)
    write_lockfile(dest)
    return dest


def audit(project: Path, *skip: str) -> list[Finding]:
    return run_doctor(DoctorOptions(path=project, skip=set(skip))).sorted_findings()


def medium_or_worse(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if rank(f.severity) >= rank("medium")]


# --- edits -------------------------------------------------------------------------------------


def edit_source(project: Path, pattern: str, replacement: str, count: int = 1) -> None:
    """Apply a regex substitution to the one source file that matches (under src/)."""
    regex = re.compile(pattern, re.M)
    for path in sorted((project / "src").rglob("*")):
        if path.suffix in SOURCE_SUFFIXES and regex.search(text := path.read_text()):
            path.write_text(regex.sub(replacement, text, count=count))
            return
    raise AssertionError(f"no source file of {project} matches {pattern!r}: the corpus edit needs a new anchor")


def edit_file(project: Path, rel: str, pattern: str, replacement: str) -> None:
    path = project / rel
    text = path.read_text()
    new = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert new != text, f"{pattern!r} not found in {rel}"
    path.write_text(new)


def _service_as_owner(project: Path) -> None:
    """DATABASE_URL becomes the owner's URL (MIGRATION_DATABASE_URL), as before least-privilege roles."""
    owner = re.search(r"^MIGRATION_DATABASE_URL=(.*)$", (project / ".env").read_text(), re.M)
    assert owner, "no MIGRATION_DATABASE_URL in .env"
    edit_file(project, ".env", r"^DATABASE_URL=.*$", f"DATABASE_URL={owner[1]}".replace("\\", "\\\\"))


def edit_package(project: Path, change: Callable[[dict], None]) -> None:
    path = project / "package.json"
    package = json.loads(path.read_text())
    change(package)
    path.write_text(json.dumps(package, indent=2) + "\n")


def add_dependency(name: str, version: str) -> Callable[[Path], None]:
    def weaken(project: Path) -> None:
        edit_package(project, lambda p: p["dependencies"].__setitem__(name, f"^{version}"))
        write_lockfile(project)

    return weaken


def edit_lock(project: Path, change: Callable[[dict], None]) -> None:
    path = project / "package-lock.json"
    lock = json.loads(path.read_text())
    entry = lock["packages"][next(k for k in lock["packages"] if k.startswith("node_modules/"))]
    change(entry)
    path.write_text(json.dumps(lock, indent=2) + "\n")


def workflow(project: Path) -> str:
    return str(next(iter(sorted((project / ".github/workflows").glob("ci.y*ml")))).relative_to(project))


def _remove_helmet(project: Path) -> None:
    edit_source(
        project,
        r"^import (\w+) from '(?:@fastify/)?helmet';$",
        r"const \1 = () => (req, res, next) => next(); // helmet removed",
    )
    edit_package(project, lambda p: p["dependencies"].pop("helmet", None))


def _remove_rate_limiter(project: Path) -> None:
    edit_source(
        project,
        r"^import \{ rateLimit \} from 'express-rate-limit';$",
        "const rateLimit = () => (req, res, next) => next(); // limiter removed",
    )
    edit_package(project, lambda p: p["dependencies"].pop("express-rate-limit", None))


def _commit_env(project: Path) -> None:
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "add", "-f", ".env"], check=True)
    subprocess.run([*git, "commit", "-qm", "oops"], check=True)


@dataclass(frozen=True)
class Weakening:
    kind: str
    variant: dict  # the answers of the pristine project it starts from
    baseline: str
    rule: str
    weaken: Callable[[Path], None]


NONE = {"auth": "none"}
SESSION = {"auth": "session"}

WEAKENINGS = [
    Weakening("helmet removed", NONE, "B2", "headers.helmet-missing", _remove_helmet),
    Weakening(
        "CSP 'unsafe-inline' scripts",
        NONE,
        "B4",
        "csp.unsafe-inline-script",
        lambda p: edit_source(
            p, r"^(\s*)(defaultSrc: \[\"'none'\"\],)$", "\\1\\2\n\\1scriptSrc: [\"'self'\", \"'unsafe-inline'\"],"
        ),
    ),
    Weakening(
        "HSTS one day",
        NONE,
        "B2",
        "hsts.weak",
        lambda p: edit_source(p, r"maxAge: 31_?536_?000", "maxAge: 86_400"),
    ),
    Weakening(
        "X-Powered-By re-enabled",
        NONE,
        "B1",
        "express.x-powered-by-enabled",
        lambda p: edit_source(p, r"app\.disable\('x-powered-by'\)", "app.enable('x-powered-by')"),
    ),
    Weakening(
        "trust proxy true",
        NONE,
        "B8",
        "express.trust-proxy-true",
        lambda p: edit_source(p, r"app\.set\('trust proxy', [^)]+\)", "app.set('trust proxy', true)"),
    ),
    Weakening(
        "CORS any origin",
        NONE,
        "B6",
        "cors.any-origin",
        lambda p: edit_source(p, r"^(\s*)origin,$", "\\1origin: '*',"),
    ),
    Weakening(
        "error handler returns err.stack",
        NONE,
        "B12",
        "errors.stack-in-response",
        lambda p: edit_source(
            p,
            r"^(export function \w+\((\w+), req, res, next\) \{)$",
            "\\1\n  res.status(500).json({ message: \\2.message, stack: \\2.stack });\n  return;",
        ),
    ),
    Weakening("rate limiter removed", NONE, "B21", "rate-limit.missing", _remove_rate_limiter),
    Weakening(
        "cookie secure: false",
        SESSION,
        "B15",
        "session.cookie-insecure",
        lambda p: edit_source(
            p, r"^(\s*)secure: config\.SESSION_COOKIE_NAME\.startsWith\('__Host-'\),", "\\1secure: false,"
        ),
    ),
    Weakening(
        "session in MemoryStore",
        SESSION,
        "B17",
        "session.memory-store",
        lambda p: edit_source(p, r"^\s*store: (?:new RedisStore|createSessionStore)\(.*\),\n", ""),
    ),
    Weakening(
        "session secret in code",
        SESSION,
        "B18",
        "secrets.hardcoded",
        lambda p: edit_source(p, r"^(\s*)secret: (?:deriveKey|sessionSecret)\(.*\),$", f"\\1secret: '{SECRET_VALUE}',"),
    ),
    Weakening("csurf added", NONE, "B25", "deps.deny-listed", add_dependency("csurf", "1.11.0")),
    Weakening("xss-clean added", NONE, "B25", "deps.deny-listed", add_dependency("xss-clean", "0.1.4")),
    Weakening(
        "express-mongo-sanitize added",
        NONE,
        "B25",
        "deps.deny-listed",
        add_dependency("express-mongo-sanitize", "2.2.0"),
    ),
    Weakening("request added", NONE, "B25", "deps.deny-listed", add_dependency("request", "2.88.2")),
    Weakening(
        "postinstall script",
        NONE,
        "B24",
        "scripts.install-hook",
        lambda p: edit_package(p, lambda pkg: pkg["scripts"].__setitem__("postinstall", "node scripts/setup.js")),
    ),
    Weakening(
        ".npmrc allows install scripts",
        NONE,
        "B24",
        "npmrc.scripts-allowed",
        lambda p: edit_file(p, ".npmrc", r"^ignore-scripts=true\n", ""),
    ),
    Weakening("lockfile missing", NONE, "B24", "lockfile.missing", lambda p: (p / "package-lock.json").unlink()),
    Weakening(
        "lockfile http:// URL",
        NONE,
        "B24",
        "lockfile.insecure-url",
        lambda p: edit_lock(p, lambda e: e.__setitem__("resolved", e["resolved"].replace("https://", "http://"))),
    ),
    Weakening(
        "lockfile foreign host",
        NONE,
        "B24",
        "lockfile.untrusted-host",
        lambda p: edit_lock(
            p, lambda e: e.__setitem__("resolved", e["resolved"].replace("registry.npmjs.org", "npm.evil.example"))
        ),
    ),
    Weakening(
        "lockfile without integrity",
        NONE,
        "B24",
        "lockfile.integrity",
        lambda p: edit_lock(p, lambda e: e.pop("integrity")),
    ),
    Weakening(
        "secret in .copier-answers.yml",
        NONE,
        "B18",
        "secrets.in-answers-file",
        lambda p: (p / ".copier-answers.yml").write_text(
            (p / ".copier-answers.yml").read_text() + f"session_secret: {SECRET_VALUE}\n"
        ),
    ),
    Weakening(
        ".env not git-ignored",
        NONE,
        "B18",
        "secrets.env-not-ignored",
        lambda p: edit_file(p, ".gitignore", r"^\.env\n\.env\.\*\n", ""),
    ),
    Weakening(".env committed", NONE, "B18", "secrets.env-committed", _commit_env),
    Weakening(
        "service runs as the database owner",
        SESSION,
        "B11",
        "database.service-is-owner",
        _service_as_owner,
    ),
    Weakening(
        "action not pinned",
        NONE,
        "B26",
        "ci.action-not-pinned",
        lambda p: edit_file(p, workflow(p), r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v4"),
    ),
    Weakening(
        "workflow permissions missing",
        NONE,
        "B26",
        "ci.permissions-missing",
        lambda p: edit_file(p, workflow(p), r"^permissions:\n(?:  .*\n)+", ""),
    ),
    Weakening(
        "Dockerfile runs as root",
        NONE,
        "B27",
        "docker.root-user",
        lambda p: edit_file(p, "Dockerfile", r"^USER .*\n", ""),
    ),
    Weakening(
        "Dockerfile without HEALTHCHECK",
        NONE,
        "B27",
        "docker.no-healthcheck",
        lambda p: edit_file(p, "Dockerfile", r"^HEALTHCHECK .*\\\n.*\n", ""),
    ),
    Weakening(
        "Dockerfile npm install",
        NONE,
        "B27",
        "docker.npm-install",
        lambda p: edit_file(p, "Dockerfile", r"npm ci --omit=dev[^&\n]*", "npm install "),
    ),
]


def corpus_table(rows: list[tuple[str, str, str, str]]) -> str:
    """kind -> expected baseline id -> detected baseline id(s) and the rule, as the acceptance table."""
    width = max(len(kind) for kind, *_ in rows)
    lines = [f"{'weakening':{width}}  expected  detected  rule", "-" * (width + 48)]
    for kind, expected, rule, detected in rows:
        lines.append(f"{kind:{width}}  {expected:8}  {detected:8}  {rule}")
    found = sum(detected == expected for _, expected, _, detected in rows)
    lines.append(f"detection: {found}/{len(rows)} ({100 * found // max(len(rows), 1)}%)")
    return "\n".join(lines)
