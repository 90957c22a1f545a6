"""Cost of one log line of the generated service's logger, in µs of CPU time (figures only; nothing is asserted).

    .venv/bin/python bench/log_cost.py [--project DIR ...] [--rounds N] [--lines N] [--json FILE] [--workdir DIR]

bench/log_cost.mjs writes the line shapes a service writes (a message, fields, a child of a child, a password
field, an error with a cause, a request's child logger and its completion line) through each project's own
createLogger() into /dev/null, alternating between the projects round by round, and reports the median CPU time
per line. Without --project it renders one project (`rampart new`, Express, JavaScript, as bench/http_load.py
does; reused from --workdir). Give two projects (e.g. one rendered before a change, one after) to compare them:
the first is the baseline of the others.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import http_load  # noqa: E402


def measure(args: argparse.Namespace) -> dict:
    env = http_load.node_env()
    with contextlib.ExitStack() as stack:
        projects = [p.resolve() for p in args.project]
        if not projects:
            if args.workdir:
                work = args.workdir.resolve()
                work.mkdir(parents=True, exist_ok=True)
            else:
                work = Path(tempfile.mkdtemp(prefix="rampart-log-bench-"))
                stack.callback(shutil.rmtree, work, True)
            projects = [http_load.render("express", "javascript", work, env)]
        command = ["node", str(BENCH / "log_cost.mjs"), *map(str, projects)]
        command += ["--rounds", str(args.rounds), "--lines", str(args.lines)]
        result = http_load.run(command, "bench/log_cost.mjs", env=env)
    figures = json.loads(result.stdout)
    figures["machine"] = http_load.machine_info(env)
    figures["machine"].pop("note")  # about the HTTP bench's load generator
    figures["rows"] = rows(figures)
    return figures


def rows(figures: dict) -> list[dict]:
    """One row per shape and project; from the second project on, the first is the baseline."""
    table = []
    first, *others = figures["projects"]
    for index, shape in enumerate(first["shapes"]):
        label = f"log line: {shape['shape']}"
        if not others:
            table.append(http_load.row(label, f"{shape['usPerLine']:.2f} us", "", "", None, ""))
        for other in others:
            theirs = other["shapes"][index]
            table.append(
                http_load.row(
                    f"{label} ({Path(other['project']).name})",
                    f"{theirs['usPerLine']:.2f} us",
                    Path(first["project"]).name,
                    f"{shape['usPerLine']:.2f} us",
                    theirs["usPerLine"] / shape["usPerLine"],
                    "<= 1.0x",
                )
            )
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, action="append", default=[], help="a rendered, installed project")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--lines", type=int, default=20000, help="lines per round and shape")
    parser.add_argument("--workdir", type=Path, help="render the project here and keep it (reused when present)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    try:
        figures = measure(args)
    except KeyboardInterrupt:
        print("log_cost: interrupted", file=sys.stderr)
        return 130
    except (http_load.BenchError, http_load.NodeUnavailable) as err:
        print(f"log_cost: {err}", file=sys.stderr)
        return 1
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError) as err:
        print(f"log_cost: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    machine = figures["machine"]
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores, Node {machine['node']}, {machine['date']}, "
        f"load avg {' '.join(machine['loadavg'] or [])}; {figures['rounds']} rounds of {figures['lines']} lines, "
        "median CPU time per line, written to /dev/null"
    )
    http_load.print_table(figures["rows"])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
