"""The real-world corpus for `rampart doctor`: public third-party Express and Fastify applications,
pinned by commit and vendored under tests/realworld/<app>/source/ (only the files the audit reads,
with their licence), and labels written by hand in tests/realworld/<app>/labels.yml.

labels.yml:
    repo, commit, licence: where the source comes from (tests/realworld/vendor.py refreshes it)
    include: extra globs to vendor beyond what the audit reads (e.g. one browser file, to prove it is skipped)
    exclude: globs not to vendor (data the labels do not need)
    problems: [{rule, file, why, text?}]    in-scope problems the application really has: each must be found
    accepted: [{rule, file, why}]      true findings below the labels' interest (counted as right, not required)
    not_problems: [{rule?, file?, why}]  places that are not problems: no finding may match

Every medium+ finding must match a problem or an accepted entry; one that matches neither is an
unjudged finding and fails the test, so precision is measured over everything doctor says.
Vendoring stores files larger than GZIP_ABOVE gzipped (`x.json.gz`) and `.gitignore` files as
`.gitignore.vendored` (so they do not act on this repository; the same for .gitattributes); `materialize` undoes both.
"""

from __future__ import annotations

import fnmatch
import gzip
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.doctor import DoctorOptions, run_doctor
from generator.doctor.findings import Finding, rank

CORPUS = Path(__file__).resolve().parent / "realworld"
GZIP_ABOVE = 50_000
VENDORED_SUFFIX = ".vendored"


@dataclass
class Label:
    rule: str | None  # a glob over rule ids ("ci.*")
    file: str | None  # a glob over the finding's file
    why: str
    text: str | None = None  # a word the message must contain (one deny-listed package of several)

    def matches(self, finding: Finding) -> bool:
        file = finding.location.split(":", 1)[0]
        rule_ok = self.rule is None or fnmatch.fnmatch(finding.rule, self.rule)
        file_ok = self.file is None or fnmatch.fnmatch(file, self.file)
        return rule_ok and file_ok and (self.text is None or self.text in finding.message)

    def __str__(self) -> str:
        return f"{self.rule or '*'} @ {self.file or '*'}" + (f" ({self.text})" if self.text else "")


@dataclass
class App:
    name: str
    repo: str
    commit: str
    problems: list[Label]
    accepted: list[Label]
    not_problems: list[Label]
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    @property
    def source(self) -> Path:
        return CORPUS / self.name / "source"


def _labels(entries: list[dict] | None) -> list[Label]:
    return [Label(e.get("rule"), e.get("file"), e.get("why", ""), e.get("text")) for e in entries or []]


def load_app(name: str) -> App:
    data = yaml.safe_load((CORPUS / name / "labels.yml").read_text(encoding="utf-8"))
    return App(
        name,
        data["repo"],
        data["commit"],
        _labels(data.get("problems")),
        _labels(data.get("accepted")),
        _labels(data.get("not_problems")),
        data.get("include") or [],
        data.get("exclude") or [],
    )


def apps() -> list[str]:
    return sorted(p.parent.name for p in CORPUS.glob("*/labels.yml"))


def materialize(app: App, dest: Path) -> Path:
    """A copy of the vendored application as it is in its repository (gunzipped, dotfiles restored)."""
    for path in sorted(app.source.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(app.source).as_posix()
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".gz"):
            target.with_suffix("").write_bytes(gzip.decompress(path.read_bytes()))
        elif rel.endswith(VENDORED_SUFFIX):
            shutil.copyfile(path, target.with_name(target.name[: -len(VENDORED_SUFFIX)]))
        else:
            shutil.copyfile(path, target)
    return dest


@dataclass
class Result:
    app: App
    findings: list[Finding]
    seconds: float
    crashed: str | None = None

    @property
    def serious(self) -> list[Finding]:
        return [f for f in self.findings if rank(f.severity) >= rank("medium")]

    @property
    def found(self) -> list[Label]:
        return [p for p in self.app.problems if any(p.matches(f) for f in self.findings)]

    @property
    def missed(self) -> list[Label]:
        return [p for p in self.app.problems if not any(p.matches(f) for f in self.findings)]

    @property
    def false_positives(self) -> list[Finding]:
        """Findings on a labelled non-problem (any severity)."""
        return [f for f in self.findings if any(n.matches(f) for n in self.app.not_problems)]

    @property
    def unjudged(self) -> list[Finding]:
        """Medium+ findings no label speaks about."""
        judged = [*self.app.problems, *self.app.accepted, *self.app.not_problems]
        return [f for f in self.serious if not any(label.matches(f) for label in judged)]

    def causes(self, findings: list[Finding]) -> set[tuple[str, str]]:
        """(rule, file) pairs: one cause however many lines it is reported on."""
        return {(f.rule, f.location.split(":", 1)[0]) for f in findings}

    @property
    def precision_counts(self) -> tuple[int, int]:
        """(right, spoken) over the causes of medium+ findings; unjudged ones count as wrong."""
        spoken = self.causes(self.serious)
        wrong = self.causes([f for f in self.serious if f in self.false_positives or f in self.unjudged])
        return len(spoken) - len(wrong), len(spoken)


def audit_app(app: App, workdir: Path) -> Result:
    project = materialize(app, workdir / app.name)
    started = time.perf_counter()
    try:
        report = run_doctor(DoctorOptions(path=project, skip={"drift"}))
    except Exception as err:  # a crash is a result of the corpus, not an end of the measurement
        return Result(app, [], time.perf_counter() - started, f"{type(err).__name__}: {err}")
    return Result(app, report.sorted_findings(), time.perf_counter() - started)


def table(results: list[Result]) -> str:
    lines = [f"{'application':32} {'found/labelled':>14} {'false pos.':>10} {'unjudged':>8} {'seconds':>8}"]
    found = labelled = right = spoken = 0
    for r in results:
        lines.append(
            f"{r.app.name:32} {len(r.found):>6}/{len(r.app.problems):<7} {len(r.causes(r.false_positives)):>10}"
            f" {len(r.causes(r.unjudged)):>8} {r.seconds:>8.2f}" + (f"  CRASH {r.crashed}" if r.crashed else "")
        )
        found, labelled = found + len(r.found), labelled + len(r.app.problems)
        right, spoken = right + r.precision_counts[0], spoken + r.precision_counts[1]
    recall = found / labelled if labelled else 1.0
    precision = right / spoken if spoken else 1.0
    lines.append(f"recall {found}/{labelled} = {recall:.1%}   precision {right}/{spoken} = {precision:.1%}")
    return "\n".join(lines)
