"""The real `rampart` CLI as a user runs it: clear one-line errors, nothing half-written, secrets kept safe."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator import __version__
from tests.conftest import run_rampart


def _fake_tool(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)


def _env_with_fake_node(tmp_path: Path, node_version: str, npm_script: str) -> dict[str, str]:
    """PATH where `node`/`npm` are stand-ins: tests of rampart's own handling, not of npm."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    _fake_tool(bin_dir, "node", f"echo {node_version}")
    _fake_tool(bin_dir, "npm", f'if [ "$1" = "--version" ]; then echo 11.0.0; exit 0; fi\n{npm_script}')
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def _assert_clean_failure(result, dest: Path, expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("rampart: error:")]
    assert len(errors) == 1, result.stderr
    assert re.search(expected, errors[0]), errors[0]
    assert not dest.exists(), "a failed run must leave no project behind"
    leftovers = (
        [p.name for p in dest.parent.iterdir() if p.name.startswith(".rampart-")] if dest.parent.exists() else []
    )
    assert leftovers == [], leftovers


def test_help_lists_commands():
    result = run_rampart("--help")
    assert result.returncode == 0
    assert "new" in result.stdout
    for command in ("new",):
        sub = run_rampart(command, "--help")
        assert sub.returncode == 0 and "--defaults" in sub.stdout


def test_help_does_not_import_copier():
    code = (
        "import sys; from generator.cli import main\n"
        "try: main(['--help'])\nexcept SystemExit: pass\n"
        "print('copier' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")


def test_version():
    result = run_rampart("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"rampart {__version__}"


def test_usage_error_is_not_a_traceback():
    result = run_rampart("new", "x", "--data", "no-equals-sign")
    assert result.returncode == 2 and "KEY=VALUE" in result.stderr and "Traceback" not in result.stderr


def test_defaults_no_install_creates_a_committed_project(tmp_path):
    dest = tmp_path / "demo"
    result = run_rampart("new", str(dest), "--defaults", "--no-install")
    assert result.returncode == 0, result.stderr
    assert (dest / "package.json").is_file()
    assert (dest / ".copier-answers.yml").is_file()

    def git(*a):
        return subprocess.run(["git", "-C", str(dest), *a], capture_output=True, text=True, check=True).stdout

    assert git("log", "--format=%s").strip() == "Initial commit from rampart"
    assert git("status", "--porcelain") == "", "the first commit must hold the whole rendered tree"
    assert ".env" not in git("ls-files").split(), ".env must never be committed"
    assert ".env.example" in git("ls-files").split()


def test_secrets_stay_in_env_only(tmp_path):
    dest = tmp_path / "demo"
    result = run_rampart("new", str(dest), "--defaults", "--no-install")
    assert result.returncode == 0, result.stderr
    env_file = dest / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    secrets = dict(
        line.split("=", 1) for line in env_file.read_text().splitlines() if re.match(r"^[A-Z_]+_SECRET=", line)
    )
    assert secrets, "the template declares at least one *_SECRET"
    history = subprocess.run(["git", "-C", str(dest), "log", "-p", "--all"], capture_output=True, text=True).stdout
    for key, value in secrets.items():
        assert len(value) >= 43, f"{key} is shorter than 32 bytes of entropy"
        assert value not in result.stdout + result.stderr, f"{key} leaked to the console"
        assert value not in (dest / ".copier-answers.yml").read_text()
        assert value not in history, f"{key} reached git history"
        for path in dest.rglob("*"):
            if path.is_file() and path.name != ".env" and ".git" not in path.parts:
                assert value not in path.read_text(errors="ignore"), f"{key} written to {path}"


def test_each_project_gets_its_own_secrets(tmp_path):
    values = []
    for name in ("one", "two"):
        assert run_rampart("new", str(tmp_path / name), "--defaults", "--no-install", "--no-git").returncode == 0
        values.append((tmp_path / name / ".env").read_text())
    assert values[0] != values[1]


def test_non_empty_destination_is_refused(tmp_path):
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    result = run_rampart("new", str(dest), "--defaults", "--no-install")
    assert result.returncode == 1 and "not empty" in result.stderr and "--force" in result.stderr
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    assert (dest / "keep.txt").read_text() == "mine"


def test_destination_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = run_rampart("new", str(target), "--defaults", "--no-install")
    assert result.returncode == 1 and "not a directory" in result.stderr and target.read_text() == "x"


def test_force_keeps_user_files_and_env(tmp_path):
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    (dest / ".env").write_text("APP_SECRET=the-users-own-value\n")
    (dest / "README.md").write_text("old readme")
    result = run_rampart("new", str(dest), "--defaults", "--no-install", "--no-git", "--force")
    assert result.returncode == 0, result.stderr
    assert (dest / "keep.txt").read_text() == "mine"
    assert (dest / ".env").read_text() == "APP_SECRET=the-users-own-value\n"
    assert "kept your existing file" in result.stdout
    assert (dest / "README.md").read_text() != "old readme"
    assert (dest / "package.json").is_file()


def test_empty_existing_destination_is_used(tmp_path):
    dest = tmp_path / "empty"
    dest.mkdir()
    assert run_rampart("new", str(dest), "--defaults", "--no-install", "--no-git").returncode == 0
    assert (dest / "package.json").is_file()


def test_bad_answer_leaves_nothing_and_no_created_parents(tmp_path):
    dest = tmp_path / "a" / "b" / "svc"
    result = run_rampart("new", str(dest), "--defaults", "--no-install", "--data", "port=22")
    _assert_clean_failure(result, dest, r"port.*1024")
    assert not (tmp_path / "a").exists()


def test_answers_file(tmp_path):
    answers = tmp_path / "answers.yml"
    answers.write_text(yaml.safe_dump({"_commit": "abc", "_src_path": "x", "project_name": "from-file", "port": 4321}))
    dest = tmp_path / "svc"
    result = run_rampart(
        "new",
        str(dest),
        "--defaults",
        "--no-install",
        "--no-git",
        "--answers-file",
        str(answers),
        "--data",
        "port=4322",
    )
    assert result.returncode == 0, result.stderr
    recorded = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert recorded["port"] == 4322  # --data wins
    # Another service's name (its Redis key prefix) is never copied: the name comes from DEST, and we say so.
    assert recorded["project_name"] == "svc" and json.loads((dest / "package.json").read_text())["name"] == "svc"
    said = [line for line in result.stderr.splitlines() if "from-file" in line]
    assert len(said) == 1 and "comes from DEST" in said[0] and "--data project_name=" in said[0], result.stderr

    named = tmp_path / "named"
    args = ("--defaults", "--no-install", "--no-git", "--answers-file", str(answers), "--data", "project_name=chosen")
    result = run_rampart("new", str(named), *args)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((named / ".copier-answers.yml").read_text())["project_name"] == "chosen"
    assert "from-file" not in result.stderr


@pytest.mark.parametrize(("dest", "name"), [("123abc", "abc"), ("Ünïcödé", "n-c-d")])
def test_a_name_changed_from_dest_is_said(tmp_path, dest, name):
    result = run_rampart("new", str(tmp_path / dest), "--defaults", "--no-install", "--no-git")
    assert result.returncode == 0, result.stderr
    assert f"project_name is '{name}', made from '{dest}'" in result.stderr
    assert f"Created service {name} in" in result.stdout


def test_dest_without_a_usable_name_is_refused(tmp_path):
    dest = tmp_path / "!!!"
    result = run_rampart("new", str(dest), "--defaults", "--no-install")
    _assert_clean_failure(result, dest, r"cannot make a project name from '!!!': pass --data project_name=NAME")
    assert "invalid answer" not in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [("- a\n- b\n", "must be a mapping"), ("key: [unclosed\n", "not valid YAML"), (None, "cannot read")],
)
def test_bad_answers_file(tmp_path, content, expected):
    answers = tmp_path / "answers.yml"
    if content is not None:
        answers.write_text(content)
    dest = tmp_path / "svc"
    result = run_rampart("new", str(dest), "--defaults", "--no-install", "--answers-file", str(answers))
    _assert_clean_failure(result, dest, expected)


def test_missing_node_is_reported_before_anything_is_written(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").symlink_to(shutil.which("git"))
    dest = tmp_path / "svc"
    result = run_rampart("new", str(dest), "--defaults", env={**os.environ, "PATH": str(bin_dir)})
    _assert_clean_failure(result, dest, r"node was not found.*--no-install")


def test_old_node_is_reported(tmp_path):
    dest = tmp_path / "svc"
    result = run_rampart("new", str(dest), "--defaults", env=_env_with_fake_node(tmp_path, "v20.19.0", "exit 0"))
    _assert_clean_failure(result, dest, r"Node\.js 20\.19\.0 is too old.*>= 24")


def test_npm_failure_leaves_nothing(tmp_path):
    dest = tmp_path / "svc"
    env = _env_with_fake_node(tmp_path, "v24.11.0", "echo 'npm ERR! boom' >&2; exit 7")
    result = run_rampart("new", str(dest), "--defaults", env=env)
    _assert_clean_failure(result, dest, r"npm install.*exit code 7.*--no-install")


def test_ctrl_c_during_install_leaves_nothing(tmp_path):
    dest = tmp_path / "svc"
    marker = tmp_path / "npm-started"
    env = _env_with_fake_node(tmp_path, "v24.11.0", f"touch {marker}; sleep 60")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "new", str(dest), "--defaults"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A shell's background job (`.ci/run ... &`) inherits SIGINT ignored, and Python keeps it ignored:
        # rampart gets Ctrl-C's default disposition, as it has in a terminal.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "npm install never started"
    # Let the stand-in npm get from `touch` to `sleep`: a SIGINT that lands while `touch` is still
    # exiting normally makes bash carry on with `sleep 60` (bash's wait-and-cooperative-exit rule).
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted; nothing was written" in stderr and "Traceback" not in stderr
    assert not dest.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".rampart-")]


def test_no_terminal_without_defaults_is_a_clear_error(tmp_path):
    dest = tmp_path / "svc"
    result = run_rampart("new", str(dest), "--no-install", stdin=subprocess.DEVNULL)
    _assert_clean_failure(result, dest, r"no terminal.*--defaults.*--data")
    assert result.stderr.count("\n") == 1, "only rampart's line: no prompt_toolkit warning or half-drawn prompt"


def test_commit_works_without_git_identity(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", XDG_CONFIG_HOME=str(home / ".config"))
    dest = tmp_path / "svc"
    result = run_rampart("new", str(dest), "--defaults", "--no-install", env=env)
    assert result.returncode == 0, result.stderr
    assert subprocess.run(["git", "-C", str(dest), "rev-parse", "HEAD"], capture_output=True).returncode == 0
    # ... and says whose name it carries and how to make it yours
    assert "first commit by rampart <rampart@localhost>" in result.stdout and "--reset-author" in result.stdout


def test_force_into_a_repository_says_the_files_are_uncommitted(tmp_path):
    dest = tmp_path / "repo"
    dest.mkdir()
    subprocess.run(["git", "init", "-q", str(dest)], check=True)
    result = run_rampart("new", str(dest), "--defaults", "--no-install", "--force")
    assert result.returncode == 0, result.stderr
    assert "left uncommitted" in result.stdout and "first commit" not in result.stdout


def test_new_help_lists_the_questions():
    from generator.template_source import copier_config, question_names

    result = run_rampart("new", "--help")
    assert result.returncode == 0
    for name in question_names():
        assert f"  {name} " in result.stdout, name
    choices = " | ".join(copier_config()["framework"]["choices"].values())
    assert f"{choices}; default " + json.dumps(copier_config()["framework"]["default"]) in result.stdout
    assert "port          int; default 3000" in result.stdout


def test_generated_ci_pins_rampart_to_the_generating_commit(tmp_path):
    dest = tmp_path / "svc"
    assert run_rampart("new", str(dest), "--defaults", "--no-install", "--no-git").returncode == 0
    for name in ("ci.yml", "template-update.yml"):
        workflow = (dest / ".github/workflows" / name).read_text()
        assert re.search(r"git\+https://github\.com/rampart-dev/rampart\.git@[0-9a-f]{40}'", workflow), workflow


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--template", "/nonexistent/template"], r"cannot use the template at /nonexistent/template"),
        (["--template", "https://127.0.0.1:9/none.git"], r"git could not read the template at https://127"),
        (["--template", "{service}"], r"is not a copier template .*no copier.yml"),
        (["--preset", "{preset}"], r"the preset .* fixes port=80, which is invalid: must be between 1024"),
    ],
)
def test_messages_name_the_real_cause(tmp_path, args, expected):
    service = tmp_path / "made"
    assert run_rampart("new", str(service), "--defaults", "--no-install", "--no-git").returncode == 0
    preset = tmp_path / "preset.yml"
    preset.write_text("rampart_preset: 1\nfixed: {port: 80}\n")
    dest = tmp_path / "svc"
    args = [a.format(service=service, preset=preset) for a in args]
    result = run_rampart("new", str(dest), "--defaults", "--no-install", *args)
    _assert_clean_failure(result, dest, expected)
    assert "--data" not in result.stderr and "Errno" not in result.stderr and "Stderr" not in result.stderr


@pytest.mark.parametrize(
    ("make", "dest", "expected"),
    [
        ("afile", "afile/sub", r"afile is a file, not a directory"),
        (None, "/proc/rampart-test-svc", r"could not write the project to /proc/rampart-test-svc: "),
    ],
)
def test_unwritable_destinations_are_named(tmp_path, make, dest, expected):
    if make:
        (tmp_path / make).write_text("x")
    result = run_rampart("new", dest, "--defaults", "--no-install", cwd=tmp_path)
    assert result.returncode == 1 and re.search(expected, result.stderr), result.stderr
    assert "Errno" not in result.stderr and ".rampart-" not in result.stderr
