"""Team presets and overlays: strict validation, fixed answers never asked (real prompt in a
pseudo-terminal), overlay files applied, and `rampart update` of both layers with real git tags."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from tests.conftest import ROOT, run_rampart

EXAMPLE_OVERLAY = ROOT / "examples" / "team-overlay"


def git(cwd: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


def _write_preset(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


BAD_PRESETS = [
    ("fixd:\n  ci: github\n", "line 1: unknown key 'fixd'"),
    ("rampart_preset: 1\nfixed:\n  colour: red\n", "line 3: fixed: unknown question 'colour'"),
    ("rampart_preset: 1\nfixed:\n  framework: koa\n", "line 3: fixed: framework: 'koa' is not one of express"),
    ("rampart_preset: 1\ndefaults:\n  docker: 'yes'\n", "line 3: defaults: docker: must be true or false"),
    ("rampart_preset: 1\nfixed:\n  port: '8080'\n", "line 3: fixed: port: must be a whole number"),
    ("rampart_preset: 1\ndefaults:\n  author: 42\n", "line 3: defaults: author: must be a string"),
    ("fixed:\n  ci: github\n", "missing `rampart_preset: 1`"),
    ("rampart_preset: 2\n", "line 1: rampart_preset must be 1, got 2"),
    ("rampart_preset: 1\nfixed: [ci\n", "not valid YAML"),
    ("rampart_preset: 1\nfixed:\n  ci: github\ndefaults:\n  ci: none\n", "line 5: defaults: 'ci' is also fixed"),
    ("rampart_preset: 1\noverlay:\n  url: x\n  branch: main\n", "line 4: overlay: unknown key 'branch'"),
    ("rampart_preset: 1\noverlay:\n  ref: v1.0.0\n", "overlay: missing `url`"),
    ("- rampart_preset: 1\n", "line 1: the preset must be a mapping"),
    ("rampart_preset: 1\nfixed:\n  ci: github\n  ci: none\n", "line 4: fixed: 'ci' is given twice"),
    ("", "the file is empty"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_PRESETS, ids=[e for _, e in BAD_PRESETS])
def test_bad_preset_is_refused_with_one_clear_line_and_nothing_written(tmp_path, text, expected):
    preset = _write_preset(tmp_path / "team.yml", text)
    parent = tmp_path / "out"
    result = run_rampart("new", str(parent / "svc"), "--preset", str(preset), "--defaults", "--no-install")
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not parent.exists(), "nothing written"


def test_missing_preset_and_conflicting_data_are_refused(tmp_path):
    result = run_rampart("new", str(tmp_path / "a"), "--preset", str(tmp_path / "nope.yml"), "--defaults")
    assert result.returncode == 1 and "nope.yml not found" in result.stderr
    preset = _write_preset(tmp_path / "team.yml", "rampart_preset: 1\nfixed:\n  ci: github\n")
    args = ["new", str(tmp_path / "b"), "--preset", str(preset), "--defaults", "--no-install", "--data", "ci=none"]
    result = run_rampart(*args)
    assert result.returncode == 1 and "ci=none conflicts with the preset, which fixes ci=github" in result.stderr
    assert not (tmp_path / "b").exists()


def test_fixed_answers_are_not_asked_and_overlay_applies(tmp_path):
    preset = _write_preset(
        tmp_path / "team.yml",
        "rampart_preset: 1\n"
        "fixed: {framework: express, language: javascript, docker: false, ci: github}\n"
        "defaults: {auth: token, port: 8088}\n"
        f"overlay: {{url: {EXAMPLE_OVERLAY}}}\n",
    )
    dest = tmp_path / "svc"
    transcript = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "generator", "new", str(dest), "--preset", str(preset), "--no-install", "--no-git"],
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
        env={"TERM": "xterm", "PATH": "/usr/bin:/bin"},
        cwd=str(ROOT),
    )
    child.logfile_read = transcript
    for line in ("framework=express", "language=javascript", "docker=false", "ci=github"):
        child.expect(f"fixed by preset: {line}")
    child.expect("Service name")
    child.sendline("")
    child.expect("One-line description")
    child.sendline("")
    child.expect("Author")
    child.sendline("")
    child.expect("HTTP port")
    child.expect("8088")  # the preset's default
    child.sendline("")
    child.expect("Browser origins")
    child.sendline("")
    child.expect("Authentication")
    child.sendline("")  # the preset's default: token
    child.expect("GitHub team that owns the service")  # the overlay's own question
    child.send("\x15")
    child.sendline("@acme/payments")
    child.expect("Copyright holder")
    child.sendline("")
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    assert child.exitstatus == 0, transcript.getvalue()[-3000:]
    for question in ("Web framework", "Language", "Dockerfile", "CI provider"):
        assert question not in transcript.getvalue(), f"{question!r} is fixed and must not be asked"

    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert (answers["framework"], answers["docker"], answers["ci"]) == ("express", False, "github")
    assert (answers["auth"], answers["port"]) == ("token", 8088)
    assert "@acme/payments" in (dest / ".github" / "CODEOWNERS").read_text()
    assert "Acme Corp" in (dest / "LICENSE-HEADER.txt").read_text()
    assert (dest / ".github" / "workflows" / "team-doctor.yml").is_file()
    overlay_answers = yaml.safe_load((dest / ".copier-answers.overlay.yml").read_text())
    assert overlay_answers["team"] == "@acme/payments" and "framework" not in overlay_answers
    record = yaml.safe_load((dest / ".rampart-preset.yml").read_text())
    assert record["fixed"] == {"ci": "github", "docker": False, "framework": "express", "language": "javascript"}
    assert record["overlay"]["answers_file"] == ".copier-answers.overlay.yml"


# --- update: both layers, locked answers --------------------------------------------------------


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    """A base template repository (v1.0.0 = this tree) and an overlay repository (v1.0.0 = the example)."""
    root = tmp_path_factory.mktemp("layers")
    base = root / "base"
    base.mkdir()
    shutil.copy2(ROOT / "copier.yml", base / "copier.yml")
    for name in ("template", "migrations"):
        shutil.copytree(ROOT / name, base / name, ignore=shutil.ignore_patterns("__pycache__"))
    overlay = root / "overlay"
    shutil.copytree(EXAMPLE_OVERLAY, overlay)
    for repo in (base, overlay):
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "v1")
        git(repo, "tag", "v1.0.0")
    preset = _write_preset(
        root / "team.yml",
        f"rampart_preset: 1\nfixed: {{ci: github}}\noverlay: {{url: {overlay}, ref: v1.0.0}}\n",
    )
    return base, overlay, preset


def _release(base: Path, overlay: Path) -> None:
    if "v1.1.0" in git(base, "tag").split():
        return
    (base / "template" / "SECURITY.md").write_text("Report vulnerabilities to security@example.com.\n")
    git(base, "add", "-A")
    git(base, "commit", "-qm", "v1.1")
    git(base, "tag", "v1.1.0")
    owners = overlay / "template" / ".github" / "CODEOWNERS.jinja"
    owners.write_text(owners.read_text() + "/src/session/           {{ team }} @acme/platform-security\n")
    (overlay / "template" / "team-logging.json").write_text('{"field": "team"}\n')
    git(overlay, "add", "-A")
    git(overlay, "commit", "-qm", "v2")
    git(overlay, "tag", "v2.0.0")


def test_update_merges_base_then_overlay(layers, tmp_path):
    base, overlay, preset = layers
    project = tmp_path / "svc"
    args = ["new", str(project), "--template", str(base), "--preset", str(preset), "--defaults", "--no-install"]
    created = run_rampart(*args)
    assert created.returncode == 0, created.stderr
    assert yaml.safe_load((project / ".copier-answers.overlay.yml").read_text())["_commit"] == "v1.0.0"
    _release(base, overlay)
    preset.write_text(preset.read_text().replace("ref: v1.0.0", "ref: v2.0.0"))  # the team moves its overlay on

    result = run_rampart("update", str(project), "--template", str(base), "--defaults", "--no-install")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Updated from v1.0.0 to v1.1.0" in result.stdout and "Overlay: v1.0.0 -> v2.0.0" in result.stdout
    assert (project / "SECURITY.md").is_file(), "the base layer arrived"
    assert (project / "team-logging.json").is_file(), "the overlay layer arrived"
    assert "/src/session/" in (project / ".github" / "CODEOWNERS").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v1.1.0"
    assert yaml.safe_load((project / ".copier-answers.overlay.yml").read_text())["_commit"] == "v2.0.0"
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1", "no commit left behind: the user reviews"
    changed = {line[3:] for line in git(project, "status", "--porcelain", "--untracked-files=all").splitlines()}
    assert {"SECURITY.md", "team-logging.json", ".github/CODEOWNERS", ".copier-answers.overlay.yml"} <= changed

    git(project, "add", "-A")
    git(project, "commit", "-qm", "update")
    locked = run_rampart("update", str(project), "--template", str(base), "--defaults", "--no-install", "-d", "ci=none")
    assert locked.returncode == 1 and "ci is fixed by the preset (ci=github); pass --force" in locked.stderr
    assert git(project, "status", "--porcelain") == ""
    forced = run_rampart(
        "update", str(project), "--template", str(base), "--defaults", "--no-install", "-d", "ci=none", "--force"
    )
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "warning: ci=none overrides the preset's fixed ci=github (--force)" in forced.stderr
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["ci"] == "none"
    assert yaml.safe_load((project / ".rampart-preset.yml").read_text())["overridden"] == ["ci"]
