"""`rampart update` and `rampart check-update`: bring a service to a newer template version.

Copier does the three-way merge (`run_update`); rampart resolves where the template
history comes from, refuses unsafe starting points, keeps `.env`, adds secrets a new
version needs, and reports conflicts by name with a non-zero exit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from generator import dotenv, post_steps
from generator.copier_errors import copier_errors, git_error_line
from generator.errors import RampartError
from generator.overlay import update_overlay
from generator.post_steps import run_git
from generator.preset import RECORD_FILE, Preset, PresetRecord, display, load_preset, read_record, write_record
from generator.template_source import (
    ANSWERS_FILE,
    CANONICAL_URL,
    canonical_url,
    git_url_redirect,
    question_names,
    required_node_major,
    shipped_history,
)

EXIT_UPDATE_AVAILABLE = 3  # check-update: behind the newest template version
_CONFLICT_MARKER = re.compile(r"^<<<<<<< ", re.M)
_BULLET = re.compile(r"^\s*[-*]\s+")
_SECURITY = re.compile(r"^\*\*Security\*\*\s*(?:\((?P<scope>[^)]*)\))?")
_FRAMEWORKS = {"express", "fastify"}


@dataclass(frozen=True)
class Project:
    root: Path
    answers: dict[str, Any]

    @property
    def src(self) -> str:
        return str(self.answers["_src_path"])

    @property
    def commit(self) -> str:
        return str(self.answers["_commit"])


def load_project(path: Path) -> Project:
    root = path.expanduser().absolute()
    if not root.is_dir():
        raise RampartError(f"{path} is not a directory")
    answers_path = root / ANSWERS_FILE
    if not answers_path.is_file():
        raise RampartError(f"{path} is not a rampart project: it has no {ANSWERS_FILE}")
    try:
        answers = yaml.safe_load(answers_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise RampartError(f"{ANSWERS_FILE} is not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(answers, dict) or not answers.get("_src_path") or not answers.get("_commit"):
        raise RampartError(f"{ANSWERS_FILE} records no template source and version (_src_path, _commit)")
    return Project(root, answers)


def _status(root: Path, *flags: str) -> list[str]:
    """The paths `git status --porcelain` reports (a rename as "old -> new")."""
    return [line[3:] for line in run_git(root, "status", "--porcelain", *flags).stdout.splitlines()]


def require_clean_git(project: Project) -> None:
    inside = run_git(project.root, "rev-parse", "--show-toplevel", check=False)
    if inside.returncode != 0:
        raise RampartError(f"{project.root} is not a git repository: an update merges through git; commit it first")
    dirty = _status(project.root, "--untracked-files=normal")
    if dirty:
        paths = f"{len(dirty)} path{'' if len(dirty) == 1 else 's'}"
        raise RampartError(f"{project.root} has uncommitted changes ({paths}): commit or stash them before updating")


@dataclass(frozen=True)
class Source:
    url: str  # what the project records and copier is given
    default_ref: str | None  # the version to update to when --to is not given
    trusted: bool  # rampart's own history or a template the user named: may run _migrations
    given: str | None = None  # the --template the user named, if any (what error messages name)

    def unreadable(self, stderr: str) -> RampartError:
        """The error for a template git cannot read, naming what the user can change."""
        if self.given:
            return RampartError(f"cannot read the template at {self.given}: {git_error_line(stderr)}")
        return RampartError(
            f"cannot read the template at {self.url}: {git_error_line(stderr)}"
            " (pass --template URL to use another copy)"
        )


@contextlib.contextmanager
def resolve_source(project: Project, template: str | None) -> Iterator[Source]:
    """Point the recorded template URL at the history to read, for the duration of the update."""
    recorded = project.src
    if template:
        with git_url_redirect(recorded, template):
            yield Source(recorded, None, trusted=True, given=template)
        return
    if recorded == CANONICAL_URL:
        with shipped_history() as history:
            if history is not None:
                path, ref = history
                with git_url_redirect(recorded, path):
                    yield Source(recorded, ref, trusted=True)  # the template this rampart renders
                return
    # The team's configured fork (RAMPART_TEMPLATE_URL) is trusted; any other recorded
    # source is read, but may not run migrations unless named with --template.
    yield Source(recorded, None, trusted=recorded == canonical_url())


def list_versions(source: Source) -> list[str]:
    """Release tags (vX.Y.Z) of the template, oldest first."""
    result = subprocess.run(["git", "ls-remote", "--tags", "--refs", source.url], capture_output=True, text=True)
    if result.returncode != 0:
        raise source.unreadable(result.stderr)
    tags = [line.split("refs/tags/", 1)[1] for line in result.stdout.splitlines() if "refs/tags/" in line]
    return sorted((t for t in tags if _version(t) is not None), key=_version)


def _version(ref: str) -> Version | None:
    """The release a ref names; `v1.2.0-3-gabc123` (git describe) counts as its tag."""
    base = re.sub(r"-\d+-g[0-9a-f]+$", "", ref)
    try:
        return Version(base)
    except InvalidVersion:
        return None


@dataclass
class UpdateOptions:
    path: Path
    to: str | None = None
    pretend: bool = False
    conflict: str = "inline"
    defaults: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    template: str | None = None
    install: bool = True
    force: bool = False  # allow --data to change an answer the team preset fixes


@dataclass
class UpdateResult:
    from_version: str
    to_version: str
    changed: list[str]
    conflicts: list[str]
    secrets_added: list[str]
    installed: bool
    warnings: list[str] = field(default_factory=list)
    overlay: tuple[str | None, str | None] | None = None  # the overlay's (from, to) versions
    pretend: bool = False  # computed on a throwaway clone: nothing was changed

    @property
    def already_current(self) -> bool:
        return self.from_version == self.to_version


def _conflicted_files(root: Path, conflict: str) -> list[str]:
    if conflict == "rej":
        return sorted(str(p.relative_to(root)) for p in root.rglob("*.rej") if ".git" not in p.parts)
    paths = {path.split(" -> ")[-1] for path in _status(root, "--untracked-files=all")}
    return sorted(p for p in paths if (root / p).is_file() and _CONFLICT_MARKER.search(_read(root / p)))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""


def update_project(options: UpdateOptions) -> UpdateResult:
    project = load_project(options.path)
    require_clean_git(project)
    if options.pretend:
        return _pretend(project, options)
    env_file = project.root / ".env"
    env_before = env_file.read_bytes() if env_file.exists() else None
    team = team_preset(project.root, options)
    if team.preset is not None:
        options = dataclasses.replace(options, data={**team.locked, **options.data})

    with resolve_source(project, options.template) as source:
        versions = list_versions(source)
        target = options.to or source.default_ref or (versions[-1] if versions else "HEAD")
        if options.to and options.to not in versions:
            known = ", ".join(versions) or "none"
            raise RampartError(f"unknown template version {options.to}; available: {known}")
        current, wanted = _version(project.commit), _version(target)
        if current and wanted and wanted < current and not options.to:
            raise RampartError(
                f"the project is on {project.commit}, newer than {target} from this rampart;"
                " upgrade rampart or pass --to"
            )
        if options.data:
            _check_data_keys(source, target, options.data)
        _run_copier_update(project, options, target, trusted=source.trusted)

    if team.preset is not None:
        write_record(project.root, team.preset, team.overridden)
    if env_before is not None and (not env_file.exists() or env_file.read_bytes() != env_before):
        env_file.write_bytes(env_before)  # the template never owns .env
    conflicts = _conflicted_files(project.root, options.conflict)
    overlay = None
    if team.has_overlay and not conflicts:  # the overlay merges onto a resolved base only
        overlay = _update_overlay(project.root, team, options)
        conflicts = _conflicted_files(project.root, options.conflict)
    elif team.has_overlay:
        team.warnings.append("the overlay was not updated: resolve the conflicts, commit, and run update again")
    secrets_added = dotenv.add_missing_secrets(project.root) if env_file.exists() else []
    changed = _status(project.root)
    installed = False
    if options.install and not conflicts and "package.json" in changed:
        post_steps.check_node(required_node_major())
        post_steps.npm_install(project.root)
        installed = True
        changed = _status(project.root)
    return UpdateResult(project.commit, target, changed, conflicts, secrets_added, installed, team.warnings, overlay)


def _pretend(project: Project, options: UpdateOptions) -> UpdateResult:
    """What an update would change, found by running it on a throwaway clone of the project's repository.

    (Copier's own pretend mode writes nothing, so it cannot say which files a merge would change.)
    """
    top = Path(run_git(project.root, "rev-parse", "--show-toplevel").stdout.strip())
    with tempfile.TemporaryDirectory(prefix="rampart-pretend-") as tmp:
        clone = Path(tmp) / top.name
        run_git(Path(tmp), "clone", "--quiet", "--no-hardlinks", str(top), str(clone))
        trial = clone / project.root.relative_to(top)
        if (project.root / ".env").is_file():  # git-ignored: copied, so secrets a version adds are listed
            shutil.copy2(project.root / ".env", trial / ".env")
        result = update_project(dataclasses.replace(options, path=trial, pretend=False, install=False))
    result.pretend = True
    return result


@dataclass
class TeamPreset:
    preset: Preset | None = None
    record: PresetRecord | None = None
    locked: dict[str, Any] = field(default_factory=dict)  # fixed answers passed to the base update
    overridden: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def has_overlay(self) -> bool:
        return self.record is not None and self.record.overlay_answers_file is not None


def team_preset(root: Path, options: UpdateOptions) -> TeamPreset:
    """The project's preset, re-read from its source (a team may have changed it), and the locks it imposes."""
    record = read_record(root)
    if record is None:
        return TeamPreset()
    warnings = []
    try:
        preset = load_preset(record.source)
    except RampartError as err:
        warnings.append(f"using the preset recorded in {RECORD_FILE}: {err}")
        preset = Preset(record.source, record.fixed, {}, record.overlay)
    overridden = list(record.overridden)
    for name, wanted in options.data.items():
        if name not in preset.fixed or name in overridden or display(wanted) == display(preset.fixed[name]):
            continue
        if not options.force:
            raise RampartError(
                f"{name} is fixed by the preset ({name}={display(preset.fixed[name])});"
                " pass --force to change it anyway"
            )
        warnings.append(
            f"{name}={display(wanted)} overrides the preset's fixed {name}={display(preset.fixed[name])} (--force);"
            f" recorded in {RECORD_FILE}"
        )
        overridden.append(name)
    locked = {k: v for k, v in preset.fixed.items() if k not in overridden}
    return TeamPreset(preset, record, locked, overridden, warnings)


def _update_overlay(root: Path, team: TeamPreset, options: UpdateOptions) -> tuple[str | None, str | None]:
    overlay = team.preset.overlay if team.preset and team.preset.overlay else team.record.overlay
    return update_overlay(
        root,
        team.record.overlay_answers_file,
        overlay.ref if overlay else None,
        defaults=options.defaults,
        conflict=options.conflict,
    )


def _run_copier_update(project: Project, options: UpdateOptions, target: str, *, trusted: bool) -> None:
    from copier import run_update

    try:
        with copier_errors(untrusted_source=project.src, template=options.template or project.src):
            run_update(
                project.root,
                data=dict(options.data),
                vcs_ref=target,
                defaults=options.defaults,
                overwrite=True,
                # Re-read answers after "before" migrations, so a renamed question keeps its value.
                skip_answered=False,
                conflict=options.conflict,
                quiet=False,
                unsafe=trusted,
            )
    except RampartError as err:
        if project.commit not in str(err):  # git's "invalid reference", copier's "Unknown revision"
            raise
        # e.g. a service generated from a checkout's uncommitted template edits: no history holds them
        raise RampartError(
            f"the template version the project records ({project.commit}) is not in the template history"
            " read here; pass --template with a copy that holds it"
        ) from None


# --- check-update -----------------------------------------------------------------------


@dataclass
class CheckResult:
    current: str
    newest: str | None
    behind: bool
    security: list[str]
    other_changes: int


def changelog_entries(
    changelog: str, after: Version | None, upto: Version, framework: str | None = None
) -> tuple[list[str], int]:
    """Whole **Security** entries and the count of other entries for versions in (after, upto].

    An entry is a bullet with its indented continuation lines. A security entry scoped to another
    framework (`**Security** (Fastify): ...`) does not concern the project and is left out.
    """
    security, others = [], 0
    for version, entry in _entries(changelog):
        parsed = _version(version)
        if parsed is None or parsed > upto or (after is not None and parsed <= after):
            continue
        flagged = _SECURITY.match(entry)
        if not flagged:
            others += 1
        elif not (framework and flagged["scope"] and flagged["scope"].strip().lower() in _FRAMEWORKS - {framework}):
            security.append(f"{version}: {entry}")
    return security, others


def _entries(changelog: str) -> Iterator[tuple[str, str]]:
    """(version heading, entry text joined onto one line) for every bullet of the changelog."""
    version, entry = None, []
    for line in [*changelog.splitlines(), "## end"]:
        continuation = entry and line.strip() and line[:1].isspace() and not _BULLET.match(line)
        if continuation:
            entry.append(line.strip())
            continue
        if entry and version:
            yield version, " ".join(entry)
        entry = []
        heading = re.match(r"^##\s+\[?(v?\d[^\]\s]*)", line)
        if heading or line.startswith("## "):
            version = heading.group(1) if heading else None
        elif _BULLET.match(line):
            entry = [_BULLET.sub("", line).strip()]


def _read_file(source: Source, ref: str, path: str) -> str:
    """A file of the template at `ref` ("" when that version has none)."""
    with tempfile.TemporaryDirectory(prefix="rampart-template-") as tmp:
        clone = subprocess.run(
            ["git", "clone", "--quiet", "--no-checkout", source.url, tmp], capture_output=True, text=True
        )
        if clone.returncode != 0:
            raise source.unreadable(clone.stderr)
        shown = subprocess.run(["git", "-C", tmp, "show", f"{ref}:{path}"], capture_output=True, text=True)
        return shown.stdout if shown.returncode == 0 else ""


def _check_data_keys(source: Source, ref: str, data: dict[str, Any]) -> None:
    """Refuse --data for a question the target version does not ask, as `new` does."""
    try:
        config = yaml.safe_load(_read_file(source, ref, "copier.yml")) or {}
    except yaml.YAMLError:
        return  # copier reports a broken copier.yml itself
    known = question_names(config) if isinstance(config, dict) else ()
    unknown = sorted(set(data) - set(known))
    if known and unknown:
        raise RampartError(f"unknown question(s) for {ref}: {', '.join(unknown)}; known: {', '.join(known)}")


def check_update(path: Path, template: str | None = None) -> CheckResult:
    project = load_project(path)
    with resolve_source(project, template) as source:
        versions = list_versions(source)
        newest = source.default_ref if source.default_ref in versions else (versions[-1] if versions else None)
        if newest is None:
            return CheckResult(project.commit, None, False, [], 0)
        current = _version(project.commit)
        newest_version = _version(newest)
        behind = current is None or newest_version > current
        security, others = [], 0
        if behind:
            changelog = _read_file(source, newest, "CHANGELOG.md")
            framework = project.answers.get("framework", "express")  # before Fastify, every service was Express
            security, others = changelog_entries(changelog, current, newest_version, framework)
    return CheckResult(project.commit, newest, behind, security, others)
