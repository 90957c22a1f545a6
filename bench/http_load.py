"""HTTP load figures of the generated service against bare apps and hand-built peers (figures only; nothing
is asserted).

    .venv/bin/python bench/http_load.py [--quick] [--typescript] [--frameworks express,fastify] [--rounds N]
                                          [--no-auth-none] [--no-layers | --layer-rounds N] [--json FILE]
                                          [--variant NAME=DIR ...] [--workdir DIR]

For each framework (language javascript; with --typescript also the TypeScript service, which Node runs
by type stripping), on Node.js 24 (tests/node_runtime.py provisions it when the machine's node is another
line):

* the hardened service: `rampart new DEST --defaults --data framework=X --data auth=session` (npm install),
  its own Redis and PostgreSQL (tests/services.py: the runtime role as DATABASE_URL, the owner role as
  MIGRATION_DATABASE_URL), `npm run migrate`, then `node --env-file=.env src/server.*` with
  NODE_ENV=production, TRUST_PROXY_HOPS=1, LOG_LEVEL=info (one log line per request, stdout and stderr to
  a log file in the work dir), RATE_LIMIT_REQUESTS=1000000 per RATE_LIMIT_WINDOW_MS=10000 (the Redis-backed
  limiter counts every request but never answers 429);
* the same service rendered with auth=none (in-memory limiter, no Redis or PostgreSQL): its public,
  in-memory example GET /api/v1/notes;
* each --variant NAME=DIR: an already rendered, npm-installed service (its framework, language and auth
  from DIR/.copier-answers.yml), measured in the same interleaved rounds as the hardened service, so a
  template change can be measured before/after side by side (render one from main, one from a branch).
  A variant gets its own database on the same PostgreSQL (migrated with its own migrations) and the same
  Redis, and signs its own user in;
* the bare app (bench/http/bare-X.mjs): each route's irreducible work and nothing else;
* the hand-built peer (bench/http/peer-X.mjs): what a competent developer would assemble from the libraries'
  docs (helmet, CORS allowlist, Redis-backed limiter on the same Redis, redacted pino log, bounded JSON
  body, zod-checked query, sessions in Redis behind a signed cookie: express-session / @fastify/session with
  connect-redis), doing the same database work.

The same work per request: hardened, variants, bare and peer ALL read PostgreSQL on every GET
/api/v1/notes (the signed-in user's page: one parameterized SELECT filtered on owner_id, the service's own
columns, ORDER BY seq DESC, LIMIT limit + 1) and on every GET /api/v1/me (the user by id), as the same named
prepared statements. Who is signed in: the hardened service checks the cookie's signature, loads the session
and the user's credential generation from Redis (one script), takes the user from the session's snapshot on
/notes (read again from PostgreSQL when the last-seen time moves on) and reads it afresh on /me, and saves
the session only when its last-seen time moves on (a tenth of the idle timeout); the peer loads
its own session from Redis by its signed cookie (rolling) and takes the user id from it (its bench-only
POST /bench/login signs the bench user in: the peers have no password check of their own); the bare app
compares the Cookie header's pair with the service's session cookie (the cheapest honest check) and uses
the bench user's id. The bare app and the peer answer the auth=none service's page from memory on GET
/api/v1/memory-notes, for the row "auth=none /notes (in-memory)", and auth=none is also compared with the
auth=session /notes route (no slower, though it does less).

All servers of one framework run at once; each round loads every server and route in turn (ABAB...), and
the figures are the medians over --rounds rounds (default 3), so a slow spell of the shared machine hits
every server alike and no single unlucky run decides a ratio.

Routes, every request with `X-Forwarded-Proto: https` (one trusted proxy hop):
* GET /api/v1/notes with the session cookie of a user registered and signed in through the API (GET
  /api/v1/csrf-token, POST /api/v1/auth/register and /login with X-CSRF-Token), after seeding --notes notes
  as that user (POST /api/v1/notes with its cookie and CSRF token; a full default page: 20);
* GET /api/v1/me with the same cookie;
* auth=none: GET /api/v1/notes, public, after seeding --notes notes through the public API.

Each measurement: autocannon (bench/http, installed with `npm ci`), --connections connections, a warm-up
run of --warmup s (discarded), then --duration s measured: requests/s (mean of per-second samples), p99
latency (autocannon's whole milliseconds), and the server process's CPU time per request (utime+stime from
/proc/PID/stat over the measured run: less sensitive to other load on the machine than requests/s, not
immune to it; Redis' and PostgreSQL's CPU is not counted). autocannon runs on the same machine and takes
CPU from the server. Non-2xx answers or errors are reported as warnings. RSS (VmRSS from /proc/PID/status)
once the server is ready (idle), and VmRSS and VmHWM (peak) after all its load runs.

Layer costs, per framework: bench/http/layers.mjs adds the rendered (auth=session) project's own
middleware (Express) or plugin (Fastify) modules one more at a time onto a bare app of its framework
(createApp's order), in front of GET /api/v1/notes (answered from memory until the last step adds the
session, the user's snapshot, the CSRF check, requireUser and the owner-scoped notes routes on PostgreSQL),
then the whole createApp; loaded with the session cookie, every step once per round, --layer-rounds rounds
(default 3), medians.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import itertools
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HTTP_DIR = ROOT / "bench" / "http"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.node_runtime import NodeUnavailable, env_with_node, node_path_dirs  # noqa: E402
from tests.running_service import call as one_request  # noqa: E402
from tests.running_service import entry_point  # noqa: E402
from tests.services import (  # noqa: E402
    ServiceUnavailable,
    create_database,
    free_port,
    postgres_server,
    redis_server,
)

NODE_MAJOR = 24
HTTPS = {"X-Forwarded-Proto": "https"}
NOTES, ME, MEMORY_NOTES = "/api/v1/notes", "/api/v1/me", "/api/v1/memory-notes"
PASSWORD = "correct horse battery staple"  # noqa: S105 -- a throwaway user of a throwaway database
SERVICE_ENV = {
    "NODE_ENV": "production",
    "HOST": "127.0.0.1",
    "TRUST_PROXY_HOPS": "1",
    "LOG_LEVEL": "info",
    "RATE_LIMIT_REQUESTS": "1000000",
    "RATE_LIMIT_WINDOW_MS": "10000",
}
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """A situation the bench cannot measure in; the message is the one line shown."""


def log(message: str) -> None:
    print(f"[http_load] {message}", file=sys.stderr, flush=True)


# --- Node.js, tools, projects ------------------------------------------------------------------


def node_env() -> dict[str, str]:
    env = env_with_node(node_path_dirs())
    env.pop("NODE_OPTIONS", None)
    version = subprocess.run(["node", "--version"], env=env, capture_output=True, text=True).stdout.strip()
    if not version.startswith(f"v{NODE_MAJOR}."):
        raise BenchError(f"Node.js {NODE_MAJOR} is needed, found {version or 'none'}")
    return env


def interrupted(returncode: int | None) -> None:
    """A child killed by the Ctrl-C meant for us: stop as interrupted, not as a failure."""
    if returncode in (-signal.SIGINT, 128 + signal.SIGINT):
        raise KeyboardInterrupt


def run(args: list[str], what: str, timeout: float = 900, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    interrupted(result.returncode)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise BenchError(f"{what} failed (exit {result.returncode}): {' | '.join(tail)}")
    return result


def install_load_tools(env: dict[str, str]) -> None:
    log("npm ci in bench/http (autocannon, express, fastify)")
    run(["npm", "ci", "--no-audit", "--no-fund"], "npm ci in bench/http", cwd=HTTP_DIR, env=env)


def render(framework: str, language: str, work: Path, env: dict[str, str], auth: str = "session") -> Path:
    dest = work / (f"bench-{framework}-{language}" + ("" if auth == "session" else f"-{auth}"))
    if (dest / "node_modules").is_dir() and (dest / ".env").is_file():
        log(f"reusing {dest}")
        return dest
    rampart = BIN / "rampart" if (BIN / "rampart").exists() else shutil.which("rampart")
    if rampart is None:
        raise BenchError("rampart is not installed in this Python environment")
    log(f"rampart new {dest.name} (framework={framework}, language={language}, auth={auth}) + npm install")
    shutil.rmtree(dest, ignore_errors=True)
    run(
        [str(rampart), "new", str(dest), "--defaults"]
        + [f"--data={k}={v}" for k, v in (("framework", framework), ("language", language), ("auth", auth))],
        f"rampart new ({framework}, {language})",
        env=env,
    )
    return dest


# --- processes -----------------------------------------------------------------------------------


@contextlib.contextmanager
def node_server(args: list[str], cwd: Path, env: dict[str, str], log_file: Path) -> Iterator[subprocess.Popen]:
    """A node process (its own session: Ctrl-C reaches it through our cleanup, in order), stopped on exit."""
    with log_file.open("ab") as out:
        proc = subprocess.Popen(
            ["node", *args], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def call(port: int, method: str, path: str, payload=None, headers: dict | None = None):
    """One request as the TLS proxy forwards it; returns status, raw body and every Set-Cookie header."""
    reply = one_request(port, method, path, payload, {**HTTPS, **(headers or {})})
    return reply.status, reply.body, reply.cookies


def wait_ready(
    port: int, proc: subprocess.Popen, path: str, log_file: Path, timeout: float = 60, headers: dict | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_file.read_text(errors="replace").strip().splitlines()[-3:]
            raise BenchError(f"server exited with {proc.returncode}: {' | '.join(tail)}")
        with contextlib.suppress(OSError):
            if call(port, "GET", path, headers=headers)[0] == 200:
                return
        time.sleep(0.1)
    raise BenchError(f"server did not answer 200 on {path} within {timeout:.0f} s (log: {log_file})")


def rss_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss": fields["VmRSS"], "peak": fields["VmHWM"]}


def cpu_seconds(pid: int) -> float:
    # Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / CLK_TCK


def load(url: str, headers: dict, args: argparse.Namespace, env: dict[str, str], pid: int, label: str = "") -> dict:
    """autocannon through bench/http/load.mjs; adds the server's CPU time per measured request."""
    spec = {
        "url": url,
        "connections": args.connections,
        "duration": args.duration,
        "warmup": args.warmup,
        "headers": headers,
    }
    proc = subprocess.Popen(
        ["node", str(HTTP_DIR / "load.mjs"), json.dumps(spec)],
        cwd=HTTP_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        marker = proc.stdout.readline() if proc.stdout else ""  # "measuring" once the warm-up is over
        cpu_start = cpu_seconds(pid)
        line = proc.stdout.readline()
        cpu_end = cpu_seconds(pid)
        stderr = proc.stderr.read() if proc.stderr else ""
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    interrupted(proc.returncode)
    if proc.returncode != 0 or marker.strip() != "measuring" or not line:
        raise BenchError(f"autocannon on {url} failed: {stderr.strip().splitlines()[-1:] or marker}")
    result = json.loads(line)
    result["cpuUsPerRequest"] = round((cpu_end - cpu_start) * 1e6 / max(result["requests"], 1), 1)
    if result["non2xx"] or result["errors"] or result["timeouts"]:
        log(f"  warning: {url}: non-2xx {result['statusCodes']}, errors {result['errors']}")
    log(
        f"  {label:36} {url.split('/', 3)[-1]:20} {result['rps']:9.0f} rps  p99 {result['latencyMs']['p99']} ms  "
        f"{result['cpuUsPerRequest']:.0f} us cpu/req"
    )
    return result


# --- the hardened service ------------------------------------------------------------------------

NOTE_TEXT = "A note written by the benchmark, about as long as a short paragraph of real text would be."


def session_cookie(set_cookies: list[str], name: str = "__Host-sid") -> str:
    pairs = [c.split(";", 1)[0] for c in set_cookies if c.startswith(f"{name}=")]
    if not pairs:
        raise BenchError(f"no {name} cookie was set (is X-Forwarded-Proto trusted?)")
    return pairs[0]


def seed_notes(port: int, notes: int, headers: dict | None = None) -> None:
    """POST --notes notes (as the signed-in user when `headers` carry its cookie and CSRF token)."""
    for i in range(notes):
        status, raw, _ = call(port, "POST", NOTES, {"title": f"Benchmark note {i:03d}", "body": NOTE_TEXT}, headers)
        if status != 201:
            raise BenchError(f"seeding POST {NOTES} answered {status}: {raw[:200]!r}")


def sign_in_and_seed(port: int, notes: int) -> dict:
    """Register and sign in through the API, then seed the user's notes with its session; returns the
    session cookie pair and the user's id."""
    status, raw, cookies = call(port, "GET", "/api/v1/csrf-token")
    if status != 200:
        raise BenchError(f"GET /api/v1/csrf-token answered {status}")
    jar = {"Cookie": session_cookie(cookies), "X-CSRF-Token": json.loads(raw)["csrfToken"]}
    user = {"username": f"bench-{uuid.uuid4().hex[:12]}", "password": PASSWORD}
    status, raw, _ = call(port, "POST", "/api/v1/auth/register", user, jar)
    if status != 201:
        raise BenchError(f"register answered {status}: {raw[:200]!r}")
    status, raw, cookies = call(port, "POST", "/api/v1/auth/login", user, jar)
    if status != 200:
        raise BenchError(f"login answered {status}: {raw[:200]!r}")
    signed_in = json.loads(raw)
    cookie = session_cookie(cookies)
    seed_notes(port, notes, {"Cookie": cookie, "X-CSRF-Token": signed_in["csrfToken"]})
    for path in (NOTES, ME):
        status, raw, _ = call(port, "GET", path, headers={"Cookie": cookie})
        if status != 200:
            raise BenchError(f"GET {path} with the session cookie answered {status}: {raw[:200]!r}")
    return {"cookie": cookie, "user_id": signed_in["user"]["id"]}


def settle() -> None:
    time.sleep(1)


def started(
    stack: contextlib.ExitStack, name: str, args: list[str], cwd: Path, env: dict, log_file: Path, port: int, ready: str
) -> subprocess.Popen:
    """A server kept running (in `stack`) for every round; ready and settled."""
    proc = stack.enter_context(node_server(args, cwd, env, log_file))
    log(f"{name} on :{port}")
    wait_ready(port, proc, ready, log_file)
    settle()
    return proc


def answers(project: Path) -> dict:
    """The copier answers a rendered project was made with (framework, language, auth)."""
    path = project / ".copier-answers.yml"
    if not path.is_file():
        raise BenchError(f"{project} is not a rendered rampart project (no .copier-answers.yml)")
    return yaml.safe_load(path.read_text())


def hardened(
    stack, project: Path, kind: str, name: str, servers: dict, args, env, work: Path, node_flags: tuple[str, ...] = ()
) -> tuple[dict, dict]:
    """A generated service, started (with `node_flags` before its entry point, e.g. --cpu-prof) and
    (auth=session) signed in and seeded; returns (entry, fixtures): fixtures carry the session cookie and
    user id (auth=session) or the in-memory page's file (auth=none)."""
    answered = answers(project)
    auth = answered["auth"]
    if auth not in ("session", "none"):
        raise BenchError(f"{project}: auth={auth} is not benchmarked (session or none)")
    port = free_port()
    service_env = {**env, **SERVICE_ENV, **(servers if auth == "session" else {}), "PORT": str(port)}
    tag = name.replace(" ", "-").replace("=", "-").replace("(", "").replace(")", "")
    proc = started(
        stack,
        name,
        [*node_flags, "--env-file=.env", entry_point(project)],
        project,
        service_env,
        work / f"service-{tag}.log",
        port,
        "/readyz",
    )
    idle = rss_mb(proc.pid)
    base = f"http://127.0.0.1:{port}"
    if auth == "session":
        fixtures = sign_in_and_seed(port, args.notes)
        signed_in = {**HTTPS, "Cookie": fixtures["cookie"]}
        status, raw, _ = call(port, "GET", NOTES, headers=signed_in)
        fixtures["notes"] = work / f"notes-{tag}.json"  # layers.mjs's answer before its notes step
        fixtures["notes"].write_bytes(raw)
        routes = {"notes": (base + NOTES, signed_in), "me": (base + ME, signed_in)}
    else:
        seed_notes(port, args.notes)
        status, raw, _ = call(port, "GET", NOTES)
        if status != 200:
            raise BenchError(f"GET {NOTES} (auth=none) answered {status}")
        memory_file = work / f"memory-notes-{tag}.json"
        memory_file.write_bytes(raw)
        fixtures = {"memory_notes": memory_file}
        routes = {"memory": (base + NOTES, HTTPS)}
    entry = {
        "name": name,
        "framework": answered["framework"],
        "language": answered["language"],
        "auth": auth,
        "kind": kind,
        "proc": proc,
        "routes": routes,
        "idle": idle,
    }
    return entry, fixtures


def baseline(stack, framework: str, kind: str, fixtures: dict, servers: dict, env, work: Path) -> dict:
    """bench/http/<kind>-<framework>.mjs: the bare app or the hand-built peer, reading the same PostgreSQL
    rows for the same user as the hardened service (and answering the auth=none page from memory)."""
    port = free_port()
    app_env = {
        **env,
        "NODE_ENV": "production",
        "PORT": str(port),
        "REDIS_URL": servers["REDIS_URL"],
        "DATABASE_URL": servers["DATABASE_URL"],
        "BENCH_USER_ID": fixtures["user_id"],
        "BENCH_COOKIE": fixtures["cookie"],
    }
    if "memory_notes" in fixtures:
        app_env["BENCH_MEMORY_NOTES_BODY"] = str(fixtures["memory_notes"])
    name = f"{framework} {'bare' if kind == 'bare' else 'hand-built peer'}"
    proc = started(
        stack,
        name,
        [str(HTTP_DIR / f"{kind}-{framework}.mjs")],
        HTTP_DIR,
        app_env,
        work / f"{kind}-{framework}.log",
        port,
        MEMORY_NOTES,
    )
    cookie = fixtures["cookie"]
    if kind == "peer":  # the peer's own session for the same user (peer-common.mjs: POST /bench/login)
        status, raw, cookies = call(port, "POST", "/bench/login")
        if status != 204:
            raise BenchError(f"the peer's POST /bench/login answered {status}: {raw[:200]!r}")
        cookie = session_cookie(cookies, "__Host-peer.sid")
    signed_in = {**HTTPS, "Cookie": cookie}
    base = f"http://127.0.0.1:{port}"
    routes = {"notes": (base + NOTES, signed_in), "me": (base + ME, signed_in)}
    if "memory_notes" in fixtures:
        routes["memory"] = (base + MEMORY_NOTES, HTTPS)
    for url, headers in routes.values():
        status, raw, _ = call(port, "GET", url.removeprefix(base), headers=headers)
        if status != 200:
            raise BenchError(f"{name}: GET {url} answered {status}: {raw[:200]!r}")
    return {
        "name": name,
        "framework": framework,
        "language": "javascript",
        "auth": "-",
        "kind": kind,
        "proc": proc,
        "routes": routes,
        "idle": rss_mb(proc.pid),
    }


def median_of(runs: list[dict]) -> dict:
    """The medians of interleaved runs of one route (requests/s, CPU per request, p99), with the runs."""
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "cpuUsPerRequest": round(statistics.median(r["cpuUsPerRequest"] for r in runs), 1),
        "latencyMs": {"p99": statistics.median(r["latencyMs"]["p99"] for r in runs)},
        "runs": runs,
    }


def interleaved(entries: list[dict], args, env) -> list[dict]:
    """Every route of every server once per round, servers in turn (ABAB...): a slow spell of the shared
    machine hits them alike, and the medians over --rounds rounds decide the ratios, not one unlucky run."""
    samples: dict[tuple[int, str], list[dict]] = collections.defaultdict(list)
    for round_ in range(args.rounds):
        log(f"round {round_ + 1}/{args.rounds}")
        for index, entry in enumerate(entries):
            for route, (url, headers) in entry["routes"].items():
                samples[(index, route)].append(load(url, headers, args, env, entry["proc"].pid, entry["name"]))
    out = []
    for index, entry in enumerate(entries):
        after = rss_mb(entry["proc"].pid)
        out.append(
            {
                **{k: entry[k] for k in ("name", "framework", "language", "auth", "kind")},
                **({"variant": entry["variant"]} if "variant" in entry else {}),
                "routes": {route: median_of(samples[(index, route)]) for route in entry["routes"]},
                "rssMb": {"idle": entry["idle"]["rss"], "afterLoad": after["rss"], "peak": after["peak"]},
            }
        )
    return out


def layers(framework: str, project: Path, servers: dict, fixtures: dict, args, env, work: Path) -> list[dict]:
    """Layer costs: bench/http/layers.mjs, one server per cumulative step; every step is measured
    --layer-rounds times, round robin (so slow drifts of the machine hit every step alike), and the
    medians are reported."""
    script = str(HTTP_DIR / "layers.mjs")
    names = json.loads(run(["node", script, "--list"], "layers.mjs --list", cwd=project, env=env).stdout)
    samples: list[list[dict]] = [[] for _ in names]
    signed_in = {**HTTPS, "Cookie": fixtures["cookie"]}
    for round_ in range(args.layer_rounds):
        for index, name in enumerate(names):
            port = free_port()
            step_env = {**env, **SERVICE_ENV, **servers, "PORT": str(port), "BENCH_NOTES_BODY": str(fixtures["notes"])}
            log_file = work / f"layers-{framework}-{index}.log"
            log(f"{framework} layers, round {round_ + 1}/{args.layer_rounds}, step {index}: {name}")
            with node_server(["--env-file=.env", script, str(index)], project, step_env, log_file) as proc:
                wait_ready(port, proc, NOTES, log_file, headers=signed_in)
                settle()
                samples[index].append(load(f"http://127.0.0.1:{port}{NOTES}", signed_in, args, env, proc.pid))
    steps: list[dict] = []
    for name, runs in zip(names, samples, strict=True):
        rps = statistics.median(r["rps"] for r in runs)
        cpu = statistics.median(r["cpuUsPerRequest"] for r in runs)
        previous = steps[-1] if steps else None
        steps.append(
            {
                "step": name,
                "rps": rps,
                "p99Ms": statistics.median(r["latencyMs"]["p99"] for r in runs),
                "cpuUsPerRequest": cpu,
                "deltaRps": None if previous is None else rps - previous["rps"],
                "deltaCpuUs": None if previous is None else round(cpu - previous["cpuUsPerRequest"], 1),
                "runs": runs,
            }
        )
    return steps


# --- figures -------------------------------------------------------------------------------------


def machine_info(env: dict[str, str]) -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    node = subprocess.run(["node", "--version"], env=env, capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "node": node,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None,
        "note": "autocannon, the server and (for the hardened service) Redis and PostgreSQL share these cores",
    }


def _fmt(route: dict) -> str:
    return f"{route['rps']:.0f} rps, p99 {route['latencyMs']['p99']} ms, {route['cpuUsPerRequest']:.0f} us cpu"


def row(figure, value, baseline, baseline_value, ratio, target) -> dict:
    """One table row; bench/run.py builds its CLI rows with it too."""
    return {
        "figure": figure,
        "value": value,
        "baseline": baseline,
        "baselineValue": baseline_value,
        "ratio": None if ratio is None else round(ratio, 3),
        "target": target,
    }


ROUTE_LABELS = {
    "notes": f"GET {NOTES} (session, PostgreSQL)",
    "me": f"GET {ME}",
    "memory": f"GET {NOTES} (auth=none, in-memory)",
}


def rows(result: dict) -> list[dict]:
    """The table rows (figure, value, baseline, baseline value, ratio, target) of these figures."""
    services: list[dict] = result["services"]
    out: list[dict] = []

    def add(*fields) -> None:
        out.append(row(*fields))

    def find(framework: str, kind: str, language: str = "javascript", auth: str | None = None) -> dict | None:
        for service in services:
            if (service["framework"], service["kind"], service["language"]) == (framework, kind, language) and (
                auth is None or service["auth"] == auth
            ):
                return service
        return None

    def compare(service: dict | None, base: dict | None, targets: dict[str, str], pairs: dict | None = None) -> None:
        """One row per route pair both serve (`pairs`: service route -> base route; default the same
        routes): `service` against `base`, requests/s ratio (CPU in the values), the route's target."""
        if service is None or base is None:
            return
        for route, base_route in (pairs or {r: r for r in ROUTE_LABELS}).items():
            if route not in service["routes"] or base_route not in base["routes"]:
                continue
            mine, theirs = service["routes"][route], base["routes"][base_route]
            base_name = base["name"] + ("" if base_route == route else f" {ROUTE_LABELS[base_route]}")
            add(
                f"{service['name']} {ROUTE_LABELS[route]}",
                _fmt(mine),
                base_name,
                _fmt(theirs),
                mine["rps"] / theirs["rps"],
                targets.get(route, "-"),
            )

    measured = [s for s in services if s["kind"] in ("hardened", "variant")]
    for service in measured:
        framework = service["framework"]
        compare(
            service,
            find(framework, "bare"),
            {"notes": ">= 0.5x" if framework == "express" else "-", "me": ">= 0.25x"},
        )
        compare(service, find(framework, "peer"), {"notes": ">= 1.2x"})
        if service["auth"] == "none":
            # auth=none has less to do than auth=session: no slower (acceptance of issue 19).
            session = find(framework, service["kind"], service["language"], "session")
            if service["kind"] == "variant":
                session = next(
                    (s for s in measured if s.get("variant") == service.get("variant") and s["auth"] == "session"),
                    None,
                ) or find(framework, "hardened", service["language"], "session")
            compare(service, session, {"memory": ">= 1x"}, {"memory": "notes"})
        if service["kind"] == "variant":
            main = find(framework, "hardened", service["language"], service["auth"])
            compare(service, main, dict.fromkeys(ROUTE_LABELS, "(before/after, shown)"))
    compare(
        find("fastify", "hardened", auth="session"),
        find("express", "hardened", auth="session"),
        dict.fromkeys(("notes", "me"), "(>= 1.5x, shown)"),
    )
    for framework in ("express", "fastify"):
        compare(
            find(framework, "hardened", "typescript", "session"),
            find(framework, "hardened", "javascript", "session"),
            dict.fromkeys(ROUTE_LABELS, "~ 1x (type stripping)"),
        )
    for service in measured:
        base = find(service["framework"], "bare")
        rss = service["rssMb"]
        add(
            f"{service['name']} RSS idle / after load",
            f"{rss['idle']:.0f} / {rss['afterLoad']:.0f} MB",
            base["name"] if base else "-",
            f"{base['rssMb']['idle']:.0f} / {base['rssMb']['afterLoad']:.0f} MB" if base else "-",
            rss["idle"] / base["rssMb"]["idle"] if base else None,
            "<= 1.5x (idle)" if service["auth"] == "session" else "-",
        )
    for framework, steps in (result.get("layers") or {}).items():
        layer_rows(framework, steps, add)
    return out


def layer_rows(framework: str, steps: list[dict], add) -> None:
    def layer(step: dict) -> str:
        return f"{step['rps']:.0f} rps, {step['cpuUsPerRequest']:.0f} us cpu"

    label = f"{framework} layers: "
    if steps:
        add(label + steps[0]["step"], layer(steps[0]), "-", "-", None, "-")
    for previous, step in itertools.pairwise(steps):
        add(
            label + step["step"],
            f"{layer(step)} ({step['deltaRps']:+.0f} rps, {step['deltaCpuUs']:+.0f} us cpu)",
            "previous step",
            layer(previous),
            step["rps"] / previous["rps"],
            "-",
        )
    if len(steps) > 2:
        add(
            label + "all (" + steps[-2]["step"].lstrip("+ ") + " included)",
            layer(steps[-2]),
            steps[0]["step"],
            layer(steps[0]),
            steps[-2]["rps"] / steps[0]["rps"],
            "-",
        )


def print_table(table: list[dict]) -> None:
    width = max([len(r["figure"]) for r in table] + [6])
    vwidth = max([len(r["value"]) for r in table] + [5])
    bwidth = max([len(r["baseline"]) for r in table] + [8])
    print(f"{'figure':{width}}  {'value':{vwidth}}  {'baseline':{bwidth}}  {'baseline value':30} {'ratio':>6}  target")
    for r in table:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(
            f"{r['figure']:{width}}  {r['value']:{vwidth}}  {r['baseline']:{bwidth}}  "
            f"{r['baselineValue']:30} {ratio:>6}  {r['target']}"
        )


def migrate(project: Path, servers: dict, env: dict) -> None:
    log(f"npm run migrate ({project.name})")
    run(["npm", "run", "migrate"], f"npm run migrate in {project}", cwd=project, env={**env, **servers})


def measure(args: argparse.Namespace) -> dict:
    env = node_env()
    result: dict = {
        "machine": machine_info(env),
        "settings": {
            "connections": args.connections,
            "durationSeconds": args.duration,
            "warmupSeconds": args.warmup,
            "rounds": args.rounds,
            "notes": args.notes,
            "layerRounds": args.layer_rounds,
            "serviceEnv": SERVICE_ENV,
            "serviceLog": "stdout and stderr appended to a file in the work dir",
            "loadGenerator": "autocannon (bench/http/load.mjs), same machine as the server",
            "order": "interleaved: every server and route once per round, medians over the rounds",
            "variants": {name: str(path) for name, path in args.variants},
        },
        "services": [],
        "layers": {},
    }
    languages = ["javascript"] + (["typescript"] if args.typescript else [])
    with contextlib.ExitStack() as stack:
        if args.workdir:
            work = args.workdir.resolve()
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(tempfile.mkdtemp(prefix="rampart-http-bench-"))
            stack.callback(shutil.rmtree, work, True)
        install_load_tools(env)
        for framework in args.frameworks:
            projects = [
                (f"{framework} hardened ({language})", render(framework, language, work, env)) for language in languages
            ]
            if args.auth_none:
                projects.append((f"{framework} hardened auth=none", render(framework, "javascript", work, env, "none")))
            variants = [(name, path) for name, path in args.variants if answers(path)["framework"] == framework]
            with contextlib.ExitStack() as running, redis_server() as redis_url, postgres_server() as pg:
                servers = {"REDIS_URL": redis_url, "DATABASE_URL": pg.url, "MIGRATION_DATABASE_URL": pg.owner_url}
                entries: list[dict] = []
                fixtures: dict = {}
                for name, project in projects:
                    if answers(project)["auth"] == "session":
                        migrate(project, servers, env)
                    entry, made = hardened(running, project, "hardened", name, servers, args, env, work)
                    entries.append(entry)
                    if entry["auth"] == "none":
                        fixtures["memory_notes"] = made["memory_notes"]
                    elif "user_id" not in fixtures:  # bare and peer read this user's rows (the first service's)
                        fixtures.update(made)
                for index, (variant, project) in enumerate(variants):
                    # Its own database (its migrations may differ), on the same server; the same Redis.
                    database = create_database(pg, f"variant{index}")
                    variant_servers = {
                        **servers,
                        "DATABASE_URL": database.url,
                        "MIGRATION_DATABASE_URL": database.owner_url,
                    }
                    answered = answers(project)
                    if answered["auth"] == "session":
                        migrate(project, variant_servers, env)
                    name = f"{framework} {variant} ({answered['language']}, auth={answered['auth']})"
                    entry, _ = hardened(running, project, "variant", name, variant_servers, args, env, work)
                    entries.append({**entry, "variant": variant})
                if "user_id" not in fixtures:
                    raise BenchError(f"{framework}: no auth=session service signed a user in")
                result["settings"]["notesBodyBytes"] = len(Path(fixtures["notes"]).read_bytes())
                entries[:0] = [
                    baseline(running, framework, kind, fixtures, servers, env, work) for kind in ("bare", "peer")
                ]
                result["services"] += interleaved(entries, args, env)
                running.close()
                if args.layers:
                    result["layers"][framework] = layers(framework, projects[0][1], servers, fixtures, args, env, work)
    result["machine"]["loadavgEnd"] = Path("/proc/loadavg").read_text().split()[:3]
    result["rows"] = rows(result)
    return result


def variant_arg(value: str) -> tuple[str, Path]:
    name, sep, directory = value.partition("=")
    path = Path(directory).expanduser().resolve()
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{value!r}: expected NAME=DIR")
    if not (path / ".copier-answers.yml").is_file() or not (path / "node_modules").is_dir():
        raise argparse.ArgumentTypeError(f"{directory}: not a rendered, npm-installed rampart project")
    return name.strip(), path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 s runs, 1 s warm-up (development)")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--duration", type=int, help="seconds per measured run (default 10, --quick 3)")
    parser.add_argument("--warmup", type=int, help="seconds of discarded warm-up (default 3, --quick 1)")
    parser.add_argument("--notes", type=int, default=20, help="notes seeded before GET /api/v1/notes (default 20)")
    parser.add_argument("--frameworks", default="express,fastify", help="comma-separated (default express,fastify)")
    parser.add_argument("--typescript", action="store_true", help="also the TypeScript services")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every server and route (medians)")
    parser.add_argument("--no-auth-none", dest="auth_none", action="store_false", help="skip the auth=none services")
    parser.add_argument("--no-layers", dest="layers", action="store_false", help="skip the layer costs")
    parser.add_argument(
        "--layer-rounds", type=int, help="measure each layer step N times, round robin; medians (default 3, --quick 1)"
    )
    parser.add_argument(
        "--variant",
        dest="variants",
        action="append",
        type=variant_arg,
        default=[],
        metavar="NAME=DIR",
        help="also measure this rendered, npm-installed service (repeatable), in the same rounds",
    )
    parser.add_argument("--workdir", type=Path, help="render projects here and keep them (reused when present)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.duration = args.duration or (3 if args.quick else 10)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 3)
    args.layer_rounds = args.layer_rounds or (1 if args.quick else 3)
    args.frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    unknown = set(args.frameworks) - {"express", "fastify"}
    if unknown:
        parser.error(f"unknown framework(s): {', '.join(sorted(unknown))}")
    return args


def _terminate(*_: object) -> None:
    raise SystemExit(143)  # unwinds every context manager: servers stopped, temp dirs removed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        result = measure(args)
    except KeyboardInterrupt:
        print("http_load: interrupted", file=sys.stderr)
        return 130
    except (BenchError, NodeUnavailable, ServiceUnavailable) as err:
        print(f"http_load: {err}", file=sys.stderr)
        return 1
    except (OSError, subprocess.SubprocessError) as err:
        print(f"http_load: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    machine = result["machine"]
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores, Node {machine['node']}, {machine['date']}, "
        f"load avg {' '.join(machine['loadavg'] or [])}; {args.connections} connections, {args.duration} s "
        f"measured after {args.warmup} s warm-up; autocannon shares the cores with the server"
    )
    print_table(result["rows"])
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
