"""A generated service running on a free 127.0.0.1 port, for black-box probes (e2e and doctor --url)."""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services import free_port as free_port  # one port picker, also offered here with the service helpers

# The probes register their test users from 127.0.0.1, more than the per-address registration limit
# (10 an hour, proven by the generated tests) lets through in one service run.
PROBE_LIMITS = {"REGISTER_RATE_LIMIT_REQUESTS": "10000"}


def entry_point(project: Path) -> str:
    """The service's entry file (src/server.js or src/server.ts: Node runs TypeScript by type stripping)."""
    return json.loads((project / "package.json").read_text())["main"]


def start(project: Path, env: dict, extra: dict) -> subprocess.Popen:
    """Start the service; its output goes to a file (`output(proc)`): a pipe nobody reads fills up
    after ~64 KB of request logs and then blocks the service's event loop."""
    with tempfile.NamedTemporaryFile(prefix="rampart-service-", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(
            ["node", "--env-file=.env", entry_point(project)],
            cwd=project,
            env={**env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    proc.log_path = Path(log.name)
    return proc


def output(proc: subprocess.Popen) -> str:
    """Everything the service has printed so far (started by `start`, or with its own stdout pipe)."""
    log_path = getattr(proc, "log_path", None)
    if log_path is None:
        return proc.stdout.read() if proc.stdout else ""
    return log_path.read_text(errors="replace")


@dataclass
class Reply:
    """One HTTP answer: status, headers (lower-case names), raw body and every Set-Cookie header."""

    status: int
    headers: dict[str, str]
    body: bytes
    cookies: list[str]

    def json(self):
        return json.loads(self.body) if self.body else None

    @property
    def code(self) -> str | None:
        """The service's error code; None for any other body (Fastify's own error JSON has a string "error")."""
        with contextlib.suppress(ValueError, KeyError, TypeError):
            return self.json()["error"]["code"]
        return None


def send(conn: http.client.HTTPConnection, method: str, path: str, payload=None, headers=None, body=None) -> Reply:
    """One request on an open connection; `payload` is sent as JSON, `body` as it is."""
    sent = dict(headers or {})
    if payload is not None:
        body = json.dumps(payload).encode()
        sent.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    raw = response.read()
    pairs = response.getheaders()
    cookies = [value for name, value in pairs if name.lower() == "set-cookie"]
    return Reply(response.status, {name.lower(): value for name, value in pairs}, raw, cookies)


def call(port: int, method: str, path: str, payload=None, headers=None, *, body=None, timeout: float = 10) -> Reply:
    """One request on a connection of its own to 127.0.0.1:`port`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        return send(conn, method, path, payload, headers, body)
    finally:
        conn.close()


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """The probes' shorthand: (status, headers, body) of one request."""
    reply = call(port, method, path, headers=headers, body=body)
    return reply.status, reply.headers, reply.body


def wait_ready(port: int, proc: subprocess.Popen, path: str = "/healthz") -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"service exited with {proc.returncode}: {output(proc)[-3000:]}")
        try:
            if request(port, "GET", path)[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("service did not become healthy within 30 s")


@contextlib.contextmanager
def running_service(project: Path, env: dict):
    """The service in its production configuration (the process env's NODE_ENV wins over .env)."""
    port = free_port()
    # One trusted proxy hop: probes say `X-Forwarded-Proto: https`, as a TLS-terminating proxy would.
    proc = start(project, env, {"NODE_ENV": "production", "PORT": str(port), "TRUST_PROXY_HOPS": "1", **PROBE_LIMITS})
    try:
        wait_ready(port, proc)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.log_path.unlink(missing_ok=True)
