"""Rendering from a source checkout (an editable install, `copier copy <checkout>`), and release tags.

The checkout under test is a clone of this repository's history with the working tree on top, so
these tests see exactly the code being tested. A stray nested git repository (a service generated
inside the checkout, as the README's first command used to do) must change nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import __version__, releases
from tests.checkout import GIT_IDENTITY, copy_of_this_checkout, git
from tests.conftest import ROOT

TEMPLATE_EDIT = "// an uncommitted template edit\n"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """This repository's history plus its working tree, with a nested git repository `demo/` inside
    and an uncommitted edit to a template file."""
    repo = copy_of_this_checkout(tmp_path_factory.mktemp("checkout") / "rampart")
    demo = repo / "demo"
    demo.mkdir()
    (demo / "README.md").write_text("a service generated inside the checkout\n")
    git(demo, "init", "--quiet")
    git(demo, "add", "--all")
    git(demo, "commit", "--quiet", "-m", "first")
    readme = repo / "template" / "README.md.jinja"
    readme.write_text(readme.read_text() + TEMPLATE_EDIT)
    return repo


def rampart_from(checkout: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_IDENTITY, "PYTHONPATH": str(checkout), "XDG_CACHE_HOME": str(cwd / ".cache")}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_checkout_renders_its_template_and_records_a_release(checkout, tmp_path):
    result = rampart_from(checkout, "new", "svc", "--defaults", "--no-install", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    svc = tmp_path / "svc"
    assert (svc / "README.md").read_text().endswith(TEMPLATE_EDIT), "the checkout's uncommitted template edit"
    assert not (svc / "demo").exists()
    answers = yaml.safe_load((svc / ".copier-answers.yml").read_text())
    # git describe from the release tag: a version check-update can compare, never a bare commit hash
    assert answers["_commit"].startswith(f"v{__version__}-"), answers["_commit"]
    check = rampart_from(checkout, "check-update", "svc", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"newest:  v{__version__}" in check.stdout and "up to date" in check.stdout


def test_plain_copier_copy_of_the_checkout(checkout, tmp_path):
    copier = Path(sys.executable).parent / "copier"
    result = subprocess.run(
        [
            str(copier),
            "copy",
            "--quiet",
            "--defaults",
            "--data",
            "project_name=svc",
            str(checkout),
            str(tmp_path / "svc"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **GIT_IDENTITY, "XDG_CACHE_HOME": str(tmp_path / ".cache")},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "svc" / "README.md").read_text().endswith(TEMPLATE_EDIT)


def test_every_release_is_tagged_in_the_snapshot(tmp_path):
    history = tmp_path / "history.git"
    ref = releases.snapshot(ROOT, history)
    tags = git(history, "tag", "--list").split()
    assert {"v0.1.0", f"v{__version__}"} <= set(tags)
    assert git(history, "rev-parse", "v0.1.0^{commit}").strip() == releases.EARLIER_RELEASES["v0.1.0"]
    assert ref.startswith(f"v{__version__}")
    # The release commit of this version sets it and gives the CHANGELOG its section.
    release = git(history, "rev-parse", f"v{__version__}^{{commit}}").strip()
    assert f'__version__ = "{__version__}"' in git(history, "show", f"{release}:generator/__init__.py")
    assert f"## v{__version__}" in git(history, "show", f"{release}:CHANGELOG.md")
