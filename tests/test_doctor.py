"""`rampart doctor`, static part: the weakened corpus is detected 100%, pristine projects of every
combination have nothing at or above medium, rules read Fastify and TypeScript, the CLI's exit codes
and its JSON report (validated against docs/doctor-report.schema.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from generator.doctor import DoctorOptions, run_doctor
from generator.doctor.code import check as code_check
from generator.doctor.code import load_sources
from generator.doctor.project import NodeProject
from generator.new import NewOptions, create_service
from tests.combinations import AUTH_VARIANTS, SUPPORTED_COMBINATIONS, combination_id
from tests.conftest import ROOT, run_rampart
from tests.doctor_corpus import WEAKENINGS, audit, corpus_table, medium_or_worse, prepare

SCHEMA = json.loads((ROOT / "docs" / "doctor-report.schema.json").read_text())
BASE = next(c for c in SUPPORTED_COMBINATIONS if c == {"framework": "express", "language": "javascript"})
PRISTINE = [{**combo, **auth} for combo in SUPPORTED_COMBINATIONS for auth in AUTH_VARIANTS]


@pytest.fixture(scope="module")
def corpus_results():
    return {}


@pytest.mark.parametrize("weakening", WEAKENINGS, ids=[w.kind for w in WEAKENINGS])
def test_weakened_copy_is_flagged_with_its_baseline_id(render, tmp_path, weakening, corpus_results):
    project = prepare(render(**BASE, **weakening.variant), tmp_path / "svc")
    before = {(f.baseline, f.rule) for f in medium_or_worse(audit(project, "drift"))}
    assert (weakening.baseline, weakening.rule) not in before, "the pristine copy must not have it already"
    weakening.weaken(project)
    findings = audit(project, "drift")
    flagged = [f for f in findings if f.rule == weakening.rule]
    detected = ",".join(sorted({str(f.baseline) for f in flagged})) or "-"
    corpus_results[weakening.kind] = (weakening.baseline, weakening.rule, detected)
    assert flagged, f"{weakening.kind}: not flagged; got {[(f.baseline, f.rule) for f in findings]}"
    assert {f.baseline for f in flagged} == {weakening.baseline}
    assert all(f.severity in {"medium", "high", "critical"} for f in flagged)


def test_corpus_table(corpus_results, capsys):
    """Prints the acceptance table (run with -s to see it); the corpus tests above fill it."""
    if len(corpus_results) < len(WEAKENINGS):
        pytest.skip("run together with the corpus tests")
    rows = [(w.kind, *corpus_results[w.kind]) for w in WEAKENINGS]
    table = corpus_table(rows)
    with capsys.disabled():
        print("\n" + table)
    assert len(WEAKENINGS) >= 20
    assert all(detected == expected for _, expected, _, detected in rows)


@pytest.mark.parametrize("variant", PRISTINE, ids=combination_id)
def test_pristine_projects_have_no_medium_findings(render, tmp_path, variant):
    project = prepare(render(**variant), tmp_path / "svc")
    report = run_doctor(DoctorOptions(path=project))
    serious = medium_or_worse(report.sorted_findings())
    assert serious == [], "\n".join(f"{f.severity} {f.baseline} {f.rule} {f.location}: {f.message}" for f in serious)
    assert report.project["framework"] == variant["framework"]
    assert report.project["language"] == variant["language"]
    assert report.project["rampart"] is not None, "a generated project knows its template version"
    assert {"dependencies", "code", "secrets", "ci", "docker", "drift"} <= set(report.checks)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True)


def test_drift_reports_version_and_changed_security_files(tmp_path):
    """A template repository tagged v1.0.0 (this tree) and later v1.1.0; the project is on v1.0.0."""
    repo = tmp_path / "template-repo"
    repo.mkdir()
    shutil.copy2(ROOT / "copier.yml", repo / "copier.yml")
    shutil.copytree(ROOT / "template", repo / "template")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1")
    _git(repo, "tag", "v1.0.0")
    generated = tmp_path / "svc"
    create_service(
        NewOptions(generated, {**BASE, "auth": "none"}, defaults=True, install=False, git=False, template=str(repo))
    )
    _git(repo, "commit", "-q", "--allow-empty", "-m", "v1.1")
    _git(repo, "tag", "v1.1.0")
    project = prepare(generated, tmp_path / "copy")

    report = run_doctor(DoctorOptions(path=project))
    assert report.project["rampart"] == {"template_version": "v1.0.0", "newest": "v1.1.0", "behind": 1}
    behind = [f for f in report.findings if f.rule == "drift.behind"]
    assert len(behind) == 1 and behind[0].severity == "low"
    assert not [f for f in report.findings if f.rule == "drift.file-diverged"], "pristine: nothing diverged"

    WEAKENINGS[0].weaken(project)  # helmet removed: package.json and the headers module change
    diverged = {f.location: f.baseline for f in audit(project) if f.rule == "drift.file-diverged"}
    assert diverged.pop("package.json") == "B24"
    assert diverged and all(loc.startswith("src/") and baseline for loc, baseline in diverged.items()), diverged


def test_not_a_rampart_project_is_info_only(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "plain", "dependencies": {"express": "^5.1.0"}}')
    (tmp_path / "index.js").write_text("import express from 'express';\nconst app = express();\napp.listen(3000);\n")
    findings = {f.rule: f for f in audit(tmp_path)}
    assert findings["drift.not-rampart"].severity == "info"
    assert findings["headers.helmet-missing"].baseline == "B2"
    assert findings["express.x-powered-by-not-disabled"].baseline == "B1"
    assert findings["errors.no-handler"].baseline == "B12"


# --- rules on hand-written Fastify and TypeScript code ------------------------------------------

FASTIFY_WEAK = """\
import Fastify from 'fastify';
import cors from '@fastify/cors';
import fastifySession from '@fastify/session';
import fastifyCookie from '@fastify/cookie';

const app = Fastify({ logger: true, trustProxy: true });
await app.register(fastifyCookie);
await app.register(fastifySession, { secret: process.env.APP_SECRET, cookie: { secure: false } });
await app.register(cors, { origin: '*' });
app.setErrorHandler((error, request, reply) => {
  reply.code(500).send({ error: error.message });
});
"""

FASTIFY_STRONG = """\
import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';

const app = Fastify({ trustProxy: 1 });
await app.register(helmet, {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
});
await app.register(rateLimit, { max: 100, timeWindow: 60_000 });
app.setErrorHandler((error, request, reply) => {
  request.log.error({ err: error }, 'request failed');
  reply.code(500).send({ error: { code: 'internal_error', message: 'Internal server error' } });
});
"""

TYPESCRIPT_WEAK = """\
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';

const app = express();
app.set('trust proxy', true as const);
app.use(helmet({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", "'unsafe-inline'"] } } }));
app.use(
  session({
    secret: process.env.APP_SECRET!,
    cookie: { httpOnly: false, sameSite: 'lax' },
  } satisfies session.SessionOptions),
);
app.use((err: Error, req: Request, res: Response, next: NextFunction): void => {
  res.status(500).json({ error: err.message, stack: err.stack });
});
const jwtSecret: string = 'h4rdc0ded-s3cret-value';
"""

TYPESCRIPT_STRONG = """\
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { config } from './config.ts';

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', config.TRUST_PROXY_HOPS);
app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } }) as express.RequestHandler);
app.use(rateLimit({ limit: 100, windowMs: 60_000 }));
app.use((err: Error, req: Request, res: Response, next: NextFunction): void => {
  req.log?.error({ err }, 'request failed');
  res.status(500).json({ error: { code: 'internal_error', message: 'Internal server error' } });
});
"""


def _code_findings(tmp_path: Path, framework: str, filename: str, code: str) -> dict[str, str]:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / filename).write_text(code)
    project = NodeProject(tmp_path, {"name": "x", "dependencies": {framework: "^5.0.0"}})
    return {f.rule: f.baseline for f in code_check(project, load_sources(project))}


def test_fastify_rules(tmp_path):
    found = _code_findings(tmp_path, "fastify", "app.js", FASTIFY_WEAK)
    assert found == {
        "fastify.trust-proxy-true": "B8",
        "session.cookie-insecure": "B15",
        "session.memory-store": "B17",
        "cors.any-origin": "B6",
        "errors.message-in-response": "B12",
        "headers.helmet-missing": "B2",
        "rate-limit.missing": "B21",
        "csrf.missing": "B19",
    }


def test_fastify_hardened_code_is_clean(tmp_path):
    assert _code_findings(tmp_path, "fastify", "app.mjs", FASTIFY_STRONG) == {}


def test_typescript_rules(tmp_path):
    found = _code_findings(tmp_path, "express", "app.ts", TYPESCRIPT_WEAK)
    assert found == {
        "express.trust-proxy-true": "B8",
        "csp.unsafe-inline-script": "B4",
        "session.cookie-not-httponly": "B15",
        "session.cookie-insecure": "B15",  # express-session's cookie without `secure` is not Secure
        "session.memory-store": "B17",
        "errors.stack-in-response": "B12",
        "secrets.hardcoded": "B18",
        "rate-limit.missing": "B21",
        "csrf.missing": "B19",
    }


def test_typescript_hardened_code_is_clean(tmp_path):
    assert _code_findings(tmp_path, "express", "app.ts", TYPESCRIPT_STRONG) == {}


def test_rules_ignore_comments_and_strings(tmp_path):
    code = (
        "import express from 'express';\n"
        "// app.set('trust proxy', true) would be wrong\n"
        'const doc = "cookie: { secure: false }";\n'
        "export { doc, express };\n"
    )
    found = _code_findings(tmp_path, "express", "app.cjs", code)
    assert "express.trust-proxy-true" not in found and "session.cookie-insecure" not in found


# --- CLI: exit codes and the JSON report --------------------------------------------------------


def test_cli_json_report_matches_schema_and_exit_codes(render, tmp_path):
    project = prepare(render(**BASE, auth="none"), tmp_path / "svc")
    clean = run_rampart("doctor", str(project), "--json", "--skip", "drift")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    report = json.loads(clean.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["summary"]["failed"] is False and report["target"]["path"] == str(project)

    WEAKENINGS[0].weaken(project)
    (project / "Dockerfile").write_text((project / "Dockerfile").read_text().replace("USER node\n", ""))
    failing = run_rampart("doctor", str(project), "--json", "--skip", "drift")
    assert failing.returncode == 1
    report = json.loads(failing.stdout)
    jsonschema.validate(report, SCHEMA)
    rules = {(f["baseline"], f["rule"]) for f in report["findings"]}
    assert {("B2", "headers.helmet-missing"), ("B27", "docker.root-user")} <= rules
    assert report["findings"][0]["severity"] == "high", "most severe first"
    assert run_rampart("doctor", str(project), "--fail-on", "critical", "--skip", "drift").returncode == 0
    text = run_rampart("doctor", str(project), "--skip", "drift")
    assert text.returncode == 1 and "B27  docker.root-user  Dockerfile:" in text.stdout and "fix: " in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}/missing"], "not a directory"),
        (["{tmp}"], "no package.json"),
        (["{tmp}/broken"], "package.json is not valid JSON"),
        (["--url", "http://192.0.2.10/"], "must be this machine"),
        (["--url", "http://10.0.0.1:3000/"], "must be this machine"),
        (["--url", "ftp://127.0.0.1/"], "expected an http:// or https:// URL"),
        (["--url", "http://127.0.0.1:{port}/"], "cannot audit"),
    ],
)
def test_cannot_audit_exits_2(tmp_path, args, message):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "package.json").write_text("{not json")
    from tests.services import free_port

    args = [a.format(tmp=tmp_path, port=free_port()) for a in args]
    result = run_rampart("doctor", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_doctor_in_a_git_repository_sees_tracked_files(render, tmp_path):
    project = prepare(render(**BASE, auth="none"), tmp_path / "svc")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / "deploy.env.json").write_text('{"API_KEY": "live-9f8e7d6c5b4a39281706"}\n')
    assert not any(f.rule == "secrets.committed" for f in audit(project, "drift")), "untracked: not committed"
    subprocess.run(["git", "-C", str(project), "add", "deploy.env.json"], check=True)
    committed = [f for f in audit(project, "drift") if f.rule == "secrets.committed"]
    assert [(f.baseline, f.location) for f in committed] == [("B18", "deploy.env.json:1")]
    shutil.rmtree(project / ".git")


def test_cors_options_built_in_a_shared_module(tmp_path):
    """Options made where cors() is not called are still CORS options (a key only they have)."""
    shared = (
        "export function corsOptions(config) {{\n"
        "  return {{ origin: {origin}, methods: ['GET'], allowedHeaders: ['Content-Type'], maxAge: 600 }};\n"
        "}}\n"
    )
    allowlist = "(origin, callback) => callback(null, config.CORS_ORIGINS.includes(origin))"
    for case, origin, flagged in [("reflected", "true", True), ("wildcard", "'*'", True), ("listed", allowlist, False)]:
        (tmp_path / case).mkdir()
        found = _code_findings(tmp_path / case, "express", "cors-options.js", shared.format(origin=origin))
        assert ("cors.any-origin" in found) is flagged, (case, found)


def test_doctor_without_path_audits_the_current_directory(render, tmp_path):
    """`rampart doctor` (the README's first example) audits `.`: the same report as `rampart doctor .`."""
    project = prepare(render(**BASE, auth="none"), tmp_path / "svc")
    WEAKENINGS[0].weaken(project)
    bare = run_rampart("doctor", "--json", "--skip", "drift", cwd=project)
    dotted = run_rampart("doctor", ".", "--json", "--skip", "drift", cwd=project)
    assert bare.returncode == dotted.returncode == 1, bare.stdout + bare.stderr
    bare_report, dotted_report = json.loads(bare.stdout), json.loads(dotted.stdout)
    assert bare_report["checks"] and bare_report["checks"] == dotted_report["checks"]
    assert bare_report["findings"] == dotted_report["findings"]


def test_a_run_that_checked_nothing_never_says_ok(render, tmp_path):
    project = prepare(render(**BASE, auth="none"), tmp_path / "svc")
    from generator.doctor import STATIC_FAMILIES

    skips = [arg for family in STATIC_FAMILIES for arg in ("--skip", family)]
    result = run_rampart("doctor", str(project), *skips)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "ok" not in result.stdout and "nothing was audited" in result.stderr
