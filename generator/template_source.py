"""Where the copier template lives: the source checkout, or the copy inside the wheel."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

from generator import __version__, releases
from generator.errors import RampartError

_PACKAGE_DIR = Path(__file__).resolve().parent
# In a wheel, copier.yml and template/ are shipped under generator/_template/
# (see pyproject.toml); in a source checkout they sit at the repository root.
_CANDIDATES = (_PACKAGE_DIR / "_template", _PACKAGE_DIR.parent)
# The template's release-tagged git history and the ref of the template the wheel ships,
# built into the wheel by hatch_build.py.
_BUNDLE = _PACKAGE_DIR / "_template.bundle"
_BUNDLE_REF = _PACKAGE_DIR / "_template_ref"

ANSWERS_FILE = ".copier-answers.yml"  # where copier records a project's answers (copier.yml _answers_file)

# What generated projects record as `_src_path`: the same on every machine, never a
# temp dir or a site-packages path. rampart points it at the history it ships (or at
# a team's fork) with git's url.<base>.insteadOf, so the answers file is never rewritten.
CANONICAL_URL = "https://github.com/rampart-dev/rampart.git"
_COPIER_CACHE = "COPIER_CACHE_DIR"  # where copier keeps its mirrors of remote templates


def canonical_url() -> str:
    """The template URL new projects record; a team hosting a fork sets RAMPART_TEMPLATE_URL."""
    return os.environ.get("RAMPART_TEMPLATE_URL") or CANONICAL_URL


def source_checkout() -> Path | None:
    """The repository root when rampart runs from a git checkout (a maintainer's setup)."""
    root = _PACKAGE_DIR.parent
    return root if (root / ".git").exists() and (root / "copier.yml").is_file() else None


@contextlib.contextmanager
def shipped_history() -> Iterator[tuple[str, str] | None]:
    """(a git repository or bundle of the template's release-tagged history, the ref of this rampart's
    template in it), or None for an install without history.

    A source checkout (an editable install) gets a snapshot: its history with the release tags and
    its template as it is on disk, and nothing else from the working tree, so a service generated
    inside the checkout never becomes part of the template.
    """
    if _BUNDLE.is_file():
        ref = _BUNDLE_REF.read_text(encoding="utf-8").strip() if _BUNDLE_REF.is_file() else f"v{__version__}"
        yield str(_BUNDLE), ref
        return
    checkout = source_checkout()
    if checkout is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="rampart-history-") as tmp:
        history = Path(tmp) / "history.git"
        try:
            ref = releases.snapshot(checkout, history)
        except subprocess.CalledProcessError as err:
            detail = (err.stderr or "").strip().splitlines()
            raise RampartError(
                f"cannot read the template's history from {checkout}: {detail[-1] if detail else err}"
            ) from None
        yield str(history), ref


@contextlib.contextmanager
def git_url_redirect(recorded: str, actual: str) -> Iterator[None]:
    """Make every git command in this process read `actual` when asked for `recorded`."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("GIT_CONFIG_") or k == _COPIER_CACHE}
    index = int(os.environ.get("GIT_CONFIG_COUNT", "0") or 0)
    added = {
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": f"url.{actual}.insteadOf",
        f"GIT_CONFIG_VALUE_{index}": recorded,
    }
    # copier caches a mirror per URL across runs and installs; `recorded` means `actual` only in
    # this run, so its mirror must not be shared (another install's history would prune our tags).
    cache = tempfile.TemporaryDirectory(prefix="rampart-copier-cache-")
    os.environ.update(added, **{_COPIER_CACHE: cache.name})
    # copier runs git through plumbum, whose environment is a copy of os.environ taken when
    # it was first imported: once copier is loaded (a second render in one process), set it there too.
    plumbum = sys.modules.get("plumbum")
    try:
        with plumbum.local.env(**added) if plumbum is not None else contextlib.nullcontext():
            yield
    finally:
        for key in [k for k in os.environ if k.startswith("GIT_CONFIG_") or k == _COPIER_CACHE]:
            del os.environ[key]
        os.environ.update(saved)
        cache.cleanup()


@cache
def template_root() -> Path:
    for candidate in _CANDIDATES:
        if (candidate / "copier.yml").is_file() and (candidate / "template").is_dir():
            return candidate
    raise RampartError("the rampart template is missing from this installation; reinstall rampart")


@cache
def copier_config() -> dict:
    with open(template_root() / "copier.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def question_names(config: dict | None = None) -> tuple[str, ...]:
    """The questions a user may answer: copier.yml keys (this rampart's, or `config`), minus settings
    and derived values."""
    return tuple(
        name
        for name, spec in (copier_config() if config is None else config).items()
        if not name.startswith("_") and not (isinstance(spec, dict) and spec.get("when") is False)
    )


def required_node_major() -> int:
    """The Node.js major the template pins, read from its .nvmrc (one source of truth)."""
    text = (template_root() / "template" / ".nvmrc").read_text(encoding="utf-8").strip()
    return int(text.lstrip("v").split(".")[0])
