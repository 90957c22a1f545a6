"""`rampart new`: prompt -> render -> post-generation steps, all-or-nothing.

The project is rendered into a staging folder beside the destination and moved
into place only when every step succeeded, so a bad answer, a failed
`npm install` or Ctrl-C never leaves a half-written project behind.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import dotenv, post_steps
from generator.copier_errors import AnswerError, copier_errors
from generator.errors import RampartError
from generator.overlay import apply_overlay
from generator.preset import Preset, display, load_preset, write_record
from generator.template_source import (
    canonical_url,
    copier_config,
    git_url_redirect,
    question_names,
    required_node_major,
    shipped_history,
    template_root,
)


@dataclass
class NewOptions:
    dest: Path
    data: dict[str, Any] = field(default_factory=dict)
    answers_file: Path | None = None
    defaults: bool = False
    install: bool = True
    git: bool = True
    force: bool = False
    template: str | None = None  # a team's fork: a git URL or path, recorded as given
    preset: str | None = None  # a team preset: a YAML file, a folder or a git URL (preset.py)


@dataclass(frozen=True)
class TemplateSource:
    src: str  # what copier reads and the project records as _src_path
    vcs_ref: str | None  # None: the newest tag


@contextlib.contextmanager
def template_source(template: str | None) -> Iterator[TemplateSource]:
    """Where `new` renders from, and what the project records as its template."""
    if template:
        yield TemplateSource(template, None)
        return
    with shipped_history() as history:
        if history is None:  # a wheel built without git history: renders fine, cannot be updated later
            yield TemplateSource(str(template_root()), None)
            return
        path, ref = history
        with git_url_redirect(canonical_url(), path):
            yield TemplateSource(canonical_url(), ref)


@dataclass
class NewResult:
    project: Path
    answers: dict[str, Any]
    kept_env: bool
    commit_author: str | None  # who made the first commit ("name <email>"), None when none was made
    had_git: bool  # DEST was already a git repository (--force): the files are left uncommitted


def load_answers_file(path: Path) -> dict[str, Any]:
    """Answers from a YAML mapping, e.g. another service's .copier-answers.yml."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise RampartError(f"cannot read answers file {path}: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise RampartError(f"answers file {path} is not valid YAML: {str(err).splitlines()[0]}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise RampartError(f"answers file {path} must be a mapping of question: answer")
    # Copier's own bookkeeping keys (_commit, _src_path) describe another project.
    return {str(k): v for k, v in loaded.items() if not str(k).startswith("_")}


_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


def check_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Reject unknown questions and answers of the wrong type, naming the question.

    Copier's own casting is lenient (any word is a true bool) and its messages do
    not name the question, so typed answers are checked here; every other rule is
    a validator in copier.yml.
    """
    known = question_names()
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise RampartError(f"unknown question(s): {', '.join(unknown)}; known: {', '.join(known)}")
    checked = dict(answers)
    for name, value in answers.items():
        kind = copier_config()[name].get("type", "str")
        text = str(value).strip().lower()
        if kind == "bool" and not isinstance(value, bool):
            if text not in _TRUE | _FALSE:
                raise RampartError(f"answer for {name!r} must be true or false, got {value!r}")
            checked[name] = text in _TRUE
        elif kind == "int" and not isinstance(value, int):
            if not re.fullmatch(r"[+-]?\d{1,9}", text):
                raise RampartError(f"answer for {name!r} must be a whole number, got {value!r}")
            checked[name] = int(text)
    return checked


def check_template(template: str) -> None:
    """A local --template must be a copier template (a generated service is not one)."""
    path = Path(template).expanduser()
    if "://" in template or template.startswith("git@") or not path.exists():
        return  # a URL, or something copier names in its own error
    if not path.is_dir():
        raise RampartError(f"--template {template} is a file: pass a template's folder or git URL")
    if not any((path / name).is_file() for name in ("copier.yml", "copier.yaml")):
        raise RampartError(
            f"--template {template} is not a copier template (it has no copier.yml); a generated service"
            " is not a template: pass the template it was made from"
        )


def check_destination(dest: Path, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise RampartError(f"{dest} exists and is not a directory")
    blocking = next((p for p in dest.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise RampartError(f"cannot create {dest}: {blocking} is a file, not a directory")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise RampartError(f"{dest} is not empty; choose a new directory or pass --force to write into it")


def render(
    dest: Path,
    data: Mapping[str, Any],
    defaults: bool,
    source: TemplateSource,
    user_defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Render the template into `dest` (a fresh directory) with copier's public API.

    Unanswered questions are prompted by copier's questionary prompt, driven by copier.yml.
    Returns the answers copier recorded.
    """
    from copier import run_copy  # imported here: copier is slow to import and --help must stay fast

    with copier_errors(template=source.src):
        worker = run_copy(
            source.src,
            dest,
            data=dict(data),
            defaults=defaults,
            user_defaults=dict(user_defaults or {}),
            quiet=True,
            unsafe=False,
            vcs_ref=source.vcs_ref,
        )
    return {k: v for k, v in worker.answers.combined.items() if not k.startswith("_")}


def _move_into_place(staged: Path, dest: Path) -> bool:
    """Move the finished project to `dest`; returns True if an existing .env was kept."""
    if not dest.exists():
        staged.rename(dest)
        return False
    if not any(dest.iterdir()):
        dest.rmdir()
        staged.rename(dest)
        return False
    # --force into a non-empty directory: rendered files replace same-named ones;
    # everything else the user had stays, and so does their own .env.
    kept_env = (dest / ".env").exists()
    for entry in staged.iterdir():
        if entry.name == ".env" and kept_env:
            continue
        target = dest / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        entry.rename(target)
    return kept_env


def create_service(options: NewOptions, progress: Callable[[str], None] = lambda _: None) -> NewResult:
    dest = options.dest.expanduser().absolute()
    check_destination(dest, options.force)
    data: dict[str, Any] = {}
    if options.answers_file is not None:
        data.update(load_answers_file(options.answers_file))
        # Another service's name (and so its Redis key prefix) must not be copied: two services
        # sharing one Redis would share sessions and counters. The name comes from DEST.
        other_name = data.pop("project_name", None)
        if other_name is not None and "project_name" not in options.data:
            progress(
                f"project_name {display(other_name)} in {options.answers_file} not used: the name comes from DEST"
                " (pass --data project_name=NAME to choose it)"
            )
    data.update(options.data)
    if options.template is None:  # a fork may ask other questions: copier checks those
        data = check_answers(data)
    else:
        check_template(options.template)
    team = _apply_preset(options.preset, data, progress)
    if not options.defaults and options.template is None and not sys.stdin.isatty():
        # Copier would start prompt_toolkit, which warns and half-draws a prompt before failing.
        unanswered = [name for name in question_names() if name not in data]
        if unanswered:
            raise RampartError(
                "no terminal to ask questions on: pass --defaults to take the defaults, or --data KEY=VALUE"
                f" for each of {', '.join(unanswered)}"
            )
    if options.install:
        node_version = post_steps.check_node(required_node_major())
        progress(f"Using Node.js {node_version}")
    had_git = (dest / ".git").exists()

    created_parents = [p for p in reversed(dest.parents) if not p.exists()]
    staging = None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".rampart-{dest.name}-", dir=dest.parent))
        # The staged folder carries the final name: the default project name derives from it.
        staged = staging / dest.name
        with template_source(options.template) as source:
            answers = _render_named(staged, data, options, source, team)
        if "project_name" not in data and answers.get("project_name") not in (None, dest.name):
            progress(
                f"project_name is {answers['project_name']!r}, made from {dest.name!r}"
                " (pass --data project_name=NAME to choose another)"
            )
        kind = f" ({answers['framework']}, {answers['language']})" if "framework" in answers else ""
        progress(f"Rendered {answers.get('project_name', dest.name)}{kind}")
        if team is not None:
            if team.overlay is not None:
                version = apply_overlay(staged, team.overlay, defaults=options.defaults)
                progress(f"Applied overlay {team.overlay.url} ({version or 'untagged'})")
            write_record(staged, team)
        dotenv.write_env(staged)
        if options.install:
            progress("Installing npm dependencies (npm install)…")
            post_steps.npm_install(staged)
        author = None
        if options.git and not had_git:
            author = post_steps.git_first_commit(staged, "Initial commit from rampart")
        kept_env = _move_into_place(staged, dest)
    except OSError as err:
        _undo(staging, created_parents)
        # strerror, not str(err): the path in it is the staging folder, which the user never sees
        raise RampartError(f"could not write the project to {dest}: {err.strerror or err}") from None
    except BaseException:
        _undo(staging, created_parents)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return NewResult(project=dest, answers=answers, kept_env=kept_env, commit_author=author, had_git=had_git)


def _render_named(
    staged: Path, data: dict[str, Any], options: NewOptions, source: TemplateSource, team: Preset | None
) -> dict[str, Any]:
    """Render, saying where a refused answer came from: DEST, the preset, or the user."""
    try:
        return render(staged, data, options.defaults, source, team.defaults if team else None)
    except AnswerError as err:
        if err.question == "project_name" and "project_name" not in data:
            raise RampartError(
                f"cannot make a project name from {options.dest.name!r}: pass --data project_name=NAME"
                " (lowercase letters, digits and single hyphens, starting with a letter)"
            ) from None
        if team is not None and err.question in team.fixed:
            fixed = f"{err.question}={display(team.fixed[err.question])}"
            raise RampartError(f"the preset {team.source} fixes {fixed}, which is invalid: {err.reason}") from None
        raise


def _apply_preset(source: str | None, data: dict[str, Any], progress: Callable[[str], None]) -> Preset | None:
    """Load the preset; its fixed answers join `data` (so they are never asked). Conflicts are refused."""
    if source is None:
        return None
    team = load_preset(source)
    for name, value in team.fixed.items():
        if name in data and display(data[name]) != display(value):
            raise RampartError(
                f"{name}={display(data[name])} conflicts with the preset, which fixes {name}={display(value)}"
            )
    for name, value in team.fixed.items():
        progress(f"fixed by preset: {name}={display(value)}")
    data.update(team.fixed)
    return team


def _undo(staging: Path | None, created_parents: list[Path]) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
    for parent in reversed(created_parents):
        with contextlib.suppress(OSError):  # not empty: something else lives there now
            parent.rmdir()
