"""A generated service running on a free 127.0.0.1 port, for black-box probes (e2e and doctor --url)."""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.services import free_port as free_port  # one port picker, also offered here with the service helpers


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


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


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
    proc = start(project, env, {"NODE_ENV": "production", "PORT": str(port), "TRUST_PROXY_HOPS": "1"})
    try:
        wait_ready(port, proc)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.log_path.unlink(missing_ok=True)
