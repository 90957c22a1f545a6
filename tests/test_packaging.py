"""rampart installed from a built wheel into a fresh venv: the template ships inside the package."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("rampart-*.whl")
    return built


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
    assert json.loads((work / "demo" / "package.json").read_text())["name"] == "demo"
    assert (work / "demo" / ".env").is_file() and (work / "demo" / ".github" / "workflows" / "ci.yml").is_file()
