"""Template drift: which rampart template version a service is on, how far behind, and which
security-relevant files no longer match what that version generates."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

from generator.copier_errors import copier_errors
from generator.doctor.findings import Finding
from generator.doctor.project import NodeProject
from generator.errors import RampartError
from generator.template_source import ANSWERS_FILE
from generator.update import Project, list_versions, resolve_source

# Which baseline item a security-relevant file carries, by the words in its path (first match wins).
_BASELINE_BY_PATH = (
    (r"security-headers|helmet|csp", "B4"),
    (r"csrf", "B19"),
    (r"session|cookie", "B15"),
    (r"cors", "B6"),
    (r"rate-limit|limiter", "B21"),
    (r"error", "B12"),
    (r"method-guard", "B7"),
    (r"body-pars|body-limit", "B9"),
    (r"validat|schema", "B10"),
    (r"log", "B14"),
    (r"config", "B18"),
    (r"auth|passwords|lockout", "B22"),
    (r"^Dockerfile$|^\.dockerignore$", "B27"),
    (r"^\.github/workflows/", "B26"),
    (r"^\.npmrc$|^package\.json$", "B24"),
    (r"^\.gitignore$", "B18"),
)
_ALWAYS_RELEVANT = re.compile(
    r"^(src/(middleware|plugins)/|\.github/workflows/)|^(Dockerfile|\.dockerignore|\.npmrc|package\.json|\.gitignore)$"
)


def baseline_for(rel: str) -> str | None:
    for pattern, baseline in _BASELINE_BY_PATH:
        if re.search(pattern, rel):
            return baseline
    return None


def security_relevant(rel: str) -> bool:
    if _ALWAYS_RELEVANT.search(rel):
        return True
    return rel.startswith("src/") and "/test" not in rel and baseline_for(rel) is not None


def _version(ref: str) -> Version | None:
    try:
        return Version(re.sub(r"-\d+-g[0-9a-f]+$", "", ref))
    except InvalidVersion:
        return None


def check(project: NodeProject, template: str | None, facts: dict) -> list[Finding]:
    text = project.read(ANSWERS_FILE)
    answers = None
    if text is not None:
        try:
            answers = yaml.safe_load(text)
        except yaml.YAMLError:
            answers = None
    if not isinstance(answers, dict) or not answers.get("_src_path") or not answers.get("_commit"):
        facts["rampart"] = None
        return [
            Finding(
                None,
                "drift.not-rampart",
                "info",
                ANSWERS_FILE,
                "not a rampart project (no template source and version recorded): drift not checked",
                "nothing to do; the other checks apply to any Node.js service",
            )
        ]
    recorded = Project(project.root, answers)
    findings: list[Finding] = []
    try:
        with resolve_source(recorded, template) as source:
            versions = list_versions(source)
            facts["rampart"] = _version_facts(recorded.commit, source.default_ref, versions)
            diverged = _diverged(project, source.url, recorded.commit, answers)
    except RampartError as err:
        facts.setdefault("rampart", {"template_version": recorded.commit})
        return [
            Finding(
                None,
                "drift.template-unavailable",
                "info",
                ANSWERS_FILE,
                f"cannot read the template to compare with: {err}",
                "pass --template URL (a reachable copy of the template)",
            )
        ]
    rampart = facts["rampart"]
    if rampart["behind"]:
        findings.append(
            Finding(
                None,
                "drift.behind",
                "low",
                ANSWERS_FILE,
                f"generated from template {rampart['template_version']}; {rampart['newest']} is newest"
                f" ({rampart['behind']} release(s) behind)",
                "`rampart check-update` lists the security changes; `rampart update` merges them",
            )
        )
    for rel, how in diverged:
        findings.append(
            Finding(
                baseline_for(rel),
                "drift.file-diverged",
                "low",
                rel,
                f"{rel} {how} what template {recorded.commit} generates",
                "review the difference (`rampart update` keeps it); a security control may have been weakened",
            )
        )
    return findings


def _version_facts(commit: str, default_ref: str | None, versions: list[str]) -> dict:
    current = _version(commit)
    newest = default_ref if default_ref in versions else (versions[-1] if versions else None)
    newest_version = _version(newest) if newest else None
    behind = sum(1 for v in versions if current is not None and current < _version(v) <= newest_version)
    return {"template_version": commit, "newest": newest, "behind": behind}


def _diverged(project: NodeProject, url: str, commit: str, answers: dict) -> list[tuple[str, str]]:
    """Security-relevant files that differ from a fresh render of the project's template version."""
    from copier import run_copy

    data = {k: v for k, v in answers.items() if not str(k).startswith("_")}
    with tempfile.TemporaryDirectory(prefix="rampart-doctor-") as tmp:
        rendered = Path(tmp) / project.root.name
        try:
            with copier_errors():
                run_copy(url, rendered, data=data, defaults=True, quiet=True, vcs_ref=commit, unsafe=False)
        except RampartError as err:
            raise RampartError(f"rendering template {commit} failed: {err}") from None
        except Exception as err:  # git failures surface from copier as plumbum errors: drift is best effort
            detail = str(err).strip().splitlines()
            raise RampartError(f"rendering template {commit} failed: {detail[-1] if detail else err}") from None
        expected = sorted(
            str(p.relative_to(rendered)) for p in rendered.rglob("*") if p.is_file() and ".git" not in p.parts
        )
        diverged = []
        for rel in expected:
            if not security_relevant(rel):
                continue
            mine = project.root / rel
            if not mine.is_file():
                diverged.append((rel, "is missing, unlike"))
            elif mine.read_bytes() != (rendered / rel).read_bytes():
                diverged.append((rel, "differs from"))
        return diverged
