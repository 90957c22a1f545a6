"""Where the copier template lives: the source checkout, or the copy inside the wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from generator.errors import RampartError

_PACKAGE_DIR = Path(__file__).resolve().parent
# In a wheel, copier.yml and template/ are shipped under generator/_template/
# (see pyproject.toml); in a source checkout they sit at the repository root.
_CANDIDATES = (_PACKAGE_DIR / "_template", _PACKAGE_DIR.parent)


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


def question_names() -> tuple[str, ...]:
    """The questions a user may answer: copier.yml keys, minus settings and derived values."""
    return tuple(
        name
        for name, spec in copier_config().items()
        if not name.startswith("_") and not (isinstance(spec, dict) and spec.get("when") is False)
    )


def required_node_major() -> int:
    """The Node.js major the template pins, read from its .nvmrc (one source of truth)."""
    text = (template_root() / "template" / ".nvmrc").read_text(encoding="utf-8").strip()
    return int(text.lstrip("v").split(".")[0])
