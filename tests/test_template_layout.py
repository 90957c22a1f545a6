"""The template tree uses the names the service uses; copier.yml's `_exclude` holds every condition.

The move to that layout (conditions in paths -> `_exclude`) is also proven as an upgrade: a service
generated from the last tree with conditions in its paths updates to the first tree without them
with no change beyond `_commit`.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

from tests.combinations import combination_id
from tests.conftest import ROOT, run_rampart

TEMPLATE = ROOT / "template"
# The last commit whose template paths held conditions, and the commit that moved them to copier.yml.
LAYOUT_BEFORE = "b1404061cb4f381f9b47294077bc61c0c3de7861"
LAYOUT_AFTER = "27cadebeb240e027f98a6d6d3d84311ac92dfc6d"


def _exclude_lines() -> list[str]:
    """Every path pattern in `_exclude`, with the conditions around it left out."""
    config = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    lines = []
    for entry in config["_exclude"]:
        for line in re.split(r"\{%.*?%\}|\n", entry):
            if line.strip():
                lines.append(line.strip())
    return lines


def test_no_template_path_holds_a_condition():
    conditional = [str(p.relative_to(TEMPLATE)) for p in TEMPLATE.rglob("*") if "{%" in p.as_posix()]
    assert conditional == []


@pytest.mark.parametrize("ext", ["js", "ts"])
def test_every_exclude_pattern_names_a_template_path(ext):
    """A file renamed in template/ but not in `_exclude` would quietly reach every service."""
    rendered = set()
    for path in TEMPLATE.rglob("*"):
        rel = path.relative_to(TEMPLATE).as_posix().replace("{{ ext }}", ext)
        rendered.add(rel.removesuffix(".jinja"))
    patterns = [line.replace("{{ ext }}", ext) for line in _exclude_lines()]
    assert patterns, "copier.yml has no _exclude patterns"
    stale = [p for p in patterns if p not in rendered]
    assert stale == []


def _commit_exists(sha: str) -> bool:
    return subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{sha}^{{commit}}"]).returncode == 0


def _git(repo: Path, *args: str) -> str:
    ident = ["-c", "user.name=t", "-c", "user.email=t@t"]
    return subprocess.run(["git", "-C", str(repo), *ident, *args], check=True, capture_output=True, text=True).stdout


def _commit_tree_as(repo: Path, sha: str, tag: str) -> None:
    """Make `repo`'s next commit the template files of this checkout's commit `sha`, tagged `tag`."""
    for old in repo.iterdir():
        if old.name != ".git":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    files = ["copier.yml", "template", "migrations", "CHANGELOG.md"]
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha, *files], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(repo, filter="data")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", tag)
    _git(repo, "tag", tag)


VARIANTS = [
    {"framework": "express", "language": "javascript", "auth": "session", "pages": True},
    {"framework": "express", "language": "typescript", "auth": "token"},
    {"framework": "fastify", "language": "typescript", "auth": "session", "pages": True},
    {"framework": "fastify", "language": "javascript", "auth": "none", "docker": False, "ci": "none"},
]


@pytest.fixture(scope="module")
def projects_across_the_change(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """Services generated from the tree before the layout change (v1.0.0); then v2.0.0, the tree after."""
    for sha in (LAYOUT_BEFORE, LAYOUT_AFTER):
        if not _commit_exists(sha):
            pytest.fail(f"commit {sha} is missing: this test needs the repository's history (not a shallow clone)")
    base = tmp_path_factory.mktemp("layout")
    repo = base / "rampart-template"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _commit_tree_as(repo, LAYOUT_BEFORE, "v1.0.0")
    projects = {}
    for variant in VARIANTS:
        project = base / combination_id(variant) / "svc"
        data = [arg for key, value in variant.items() for arg in ("--data", f"{key}={value}")]
        result = run_rampart("new", str(project), "--defaults", "--no-install", "--template", str(repo), *data)
        assert result.returncode == 0, result.stdout + result.stderr
        assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v1.0.0"
        projects[combination_id(variant)] = project
    _commit_tree_as(repo, LAYOUT_AFTER, "v2.0.0")
    return repo, projects


@pytest.mark.parametrize("variant", VARIANTS, ids=combination_id)
def test_update_across_the_layout_change_changes_only_the_commit(projects_across_the_change, variant):
    repo, projects = projects_across_the_change
    project = projects[combination_id(variant)]
    result = run_rampart("update", str(project), "--template", str(repo), "--defaults", "--no-install")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _git(project, "status", "--porcelain").splitlines() == [" M .copier-answers.yml"]
    diff = _git(project, "diff", "-U0", "--", ".copier-answers.yml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-_commit: v1.0.0", "+_commit: v2.0.0"]


def test_contributor_notes_are_not_rendered(render):
    assert (TEMPLATE / "ARCHITECTURE.md").is_file()
    assert not (render(framework="fastify", language="typescript") / "ARCHITECTURE.md").exists()
