"""A copy of this checkout as a user's clone: its git history plus the working tree under test."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def copy_of_this_checkout(dest: Path) -> Path:
    """Clone this repository to `dest` and commit the working tree (tracked and new files) on top."""
    git(ROOT, "clone", "--quiet", "--no-local", str(ROOT), str(dest))
    for name in git(dest, "ls-files").splitlines():
        (dest / name).unlink()
    for name in git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard").splitlines():
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    git(dest, "add", "--all")
    git(dest, "commit", "--quiet", "--allow-empty", "-m", "the working tree under test")
    return dest
