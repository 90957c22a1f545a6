"""Property-based fuzzing of every e2e service with Schemathesis, driven by the service's own OpenAPI 3.1
document (`GET /openapi.json`, derived from the route schemas that validate requests).

Per service: at least MIN_REQUESTS generated requests within FUZZ_SECONDS, and
- no 5xx (`not_a_server_error`),
- every status, content type, header and body as documented (`*_conformance`),
- invalid input refused (`negative_data_rejection`; 413 counts, see tests/schemathesis.toml),
- guarded operations refuse a request without credentials (`ignored_auth`),
- no stack frame or internal path in any body (`no_internals_in_body`, tests/fuzz_hooks.py),
- and the service is still up afterwards.
The seed is fixed so that CI is reproducible; RAMPART_FUZZ_SEED picks another one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests import fuzz_hooks
from tests.combinations import E2E_VARIANTS, combination_id
from tests.running_service import output, request, running_service

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
MIN_REQUESTS = 1_000
EXAMPLES_PER_OPERATION = 100
# Schemathesis repeats fuzzing until --max-time is spent: 45 s is 1,200-2,500 requests per service here.
FUZZ_SECONDS = 45
SEED = os.environ.get("RAMPART_FUZZ_SEED", "20261123")
# The general limiter stays on but out of the way: 429 would hide the routes behind it.
# Schemathesis reuses values read from responses, so it also tries passwords on the test's own account
# (the username from GET /me; counted as own_account_sign_ins). From its one address the login limiter
# lets at most LOGIN_RATE_LIMIT_REQUESTS of those through per window; a lockout threshold above that keeps
# the fuzzer from locking the account the auth provider signs in with, which would hide every guarded
# operation for the lock's duration. (The lockout itself is proven in tests/test_faults.py.)
FUZZ_LIMITS = {
    "RATE_LIMIT_REQUESTS": "1000000",
    "LOGIN_RATE_LIMIT_REQUESTS": "10",
    "LOGIN_RATE_LIMIT_WINDOW_MS": "600000",
    "LOCKOUT_THRESHOLD": "11",
}
# The password change checks the current password like a sign-in: the fuzzer's wrong guesses would count
# toward the account-wide lockout and lock out the auth provider's own sign-ins (from addresses the
# account has never signed in from), hiding every guarded operation. Its refusals are proven by the
# generated test/account.test; sign-out everywhere and revoke-all are fuzzed (the provider re-signs in).
EXCLUDED_PATHS = r"^/api/v1/auth/password$"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "ignored_auth",
]


@pytest.mark.parametrize("variant", E2E_VARIANTS, ids=combination_id)
def test_fuzzing_finds_no_failure(variant, installed_service, tmp_path):
    project, env = installed_service(variant)
    with running_service(project, {**env, **FUZZ_LIMITS}) as (port, proc):
        status, headers, body = request(port, "GET", "/openapi.json")
        assert status == 200 and headers["content-type"].startswith("application/json"), body[:300]
        document = json.loads(body)
        assert document["openapi"].startswith("3.1.")

        stats = tmp_path / "stats.json"
        fuzz_env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SCHEMATHESIS_HOOKS": "tests.fuzz_hooks",
            "RAMPART_FUZZ_STATS": str(stats),
            "RAMPART_FUZZ_BASE": f"http://127.0.0.1:{port}",
            "RAMPART_FUZZ_AUTH": variant["auth"],
            "RAMPART_FUZZ_USER": f"fuzz-{uuid.uuid4().hex[:12]}",
            "RAMPART_FUZZ_PASSWORD": f"fuzz password {uuid.uuid4().hex}",
        }
        if variant["auth"] != "none":
            credentials = {"username": fuzz_env["RAMPART_FUZZ_USER"], "password": fuzz_env["RAMPART_FUZZ_PASSWORD"]}
            fuzz_hooks.register(fuzz_env["RAMPART_FUZZ_BASE"], variant["auth"], credentials)

        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "--config-file",
                str(ROOT / "tests" / "schemathesis.toml"),
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--checks",
                ",".join([*CHECKS, "no_internals_in_body"]),
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--max-time",
                str(FUZZ_SECONDS),
                "--seed",
                SEED,
                "--workers",
                "2",
                "--request-timeout",
                "10",
                "--generation-database",
                "none",
                "--header",
                "X-Forwarded-Proto: https",
                "--exclude-path-regex",
                EXCLUDED_PATHS,
                "--no-color",
                "--output-truncate",
                "true",
            ],
            cwd=tmp_path,
            env=fuzz_env,
            capture_output=True,
            text=True,
            timeout=FUZZ_SECONDS + 120,
        )
        figures = json.loads(stats.read_text()) if stats.exists() else {}
        report = (
            f"{result.stdout[-12000:]}{result.stderr[-3000:]}\n"
            f"figures: {figures}\nservice log (tail):\n{output(proc)[-3000:]}"
        )
        assert result.returncode == 0, report
        print(f"\n{combination_id(variant)}: {figures}")
        assert figures["requests"] >= MIN_REQUESTS, f"only {figures['requests']} requests were generated\n{report}"
        assert not any(int(code) >= 500 for code in figures["statuses"]), figures
        assert proc.poll() is None and request(port, "GET", "/healthz")[0] == 200, "the service must stay up"
