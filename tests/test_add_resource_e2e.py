"""`rampart add resource`, end to end, for every framework x language with session and with token auth:
a generated service gets two resources (invoices, line_items), then its own `npm run migrate`,
`npm run lint` and `npm test` pass against the real Redis and PostgreSQL, and `rampart doctor` finds
nothing of medium severity or worse. For these variants this `npm test` is also the run of the service's
own suite (tests/test_e2e.py runs it only for auth=none): the same test files on the same code, plus
the added ones.

To keep the suite's time, no service is installed here: each test copies the service `installed_service`
already installed for the other e2e tests (node_modules included; a copy costs seconds, an install
minutes), commits the copy, and adds the resources to the copy. Each copy migrates its own database on
the suite's PostgreSQL, so its tables and migration history meet no other test's.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests import services
from tests.combinations import E2E_VARIANTS, combination_id, needs_servers
from tests.conftest import run_rampart
from tests.test_add_resource import INVOICES, LINE_ITEMS
from tests.test_e2e import assert_own_tests_green

pytestmark = pytest.mark.e2e

# The variants with sign-in the suite installs anyway (session with pages, and token).
VARIANTS = [variant for variant in E2E_VARIANTS if needs_servers(variant)]
GIT = ["git", "-c", "user.name=rampart-tests", "-c", "user.email=tests@rampart.invalid"]


def _run(cwd: Path, env: dict, *argv: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _commit(project: Path, message: str) -> None:
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True, capture_output=True)
    subprocess.run([*GIT, "commit", "-q", "--allow-empty", "-m", message], cwd=project, check=True)


@pytest.mark.parametrize("variant", VARIANTS, ids=combination_id)
def test_two_added_resources_lint_test_and_audit_clean(variant, installed_service, postgres, tmp_path):
    installed, env = installed_service(variant)
    started = time.monotonic()
    project = tmp_path / "svc"
    shutil.copytree(installed, project, symlinks=True)
    # Whatever the other tests left in the shared install's tree (caches, logs) is committed here, so
    # `add resource` sees the clean tree it requires.
    _commit(project, "the installed service, as the other e2e tests left it")
    copied = time.monotonic()

    ext = "ts" if variant["language"] == "typescript" else "js"
    for name, fields in (("invoices", INVOICES), ("line_items", LINE_ITEMS)):
        added = run_rampart("add", "resource", name, "--path", str(project), *fields, env=env)
        assert added.returncode == 0, added.stdout + added.stderr
        assert f"  created: test/{name}.test.{ext}" in added.stdout
        _commit(project, f"add resource {name}")
    added_at = time.monotonic()

    # A database of its own: its tables and migration history cannot collide with the other tests'.
    own = services.create_database(postgres, f"add_{uuid.uuid4().hex[:16]}")
    env = {**env, "DATABASE_URL": own.url, "MIGRATION_DATABASE_URL": own.owner_url}
    migrated = _run(project, env, "npm", "run", "migrate", timeout=300)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    assert "003_create_invoices" in migrated.stdout + migrated.stderr
    assert "004_create_line_items" in migrated.stdout + migrated.stderr

    linted = _run(project, env, "npm", "run", "lint")
    assert linted.returncode == 0, linted.stdout[-5000:] + linted.stderr[-2000:]
    linted_at = time.monotonic()

    # The service's whole suite: for these variants, tests/test_e2e.py leaves it to this test.
    output = assert_own_tests_green(_run(project, env, "npm", "test", timeout=900))
    for path in ("/api/v1/invoices", "/api/v1/line-items"):
        assert f"{path}: " in output, f"the tests of {path} did not run"
    tested_at = time.monotonic()

    doctor = run_rampart("doctor", str(project), "--fail-on", "medium", env=env)
    assert doctor.returncode == 0, doctor.stdout[-5000:] + doctor.stderr[-2000:]
    done = time.monotonic()
    print(
        f"\n{combination_id(variant)}: copy {copied - started:.1f} s, add x2 {added_at - copied:.1f} s, "
        f"migrate+lint {linted_at - added_at:.1f} s, npm test {tested_at - linted_at:.1f} s, "
        f"doctor {done - tested_at:.1f} s, total {done - started:.1f} s"
    )
