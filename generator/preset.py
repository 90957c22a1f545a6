"""Team presets: answers a platform team fixes or defaults, and an optional overlay template.

A preset is a YAML file (or `rampart-preset.yml` at the root of a git repository):

    rampart_preset: 1
    fixed:    {framework: express, ci: github}   # never asked; changed on update only with --force
    defaults: {auth: session, docker: true}      # asked, with this default
    overlay:  {url: ../team-overlay, ref: v1.2.0}  # a copier template applied after rampart's

It is validated strictly before anything is written: every error names the key and its line.
A project made with a preset records it in `.rampart-preset.yml` for `rampart update`.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import RampartError
from generator.template_source import copier_config, question_names

FORMAT_VERSION = 1
PRESET_IN_REPO = "rampart-preset.yml"  # where a git repository keeps its preset
RECORD_FILE = ".rampart-preset.yml"  # what a project records about its preset
OVERLAY_ANSWERS_FILE = ".copier-answers.overlay.yml"  # the overlay's own answers, beside rampart's
_TOP_KEYS = ("rampart_preset", "fixed", "defaults", "overlay")
_OVERLAY_KEYS = ("url", "ref")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.I)


@dataclass(frozen=True)
class Overlay:
    url: str  # a git URL or an absolute path
    ref: str | None = None  # None: the overlay's newest tag


@dataclass(frozen=True)
class Preset:
    source: str
    fixed: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    overlay: Overlay | None = None


def is_url(source: str) -> bool:
    return bool(_URL.match(source))


def load_preset(source: str) -> Preset:
    """Read and validate a preset from a file, a directory or a git repository URL."""
    if is_url(source):
        with tempfile.TemporaryDirectory(prefix="rampart-preset-") as tmp:
            clone = subprocess.run(
                ["git", "clone", "--quiet", "--depth", "1", source, tmp], capture_output=True, text=True
            )
            if clone.returncode != 0:
                detail = clone.stderr.strip().splitlines()
                raise RampartError(f"cannot read preset {source}: {detail[-1] if detail else 'git clone failed'}")
            return _read(Path(tmp) / PRESET_IN_REPO, shown=source, base=source.rstrip("/") + "/")
    path = Path(source).expanduser().absolute()
    if path.is_dir():
        path = path / PRESET_IN_REPO
    return _read(path, shown=source, base=path.parent, source=str(path))


def _read(path: Path, *, shown: str, base: str | Path, source: str | None = None) -> Preset:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RampartError(f"preset {shown}: {path.name} not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise RampartError(f"cannot read preset {shown}: {err}") from None
    return parse_preset(text, shown=shown, base=base, source=source or shown)


class _Checker:
    """Walks the YAML node tree so every error can name its line."""

    def __init__(self, text: str, shown: str) -> None:
        self.shown = shown
        self.loader = yaml.SafeLoader(text)

    def fail(self, node: yaml.Node | None, message: str) -> RampartError:
        where = f" line {node.start_mark.line + 1}:" if node is not None else ""
        return RampartError(f"invalid preset {self.shown}:{where} {message}")

    def value(self, node: yaml.Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of key: value")
        entries, seen = [], set()
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                raise self.fail(key_node, f"{what}: keys must be names, got {key!r}")
            if key in seen:
                raise self.fail(key_node, f"{what}: {key!r} is given twice")
            seen.add(key)
            entries.append((key, key_node, value_node))
        return entries


def parse_preset(text: str, *, shown: str = "<preset>", base: str | Path = ".", source: str | None = None) -> Preset:
    checker = _Checker(text, shown)
    try:
        root = checker.loader.get_single_node()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise RampartError(f"invalid preset {shown}:{where} not valid YAML ({problem})") from None
    finally:
        checker.loader.dispose()
    if root is None:
        raise checker.fail(None, "the file is empty; expected `rampart_preset: 1` and fixed/defaults/overlay")
    sections: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, key_node, value_node in checker.mapping(root, "the preset"):
        if key not in _TOP_KEYS:
            raise checker.fail(key_node, f"unknown key {key!r}; allowed: {', '.join(_TOP_KEYS)}")
        sections[key] = (key_node, value_node)
    if "rampart_preset" not in sections:
        raise checker.fail(root, "missing `rampart_preset: 1` (the preset format version)")
    version_node = sections["rampart_preset"][1]
    version = checker.value(version_node)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise checker.fail(version_node, f"rampart_preset must be {FORMAT_VERSION}, got {version!r}")
    fixed = _answers(checker, sections.get("fixed"), "fixed")
    defaults = _answers(checker, sections.get("defaults"), "defaults")
    for key, (key_node, _) in defaults.items():
        if key in fixed:
            raise checker.fail(key_node, f"defaults: {key!r} is also fixed; a question is either fixed or defaulted")
    overlay = _overlay(checker, sections["overlay"][1], base) if "overlay" in sections else None
    return Preset(
        source=source or shown,
        fixed={k: v for k, (_, v) in fixed.items()},
        defaults={k: v for k, (_, v) in defaults.items()},
        overlay=overlay,
    )


def _answers(checker: _Checker, section: tuple[yaml.Node, yaml.Node] | None, what: str) -> dict[str, tuple]:
    if section is None:
        return {}
    known = question_names()
    checked: dict[str, tuple] = {}
    for name, key_node, value_node in checker.mapping(section[1], what):
        if name not in known:
            raise checker.fail(key_node, f"{what}: unknown question {name!r}; known: {', '.join(known)}")
        value = checker.value(value_node)
        problem = answer_problem(name, value)
        if problem:
            raise checker.fail(value_node, f"{what}: {name}: {problem}")
        checked[name] = (key_node, value)
    return checked


def answer_problem(name: str, value: Any) -> str | None:
    """Why `value` cannot answer question `name` (its type and choices in copier.yml), or None."""
    spec = copier_config()[name]
    kind = spec.get("type", "str")
    if kind == "bool" and not isinstance(value, bool):
        return f"must be true or false, got {value!r}"
    if kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        return f"must be a whole number, got {value!r}"
    if kind == "str" and not isinstance(value, str):
        return f"must be a string, got {value!r}"
    choices = spec.get("choices")
    if choices:
        allowed = list(choices.values()) if isinstance(choices, dict) else list(choices)
        if value not in allowed:
            return f"{value!r} is not one of {', '.join(map(str, allowed))}"
    return None


def _overlay(checker: _Checker, node: yaml.Node, base: str | Path) -> Overlay:
    entries = {key: (key_node, value_node) for key, key_node, value_node in checker.mapping(node, "overlay")}
    for key, (key_node, _) in entries.items():
        if key not in _OVERLAY_KEYS:
            raise checker.fail(key_node, f"overlay: unknown key {key!r}; allowed: {', '.join(_OVERLAY_KEYS)}")
    if "url" not in entries:
        raise checker.fail(node, "overlay: missing `url` (a git URL or a path to the overlay template)")
    values = {}
    for key, (_, value_node) in entries.items():
        value = checker.value(value_node)
        if not isinstance(value, str) or not value.strip():
            raise checker.fail(value_node, f"overlay: {key} must be a non-empty string, got {value!r}")
        values[key] = value.strip()
    return Overlay(url=_resolve(values["url"], base), ref=values.get("ref"))


def _resolve(url: str, base: str | Path) -> str:
    """A relative overlay URL is relative to the preset's own location (its folder, or its repository)."""
    if is_url(url) or Path(url).expanduser().is_absolute():
        return str(Path(url).expanduser()) if not is_url(url) else url
    if isinstance(base, Path):
        return str((base / url).resolve())
    parts = []  # base is a repository URL ending in "/": resolve ../ against its path
    for segment in (base + url).split("/"):
        if segment == ".." and parts and parts[-1] not in {"", ".."}:
            parts.pop()
        elif segment != ".":
            parts.append(segment)
    return "/".join(parts)


# --- what a project records ------------------------------------------------------------------


@dataclass
class PresetRecord:
    source: str
    fixed: dict[str, Any]
    overlay: Overlay | None
    overlay_answers_file: str | None
    overridden: list[str] = field(default_factory=list)  # locked answers changed with --force


def write_record(project: Path, preset: Preset, overridden: list[str] | None = None) -> None:
    record: dict[str, Any] = {"source": preset.source, "fixed": dict(sorted(preset.fixed.items()))}
    if preset.overlay is not None:
        record["overlay"] = {"url": preset.overlay.url, "answers_file": OVERLAY_ANSWERS_FILE}
        if preset.overlay.ref:
            record["overlay"]["ref"] = preset.overlay.ref
    if overridden:
        record["overridden"] = sorted(overridden)
    header = (
        "# Written by `rampart new --preset`, read by `rampart update`: the team preset this service\n"
        "# follows. Answers under `fixed` are locked (change them with `rampart update --data ... --force`).\n"
    )
    (project / RECORD_FILE).write_text(header + yaml.safe_dump(record, sort_keys=False), encoding="utf-8")


def read_record(project: Path) -> PresetRecord | None:
    path = project / RECORD_FILE
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise RampartError(f"{RECORD_FILE} is not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("source"), str):
        raise RampartError(f"{RECORD_FILE} does not record a preset source")
    overlay = data.get("overlay") if isinstance(data.get("overlay"), dict) else None
    if overlay is not None and not overlay.get("url"):
        raise RampartError(f"{RECORD_FILE} names an overlay without its url")
    return PresetRecord(
        source=data["source"],
        fixed=dict(data.get("fixed") or {}),
        overlay=Overlay(str(overlay["url"]), overlay.get("ref")) if overlay else None,
        overlay_answers_file=str(overlay.get("answers_file", OVERLAY_ANSWERS_FILE)) if overlay else None,
        overridden=list(data.get("overridden") or []),
    )


def display(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
