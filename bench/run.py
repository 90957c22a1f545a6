"""All of rampart's benchmarks in one command, as ONE table of figures, ratios and targets (nothing is asserted).

    .venv/bin/python bench/run.py [--quick] [--json PATH] [--typescript] [--no-layers]
                                    [--layer-rounds N] [--skip cli,update,http,log] [--workdir DIR]
                                    [--variant NAME=DIR ...]

Runs, each with --json into a temp file:
  bench/cli_speed.py     rampart --help vs python -c pass (< 0.3 s);
                         rampart new vs copier copy of the same template (< 2 s, <= 1.2x);
                         rampart add resource (5 fields, no npm) vs git status in the service (< 2 s)
  bench/update_speed.py  rampart update vs copier update of the same project (<= 1.2x)
  bench/http_load.py     hardened Express/Fastify services vs bare apps and hand-built peers, interleaved
                         rounds, medians: requests/s, p99 latency and server CPU per request on GET
                         /api/v1/notes (the signed-in user's notes from PostgreSQL, every server alike),
                         GET /api/v1/me (session cookie) and the auth=none in-memory /notes; RSS idle and
                         after load; Express and Fastify layer costs (see its docstring for the method and targets).
  bench/log_cost.py      CPU time per log line of the service's logger (censoring included), by line shape

Writes every figure, with machine info (CPU model, cores, Node version, date, load average), to --json
(default bench/results.json). Needs Node.js 24 (provisioned by tests/node_runtime.py when the machine's
node is another line), redis-server and PostgreSQL (for http_load), and the Python environment rampart is
installed in (run it with that environment's python).

  --quick        short runs for development: 3 CLI runs, 2 update runs, 3 s HTTP runs after 1 s warm-up
  --typescript   also measure the TypeScript services (Node type stripping)
  --no-layers    skip the layer costs (12 HTTP runs per framework and round)
  --layer-rounds N  measure every layer step N times, round robin, and report medians (default 3, --quick 1)
  --skip LIST    leave out some of cli, update, http, log
  --workdir DIR  keep (and reuse) http_load's rendered projects and logs in DIR (log_cost reuses them too)
  --variant NAME=DIR  passed to http_load.py: also measure this rendered, npm-installed service (repeatable)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import http_load  # noqa: E402

PARTS = ("cli", "update", "http", "log")


def _run_part(script: str, args: list[str], out: Path, live: bool) -> dict | list:
    """Run one bench script; its JSON figures, or BenchError with one line. Its own table (stdout) is
    dropped; its stderr is passed through live (progress), or kept and only its last line reported."""
    command = [sys.executable, str(BENCH / script), *args, "--json", str(out)]
    stderr_to = None if live else subprocess.PIPE
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr_to, text=True)
    try:
        stdout, stderr = proc.communicate()
    except KeyboardInterrupt:
        # The child got the same SIGINT: let it stop its servers and remove its temp dirs.
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)
    if proc.returncode != 0 or not out.exists():
        lines = (stderr or "").strip().splitlines() or stdout.strip().splitlines()
        last = f": {lines[-1]}" if lines and not live else " (its error is above)"
        raise http_load.BenchError(f"{script} failed (exit {proc.returncode}){last}")
    return json.loads(out.read_text())


def cli_rows(figures: list[dict]) -> list[dict]:
    return [
        http_load.row(
            r["command"],
            f"{r['seconds']:.3f} s",
            r["baseline"],
            f"{r['baseline_seconds']:.3f} s",
            r["seconds"] / r["baseline_seconds"],
            r["target"],
        )
        for r in figures
    ]


def update_rows(figures: dict) -> list[dict]:
    return [
        http_load.row(
            "rampart update v1.0.0 -> v2.0.0",
            f"{figures['rampart_update_seconds']:.3f} s",
            "copier update",
            f"{figures['copier_update_seconds']:.3f} s",
            figures["ratio"],
            "<= 1.2x",
        )
    ]


def machine() -> dict:
    info = {
        "cpu": "unknown",
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None,
        "node": None,
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    return info


def _terminate(*_: object) -> None:
    raise SystemExit(143)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, default=BENCH / "results.json")
    parser.add_argument("--typescript", action="store_true")
    parser.add_argument("--no-layers", dest="layers", action="store_false")
    parser.add_argument("--layer-rounds", type=int)
    parser.add_argument("--skip", default="", help="comma-separated: cli, update, http, log")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--variant", dest="variants", action="append", default=[], metavar="NAME=DIR")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(PARTS):
        parser.error(f"--skip takes {', '.join(PARTS)}")
    signal.signal(signal.SIGTERM, _terminate)

    results: dict = {"machine": machine(), "quick": args.quick}
    table: list[dict] = []
    errors: list[str] = []
    http_args = ["--quick"] if args.quick else []
    http_args += ["--typescript"] if args.typescript else []
    if not args.layers:
        http_args += ["--no-layers"]
    elif args.layer_rounds is not None:
        http_args += ["--layer-rounds", str(args.layer_rounds)]
    http_args += ["--workdir", str(args.workdir)] if args.workdir else []
    http_args += [f"--variant={variant}" for variant in args.variants]
    log_args = ["--rounds", "3" if args.quick else "9"] + (["--workdir", str(args.workdir)] if args.workdir else [])
    parts = [
        ("cli", "cli_speed.py", ["--runs", "3" if args.quick else "7"], cli_rows, False),
        ("update", "update_speed.py", ["--runs", "2" if args.quick else "5"], update_rows, False),
        ("http", "http_load.py", http_args, lambda figures: figures["rows"], True),
        ("log", "log_cost.py", log_args, lambda figures: figures["rows"], False),
    ]
    try:
        with tempfile.TemporaryDirectory(prefix="rampart-bench-") as tmp:
            for name, script, script_args, to_rows, live in parts:
                if name in skip:
                    continue
                print(f"[run] {script} {' '.join(script_args)}", file=sys.stderr, flush=True)
                try:
                    figures = _run_part(script, script_args, Path(tmp) / f"{name}.json", live)
                except http_load.BenchError as err:
                    errors.append(str(err))
                    continue
                results[name] = figures
                table += to_rows(figures)
    except KeyboardInterrupt:
        print("run: interrupted", file=sys.stderr)
        return 130

    if "http" in results:
        http_machine = results["http"]["machine"]
        results["machine"].update(node=http_machine["node"], loadavgEnd=http_machine.get("loadavgEnd"))
    else:
        with contextlib.suppress(Exception):
            results["machine"]["node"] = subprocess.run(
                ["node", "--version"], env=http_load.node_env(), capture_output=True, text=True
            ).stdout.strip()
    results["rows"] = table
    m = results["machine"]
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, Node {m['node']}, Python {m['python']}, {m['date']}, "
        f"load avg at start {' '.join(m['loadavg'] or [])}"
    )
    if "http" in results:
        s = results["http"]["settings"]
        print(
            f"http: {s['connections']} connections, {s['durationSeconds']} s measured after {s['warmupSeconds']} s "
            f"warm-up (discarded); autocannon, the server, Redis and PostgreSQL share the {m['cores']} cores; "
            "us cpu = server process CPU time per request"
        )
    if table:
        http_load.print_table(table)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"figures written to {args.json}")
    for error in errors:
        print(f"run: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
