"""The `rampart` command line: a thin layer over plain functions.

Only argparse and the standard library are imported at start-up; copier and
everything that renders is imported by the command that needs it, so
`rampart --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from generator import __version__

PROG = "rampart"


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def _add_project_arguments(command: argparse.ArgumentParser) -> None:
    """What every command that works on an existing service takes: where it is, and its template."""
    command.add_argument(
        "path", metavar="PATH", type=Path, nargs="?", default=Path("."), help="the service (default: .)"
    )
    command.add_argument("--template", metavar="URL", help="read the template from this git URL or path (a fork)")


def _questions_help() -> str:
    """The questions `new` asks, with their keys, choices and defaults, read from copier.yml."""
    from generator.errors import RampartError
    from generator.template_source import copier_config, question_names

    try:
        config = copier_config()
        names = question_names()
    except (RampartError, OSError):
        return ""
    lines = [
        "questions (answer with --data KEY=VALUE; unanswered ones are asked, or take the default with --defaults):"
    ]
    for name in names:
        spec = config[name]
        choices = spec.get("choices")
        values = " | ".join(map(str, choices.values() if isinstance(choices, dict) else choices or []))
        default = spec.get("default", "")
        shown = "made from DEST" if "{{" in str(default) else json.dumps(default)
        kind = values or spec.get("type", "str")
        lines.append(f"  {name:<13} {kind}; default {shown}")
        lines.append(
            f"  {'':<13} {spec.get('help', '')}"
            + (f" (asked when {spec['when'].strip('{} ')})" if "when" in spec else "")
        )
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Generate hardened Node.js web services and keep them current.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    new = commands.add_parser(
        "new",
        help="generate a new service",
        description=(
            "Generate a new service into DEST. Questions not answered by --data or "
            "--answers-file are asked interactively (or take their defaults with --defaults)."
        ),
        epilog=_questions_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("dest", metavar="DEST", type=Path, help="directory to create (must be empty or absent)")
    new.add_argument("--defaults", action="store_true", help="use the default for every unanswered question")
    new.add_argument(
        "-d",
        "--data",
        action="append",
        type=_key_value,
        default=[],
        metavar="KEY=VALUE",
        help="answer a question (repeatable), e.g. --data port=8080",
    )
    new.add_argument(
        "--answers-file",
        type=Path,
        metavar="FILE",
        help="YAML file of answers, e.g. another service's .copier-answers.yml",
    )
    new.add_argument(
        "--template",
        metavar="URL",
        help="render from this template (a team's fork: git URL or path) instead of the one rampart ships",
    )
    new.add_argument(
        "--preset",
        metavar="PATH_OR_URL",
        help="a team preset (YAML file, folder or git URL): fixed answers, defaults and an overlay template",
    )
    new.add_argument("--no-install", dest="install", action="store_false", help="skip `npm install`")
    new.add_argument("--no-git", dest="git", action="store_false", help="skip `git init` and the first commit")
    new.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DEST (same-named files are replaced; an existing .env is kept)",
    )
    new.set_defaults(handler=_cmd_new)

    update = commands.add_parser(
        "update",
        help="merge a newer template version into a service, keeping its edits",
        description=(
            "Update the service at PATH to the template version of this rampart (or --to). The git tree "
            "must be clean. Your edits are kept; where they overlap the template's changes, conflicts are "
            "left as inline markers (or .rej files) and listed, with exit code 1. .env is never overwritten; "
            "secrets a new version needs are added to it."
        ),
    )
    _add_project_arguments(update)
    update.add_argument("--to", metavar="vX.Y.Z", help="template version to update to (default: this rampart's)")
    update.add_argument("--pretend", action="store_true", help="show what would change; change nothing")
    update.add_argument(
        "--conflict",
        choices=("inline", "rej"),
        default="inline",
        help="how to leave conflicts: inline markers (default) or .rej files",
    )
    update.add_argument("--defaults", action="store_true", help="keep previous answers; defaults for new questions")
    update.add_argument(
        "-d", "--data", action="append", type=_key_value, default=[], metavar="KEY=VALUE", help="answer a question"
    )
    update.add_argument("--no-install", dest="install", action="store_false", help="skip `npm install` afterwards")
    update.add_argument(
        "--force", action="store_true", help="let --data change an answer the team preset fixes (prints a warning)"
    )
    update.set_defaults(handler=_cmd_update)

    add = commands.add_parser("add", help="add a piece to a service: `rampart add resource NAME`")
    things = add.add_subparsers(dest="thing", metavar="THING")
    things.required = True
    resource = things.add_parser(
        "resource",
        help="an owner-scoped REST resource, like the notes example",
        description=(
            "Add an owner-scoped resource NAME (auth=session or token): its declaration, its table's migration "
            "and its tests, registered in src/resources/index. Fields are NAME:TYPE[:BOUNDS or VALUES][:optional] "
            "with TYPE one of string (length bounds MIN..MAX), int (MIN..MAX), bool, enum (VALUES a,b,c), "
            "timestamp; without --field they are asked for. The git tree must be clean; nothing is written "
            "when anything is refused."
        ),
    )
    resource.add_argument("name", metavar="NAME", help="URL segment and table name, e.g. invoices")
    resource.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="SPEC",
        help="e.g. number:string:1..32, amount:int:0.., paid:bool, status:enum:draft,sent,paid, due:timestamp:optional",
    )
    resource.add_argument(
        "--path", type=Path, default=Path("."), metavar="PATH", help="the service (default: the current folder)"
    )
    resource.set_defaults(handler=_cmd_add_resource)

    check = commands.add_parser(
        "check-update",
        help="say whether a newer template version exists (exit 3 if so)",
        description=(
            "Print the service's template version, the newest one, and the security-relevant changelog "
            "entries in between. Exit codes: 0 up to date, 3 an update is available, 1 error. For CI."
        ),
    )
    _add_project_arguments(check)
    check.set_defaults(handler=_cmd_check_update)

    doctor = commands.add_parser(
        "doctor",
        help="audit a Node.js service against the security baseline",
        description=(
            "Audit the service at PATH (generated by rampart or not; Express or Fastify; JavaScript or "
            "TypeScript) and, with --url, the running service on this machine. Each finding names its "
            "baseline item, severity, location and fix. Exit codes: 0 clean, 1 findings at or above "
            "--fail-on, 2 cannot audit (not a Node.js project, unreachable or non-local URL)."
        ),
    )
    doctor.add_argument(
        "path", metavar="PATH", type=Path, nargs="?", help="the service (default: . unless only --url is given)"
    )
    doctor.add_argument("--url", metavar="URL", help="also probe the running service (localhost/127.0.0.1/::1 only)")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON (docs/doctor-report.schema.json)")
    doctor.add_argument(
        "--fail-on",
        choices=("info", "low", "medium", "high", "critical"),
        default="medium",
        help="lowest severity that makes the exit code 1 (default: medium)",
    )
    doctor.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("dependencies", "code", "secrets", "ci", "docker", "kubernetes", "drift", "live"),
        metavar="CHECK",
        help="skip a check family (repeatable): dependencies, code, secrets, ci, docker, kubernetes, drift, live",
    )
    doctor.add_argument("--template", metavar="URL", help="read the template from this git URL or path (drift)")
    doctor.set_defaults(handler=_cmd_doctor)
    return parser


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _cmd_new(args: argparse.Namespace) -> int:
    from generator.new import NewOptions, create_service
    from generator.post_steps import FALLBACK_EMAIL, FALLBACK_NAME, next_steps

    result = create_service(
        NewOptions(
            dest=args.dest,
            data=dict(args.data),
            answers_file=args.answers_file,
            defaults=args.defaults,
            install=args.install,
            git=args.git,
            force=args.force,
            template=args.template,
            preset=args.preset,
        ),
        progress=_say,
    )
    shown = os.path.relpath(result.project) if result.project.is_relative_to(Path.cwd()) else str(result.project)
    print(f"Created service {result.answers.get('project_name', result.project.name)} in {shown}")
    if result.kept_env:
        print("  .env: kept your existing file (new secrets were not written)")
    else:
        print("  .env: written with freshly generated secrets (mode 0600, git-ignored)")
    if result.commit_author:
        print(f"  git: initialized with a first commit by {result.commit_author}")
        if result.commit_author == f"{FALLBACK_NAME} <{FALLBACK_EMAIL}>":
            print(
                "       (git has no user.name/user.email here; set them, then"
                " `git commit --amend --reset-author` to make it yours)"
            )
    elif result.had_git and args.git:
        print("  git: already a repository: the generated files are left uncommitted for you to review")
    print("Next:")
    for step in next_steps(result.answers, shown, installed=args.install):
        print(f"  {step}")
    return 0


def _cmd_update(args: argparse.Namespace) -> int:
    from generator.update import UpdateOptions, update_project

    if not args.defaults and not sys.stdin.isatty():
        args.defaults = True  # nobody to ask: keep previous answers, defaults for new questions
    result = update_project(
        UpdateOptions(
            path=args.path,
            to=args.to,
            pretend=args.pretend,
            conflict=args.conflict,
            defaults=args.defaults,
            data=dict(args.data),
            template=args.template,
            install=args.install,
            force=args.force,
        )
    )
    for warning in result.warnings:
        _say(f"warning: {warning}")
    if result.overlay is not None:
        before, after = result.overlay
        print(f"Overlay: {before} -> {after}")
    verb = "would change" if result.pretend else "changed"
    if result.pretend:
        print(
            f"Pretend: updating from {result.from_version} to {result.to_version} {verb}"
            + (":" if result.changed else " nothing")
        )
    elif result.already_current:
        print(f"Already at {result.to_version}: no newer template version to merge")
    else:
        print(f"Updated from {result.from_version} to {result.to_version}")
    for path in result.changed:
        print(f"  {verb}: {path}")
    for key in result.secrets_added:
        print(f"  .env: {'would add' if result.pretend else 'added'} a generated {key}")
    if result.installed:
        print("  npm install: package-lock.json refreshed")
    if result.conflicts:
        print(f"{len(result.conflicts)} conflict(s) {'would ' if result.pretend else ''}need your decision:")
        for path in result.conflicts:
            print(f"  conflict: {path}")
        if result.pretend:
            print("Nothing was changed.")
            return 0
        print("Resolve them (search for <<<<<<< or read the .rej files), run the tests, then commit.")
        return 1
    if result.pretend:
        print("Nothing was changed.")
        return 0
    if not result.changed:
        return 0
    print("Review with `git diff`, run `npm test`, then commit.")
    return 0


def _cmd_add_resource(args: argparse.Namespace) -> int:
    from generator.errors import RampartError
    from generator.resource import add_resource, parse_field, prompt_fields

    if args.field:
        fields = [parse_field(spec) for spec in args.field]
    elif sys.stdin.isatty():
        fields = prompt_fields(input, _say)
    else:
        raise RampartError("give the fields with --field NAME:TYPE[:BOUNDS] (no terminal to ask them on)")
    result = add_resource(args.path, args.name, fields)
    print(f"Added the resource {args.name}:")
    for path in result.created:
        print(f"  created: {path}")
    for path in result.changed:
        print(f"  changed: {path}")
    print("Next: npm run migrate, then npm test; review with `git diff` and commit.")
    return 0


def _cmd_check_update(args: argparse.Namespace) -> int:
    from generator.update import EXIT_UPDATE_AVAILABLE, check_update

    result = check_update(args.path, args.template)
    print(f"current: {result.current}")
    print(f"newest:  {result.newest or 'no released versions'}")
    if not result.behind:
        print("up to date")
        return 0
    for entry in result.security:
        print(f"  security: {entry}")
    if result.other_changes:
        print(f"  and {result.other_changes} other change(s): see CHANGELOG.md")
    print("run `rampart update` to merge it")
    return EXIT_UPDATE_AVAILABLE


def _cmd_doctor(args: argparse.Namespace) -> int:
    from generator.doctor import DoctorOptions, run_doctor
    from generator.doctor.report import to_json, to_text

    # No PATH means `.`, unless only --url was given (a live-only audit of a running service).
    path = args.path if args.path is not None else (Path(".") if args.url is None else None)
    report = run_doctor(DoctorOptions(path=path, url=args.url, skip=set(args.skip), template=args.template))
    print(to_json(report, args.fail_on, __version__) if args.json else to_text(report, args.fail_on))
    return report.exit_code(args.fail_on)


def main(argv: list[str] | None = None) -> int:
    from generator.errors import RampartError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except RampartError as err:
        _say(f"error: {err}")
        return err.exit_code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        _say("interrupted; nothing was written")
        return 130
    except Exception as err:  # a bug in rampart: one line, the traceback only on request
        if os.environ.get("RAMPART_DEBUG"):
            raise
        _say(f"internal error: {type(err).__name__}: {err} (rerun with RAMPART_DEBUG=1 for details)")
        return 70
