"""Schemathesis hooks for tests/test_fuzz.py, loaded through SCHEMATHESIS_HOOKS=tests.fuzz_hooks.

- `no_internals_in_body`: a check that no response body carries a stack frame or an internal path.
- `after_call`: counts every request sent and the statuses answered, written as JSON at exit to
  RAMPART_FUZZ_STATS, so the test can prove how many requests were made. Also counted: the fuzzer's
  own sign-in attempts as RAMPART_FUZZ_USER (Schemathesis reuses values it read from responses, such
  as the username from GET /me), and every failed sign-in of the auth provider with its reason.
- `ServiceAuth`: signs in (session cookie + CSRF token, or a bearer token) as RAMPART_FUZZ_USER, so the
  guarded operations are fuzzed past their guard; re-signs in every 15 s in case the fuzzer signed out.
"""

from __future__ import annotations

import atexit
import http.client
import json
import os
import re
import secrets
import threading
from collections import Counter
from urllib.parse import urlsplit

import schemathesis
from hypothesis.internal import lambda_sources

# CPython 3.11 before 3.11.8 can raise SystemError "AST constructor recursion depth mismatch" from
# ast.parse (python/cpython#106905), which Hypothesis calls only to describe a filter's lambda in a repr.
# That description is cosmetic: fall back to a plain one rather than abort the fuzzing run.
_describe_lambda = lambda_sources.lambda_description


def _lambda_description(f, *args, **kwargs) -> str:
    try:
        return _describe_lambda(f, *args, **kwargs)
    except SystemError:
        return "lambda: <source not parsed>"


lambda_sources.lambda_description = _lambda_description

LEAK = re.compile(r"\bat \S+ \(|node_modules|/src/|/home/|\.[cm]?[jt]s:\d+|\bstack\b", re.I)

_lock = threading.Lock()
_statuses: Counter[int] = Counter()
_own_account: Counter[int] = Counter()
_auth_failures: list[str] = []


def _write_stats() -> None:
    path = os.environ.get("RAMPART_FUZZ_STATS")
    if path:
        with open(path, "w") as out:
            json.dump(
                {
                    "requests": sum(_statuses.values()),
                    "statuses": dict(sorted(_statuses.items())),
                    "own_account_sign_ins": dict(sorted(_own_account.items())),
                    "auth_failures": _auth_failures[-20:],
                },
                out,
            )


atexit.register(_write_stats)


@schemathesis.hook
def after_call(ctx, case, response):
    own = isinstance(case.body, dict) and case.body.get("username") == os.environ.get("RAMPART_FUZZ_USER")
    with _lock:
        _statuses[response.status_code] += 1
        if own and case.path.endswith(("/auth/login", "/auth/token")):
            _own_account[response.status_code] += 1


def _sent(case) -> str:
    """What the request carried, to tell an echo of the fuzzer's own input from a leak."""
    parts = [case.path_parameters, case.query, case.body, case.headers]
    return json.dumps(parts, default=str, ensure_ascii=False) + repr(parts)


@schemathesis.check
def no_internals_in_body(ctx, response, case):
    """No stack frame, module path or source location in any body (echoed input aside)."""
    text = response.content.decode("utf-8", "replace")
    for match in LEAK.finditer(text):
        if match.group(0) not in _sent(case):
            raise AssertionError(f"internal detail in the response body: {match.group(0)!r} in {text[:300]!r}")


# --- signing in -----------------------------------------------------------------------------------


def _call(base: str, method: str, path: str, payload=None, headers: dict | None = None):
    """One request from a fresh client address: the fuzzer's own login attempts trip the login
    limiter for 127.0.0.1, which must not lock the test's own sign-in out. (secrets, not random:
    Hypothesis reseeds the global `random` for every test case, which would repeat the address.)"""
    address = "10." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        body = None if payload is None else json.dumps(payload).encode()
        sent = {
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": address,
            **(headers or {}),
        }
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
        if response.status >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status}: {raw[:300]!r}")
        return (json.loads(raw) if raw else {}), cookies
    finally:
        conn.close()


def register(base: str, auth: str, credentials: dict) -> None:
    """Create the user the fuzzer signs in as, through the API as a client would."""
    headers = {}
    if auth == "session":
        body, cookies = _call(base, "GET", "/api/v1/csrf-token")
        headers = {"Cookie": cookies[0], "X-CSRF-Token": body["csrfToken"]}
    _call(base, "POST", "/api/v1/auth/register", credentials, headers)


def sign_in(base: str, auth: str, credentials: dict) -> dict[str, str]:
    """Headers that authenticate as that user: a bearer token, or a session cookie and its CSRF token."""
    if auth == "token":
        body, _ = _call(base, "POST", "/api/v1/auth/token", credentials)
        return {"Authorization": f"Bearer {body['accessToken']}"}
    body, cookies = _call(base, "GET", "/api/v1/csrf-token")
    body, signed_in = _call(
        base, "POST", "/api/v1/auth/login", credentials, {"Cookie": cookies[0], "X-CSRF-Token": body["csrfToken"]}
    )
    return {"Cookie": signed_in[0], "X-CSRF-Token": body["csrfToken"]}


if os.environ.get("RAMPART_FUZZ_AUTH") in {"session", "token"}:

    @schemathesis.auth(refresh_interval=15)
    class ServiceAuth:
        def get(self, case, ctx):
            credentials = {"username": os.environ["RAMPART_FUZZ_USER"], "password": os.environ["RAMPART_FUZZ_PASSWORD"]}
            try:
                return sign_in(os.environ["RAMPART_FUZZ_BASE"], os.environ["RAMPART_FUZZ_AUTH"], credentials)
            except Exception as error:
                with _lock:
                    _auth_failures.append(f"{type(error).__name__}: {error}")
                raise

        def set(self, case, data, ctx):
            case.headers = {**(case.headers or {}), **data}
