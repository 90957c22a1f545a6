from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from generator.new import NewOptions, create_service
from tests import node_runtime, services
from tests.combinations import needs_servers

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(items):
    # Fast tests first: e2e failures are costlier to wait for.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def render_cache(tmp_path_factory):
    return {}, tmp_path_factory.mktemp("rendered")


@pytest.fixture
def render(render_cache):
    """Render a project with `rampart new --no-install --no-git` semantics; cached per answers.

    Returned trees are shared between tests: treat them as read-only.
    """
    cache, base = render_cache

    def _render(**answers) -> Path:
        key = tuple(sorted((k, str(v)) for k, v in answers.items()))
        if key not in cache:
            dest = base / f"svc{len(cache)}" / "svc"
            create_service(NewOptions(dest=dest, data=answers, defaults=True, install=False, git=False))
            cache[key] = dest
        return cache[key]

    return _render


def run_rampart(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120, **kw):
    """The real CLI, in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


@pytest.fixture(scope="session")
def node_dirs() -> list[Path]:
    """PATH entries for the pinned Node.js; fails (never skips) under CI=true."""
    try:
        return node_runtime.node_path_dirs()
    except node_runtime.NodeUnavailable as err:
        if IN_CI:
            pytest.fail(f"cannot provision the pinned Node.js under CI: {err}")
        pytest.skip(f"pinned Node.js unavailable: {err}")


@pytest.fixture(scope="session")
def node_env(node_dirs) -> dict[str, str]:
    return node_runtime.env_with_node(node_dirs)


def _unavailable(err: Exception):
    if IN_CI:
        pytest.fail(f"CI must run this test: {err}")
    pytest.skip(str(err))


def _serve(start):
    """Yield the URL of a server started by `start` (a tests.services context manager)."""
    try:
        with start() as url:
            yield url
    except services.ServiceUnavailable as err:
        _unavailable(err)


@pytest.fixture(scope="session")
def redis_url():
    """A real redis-server on a free 127.0.0.1 port for this test session."""
    yield from _serve(services.redis_server)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL on a free 127.0.0.1 port (run as `postgres` when tests run as root), its
    database `app` set up as a generated service's db/create-roles.sh does: services.PostgresUrls."""
    yield from _serve(services.postgres_server)


@pytest.fixture(scope="session")
def database_url(postgres):
    """The service's runtime role (DATABASE_URL): rows only, no CREATE, ALTER or DROP."""
    return postgres.url


@pytest.fixture(scope="session")
def migration_database_url(postgres):
    """The owner role `npm run migrate` connects as (MIGRATION_DATABASE_URL)."""
    return postgres.owner_url


@pytest.fixture(scope="session")
def installed_service(request, tmp_path_factory, node_env):
    """install(variant) -> (project, env): `rampart new` with a real `npm install`, migrated against
    the real servers when the variant uses them. Cached per variant for the whole session, so the e2e,
    fuzz, browser and fault tests share one install of each service."""
    cache: dict[tuple, tuple[Path, dict]] = {}

    def install(variant: dict) -> tuple[Path, dict]:
        key = tuple(sorted((k, str(v)) for k, v in variant.items()))
        if key not in cache:
            cache[key] = _install(variant)
        project, env = cache[key]
        # Every caller gets its own Redis key prefix: the services share the suite's one Redis and all
        # come from 127.0.0.1, so with one prefix the rate-limit counters, lockouts and the global
        # sign-in failure budget that one test used up (the hostile requests, the fuzzer) would
        # refuse the next test's requests with 429.
        return project, {**env, "REDIS_KEY_PREFIX": f"t{uuid.uuid4().hex[:16]}:"}

    def _install(variant: dict) -> tuple[Path, dict]:
        dest = tmp_path_factory.mktemp("e2e") / "svc"
        flags = [f"--data={k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in variant.items()]
        result = run_rampart("new", str(dest), "--defaults", *flags, env=node_env, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        env = dict(node_env)
        if needs_servers(variant):
            env["REDIS_URL"] = request.getfixturevalue("redis_url")
            env["DATABASE_URL"] = request.getfixturevalue("database_url")
            env["MIGRATION_DATABASE_URL"] = request.getfixturevalue("migration_database_url")
            migrated = subprocess.run(
                ["npm", "run", "migrate"], cwd=dest, env=env, capture_output=True, text=True, timeout=300
            )
            assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
        return dest, env

    return install
