"""rampart installed from a built wheel into a fresh venv: the template ships inside the package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.releases import EARLIER_RELEASES
from generator.template_source import CANONICAL_URL
from tests.checkout import GIT_IDENTITY

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(source: Path, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("rampart-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("dist"))


def unpacked(wheel: Path, into: Path) -> dict[str, str]:
    """The environment that runs `python -m generator` from the wheel's files (the test venv's dependencies)."""
    zipfile.ZipFile(wheel).extractall(into)
    return {**os.environ, **GIT_IDENTITY, "PYTHONPATH": str(into), "XDG_CACHE_HOME": str(into.parent / "cache")}


def test_wheel_contains_the_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "generator/_template/copier.yml" in names
    template_files = {n.split("generator/_template/template/", 1)[1] for n in names if "_template/template/" in n}
    source_files = {str(p.relative_to(ROOT / "template")) for p in (ROOT / "template").rglob("*") if p.is_file()}
    assert template_files == source_files, "every template file, dotfiles included, ships in the wheel"


@pytest.mark.e2e
def test_installed_wheel_generates_a_service(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = subprocess.run(
        [str(env_dir / "bin" / "pip"), "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run(
        [str(env_dir / "bin" / "rampart"), "new", "demo", "--defaults", "--no-install"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    demo = work / "demo"
    assert json.loads((demo / "package.json").read_text())["name"] == "demo"
    assert (demo / ".env").is_file() and (demo / ".github" / "workflows" / "ci.yml").is_file()

    # The answers file is portable: a canonical URL and a released version, no local path.
    answers = yaml.safe_load((demo / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == CANONICAL_URL
    assert answers["_commit"].startswith(f"v{__version__}"), "the release, or git describe from it"
    assert str(env_dir) not in (demo / ".copier-answers.yml").read_text()

    # The shipped history serves check-update and update, offline.
    rampart = str(env_dir / "bin" / "rampart")
    check = subprocess.run([rampart, "check-update", "demo"], cwd=work, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0 and "up to date" in check.stdout, check.stdout + check.stderr
    update = subprocess.run(
        [rampart, "update", "demo", "--defaults", "--no-install"], cwd=work, capture_output=True, text=True, timeout=300
    )
    assert update.returncode == 0, update.stdout + update.stderr

    # Plain copier update works too, once git maps the canonical URL to a copy of the history. It is
    # pointed at the wheel's own template (HEAD of the bundle): a wheel built between releases made
    # `vX.Y.Z-N-g<commit>`, and copier's default target, the newest tag, would be a downgrade.
    (bundle,) = env_dir.rglob("generator/_template.bundle")
    redirect = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{bundle}.insteadOf",
        "GIT_CONFIG_VALUE_0": CANONICAL_URL,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    copier = subprocess.run(
        [str(env_dir / "bin" / "copier"), "update", "--defaults", "--skip-answered", "--vcs-ref", "HEAD", "demo"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **redirect},
    )
    assert copier.returncode == 0, copier.stdout + copier.stderr


def test_a_service_from_an_older_release_updates_with_this_wheel(wheel, tmp_path):
    """rampart as released at v0.1.0 (built from a worktree of that commit) generates a service; this
    rampart's wheel knows that release, reports the update and merges it."""
    old_source = tmp_path / "v0.1.0"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old_source), EARLIER_RELEASES["v0.1.0"]],
        check=True,
        capture_output=True,
    )
    try:
        old_wheel = build_wheel(old_source, tmp_path / "old-dist")
    finally:
        shutil.rmtree(old_source)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=True)
    work = tmp_path / "work"
    work.mkdir()

    def rampart(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "generator", *args]
        return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=300)

    old = unpacked(old_wheel, tmp_path / "old")
    made = rampart(old, "new", "svc", "--defaults", "--no-install")
    assert made.returncode == 0, made.stderr
    answers = work / "svc" / ".copier-answers.yml"
    assert yaml.safe_load(answers.read_text())["_commit"] == "v0.1.0"

    current = unpacked(wheel, tmp_path / "current")
    check = rampart(current, "check-update", "svc")
    assert check.returncode == 3, check.stdout + check.stderr
    assert f"newest:  v{__version__}" in check.stdout and "security:" in check.stdout
    update = rampart(current, "update", "svc", "--defaults", "--no-install")
    assert update.returncode == 0, update.stdout + update.stderr
    assert yaml.safe_load(answers.read_text())["_commit"].startswith(f"v{__version__}")
    assert (work / "svc" / "src" / "security-headers.js").is_file(), "a file added after v0.1.0 arrived"
