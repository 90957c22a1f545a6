"""Steps after rendering, run by rampart itself (never copier _tasks, so no --trust)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import RampartError

# The first commit's author when git has no identity configured (said to the user).
FALLBACK_NAME, FALLBACK_EMAIL = "rampart", "rampart@localhost"
_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def _tool_version(tool: str) -> tuple[int, int, int]:
    path = shutil.which(tool)
    if path is None:
        raise RampartError(f"{tool} was not found on PATH")
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as err:
        raise RampartError(f"could not run `{tool} --version`: {err}") from None
    match = _VERSION.search(out)
    if match is None:
        raise RampartError(f"could not read the version printed by `{tool} --version`: {out.strip()!r}")
    return tuple(int(part) for part in match.groups())


def check_node(required_major: int) -> str:
    """Fail early, before anything is written, when Node.js or npm is missing or too old."""
    hint = (
        f"install Node.js {required_major} LTS (https://nodejs.org, or `nvm install {required_major}`), "
        "or pass --no-install to skip `npm install`"
    )
    try:
        node = _tool_version("node")
        _tool_version("npm")
    except RampartError as err:
        raise RampartError(f"{err}; {hint}") from None
    if node[0] < required_major:
        raise RampartError(
            f"Node.js {'.'.join(map(str, node))} is too old: the service needs Node.js >= {required_major}; {hint}"
        )
    return ".".join(map(str, node))


def npm_install(project: Path) -> None:
    """`npm install` with npm's own progress on the terminal; it writes package-lock.json."""
    try:
        result = subprocess.run(["npm", "install", "--no-fund"], cwd=project, check=False)
    except OSError as err:
        raise RampartError(f"could not run npm: {err}") from None
    if result.returncode != 0:
        raise RampartError(
            f"`npm install` failed with exit code {result.returncode} (its output is above);"
            " rerun once that is fixed, or pass --no-install to skip it"
        )


def run_git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run git in `cwd`; with check, a failure becomes one clear line."""
    env = dict(os.environ)
    if (
        args[0] == "commit"
        and subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], capture_output=True, cwd=cwd).returncode
    ):
        # A machine without a git identity (CI, fresh laptop) still gets its first commit.
        env.update(
            GIT_AUTHOR_NAME=FALLBACK_NAME,
            GIT_AUTHOR_EMAIL=FALLBACK_EMAIL,
            GIT_COMMITTER_NAME=FALLBACK_NAME,
            GIT_COMMITTER_EMAIL=FALLBACK_EMAIL,
        )
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise RampartError(f"`git {args[0]}` failed: {detail[-1] if detail else result.returncode}")
    return result


def git_first_commit(project: Path, message: str) -> str:
    """`git init` and a first commit of everything; returns the commit's author ("name <email>")."""
    if shutil.which("git") is None:
        raise RampartError("git was not found on PATH; install git or pass --no-git")
    run_git(project, "init", "--quiet", "--initial-branch=main")
    run_git(project, "add", "--all")
    run_git(project, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "--message", message)
    return run_git(project, "log", "-1", "--format=%an <%ae>").stdout.strip()


def next_steps(answers: Mapping[str, Any], shown: str, installed: bool) -> list[str]:
    """What to run after `rampart new`: the generated README's "Run", in short, in order.

    A service with sign-in answers 503 on every route but the probes until Redis and
    PostgreSQL run and the tables exist, so those steps come before `npm run dev`.
    """
    steps = [f"cd {shlex.quote(shown)}"]
    if not installed:
        steps.append("npm install")
    if answers.get("auth") in ("session", "token"):
        steps += [
            'docker compose up -d   # Redis and PostgreSQL (without Docker: README.md, "Run")',
            "npm run migrate        # creates the tables",
        ]
    steps += [f"npm run dev            # http://127.0.0.1:{answers['port']}", "npm run lint && npm test"]
    return steps
