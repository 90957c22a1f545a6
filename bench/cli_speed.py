"""Time rampart's CLI against its baselines and print a table (figures only; nothing is asserted).

    .venv/bin/python bench/cli_speed.py [--runs N] [--json FILE]

Rows: `rampart --help` vs `python -c pass`, and `rampart new --defaults --no-install --no-git`
vs plain `copier copy --defaults` of the same template (both render the same tree), and
`rampart add resource` (5 fields, no npm) on a committed service vs `git status` there.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _time(argv: list[str], runs: int, fresh_dir: bool = False) -> float:
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            args = [a.replace("{DEST}", str(Path(tmp) / "svc")) for a in argv] if fresh_dir else argv
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True, cwd=tmp)
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


ADD_RESOURCE = ["add", "resource", "invoices", "--field", "number:string:1..32", "--field", "amount:int:0.."]
ADD_RESOURCE += [
    "--field",
    "paid:bool",
    "--field",
    "status:enum:draft,sent,paid",
    "--field",
    "dueAt:timestamp:optional",
]


def _time_add_resource(rampart: str, runs: int) -> tuple[float, float]:
    """`rampart add resource` on one generated service, reset to its first commit between runs."""
    with tempfile.TemporaryDirectory() as tmp:
        service = Path(tmp) / "svc"
        subprocess.run([rampart, "new", str(service), "--defaults", "--no-install"], check=True, capture_output=True)
        samples, status = [], []
        for _ in range(runs):
            subprocess.run(["git", "reset", "-q", "--hard"], cwd=service, check=True)
            subprocess.run(["git", "clean", "-qfd"], cwd=service, check=True)
            start = time.perf_counter()
            subprocess.run(["git", "status", "--porcelain"], cwd=service, check=True, capture_output=True)
            status.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([rampart, *ADD_RESOURCE], cwd=service, check=True, capture_output=True)
            samples.append(time.perf_counter() - start)
    return statistics.median(samples), statistics.median(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rampart = shutil.which("rampart", path=str(BIN)) or "rampart"
    copier = shutil.which("copier", path=str(BIN)) or "copier"

    python_pass = _time([sys.executable, "-c", "pass"], args.runs)
    help_time = _time([rampart, "--help"], args.runs)
    new_time = _time([rampart, "new", "{DEST}", "--defaults", "--no-install", "--no-git"], args.runs, True)
    copier_time = _time(
        [copier, "copy", "--quiet", "--defaults", "--vcs-ref", "HEAD", str(ROOT), "{DEST}"], args.runs, True
    )
    add_time, status_time = _time_add_resource(rampart, args.runs)
    rows = [
        ("rampart --help", help_time, "python -c pass", python_pass, "< 0.3 s"),
        (
            "rampart new --defaults --no-install --no-git",
            new_time,
            "copier copy --defaults",
            copier_time,
            "< 2 s, <= 1.2x",
        ),
        ("rampart add resource invoices (5 fields)", add_time, "git status", status_time, "< 2 s"),
    ]
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"median of {args.runs} runs"
    )
    print(f"{'command':48} {'seconds':>8}  {'baseline':26} {'seconds':>8} {'ratio':>6}  target")
    for name, value, base_name, base, target in rows:
        print(f"{name:48} {value:8.3f}  {base_name:26} {base:8.3f} {value / base:6.2f}  {target}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    dict(zip(("command", "seconds", "baseline", "baseline_seconds", "target"), r, strict=True))
                    for r in rows
                ],
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
