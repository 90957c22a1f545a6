"""End-to-end, per combination: `rampart new` with a real `npm install` on the pinned Node.js, then the
service's own lint and tests, then black-box HTTP probes of the running service against BASELINE."""

from __future__ import annotations

import base64
import json
import re
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml

from tests import fuzz_hooks
from tests.combinations import E2E_VARIANTS, combination_id, needs_servers
from tests.running_service import call, entry_point
from tests.running_service import free_port as _free_port
from tests.running_service import request as _request
from tests.running_service import running_service as _running_service

pytestmark = pytest.mark.e2e


def _npm(project: Path, env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(["npm", *args], cwd=project, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module", params=E2E_VARIANTS, ids=combination_id)
def installed(request, installed_service) -> tuple[Path, dict]:
    return installed_service(request.param)


def test_lockfile_is_generated_and_npm_ci_reproduces_it(installed):
    project, env = installed
    assert (project / "package-lock.json").is_file()
    tracked = subprocess.run(["git", "-C", str(project), "ls-files"], capture_output=True, text=True).stdout.split()
    assert "package-lock.json" in tracked, "the lockfile is part of the first commit"
    result = _npm(project, env, "ci", "--ignore-scripts")
    assert result.returncode == 0, result.stderr[-3000:]


def test_generated_lint_is_green(installed):
    project, env = installed
    result = _npm(project, env, "run", "lint")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_generated_lockfile_lint_is_green(installed):
    project, env = installed
    result = _npm(project, env, "run", "lint:lockfile")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def assert_own_tests_green(result: subprocess.CompletedProcess) -> str:
    """`npm test` passed, every test ran (none skipped for want of servers), and enough of them."""
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    passed = int(re.search(r"^(?:\u2139|#) pass (\d+)$", output, re.M).group(1))
    assert re.search(r"^(?:\u2139|#) fail 0$", output, re.M)
    skipped = int(re.search(r"^(?:\u2139|#) skipped (\d+)$", output, re.M).group(1))
    assert skipped == 0, "with REDIS_URL and DATABASE_URL given, every test must run"
    assert passed >= 25, f"only {passed} tests ran"
    return output


# With sign-in (session, token), the service's own suite runs in tests/test_add_resource_e2e.py, on a
# copy of this very install with two resources added: the same test files on the same code, plus the
# added ones. Running it here as well would cost the suite ~40 s a variant (issue 17, .ci/run < 60 min).
@pytest.mark.parametrize("variant", [v for v in E2E_VARIANTS if not needs_servers(v)], ids=combination_id)
def test_generated_test_suite_is_green(variant, installed_service):
    project, env = installed_service(variant)
    assert_own_tests_green(_npm(project, env, "test"))


def test_deny_list_test_can_fail(installed):
    project, env = installed
    lockfile = project / "package-lock.json"
    original = lockfile.read_text()
    lock = json.loads(original)
    lock["packages"]["node_modules/csurf"] = {
        "version": "1.11.0",
        "resolved": "https://registry.npmjs.org/csurf/-/csurf-1.11.0.tgz",
    }
    try:
        lockfile.write_text(json.dumps(lock, indent=2))
        result = subprocess.run(
            ["node", "--test", *(str(p.relative_to(project)) for p in project.glob("test/deny-list.test.*"))],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0 and "csurf" in result.stdout + result.stderr
    finally:
        lockfile.write_text(original)


# --- the running service, probed from outside -------------------------------------------------


@pytest.fixture(scope="module")
def service(installed):
    with _running_service(*installed) as running:
        yield running


@pytest.fixture(scope="module")
def signed_in(installed, service) -> dict[str, str]:
    """Headers of a signed-in user: with sign-in, the notes belong to users (none for auth=none)."""
    auth = yaml.safe_load((installed[0] / ".copier-answers.yml").read_text())["auth"]
    if auth == "none":
        return {}
    base = f"http://127.0.0.1:{service[0]}"
    credentials = {"username": f"e2e-{uuid.uuid4().hex[:12]}", "password": "correct horse battery staple"}
    fuzz_hooks.register(base, auth, credentials)
    return {"X-Forwarded-Proto": "https", **fuzz_hooks.sign_in(base, auth, credentials)}


def _assert_clean_error(status: int, headers: dict, body: bytes, expected_status: int) -> dict:
    assert status == expected_status, body[:500]
    assert headers["content-type"].startswith("application/json") and "charset=utf-8" in headers["content-type"]
    payload = json.loads(body)
    assert set(payload["error"]) >= {"code", "message"}
    text = body.decode()
    assert not re.search(r"\bat \S+ \(|node_modules|/src/|\.[cm]?[jt]s:\d+|stack", text, re.I), text
    return payload


def test_security_headers_on_every_response(service, signed_in):
    port, _ = service
    for method, path in (("GET", "/healthz"), ("GET", "/nope"), ("GET", "/api/v1/notes")):
        _, headers, _ = _request(port, method, path, headers=signed_in)
        assert "x-powered-by" not in headers
        hsts = headers["strict-transport-security"]
        assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000 and "includeSubDomains" in hsts
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] in {"no-referrer", "strict-origin-when-cross-origin"}
        csp = {d.strip().split(" ")[0]: d.strip() for d in headers["content-security-policy"].split(";") if d.strip()}
        assert csp["default-src"] == "default-src 'none'" and csp["frame-ancestors"] == "frame-ancestors 'none'"
        assert headers["cross-origin-opener-policy"] == "same-origin"
        assert headers["cross-origin-resource-policy"] == "same-origin"
        assert "charset=" in headers["content-type"]


def test_not_found_is_clean_json(service):
    _assert_clean_error(*_request(service[0], "GET", "/../../etc/passwd"), 404)


def test_trace_is_refused(service):
    status, headers, body = _request(service[0], "TRACE", "/healthz")
    _assert_clean_error(status, headers, body, 405)


def test_oversize_and_malformed_bodies(service, signed_in):
    port, _ = service
    json_headers = {"Content-Type": "application/json", **signed_in}
    big = json.dumps({"title": "t", "body": "x" * 200_000}).encode()
    _assert_clean_error(*_request(port, "POST", "/api/v1/notes", big, json_headers), 413)
    _assert_clean_error(*_request(port, "POST", "/api/v1/notes", b'{"title": ', json_headers), 400)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/notes?limit[$gt]=1", None),
        ("GET", "/api/v1/notes?limit=1&limit=2", None),
        ("POST", "/api/v1/notes", b'{"title": "t", "__proto__": {"admin": true}}'),
        ("POST", "/api/v1/notes", b'{"title": ["array", "not", "string"]}'),
        ("POST", "/api/v1/notes", b'{"title": "t", "extra": 1}'),
        ("GET", "/api/v1/notes/not-a-uuid", None),
    ],
)
def test_hostile_input_is_rejected(service, signed_in, method, path, body):
    headers = {"Content-Type": "application/json", **signed_in}
    status, headers, raw = _request(service[0], method, path, body, headers)
    _assert_clean_error(status, headers, raw, 400)


def test_valid_input_round_trips(service, signed_in):
    port, _ = service
    status, _, body = _request(
        port,
        "POST",
        "/api/v1/notes",
        json.dumps({"title": "hi", "body": "there"}).encode(),
        {"Content-Type": "application/json", **signed_in},
    )
    assert status == 201, body
    note = json.loads(body)
    status, _, body = _request(port, "GET", f"/api/v1/notes/{note['id']}", headers=signed_in)
    assert status == 200 and json.loads(body)["title"] == "hi"


def test_cors_is_an_allowlist(service):
    for origin in ("https://evil.example", "null"):
        _, headers, _ = _request(service[0], "GET", "/healthz", headers={"Origin": origin})
        assert "access-control-allow-origin" not in headers


def test_rate_limit_headers(service):
    _, headers, _ = _request(service[0], "GET", "/openapi.json")
    assert "ratelimit-policy" in headers and "ratelimit" in headers


def test_sigterm_drains_and_exits_zero(installed):
    with _running_service(*installed) as (_, proc):
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


@pytest.mark.parametrize("secret", [None, "too-short", "change-me-change-me-change-me-change-me-change-me", "a" * 64])
@pytest.mark.parametrize("node_env_value", ["production", None])
def test_refuses_to_start_without_a_real_secret(installed, secret, node_env_value):
    project, env = installed
    extra = {k: v for k, v in env.items() if k not in {"APP_SECRET", "NODE_ENV"}}
    if secret is not None:
        extra["APP_SECRET"] = secret
    if node_env_value is not None:
        extra["NODE_ENV"] = node_env_value  # unset NODE_ENV must be treated as production
    proc = subprocess.Popen(
        ["node", entry_point(project)],
        cwd=project,
        env={**extra, "PORT": str(_free_port())},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode != 0, output
    assert "APP_SECRET" in output
    assert "    at " not in output, "a refusal is one clear line, not a stack trace"
    if secret:
        assert secret not in output, "the secret's value must never be logged"


# --- authentication, black-box ----------------------------------------------------------------

HTTPS = {"X-Forwarded-Proto": "https", "Content-Type": "application/json"}
PASSWORD = "correct horse battery staple"


def _call(port: int, method: str, path: str, payload=None, headers: dict | None = None):
    """One request as the TLS proxy forwards it; returns status, JSON body (or None) and every Set-Cookie header."""
    reply = call(port, method, path, payload, {**HTTPS, **(headers or {})})
    return reply.status, reply.json(), reply.cookies


def _cookie(set_cookies: list[str]) -> tuple[str, dict[str, str]]:
    (header,) = [c for c in set_cookies if c.startswith("__Host-sid=")]
    pair, *attributes = (part.strip() for part in header.split(";"))
    return pair, {a.split("=", 1)[0].lower(): [*a.split("=", 1), ""][1] for a in attributes}


def _variant(request) -> dict:
    return request.node.callspec.params["installed"]


def test_session_auth_black_box(service, request):
    if _variant(request)["auth"] != "session":
        pytest.skip("session variants only")
    port, _ = service
    user = f"user-{uuid.uuid4().hex[:12]}"

    status, body, cookies = _call(port, "GET", "/api/v1/csrf-token")
    assert status == 200 and body["csrfToken"]
    anon, attributes = _cookie(cookies)
    assert {"secure", "httponly", "path", "samesite"} <= set(attributes) and "domain" not in attributes
    assert attributes["path"] == "/" and attributes["samesite"].lower() == "strict"
    assert 0 < int(attributes.get("max-age", "86400")) <= 86400 or "expires" in attributes
    jar = {"Cookie": anon, "X-CSRF-Token": body["csrfToken"]}

    status, body, _ = _call(
        port, "POST", "/api/v1/auth/register", {"username": user, "password": PASSWORD}, {"Cookie": anon}
    )
    assert status == 403 and body["error"]["code"] == "csrf_failed", "no token, no state change"
    status, body, _ = _call(
        port,
        "POST",
        "/api/v1/auth/register",
        {"username": user, "password": PASSWORD},
        {**jar, "Sec-Fetch-Site": "cross-site"},
    )
    assert status == 403, "cross-site requests are refused even with a token"
    status, _, _ = _call(port, "POST", "/api/v1/auth/register", {"username": user, "password": PASSWORD}, jar)
    assert status == 201

    wrong = _call(port, "POST", "/api/v1/auth/login", {"username": user, "password": "not the password"}, jar)
    unknown = _call(port, "POST", "/api/v1/auth/login", {"username": f"x{user}", "password": PASSWORD}, jar)

    def without_request_id(error: dict) -> dict:
        return {k: v for k, v in error.items() if k != "requestId"}

    assert wrong[0] == unknown[0] == 401, "no user enumeration"
    assert without_request_id(wrong[1]["error"]) == without_request_id(unknown[1]["error"])

    status, body, cookies = _call(port, "POST", "/api/v1/auth/login", {"username": user, "password": PASSWORD}, jar)
    assert status == 200
    signed_in, _ = _cookie(cookies)
    assert signed_in != anon, "the session id changes at login (no fixation)"
    jar = {"Cookie": signed_in, "X-CSRF-Token": body["csrfToken"]}
    status, body, _ = _call(port, "GET", "/api/v1/me", headers=jar)
    assert status == 200 and body["user"]["username"] == user
    assert _call(port, "GET", "/api/v1/admin/users", headers=jar)[0] == 403, "wrong role"
    assert _call(port, "GET", "/api/v1/me", headers={"Cookie": anon})[0] == 401, "the pre-login id is dead"

    assert _call(port, "POST", "/api/v1/auth/logout", headers=jar)[0] == 204
    assert _call(port, "GET", "/api/v1/me", headers=jar)[0] == 401, "logout kills the session id"


def test_token_auth_black_box(service, request):
    if _variant(request)["auth"] != "token":
        pytest.skip("token variants only")
    port, _ = service
    user = f"user-{uuid.uuid4().hex[:12]}"
    assert _call(port, "POST", "/api/v1/auth/register", {"username": user, "password": PASSWORD})[0] == 201
    status, body, cookies = _call(port, "POST", "/api/v1/auth/token", {"username": user, "password": PASSWORD})
    assert status == 200 and body["tokenType"] == "Bearer" and not cookies
    bearer = {"Authorization": f"Bearer {body['accessToken']}"}
    assert _call(port, "GET", "/api/v1/me", headers=bearer)[0] == 200
    assert _call(port, "GET", "/api/v1/me")[0] == 401
    assert _call(port, "GET", "/api/v1/admin/users", headers=bearer)[0] == 403

    header, claims, _ = body["accessToken"].split(".")
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    assert _call(port, "GET", "/api/v1/me", headers={"Authorization": f"Bearer {unsigned}.{claims}."})[0] == 401
    assert _call(port, "GET", "/api/v1/me", headers={"Authorization": f"Bearer {header}.{claims}.AAAA"})[0] == 401

    assert _call(port, "POST", "/api/v1/auth/revoke", headers=bearer)[0] == 204
    assert _call(port, "GET", "/api/v1/me", headers=bearer)[0] == 401, "a revoked token is refused"
