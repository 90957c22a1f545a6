"""CI workflows (baseline 24, 26): actions pinned by commit SHA, least-privilege permissions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from generator.doctor.docker import installs_unlocked
from generator.doctor.findings import Finding
from generator.doctor.project import NodeProject, line_of, location

_PINNED = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


def workflows(project: NodeProject) -> list[str]:
    return [
        rel
        for rel in project.files
        if rel.startswith(".github/workflows/") and rel.count("/") == 2 and rel.endswith((".yml", ".yaml"))
    ]


def check(project: NodeProject) -> list[Finding]:
    files = workflows(project)
    if not files:
        return [
            Finding(
                "B26",
                "ci.none",
                "info",
                ".github/workflows",
                "no GitHub Actions workflow found (other CI systems are not audited)",
                "run lint, tests, `npm audit` and `rampart doctor` in CI",
            )
        ]
    findings: list[Finding] = []
    for rel in files:
        findings.extend(_workflow(project, rel))
    return findings


def _workflow(project: NodeProject, rel: str) -> Iterator[Finding]:
    text = project.read(rel) or ""
    try:
        workflow = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        yield Finding(
            "B26",
            "ci.invalid-yaml",
            "medium",
            location(rel, mark.line + 1 if mark else None),
            "the workflow is not valid YAML",
            "fix the YAML",
        )
        return
    if not isinstance(workflow, dict):
        return
    jobs = workflow.get("jobs") if isinstance(workflow.get("jobs"), dict) else {}
    top = workflow.get("permissions")
    if top is None and any(not isinstance(job, dict) or "permissions" not in job for job in jobs.values()):
        yield Finding(
            "B26",
            "ci.permissions-missing",
            "medium",
            rel,
            "no top-level `permissions:`: jobs get the repository's default token scope (often write-all)",
            "add `permissions: { contents: read }` at the top; grant more per job only where needed",
        )
    for scope, value in [("workflow", top), *((f"job {name}", j.get("permissions")) for name, j in _jobs(jobs))]:
        if value == "write-all":
            yield Finding(
                "B26",
                "ci.permissions-write-all",
                "high",
                location(rel, line_of(text, "write-all")),
                f"{scope} grants `permissions: write-all`",
                "grant only the scopes the job needs (contents: read by default)",
            )
    for _, job in _jobs(jobs):
        for step in job.get("steps") or []:
            if not isinstance(step, dict):
                continue
            uses = step.get("uses")
            if isinstance(uses, str) and not uses.startswith(("./", "docker://")) and not _PINNED.match(uses.strip()):
                yield Finding(
                    "B26",
                    "ci.action-not-pinned",
                    "medium",
                    location(rel, line_of(text, uses)),
                    f"`{uses}` is not pinned to a commit SHA: whoever controls the tag controls your CI",
                    "pin the full 40-character commit SHA with the version as a comment; Dependabot updates it",
                )
            run = step.get("run")
            if isinstance(run, str) and any(installs_unlocked(line) for line in run.splitlines()):
                yield Finding(
                    "B24",
                    "ci.npm-install",
                    "low",
                    location(rel, line_of(text, run.splitlines()[0])),
                    "CI installs with `npm install`/`yarn install` (may rewrite the lockfile, runs install scripts)",
                    "use `npm ci --ignore-scripts`",
                )


def _jobs(jobs: dict) -> Iterator[tuple[str, dict]]:
    return ((str(name), job) for name, job in jobs.items() if isinstance(job, dict))
