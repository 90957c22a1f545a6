"""What `rampart doctor` reports: findings, their severities, and the exit code they imply."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("info", "low", "medium", "high", "critical")  # ascending
SCHEMA_VERSION = 1  # bump when docs/doctor-report.schema.json changes incompatibly

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_AUDIT = 2


def rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Finding:
    baseline: str | None  # "B15": the item of the security baseline; None for facts like the template version
    rule: str  # stable id, e.g. "session.cookie-insecure"
    severity: str
    location: str  # "src/app.js:12", "package.json", or a URL
    message: str
    fix: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def sort_key(self) -> tuple:
        number = int(self.baseline[1:]) if self.baseline else 0
        return (-rank(self.severity), number, self.rule, self.location, self.message)


@dataclass
class Report:
    path: str | None
    url: str | None
    findings: list[Finding] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # the check families that ran
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"check": ..., "reason": ...}
    project: dict = field(default_factory=dict)  # framework, language, template version facts

    def add(self, findings: list[Finding]) -> None:
        self.findings.extend(findings)

    def sorted_findings(self) -> list[Finding]:
        return sorted(set(self.findings), key=Finding.sort_key)

    def failed(self, fail_on: str) -> bool:
        return any(rank(f.severity) >= rank(fail_on) for f in self.findings)

    def exit_code(self, fail_on: str) -> int:
        return EXIT_FINDINGS if self.failed(fail_on) else EXIT_CLEAN

    def counts(self) -> dict[str, int]:
        findings = self.sorted_findings()
        return {severity: sum(f.severity == severity for f in findings) for severity in SEVERITIES}

    def as_dict(self, fail_on: str, version: str) -> dict:
        findings = self.sorted_findings()
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "rampart", "version": version},
            "target": {"path": self.path, "url": self.url},
            "project": self.project,
            "checks": self.checks,
            "skipped": self.skipped,
            "summary": {
                "total": len(findings),
                "by_severity": self.counts(),
                "fail_on": fail_on,
                "failed": self.failed(fail_on),
            },
            "findings": [asdict(f) for f in findings],
        }
