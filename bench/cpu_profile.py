"""Where a rendered service spends its CPU under load: node --cpu-prof, then the top self-time functions.

    .venv/bin/python bench/cpu_profile.py PROJECT [--route /api/v1/notes|/api/v1/me] [--seconds 8] [--top 25]
    .venv/bin/python bench/cpu_profile.py --summarize FILE.cpuprofile [--top 25] [--by-package]

PROJECT is a service rendered by `rampart new` (npm installed; auth=session, or auth=none for its public
in-memory GET /api/v1/notes). It is started by bench/http_load.py's own code (its own Redis and PostgreSQL,
tests/services.py; migrated; a user registered, signed in and its notes seeded through the API), then loaded with
autocannon for --seconds; the profile (V8's .cpuprofile JSON, open it in Chrome DevTools for a flame
graph) is written when the service exits, and its top functions (or packages) by self time are printed, as
shares of the busy time during the load (the start-up's module loading and idle time left out).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_load as hl


def summarize(
    profile_file: Path, top: int, window: tuple[float, float] | None = None, by_package: bool = False
) -> list[tuple[str, float]]:
    """Self time per function (name, file:line), or per package with `by_package`, as a share of the busy
    (not idle) sampled time, garbage collection included;
    with `window` (CLOCK_MONOTONIC seconds, the clock V8 stamps samples with on Linux) only the samples
    taken in it: the load, without the start-up's module loading."""
    profile = json.loads(profile_file.read_text())
    nodes = {node["id"]: node for node in profile["nodes"]}
    intervals = collections.Counter()
    deltas = profile.get("timeDeltas") or [1] * len(profile["samples"])
    stamp = profile["startTime"]
    for sample, delta in zip(profile["samples"], deltas, strict=False):
        stamp += delta
        if window is None or window[0] * 1e6 <= stamp <= window[1] * 1e6:
            intervals[sample] += max(delta, 0)
    by_function: collections.Counter = collections.Counter()
    for node_id, micros in intervals.items():
        frame = nodes[node_id]["callFrame"]
        if frame["functionName"] == "(idle)":
            continue
        url = frame["url"]
        if by_package:
            if "/node_modules/" in url:
                parts = url.rsplit("/node_modules/", 1)[-1].split("/")
                name = "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]
            elif url.startswith("node:"):
                name = "node (" + url.removeprefix("node:").split("/")[0] + ")"
            elif url:
                name = "service src/"
            else:
                name = frame["functionName"] or "(native)"
        else:
            where = url.rsplit("/node_modules/", 1)[-1].rsplit("/src/", 1)[-1] or "(native)"
            name = f"{frame['functionName'] or '(anonymous)'}  {where}:{frame['lineNumber'] + 1}"
        by_function[name] += micros
    total = sum(by_function.values()) or 1
    return [(name, 100 * micros / total) for name, micros in by_function.most_common(top)]


def profile(project: Path, route: str, seconds: int, out_dir: Path) -> tuple[Path, tuple[float, float]]:
    """Start the service under --cpu-prof exactly as bench/http_load.py starts it (its `hardened`: own Redis
    and PostgreSQL, migrated, signed in and seeded as the user), load `route`, stop it; returns the profile
    and the load's time window."""
    env = hl.node_env()
    if not (hl.HTTP_DIR / "node_modules" / "autocannon").is_dir():
        hl.install_load_tools(env)
    out_dir.mkdir(parents=True, exist_ok=True)
    args = argparse.Namespace(connections=10, duration=seconds, warmup=2, notes=20)
    auth = hl.answers(project)["auth"]
    key = {hl.NOTES: "notes" if auth == "session" else "memory", hl.ME: "me"}[route]
    before = set(out_dir.glob("*.cpuprofile"))
    with contextlib.ExitStack() as running, hl.redis_server() as redis_url, hl.postgres_server() as pg:
        servers = {"REDIS_URL": redis_url, "DATABASE_URL": pg.url, "MIGRATION_DATABASE_URL": pg.owner_url}
        if auth == "session":
            hl.migrate(project, servers, env)
        flags = ("--cpu-prof", f"--cpu-prof-dir={out_dir}")
        entry, _ = hl.hardened(running, project, "profiled", "profiled", servers, args, env, out_dir, flags)
        if key not in entry["routes"]:
            raise hl.BenchError(f"{project} (auth={auth}) does not serve {route} to the bench")
        url, headers = entry["routes"][key]
        proc = entry["proc"]
        start = time.monotonic()
        hl.load(url, headers, args, env, proc.pid, "profiled")
        window = (start, time.monotonic())
        proc.send_signal(signal.SIGTERM)  # V8 writes the profile as the process exits
        proc.wait(timeout=30)
    written = set(out_dir.glob("*.cpuprofile")) - before
    if not written:
        raise hl.BenchError(f"the service wrote no .cpuprofile into {out_dir} (log: {out_dir}/service-profiled.log)")
    written_file = max(written, key=lambda p: p.stat().st_mtime)
    written_file.with_suffix(".window.json").write_text(json.dumps(window))
    return written_file, window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path, nargs="?")
    parser.add_argument("--summarize", type=Path, help="only summarize this .cpuprofile")
    parser.add_argument("--route", default=hl.NOTES, choices=[hl.NOTES, hl.ME])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--by-package", action="store_true", help="self time per package, not per function")
    parser.add_argument("--out", type=Path, help="where the profile goes (default PROJECT/.profiles)")
    args = parser.parse_args(argv)
    if args.summarize is None and args.project is None:
        parser.error("give a PROJECT to profile or --summarize FILE")
    try:
        if args.summarize:
            target, window = args.summarize, None
            sidecar = target.with_suffix(".window.json")
            if sidecar.is_file():
                window = tuple(json.loads(sidecar.read_text()))
        else:
            out = (args.out or args.project / ".profiles").resolve()
            target, window = profile(args.project.resolve(), args.route, args.seconds, out)
        rows = summarize(target, args.top, window, args.by_package)
    except (hl.BenchError, hl.NodeUnavailable, hl.ServiceUnavailable, OSError, ValueError) as err:
        print(f"cpu_profile: {err}", file=sys.stderr)
        return 1
    print(f"{target}")
    for name, share in rows:
        print(f"{share:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
