"""Release tags, and the template history rampart renders and updates from.

A release is the first commit in which generator/__init__.py says `__version__ = "X.Y.Z"` and
CHANGELOG.md has its `## vX.Y.Z` section (the release step: bump the one, add the other, in one
commit). The `vX.Y.Z` tags are derived from those commits, so
every released version resolves in any copy of the history: a clone without tags, an editable
install, the bundle a wheel ships (hatch_build.py imports this file by path, so it uses only the
standard library).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

VERSION_FILE = "generator/__init__.py"
# What a generated service is rendered from: uncommitted edits to these paths are part of the
# template a checkout renders; anything else in the working tree (a service generated inside the
# checkout, a scratch clone) is not.
TEMPLATE_PATHS = ("copier.yml", "template", "migrations", "CHANGELOG.md")
WORKING_TREE_REF = "refs/rampart/working-tree"
CHANGELOG = "CHANGELOG.md"
# Releases cut before the rule above: v0.1.0 is the commit that gave its CHANGELOG section its final
# content (the Express service with auth, update and check-update); the version was set earlier.
EARLIER_RELEASES = {"v0.1.0": "ab8acec35f9ff2a7a2ad7cd3b352a126fb9d580b"}
_VERSION_LINE = re.compile(r'^__version__\s*=\s*["\']([^"\']+)["\']', re.M)
# The commit of uncommitted template edits is rampart's, not the user's: a fixed identity.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "rampart",
    "GIT_AUTHOR_EMAIL": "rampart@localhost",
    "GIT_COMMITTER_NAME": "rampart",
    "GIT_COMMITTER_EMAIL": "rampart@localhost",
}


def _git(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], check=True, capture_output=True, text=True, env={**os.environ, **(env or {})}
    ).stdout


def _show(git_dir: Path, commit: str, path: str) -> str:
    shown = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], capture_output=True, text=True
    )
    return shown.stdout if shown.returncode == 0 else ""


def _is_ancestor(git_dir: Path, commit: str, rev: str) -> bool:
    return (
        subprocess.run(
            ["git", "--git-dir", str(git_dir), "merge-base", "--is-ancestor", commit, rev], capture_output=True
        ).returncode
        == 0
    )


def release_commits(git_dir: Path, rev: str = "HEAD") -> dict[str, str]:
    """{"vX.Y.Z": commit} for every release in the history of `rev`."""
    log = ["--git-dir", str(git_dir), "log", "--format=%H", "--reverse", rev, "--"]
    releases = {tag: commit for tag, commit in EARLIER_RELEASES.items() if _is_ancestor(git_dir, commit, rev)}
    for commit in _git(*log, VERSION_FILE, CHANGELOG).split():
        match = _VERSION_LINE.search(_show(git_dir, commit, VERSION_FILE))
        if not match or (tag := f"v{match.group(1)}") in releases:
            continue
        if re.search(rf"^##\s+\[?{re.escape(tag)}\b", _show(git_dir, commit, CHANGELOG), re.M):
            releases[tag] = commit
    return releases


def snapshot(checkout: Path, dest: Path) -> str:
    """Copy `checkout`'s history into the bare repository `dest`, tag every release, and make its HEAD
    the template as it is on disk (the checkout's HEAD, plus a commit of uncommitted edits to
    TEMPLATE_PATHS when there are some). Returns `git describe` of that HEAD: the ref to render."""
    _git("clone", "--quiet", "--mirror", "--", str(checkout), str(dest))
    git_dir = ["--git-dir", str(dest)]
    head = _git("-C", str(checkout), "rev-parse", "HEAD").strip()
    existing = set(_git(*git_dir, "tag", "--list").split())
    for tag, commit in release_commits(dest, head).items():
        if tag not in existing:  # a tag pushed by hand wins
            _git(*git_dir, "tag", tag, commit)
    if _git("-C", str(checkout), "status", "--porcelain", "--", *TEMPLATE_PATHS).strip():
        index = {"GIT_INDEX_FILE": str(dest / "rampart-working-tree.index"), **_IDENTITY}
        work = [*git_dir, "--work-tree", str(checkout)]
        _git(*work, "read-tree", head, env=index)
        _git(*work, "add", "--all", "--", *TEMPLATE_PATHS, env=index)
        tree = _git(*work, "write-tree", env=index).strip()
        message = "Uncommitted template edits of the checkout"
        head = _git(*git_dir, "commit-tree", tree, "-p", head, "-m", message, env=index).strip()
    # A ref, so the commit travels in `git bundle --all` and copier's mirror fetches it.
    _git(*git_dir, "update-ref", WORKING_TREE_REF, head)
    _git(*git_dir, "update-ref", "--no-deref", "HEAD", head)
    return _git(*git_dir, "describe", "--tags", "--always", head).strip()
