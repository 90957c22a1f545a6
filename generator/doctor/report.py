"""Rendering a doctor report: a terminal summary, or JSON (docs/doctor-report.schema.json)."""

from __future__ import annotations

import json

from generator.doctor.findings import SEVERITIES, Finding, Report

# One cause reported many times (646 lockfile entries, one stack trace on every probe) would bury
# the rest: the terminal shows a count and a few examples; --json keeps every occurrence.
AGGREGATE_ABOVE = 3
EXAMPLES = 3


def _by_cause(findings: list[Finding]) -> list[list[Finding]]:
    """Findings grouped by rule and severity, in the order of their first occurrence."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule, finding.severity), []).append(finding)
    return list(groups.values())


def to_json(report: Report, fail_on: str, version: str) -> str:
    return json.dumps(report.as_dict(fail_on, version), indent=2, sort_keys=False)


def to_text(report: Report, fail_on: str) -> str:
    lines = []
    target = " and ".join(filter(None, [report.path, report.url]))
    lines.append(f"rampart doctor: {target}")
    facts = report.project
    if facts.get("framework"):
        lines.append(f"  {facts['framework']} / {facts['language']}")
    rampart = facts.get("rampart")
    if rampart:
        newest = rampart.get("newest") or "no released versions"
        lines.append(f"  template {rampart['template_version']} (newest: {newest}, {rampart.get('behind', 0)} behind)")
    for skipped in report.skipped:
        lines.append(f"  skipped {skipped['check']}: {skipped['reason']}")
    findings = report.sorted_findings()
    if findings:
        lines.append("")
    for group in _by_cause(findings):
        first = group[0]
        baseline = first.baseline or "-"
        if len(group) <= AGGREGATE_ABOVE:
            for finding in group:
                lines.append(f"{finding.severity.upper():8} {baseline:4} {finding.rule}  {finding.location}")
                lines.append(f"         {finding.message}")
                lines.append(f"         fix: {finding.fix}")
            continue
        lines.append(f"{first.severity.upper():8} {baseline:4} {first.rule}  {len(group)} occurrences")
        for finding in group[:EXAMPLES]:
            lines.append(f"         e.g. {finding.location}: {finding.message}")
        lines.append(f"         ... and {len(group) - EXAMPLES} more (every occurrence: --json)")
        lines.append(f"         fix: {first.fix}")
    counts = report.counts()
    summary = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s])
    lines.append("")
    verdict = "FAIL" if report.failed(fail_on) else "ok"
    lines.append(f"{verdict}: {summary or 'no findings'} (fail on {fail_on} and above)")
    return "\n".join(lines)
