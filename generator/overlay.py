"""A team's overlay: its own copier template, applied on top of rampart's, with its own answers file.

rampart always names the overlay's answers file (`.copier-answers.overlay.yml`), so an overlay can
never overwrite rampart's `.copier-answers.yml`; the overlay must contain the usual
`{{ _copier_conf.answers_file }}.jinja` for copier to record its version and answers.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.copier_errors import copier_errors
from generator.errors import RampartError
from generator.post_steps import run_git
from generator.preset import OVERLAY_ANSWERS_FILE, Overlay
from generator.template_source import ANSWERS_FILE


def apply_overlay(project: Path, overlay: Overlay, *, defaults: bool) -> str | None:
    """Render the overlay into the freshly generated project; returns the overlay version recorded."""
    from copier import run_copy

    base_answers = (project / ANSWERS_FILE).read_bytes()
    with copier_errors(untrusted_source=overlay.url, template=overlay.url):
        run_copy(
            overlay.url,
            project,
            answers_file=OVERLAY_ANSWERS_FILE,
            vcs_ref=overlay.ref,
            defaults=defaults,
            overwrite=True,  # the overlay's files win over rampart's same-named ones
            quiet=True,
            unsafe=False,
        )
    if (project / ANSWERS_FILE).read_bytes() != base_answers:
        raise RampartError(f"the overlay {overlay.url} overwrote {ANSWERS_FILE}; remove that file from the overlay")
    answers = project / OVERLAY_ANSWERS_FILE
    if not answers.is_file():
        raise RampartError(
            f"the overlay {overlay.url} recorded no answers: add a file named"
            " `{{ _copier_conf.answers_file }}.jinja` containing `{{ _copier_answers | to_nice_yaml }}`"
        )
    return overlay_version(project, OVERLAY_ANSWERS_FILE)


def overlay_version(project: Path, answers_file: str) -> str | None:
    try:
        data = yaml.safe_load((project / answers_file).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return str(data.get("_commit")) if isinstance(data, dict) and data.get("_commit") else None


def update_overlay(
    project: Path, answers_file: str, ref: str | None, *, defaults: bool, conflict: str
) -> tuple[str | None, str | None]:
    """Merge a newer overlay version, after the base update; returns (from, to) versions.

    Copier refuses to update a dirty tree, and the base update has just changed it, so the base
    update's result is committed for the duration of the overlay's update and then un-committed:
    the user reviews both layers' changes together, as uncommitted edits.
    """
    from copier import run_update

    before = overlay_version(project, answers_file)
    temporary_commit = bool(run_git(project, "status", "--porcelain").stdout.strip())
    if temporary_commit:
        run_git(project, "add", "--all")
        run_git(project, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", "rampart: base update (temporary)")
    try:
        with copier_errors():
            run_update(
                project,
                answers_file=answers_file,
                vcs_ref=ref,
                defaults=defaults,
                overwrite=True,
                conflict=conflict,
                quiet=True,
                unsafe=False,
            )
    finally:
        if temporary_commit:
            run_git(project, "reset", "--quiet", "--soft", "HEAD~1")
            run_git(project, "reset", "--quiet")
    return before, overlay_version(project, answers_file)
