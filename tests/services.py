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
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple


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


def pg_bin(name: str) -> str:
    """The path of a PostgreSQL program (Debian keeps them out of PATH, under /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if found:
        return found[0]
    binary = shutil.which(name)
    if binary is None:
        raise ServiceUnavailable("PostgreSQL is not installed (Debian package: postgresql)")
    return binary


def _postgres_user() -> tuple[pwd.struct_passwd | None, list[str]]:
    """PostgreSQL refuses to run as root: then its files belong to, and its commands run as, `postgres`."""
    if os.geteuid() != 0:
        return None, []
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceUnavailable("no `postgres` user to run PostgreSQL as (Debian package: postgresql)") from None
    return owner, ["runuser", "-u", "postgres", "--"]


# The throwaway servers' passwords (loopback only, deleted after the tests).
PG_SUPERUSER_PASSWORD = "rampart-test-password"
PG_OWNER_PASSWORD = "rampart-test-owner-password"
PG_PASSWORD = "rampart-test-runtime-password"

# What a generated service's db/create-roles.sh does, for the database `app`: the owner role
# `app_owner` (owns the database and its public schema; `npm run migrate` connects as it) and the
# runtime role `app` (the service: rows only, no CREATE on the schema, so no CREATE/ALTER/DROP).
_CREATE_ROLES = (
    f"CREATE ROLE app_owner LOGIN PASSWORD '{PG_OWNER_PASSWORD}'",
    f"CREATE ROLE app LOGIN PASSWORD '{PG_PASSWORD}'",
    "CREATE DATABASE app OWNER app_owner",
)
_LOCK_DOWN_SCHEMA = ("REVOKE CREATE ON SCHEMA public FROM PUBLIC", "ALTER SCHEMA public OWNER TO app_owner")


class PostgresUrls(NamedTuple):
    """The database `app` of a test server, as each of its roles."""

    url: str  # the service's runtime role (DATABASE_URL)
    owner_url: str  # the owner role migrations run as (MIGRATION_DATABASE_URL)
    superuser_url: str  # `postgres`, a superuser, on the `postgres` database (for psql setup steps)


def _urls(port: int) -> PostgresUrls:
    return PostgresUrls(
        f"postgres://app:{PG_PASSWORD}@127.0.0.1:{port}/app",
        f"postgres://app_owner:{PG_OWNER_PASSWORD}@127.0.0.1:{port}/app",
        f"postgres://postgres:{PG_SUPERUSER_PASSWORD}@127.0.0.1:{port}/postgres",
    )


def _initdb(initdb: str, data: Path, pwfile: Path, as_user: list[str]) -> None:
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "postgres", "--pwfile", str(pwfile), *_INITDB_OPTIONS],
        check=True,
        capture_output=True,
    )


def _create_roles(psql: str, port: int, as_user: list[str]) -> None:
    env = {**os.environ, "PGPASSWORD": PG_SUPERUSER_PASSWORD}
    base = [*as_user, psql, "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    for database, statements in (("postgres", _CREATE_ROLES), ("app", _LOCK_DOWN_SCHEMA)):
        # One -c each: CREATE DATABASE cannot run inside the transaction a multi-statement -c is.
        args = [arg for statement in statements for arg in ("-c", statement)]
        subprocess.run([*base, "-d", database, *args], check=True, capture_output=True, env=env)


def create_database(server: PostgresUrls, name: str) -> PostgresUrls:
    """One more database on a test server, owned by `app_owner` with its schema locked down as `app`'s is
    (db/create-roles.sh); the same roles' URLs for it."""
    superuser = urllib.parse.urlsplit(server.superuser_url)
    env = {**os.environ, "PGPASSWORD": superuser.password}
    base = [pg_bin("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-h", superuser.hostname, "-p", str(superuser.port)]
    for database, statements in (("postgres", (f"CREATE DATABASE {name} OWNER app_owner",)), (name, _LOCK_DOWN_SCHEMA)):
        args = [arg for statement in statements for arg in ("-c", statement)]
        subprocess.run([*base, "-U", "postgres", "-d", database, *args], check=True, capture_output=True, env=env)

    def in_new(url: str) -> str:
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))

    return PostgresUrls(in_new(server.url), in_new(server.owner_url), server.superuser_url)


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresUrls]:
    initdb, pg_ctl, psql = pg_bin("initdb"), pg_bin("pg_ctl"), pg_bin("psql")
    owner, as_user = _postgres_user()
    port = free_port()
    base = Path(tempfile.mkdtemp(prefix="rampart-pg-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    pwfile = base / "pw"
    pwfile.write_text(PG_SUPERUSER_PASSWORD + "\n")
    if owner is not None:
        for path in (base, sockets, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True)  # noqa: E731
    try:
        _initdb(initdb, data, pwfile, as_user)
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
        _create_roles(psql, port, as_user)
        yield _urls(port)
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# --- servers a test can stop and start again (fault tests) ------------------------------------


def _wait_for_port_closed(port: int, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} still listens on 127.0.0.1:{port} after {timeout} s")


class ControllableRedis:
    """A redis-server a test can stop and start again on the same port and data dir.

    Append-only persistence is on, so what the service stored (sessions, counters) survives a restart,
    as it does in a production Redis.
    """

    def __init__(self, binary: str, port: int, data: str) -> None:
        self.binary, self.port, self.data = binary, port, data
        self.url = f"redis://127.0.0.1:{port}"
        self._proc: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        if self.running:
            return
        args = ["--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.data, "--save", ""]
        args += ["--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "yes"]
        self._proc = subprocess.Popen([self.binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, self._proc, "redis-server")

    def stop(self) -> None:
        """Graceful shutdown (SIGTERM); returns once the port is closed."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(timeout=30)
        self._proc = None
        _wait_for_port_closed(self.port, "redis-server")


@contextlib.contextmanager
def controllable_redis_server() -> Iterator[ControllableRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceUnavailable("redis-server is not installed (Debian package: redis-server)")
    with tempfile.TemporaryDirectory(prefix="rampart-redis-") as data:
        server = ControllableRedis(binary, free_port(), data)
        try:
            server.start()
            yield server
        finally:
            server.stop()


def redis_command(url: str, *args: str, timeout: float = 5) -> object:
    """One command to a Redis server (RESP2): the reply, decoded (an error reply raises RuntimeError)."""
    parsed = urllib.parse.urlsplit(url)
    request = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
    with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=timeout) as sock:
        sock.sendall(request.encode())
        reader = sock.makefile("rb")

        def reply() -> object:
            line = reader.readline().rstrip(b"\r\n")
            kind, rest = line[:1], line[1:].decode()
            if kind == b"+":
                return rest
            if kind == b"-":
                raise RuntimeError(rest)
            if kind == b":":
                return int(rest)
            if kind == b"$":
                return None if int(rest) < 0 else reader.read(int(rest) + 2)[:-2].decode()
            if kind == b"*":
                return None if int(rest) < 0 else [reply() for _ in range(int(rest))]
            raise RuntimeError(f"unexpected Redis reply {line!r}")

        return reply()


class ControllablePostgres:
    """A PostgreSQL server a test can stop and start again on the same port and data dir."""

    def __init__(self, base: Path, port: int, as_user: list[str]) -> None:
        self.base, self.port, self.as_user = base, port, as_user
        self.data, self.sockets = base / "data", base / "sockets"
        self.url, self.owner_url, self.superuser_url = _urls(port)
        self.running = False

    def _pg_ctl(self, *args: str) -> None:
        cmd = [*self.as_user, pg_bin("pg_ctl"), "-D", str(self.data), *args]
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-l", str(self.base / "log"), "-w", "-t", "60", "start", "-o", options)
        self.running = True

    @contextlib.contextmanager
    def locked(self, table: str) -> Iterator[None]:
        """Hold an ACCESS EXCLUSIVE lock on `table` (from a psql session) until the block ends: queries on it wait."""
        psql = subprocess.Popen(
            [pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            psql.stdin.write(f"BEGIN;\nLOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;\n\\echo locked\n")
            psql.stdin.flush()
            line = psql.stdout.readline()
            if line.strip() != "locked":
                raise RuntimeError(f"psql could not lock {table}: {line}")
            yield
        finally:
            with contextlib.suppress(OSError):
                psql.stdin.write("COMMIT;\n")
                psql.stdin.close()
            try:
                psql.wait(timeout=30)
            except subprocess.TimeoutExpired:
                psql.kill()
                psql.wait()

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session (clients see 57P01), then the server exits; returns once it has."""
        self._pg_ctl("-m", mode, "-w", "-t", "60", "stop")
        self.running = False
        _wait_for_port_closed(self.port, "postgres")


_INITDB_OPTIONS = ("--auth=scram-sha-256", "--encoding=UTF8", "--no-sync")


@contextlib.contextmanager
def controllable_postgres_server() -> Iterator[ControllablePostgres]:
    """Like postgres_server(), as a ControllablePostgres (its `url` and `owner_url` have the same form)."""
    initdb, psql = pg_bin("initdb"), pg_bin("psql")
    owner, as_user = _postgres_user()
    base = Path(tempfile.mkdtemp(prefix="rampart-pg-"))
    server = ControllablePostgres(base, free_port(), as_user)
    server.sockets.mkdir()
    pwfile = base / "pw"
    pwfile.write_text(PG_SUPERUSER_PASSWORD + "\n")
    if owner is not None:
        for path in (base, server.sockets, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    try:
        _initdb(initdb, server.data, pwfile, as_user)
        server.start()
        _create_roles(psql, server.port, as_user)
        yield server
    finally:
        if server.running:
            with contextlib.suppress(subprocess.SubprocessError):
                server.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


def _stop(*_: object) -> None:
    raise SystemExit(0)  # unwinds the context managers, which stop both servers


if __name__ == "__main__":
    # A background job starts with SIGINT ignored; either signal must still clean up.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with redis_server() as redis_url, postgres_server() as postgres:
        print(
            f"REDIS_URL={redis_url}\nDATABASE_URL={postgres.url}\nMIGRATION_DATABASE_URL={postgres.owner_url}",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
