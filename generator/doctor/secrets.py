"""Secrets (baseline 18): .env kept out of git, no secret values in committed files or in the answers file."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import yaml

from generator.doctor.code import PLACEHOLDER, URL_CREDENTIALS, looks_like_secret, url_password
from generator.doctor.findings import Finding
from generator.doctor.known_secrets import known_format
from generator.doctor.project import NodeProject, is_test_file, location

ENV_FILE = ".env"
# Examples of an .env file, meant to be committed (their values are placeholders, checked anyway).
ENV_EXAMPLES = {".env.example", ".env.sample", ".env.template", ".env.dist"}
# KEY=value, KEY: value, "key": "value" where KEY names a credential.
_ASSIGNMENT = re.compile(
    r"""(?P<key>["']?[A-Za-z0-9_.-]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|secret|password|passwd|token|apiKey|api_key|privateKey)["']?)"""
    r"""\s*[:=]\s*(?P<quote>["']?)(?P<value>[^\s"'#,]+)(?P<after>.?)"""
)
# Translation catalogs: "LABEL_AUTH_TOKEN": "Token" is a word for the screen, not a token.
CATALOG_DIRS = {"i18n", "l10n", "locales", "locale", "translations", "lang"}
# YAML/OpenAPI keys whose content documents a shape: `example: {token: eyJ...}` is no credential.
_EXAMPLE_KEY = re.compile(r"""^\s*-?\s*["']?(x-)?examples?["']?\s*:""")
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")
_TEXT_SUFFIXES = {"", ".env", ".json", ".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".properties", ".pem"}
_SECRET_KEY = re.compile(r"(secret|password|passwd|token|api_?key|private_?key)$", re.I)


def check(project: NodeProject) -> list[Finding]:
    findings = list(_env_ignored(project))
    findings.extend(_committed(project))
    findings.extend(_answers_files(project))
    findings.extend(_service_is_database_owner(project))
    return findings


def _env_values(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    return {key: value.strip().strip("\"'") for key, value in pairs}


def _url_user(url: str) -> str:
    try:
        return urllib.parse.unquote(urllib.parse.urlsplit(url).username or "")
    except ValueError:
        return ""


def _service_is_database_owner(project: NodeProject) -> Iterator[Finding]:
    """DATABASE_URL (the service) and MIGRATION_DATABASE_URL (migrations, the schema's owner) name the
    same PostgreSQL role: the running service could CREATE, ALTER and DROP, so an SQL injection or a
    stolen connection could change or destroy the schema."""
    for rel in (ENV_FILE, *sorted(ENV_EXAMPLES)):
        text = project.read(rel)
        if text is None:
            continue
        values = _env_values(text)
        service, migration = values.get("DATABASE_URL", ""), values.get("MIGRATION_DATABASE_URL", "")
        user = _url_user(service)
        if user and user == _url_user(migration):
            yield Finding(
                "B11",
                "database.service-is-owner",
                "medium",
                rel,
                f"DATABASE_URL and MIGRATION_DATABASE_URL in {rel} are the same role ({user}): the service"
                " runs with the owner's rights to CREATE, ALTER and DROP",
                "give the service its own role with DML rights only (db/create-roles.sh creates <db> and"
                " <db>_owner; `npm run migrate` grants the service's role) and keep the owner's URL in"
                " MIGRATION_DATABASE_URL",
            )


def _env_ignored(project: NodeProject) -> Iterator[Finding]:
    tracked = project.tracked or set()
    for rel in sorted(tracked):
        name = Path(rel).name
        if (name == ENV_FILE or name.startswith(ENV_FILE + ".")) and name not in ENV_EXAMPLES:
            yield Finding(
                "B18",
                "secrets.env-committed",
                "critical",
                rel,
                f"{rel} is committed to git: every clone has the service's secrets",
                f"`git rm --cached {rel}`, ignore it in .gitignore, and rotate every secret it held",
            )
    if not project.gitignore.match_file(ENV_FILE):
        yield Finding(
            "B18",
            "secrets.env-not-ignored",
            "high",
            ".gitignore" if project.exists(".gitignore") else ENV_FILE,
            ".env is not git-ignored: one `git add -A` commits the secrets",
            "add `.env` and `.env.*` (with `!.env.example`) to .gitignore",
        )


def scanned(rel: str) -> bool:
    """Whether the secrets scan reads this committed file (config and text, not tests or lockfiles)."""
    path = Path(rel)
    name = path.name
    if is_test_file(rel) or name in {"package-lock.json", "npm-shrinkwrap.json"} or name.startswith(".copier-answers"):
        return False
    if CATALOG_DIRS & set(path.parts[:-1]):
        return False
    return path.suffix in _TEXT_SUFFIXES or name.startswith(ENV_FILE) or name in {"Dockerfile", ".npmrc"}


def _names_its_role(key: str, value: str) -> bool:
    """SMTP_PASSWORD=email-server-password, JWT_SECRET=thisisasamplesecret: the value describes itself."""
    roles = re.findall(r"secret|password|passwd|token|key", key.lower())
    return any(role in value.lower() for role in roles)


def _example_lines(lines: list[str]) -> set[int]:
    """Line numbers (1-based) inside a YAML `example:`/`examples:` block."""
    inside: set[int] = set()
    block_indent: int | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if block_indent is not None and indent > block_indent:
            inside.add(number)
            continue
        block_indent = None
        if _EXAMPLE_KEY.match(line):
            block_indent = indent
            inside.add(number)
    return inside


def _committed(project: NodeProject) -> Iterator[Finding]:
    fix = "move the value to the environment (.env, the deployment's secret store) and rotate it"
    for rel in project.committed_files():
        if not scanned(rel):
            continue
        text = project.read(rel)
        if text is None:
            continue
        lines = text.splitlines()
        examples = _example_lines(lines) if Path(rel).suffix in {".yml", ".yaml"} else set()
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith(("#", "//", ";")) or number in examples:
                continue
            if _PRIVATE_KEY.search(line):
                where = location(rel, number)
                yield Finding("B18", "secrets.committed", "critical", where, "a private key is committed", fix)
                continue
            kind = known_format(line, PLACEHOLDER.search)
            if kind:
                where = location(rel, number)
                yield Finding("B18", "secrets.committed", "critical", where, f"a {kind} is committed", fix)
                continue
            url = URL_CREDENTIALS.search(line)
            if url and url_password(url) and not _names_its_role("password", url["password"]):
                where = location(rel, number)
                yield Finding("B18", "secrets.committed", "high", where, f"a URL in {rel} carries its password", fix)
                continue
            for match in _ASSIGNMENT.finditer(line):
                value = match["value"]
                if "${" in value or value.startswith("$"):
                    continue  # a reference to the environment, not a value
                if match["quote"] and match["after"] not in {"", match["quote"]}:
                    continue  # a quoted phrase ("Two-factor token"), not one opaque value
                key = match["key"].strip("\"'")
                if not value.isascii() or _names_its_role(key, value):
                    continue
                if looks_like_secret(value):
                    yield Finding(
                        "B18", "secrets.committed", "high", location(rel, number), f"{key} has a value in {rel}", fix
                    )


def _answers_files(project: NodeProject) -> Iterator[Finding]:
    for rel in project.files:
        if "/" in rel or not (rel.startswith(".copier-answers") and rel.endswith((".yml", ".yaml"))):
            continue
        try:
            answers = yaml.safe_load(project.read(rel) or "")
        except yaml.YAMLError:
            continue
        if not isinstance(answers, dict):
            continue
        lines = (project.read(rel) or "").splitlines()
        for key, value in answers.items():
            if _SECRET_KEY.search(str(key)) and isinstance(value, str) and value.strip():
                number = next((i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None)
                yield Finding(
                    "B18",
                    "secrets.in-answers-file",
                    "high",
                    location(rel, number),
                    f"{rel} records a value for {key}: answers files are committed and copied between services",
                    "remove it from the answers file (secrets belong in .env only) and rotate it;"
                    " make the template question `secret: true`",
                )
