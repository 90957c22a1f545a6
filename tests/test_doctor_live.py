"""`rampart doctor --url`: probes of running services. Generated services (auth none and session,
against real Redis and PostgreSQL) have nothing at or above medium; a deliberately weak Express app,
installed from the npm registry and run on the pinned Node.js, is flagged on every weakness."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.combinations import combination_id, needs_servers
from tests.conftest import ROOT, run_rampart
from tests.running_service import free_port, running_service, wait_ready

pytestmark = pytest.mark.e2e
SCHEMA = json.loads((ROOT / "docs" / "doctor-report.schema.json").read_text())

WEAK_APP = """\
// Deliberately weak: X-Powered-By on, no helmet, CORS *, no rate limit, cookie without flags,
// no CSRF on a cookie-authenticated POST, and an error handler that answers with the stack.
import express from 'express';
import cors from 'cors';

const app = express();
app.use(cors());
app.use(express.json());
app.get('/healthz', (req, res) => res.json({ ok: true }));
app.get('/', (req, res) => {
  res.cookie('sid', 'weak-session-id');
  res.json({ hello: 'world' });
});
// doctor finds the routes to probe in the API description (it assumes no paths of its own).
app.get('/openapi.json', (req, res) => {
  res.json({ openapi: '3.1.0', info: { title: 'weak', version: '1' }, paths: { '/api/v1/notes': { post: {} } } });
});
app.post('/api/v1/notes', (req, res) => {
  if (!(req.headers.cookie ?? '').includes('sid=')) {
    res.status(401).json({ error: 'sign in first' });
    return;
  }
  res.status(201).json({ ok: true });
});
app.use((err, req, res, next) => {
  res.status(500).json({ message: err.message, stack: err.stack });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
"""

WEAK_LIVE_FINDINGS = {
    ("B1", "live.x-powered-by"),
    ("B2", "live.hsts"),
    ("B3", "live.nosniff"),
    ("B4", "live.csp-missing"),
    ("B6", "live.cors-foreign-origin"),
    ("B12", "live.stack-in-error"),
    ("B15", "live.cookie-flags"),
    ("B19", "live.csrf-missing"),
    ("B21", "live.rate-limit-headers-missing"),
}


def _npm(cwd: Path, env: dict, *args: str) -> None:
    result = subprocess.run(["npm", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _doctor(*args: str) -> tuple[int, dict]:
    result = run_rampart("doctor", *args, "--json", timeout=300)
    assert result.returncode in {0, 1}, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    return result.returncode, report


def _serious(report: dict) -> list[tuple[str, str, str]]:
    return [
        (f["baseline"], f["rule"], f["location"])
        for f in report["findings"]
        if f["severity"] in {"medium", "high", "critical"}
    ]


@pytest.fixture(scope="module")
def weak_app(tmp_path_factory, node_env) -> Path:
    app = tmp_path_factory.mktemp("weak") / "weak-app"
    app.mkdir()
    package = {"name": "weak-app", "version": "1.0.0", "type": "module", "private": True}
    package["dependencies"] = {"express": "^5.1.0", "cors": "^2.8.5"}
    (app / "package.json").write_text(json.dumps(package, indent=2))
    (app / "app.js").write_text(WEAK_APP)
    _npm(app, node_env, "install", "--no-audit", "--no-fund", "--ignore-scripts")
    return app


def test_weak_express_app_is_flagged(weak_app, node_env):
    port = free_port()
    proc = subprocess.Popen(
        ["node", "app.js"],
        cwd=weak_app,
        env={**node_env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_ready(port, proc)
        code, report = _doctor(str(weak_app), "--url", f"http://127.0.0.1:{port}")
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert code == 1
    live = {(b, r) for b, r, loc in _serious(report) if r.startswith("live.")}
    assert live == WEAK_LIVE_FINDINGS
    static = {(b, r) for b, r, _ in _serious(report) if not r.startswith("live.")}
    assert {("B2", "headers.helmet-missing"), ("B6", "cors.any-origin"), ("B12", "errors.stack-in-response")} <= static
    assert not [r for _, r, _ in _serious(report) if r.startswith("lockfile.")], "npm's own lockfile passes"


@pytest.fixture(scope="module", params=[{"auth": "none"}, {"auth": "session"}], ids=combination_id)
def generated(request, tmp_path_factory, node_env) -> tuple[Path, dict]:
    dest = tmp_path_factory.mktemp("live") / "svc"
    result = run_rampart(
        "new", str(dest), "--defaults", f"--data=auth={request.param['auth']}", env=node_env, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    env = dict(node_env)
    if needs_servers(request.param):
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
        env["DATABASE_URL"] = request.getfixturevalue("database_url")
        env["MIGRATION_DATABASE_URL"] = request.getfixturevalue("migration_database_url")
        _npm(dest, env, "run", "migrate")
    return dest, env


def test_generated_service_has_no_medium_findings_live_and_static(generated):
    project, env = generated
    with running_service(project, env) as (port, _):
        code, report = _doctor(str(project), "--url", f"http://127.0.0.1:{port}")
    assert _serious(report) == []
    assert code == 0 and "live" in report["checks"]
