"""Real Redis and PostgreSQL servers for the e2e tests, on free 127.0.0.1 ports in temp dirs.

PostgreSQL refuses to run as root, so when the tests run as root its data dir belongs
to the `postgres` system user (created by Debian's package) and the server runs as it.
`python -m tests.services` starts both and prints their URLs, for developing the template.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


class ServiceUnavailable(Exception):
    """The server binary is not installed; the message names the Debian package."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen | None, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout} s")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceUnavailable("redis-server is not installed (Debian package: redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rampart-redis-") as data:
        proc = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                data,
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port, proc, "redis-server")
            yield f"redis://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if found:
        return found[0]
    binary = shutil.which(name)
    if binary is None:
        raise ServiceUnavailable("PostgreSQL is not installed (Debian package: postgresql)")
    return binary


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    initdb, pg_ctl, psql = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("psql")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise ServiceUnavailable("no `postgres` user to run PostgreSQL as (Debian package: postgresql)") from None
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    base = Path(tempfile.mkdtemp(prefix="rampart-pg-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    if owner is not None:
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    password = "rampart-test-password"  # a throwaway server on loopback, deleted after the tests
    pwfile = base / "pw"
    pwfile.write_text(password + "\n")
    if owner is not None:
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run(
            initdb,
            "-D",
            str(data),
            "-U",
            "app",
            "--pwfile",
            str(pwfile),
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-sync",
        )
        run(
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-w",
            "-t",
            "60",
            "start",
            "-o",
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
        )
        env = {**os.environ, "PGPASSWORD": password}
        subprocess.run(
            [
                *as_user,
                psql,
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "app",
                "-d",
                "postgres",
                "-c",
                "CREATE DATABASE app",
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        yield f"postgres://app:{password}@127.0.0.1:{port}/app"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _stop(*_: object) -> None:
    raise SystemExit(0)  # unwinds the context managers, which stop both servers


if __name__ == "__main__":
    # A background job starts with SIGINT ignored; either signal must still clean up.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with redis_server() as redis_url, postgres_server() as database_url:
        print(f"REDIS_URL={redis_url}\nDATABASE_URL={database_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
