"""A generated service's README.md is executed: every shell block a user is meant to run, in order, as
written, substituting only ports (the servers and the service run on free ports here).

`rampart new` → `npm install` → Redis and PostgreSQL by the README's no-Docker route (the test suite's own
servers stand in for the system's: the README's psql runs against them as a superuser, through the PG*
variables the README names) → `npm run migrate` → `npm run dev` → every curl example, each answering the
status the README states → lint, audit and the tests, as the README says to run them.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.parse
import warnings
from pathlib import Path

import pytest

from tests import services
from tests.conftest import run_rampart
from tests.readme_blocks import shell_blocks, statuses_in
from tests.running_service import free_port, request

pytestmark = pytest.mark.e2e

# The default service (`rampart new --defaults`: Express, JavaScript, sessions), and one other session and
# one token service, so each of the README's variants is run by someone.
SERVICES = {
    "docs-default": {},
    "docs-session": {"framework": "fastify", "language": "typescript", "auth": "session", "pages": "true"},
    "docs-token": {"framework": "express", "language": "typescript", "auth": "token"},
}


AUDIT_UNREACHABLE = "audit endpoint returned an error"
SERVICE_VARIABLES = {
    "NODE_ENV",
    "APP_SECRET",
    "REDIS_URL",
    "DATABASE_URL",
    "MIGRATION_DATABASE_URL",
    "HOST",
    "PORT",
    "LOG_LEVEL",
}


def _substitute_ports(text: str, ports: dict[int, int]) -> str:
    for documented, actual in ports.items():
        text = re.sub(rf"\b127\.0\.0\.1:{documented}\b", f"127.0.0.1:{actual}", text)
    return text


@contextlib.contextmanager
def _background(command: str, cwd: Path, env: dict, port: int):
    """Run a block that keeps running (the service), until the with-block ends; then stop it as Ctrl-C does."""
    with tempfile.NamedTemporaryFile(prefix="rampart-docs-", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(
            ["bash", "-c", command], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    log_path = Path(log.name)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"`{command}` exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"`{command}` did not answer /healthz within 60 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield log_path
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log_path.unlink(missing_ok=True)


@pytest.mark.parametrize("name", SERVICES)
def test_generated_readme_runs_as_written(name, tmp_path, node_env, redis_url, postgres):
    dest = tmp_path / name
    flags = [f"--data={key}={value}" for key, value in SERVICES[name].items()]
    created = run_rampart("new", str(dest), "--defaults", "--no-install", *flags, env=node_env, timeout=300)
    assert created.returncode == 0, created.stdout + created.stderr
    readme = (dest / "README.md").read_text()
    assert "cp .env.example .env" not in readme, "the README must never overwrite the .env rampart wrote"

    pg = urllib.parse.urlsplit(postgres.superuser_url)  # psql's superuser, as the README asks for
    documented_port = int(re.search(r"http://127\.0\.0\.1:(\d+)", readme)[1])
    service_port = free_port()
    ports = {6379: urllib.parse.urlsplit(redis_url).port, 5432: pg.port, documented_port: service_port}
    env_file = dest / ".env"
    env_file.write_text(_substitute_ports(env_file.read_text(), ports))
    # compose.yaml starts Redis with .env's REDIS_PASSWORD; the suite's Redis (the system's, without
    # Docker) has none, so the URL loses its password, as a system Redis's user would write it.
    env_file.write_text(re.sub(r"^REDIS_URL=.*$", f"REDIS_URL={redis_url}", env_file.read_text(), flags=re.M))
    # The user's shell: Node.js 24, psql and psql's superuser connection (the README names these variables),
    # none of the variables the service itself reads (it must get them from .env, as the README says).
    shell_env = {
        **{key: value for key, value in node_env.items() if key not in SERVICE_VARIABLES},
        "PATH": f"{Path(services.pg_bin('psql')).parent}:{node_env['PATH']}",
        "PORT": str(service_port),
        "PGHOST": "127.0.0.1",
        "PGPORT": str(pg.port),
        "PGUSER": pg.username,
        "PGPASSWORD": pg.password,
        "npm_config_update_notifier": "false",
    }

    blocks = shell_blocks(readme)
    skipped = [block for block in blocks if block.skip_reason]
    assert len(skipped) <= 4, f"few blocks may go unexecuted: {[b.text for b in skipped]}"
    ran_curl = False
    with contextlib.ExitStack() as stack:
        for block in blocks:
            if block.skip_reason:
                continue
            script = _substitute_ports(block.text, ports)
            if block.server_command:
                stack.enter_context(_background(script, dest, shell_env, service_port))
                continue
            result = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", script],
                cwd=dest,
                env=shell_env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            output = result.stdout + result.stderr
            if result.returncode != 0 and AUDIT_UNREACHABLE in output and block.bare_commands == ["npm run audit"]:
                # A registry (mirror) without the audit endpoint is this machine's limit, not the README's.
                warnings.warn(f"README line {block.line}: npm audit could not reach the advisories", stacklevel=1)
                continue
            assert result.returncode == 0, f"README block at line {block.line} failed:\n{script}\n{output[-5000:]}"
            expected = block.expected_statuses()
            assert statuses_in(result.stdout) == expected, f"README block at line {block.line}:\n{output[-5000:]}"
            ran_curl = ran_curl or bool(expected)
    assert ran_curl, "the README shows the running service answering"
