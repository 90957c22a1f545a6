"""Hostile answers: each is escaped for every format it reaches, or rejected (test_questions.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

HOSTILE = {
    "quotes": "it's a \"quoted\" 'value' `tick`",
    "backslashes": "C:\\path\\to\\x \\u0041 \\n \\\\",
    "jinja": "{{ 7*7 }} {% if true %}x{% endif %} {# c #} {{ _copier_conf }}",
    "js-template": "${process.exit(1)} `${globalThis}` */ /* //",
    "html": "</script><script>alert(1)</script><!-- <img src=x onerror=alert(1)>",
    "yaml": "key: value # comment - [a, {b: c}] & *ref !!python/object:os.system |",
    "markdown": "# heading [link](javascript:alert(1)) ![img](x) | table | **bold** _it_",
    "unicode": "Ünïcødé ✓ 漢字 🚀 \u202e reversed \u00a0nbsp",
    "long": "x" * 9_990 + "\"'\\{}$<>",
}


def _answers(value: str) -> dict:
    return {"description": value, "author": value[:200]}


@pytest.fixture(params=list(HOSTILE), scope="module")
def hostile(request):
    return HOSTILE[request.param]


@pytest.fixture
def hostile_project(render, hostile) -> Path:
    return render(**_answers(hostile))


def test_values_round_trip_through_json_and_yaml(hostile_project, hostile):
    package = json.loads((hostile_project / "package.json").read_text())
    assert package["description"] == hostile, "rendered JSON must hold the value exactly (no re-rendering)"
    assert package["author"] == hostile[:200]
    answers = yaml.safe_load((hostile_project / ".copier-answers.yml").read_text())
    assert answers["description"] == hostile


def test_every_json_and_yaml_file_parses(hostile_project):
    files = [p for p in hostile_project.rglob("*") if p.is_file() and ".git" not in p.parts]
    for path in files:
        if path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(path.read_text())


def test_every_js_file_parses(hostile_project, node_env):
    files = sorted(str(p) for p in hostile_project.rglob("*.js") if "node_modules" not in p.parts)
    assert files
    # One node process checks them all: compile each as an ES module without running it.
    checker = (
        "const vm=require('node:vm'),fs=require('node:fs');let bad=0;"
        "for(const f of process.argv.slice(1)){try{new vm.SourceTextModule(fs.readFileSync(f,'utf8'),{identifier:f})}"
        "catch(e){bad++;console.error(f+': '+e.message)}}process.exit(bad?1:0)"
    )
    result = subprocess.run(
        ["node", "--experimental-vm-modules", "--no-warnings", "-e", checker, *files],
        env=node_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_markdown_is_html_escaped(hostile_project, hostile):
    readme = (hostile_project / "README.md").read_text()
    assert "<script>" not in readme and "<img" not in readme
    assert str(escape(hostile)) in readme


def test_no_answer_reaches_env_or_dockerfile(hostile_project, hostile):
    for name in (".env", ".env.example", "Dockerfile", ".dockerignore", ".gitignore"):
        path = hostile_project / name
        if path.exists():
            assert hostile[:40] not in path.read_text(), f"free text must not reach {name}"
