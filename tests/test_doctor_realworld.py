"""`rampart doctor` on code nobody here wrote: public Express and Fastify applications, pinned and
vendored under tests/realworld/ with hand-written labels (tests/realworld_corpus.py).

Per application: every labelled problem is found, nothing is reported on a labelled non-problem,
every medium+ finding is judged by a label, no crash, and the audit takes less than 10 s.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from generator.doctor import DoctorOptions, node_releases, run_doctor
from generator.doctor.dependencies import installed_major
from generator.doctor.docker import installs_unlocked
from generator.doctor.project import NodeProject
from generator.doctor.report import to_json, to_text
from tests.realworld_corpus import apps, audit_app, load_app, materialize

MAX_SECONDS = 10
SCREEN_LINES = 50


@pytest.mark.parametrize("name", apps())
def test_realworld_application(name, tmp_path):
    result = audit_app(load_app(name), tmp_path)
    assert result.crashed is None
    assert not result.missed, "labelled problems not found: " + "; ".join(map(str, result.missed))
    assert not result.false_positives, "findings on labelled non-problems: " + "; ".join(
        f"{f.rule} {f.location}" for f in result.false_positives
    )
    assert not result.unjudged, "medium+ findings no label judges: " + "; ".join(
        f"{f.rule} {f.location}" for f in result.unjudged
    )
    assert result.seconds < MAX_SECONDS


def test_corpus_has_enough_applications():
    names = apps()
    assert len(names) >= 8
    # Clean, maintained projects: their expected result is a handful of findings at most.
    assert sum(len(load_app(n).problems) <= 4 for n in names) >= 2


def test_noisy_causes_are_aggregated_in_text_and_complete_in_json(tmp_path):
    """646 lockfile entries without sha512 are one cause on screen; --json keeps every one."""
    project = materialize(load_app("nodegoat"), tmp_path / "nodegoat")
    report = run_doctor(DoctorOptions(path=project, skip={"drift"}))
    text = to_text(report, "medium")
    assert len(text.splitlines()) <= 2 * SCREEN_LINES
    assert "lockfile.integrity  646 occurrences" in text
    findings = json.loads(to_json(report, "medium", "test"))["findings"]
    assert sum(f["rule"] == "lockfile.integrity" for f in findings) == 646


def test_node_release_table_is_current():
    assert not node_releases.is_stale(date.today()), (
        f"generator/doctor/node_releases.py was reviewed on {node_releases.REVIEWED}: copy the lines' dates from"
        " https://github.com/nodejs/Release/blob/main/schedule.json and move REVIEWED"
    )


@pytest.mark.parametrize(
    ("tag", "major", "floating"),
    [("12-alpine", 12, False), ("jod", 22, False), ("carbon", 8, False), ("lts-alpine", None, False),
     ("alpine", None, True), ("", None, True), ("24.11.1-bookworm-slim", 24, False)],
)  # fmt: skip
def test_node_tags_resolve_to_release_lines(tag, major, floating):
    base = node_releases.resolve(tag)
    assert (base.line.major if base.line else None, base.floating) == (major, floating)


@pytest.mark.parametrize(
    ("command", "unlocked"),
    [("npm install", True), ("npm --prefix api --omit=dev -f install", True), ("npm install yarn -g", False),
     ("npm ci --omit=dev", False), ("yarn --pure-lockfile", True), ("yarn install --frozen-lockfile", False),
     ("NODE_ENV=production npm i", True)],
)  # fmt: skip
def test_installs_without_the_lockfile(command, unlocked):
    assert installs_unlocked(command) is unlocked


def test_deny_list_reason_depends_on_the_installed_express(tmp_path):
    (tmp_path / "package-lock.json").write_text(
        json.dumps({"lockfileVersion": 3, "packages": {"node_modules/express": {"version": "4.21.2"}}})
    )
    project = NodeProject(tmp_path, {"dependencies": {"express": "^5.0.0", "express-mongo-sanitize": "^2"}})
    assert installed_major(project, "express") == 4  # the lockfile wins over the range
    (tmp_path / "package-lock.json").unlink()
    assert installed_major(NodeProject(tmp_path, {"dependencies": {"express": "^5.0.0"}}), "express") == 5


def test_credentials_known_by_their_format(tmp_path):
    """A token is found by its format whatever holds it (built here so no scanner mistakes this file for a leak)."""
    github = "ghp_" + "Z3x9" * 9
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.js").write_text(f"const client = new Octokit({{ auth: '{github}' }});\n")
    (tmp_path / "deploy.yml").write_text(f"token_for_ci: {github}\nexample_key: AKIA{'IOSFODNN7'}EXAMPLE\n")
    (tmp_path / "package.json").write_text('{"name": "x", "dependencies": {"express": "^5.1.0"}}')
    findings = run_doctor(DoctorOptions(path=tmp_path, skip={"drift"})).sorted_findings()
    found = {(f.rule, f.location, f.severity) for f in findings if f.rule.startswith("secrets.")}
    assert ("secrets.hardcoded", "src/app.js:1", "critical") in found
    assert ("secrets.committed", "deploy.yml:1", "critical") in found
    assert not any(location == "deploy.yml:2" for _, location, _ in found)  # AWS's documented example key
