"""Live checks (`--url`): black-box probes of a running service on this machine.

Only loopback addresses are probed (a doctor run must never scan someone else's host).
Every request has a timeout and the number of requests is fixed (about fifteen). The
probes send `X-Forwarded-Proto: https`, as a TLS-terminating proxy would, so a service
that trusts one proxy hop issues its Secure cookies. POST probes carry `{}` or a
malformed / oversized body: they change nothing in a service that validates input.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import re
import secrets
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.doctor.findings import EXIT_CANNOT_AUDIT, Finding
from generator.errors import RampartError

TIMEOUT_SECONDS = 5
MAX_BODY = 65_536
EVIL_ORIGIN = "https://evil.example"
HSTS_MIN = 31_536_000
CSRF_ROUTES = ("/api/v1/auth/logout", "/api/v1/notes")
COOKIE_SOURCES = ("/api/v1/csrf-token",)  # where a cookie-session service issues its cookie
BODY_ROUTES = ("/api/v1/notes",)
_STACK = re.compile(
    r"\n\s+at \S+|\bat \S+ \([^)]*:\d+:\d+\)|node_modules/|\.(?:js|mjs|cjs|ts):\d+:\d+|\"stack\"\s*:", re.I
)
_RATE_LIMIT_HEADERS = ("ratelimit", "ratelimit-policy", "ratelimit-limit", "x-ratelimit-limit")


@dataclass
class Response:
    method: str
    url: str
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes

    @property
    def where(self) -> str:
        return f"{self.method} {self.url}"


class Target:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise RampartError(f"cannot audit {url}: expected an http:// or https:// URL", EXIT_CANNOT_AUDIT)
        check_loopback(parts.hostname, url)
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.base = (parts.path or "/").rstrip("/")
        self.origin = f"{parts.scheme}://{parts.netloc}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        if self.scheme == "https":
            # Loopback only: a local development certificate is usually self-signed.
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                self.host, self.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        full = self.base + path
        try:
            conn.request(method, full, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
            response = conn.getresponse()
            raw = response.read(MAX_BODY)
            headers_seen = {k.lower(): v for k, v in response.getheaders()}
            cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
            return Response(method, self.origin + full, response.status, headers_seen, cookies, raw)
        finally:
            conn.close()


def check_loopback(host: str, url: str) -> None:
    """Refuse (exit 2) anything that is not this machine: every address the name resolves to is loopback."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        raise RampartError(f"cannot audit {url}: {host} does not resolve", EXIT_CANNOT_AUDIT) from None
    addresses = {info[4][0].split("%")[0] for info in infos}
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise RampartError(
            f"cannot audit {url}: --url must be this machine (localhost, 127.0.0.1 or ::1)", EXIT_CANNOT_AUDIT
        )


def check(url: str) -> list[Finding]:
    target = Target(url)
    try:
        root = target.request("GET", "/")
    except OSError as err:
        raise RampartError(f"cannot audit {url}: {err.strerror or err}", EXIT_CANNOT_AUDIT) from None
    try:
        return _probe(target, root)
    except OSError as err:
        raise RampartError(f"cannot audit {url}: the service stopped answering ({err})", EXIT_CANNOT_AUDIT) from None


def _probe(target: Target, root: Response) -> list[Finding]:
    findings: list[Finding] = []
    missing = target.request("GET", f"/rampart-doctor-{secrets.token_hex(4)}")
    responses = [root, missing]
    findings += _headers(root)
    findings += _not_found(missing)
    trace = target.request("TRACE", "/")
    responses.append(trace)
    if 200 <= trace.status < 300:
        findings.append(
            Finding(
                "B7",
                "live.trace-allowed",
                "medium",
                trace.where,
                f"TRACE is answered with {trace.status} (cross-site tracing)",
                "answer TRACE/TRACK with 405 before routing",
            )
        )
    findings += _cors(target)
    json_headers = {"Content-Type": "application/json"}
    for path in (*BODY_ROUTES, "/"):
        malformed = target.request("POST", path, b'{"doctor": ', json_headers)
        oversized = target.request("POST", path, json.dumps({"doctor": "x" * 200_000}).encode(), json_headers)
        responses += [malformed, oversized]
        if 200 <= oversized.status < 300:
            findings.append(
                Finding(
                    "B9",
                    "live.no-body-limit",
                    "medium",
                    oversized.where,
                    "a 200 kB JSON body was accepted",
                    "limit JSON bodies (e.g. 100 kB) and answer 413",
                )
            )
    responses.append(target.request("GET", "/%E0%A4%A"))  # undecodable path: a classic stack-trace trigger
    for response in responses:
        if response.status >= 400:
            findings += _error_body(response)
    if not any(name in r.headers for r in responses for name in _RATE_LIMIT_HEADERS):
        findings.append(
            Finding(
                "B21",
                "live.rate-limit-headers-missing",
                "medium",
                root.where,
                "no RateLimit headers on any response: the API looks unlimited",
                "a general rate limiter with standard RateLimit headers (express-rate-limit / @fastify/rate-limit)",
            )
        )
    cookies = [*root.cookies, *missing.cookies]
    for path in COOKIE_SOURCES:
        issued = target.request("GET", path)
        cookies += issued.cookies
        findings += _cookie_flags(issued)
    findings += _cookie_flags(root)
    findings += _csrf(target, cookies)
    return findings


def _headers(response: Response) -> list[Finding]:
    h, where = response.headers, response.where
    found = []
    if "x-powered-by" in h:
        found.append(
            Finding(
                "B1",
                "live.x-powered-by",
                "medium",
                where,
                f"X-Powered-By: {h['x-powered-by']} is sent",
                "disable it (app.disable('x-powered-by'), helmet)",
            )
        )
    hsts = h.get("strict-transport-security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    if not max_age or int(max_age.group(1)) < HSTS_MIN:
        found.append(
            Finding(
                "B2",
                "live.hsts",
                "medium",
                where,
                f"Strict-Transport-Security is {hsts or 'missing'} (needs max-age >= {HSTS_MIN})",
                "helmet's strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true }",
            )
        )
    if h.get("x-content-type-options", "").lower() != "nosniff":
        found.append(
            Finding("B3", "live.nosniff", "medium", where, "X-Content-Type-Options: nosniff is missing", "send nosniff")
        )
    if h.get("referrer-policy", "").lower() not in {"no-referrer", "strict-origin-when-cross-origin", "same-origin"}:
        found.append(
            Finding(
                "B3",
                "live.referrer-policy",
                "low",
                where,
                f"Referrer-Policy is {h.get('referrer-policy') or 'missing'}",
                "Referrer-Policy: no-referrer",
            )
        )
    csp = h.get("content-security-policy")
    if not csp:
        found.append(
            Finding(
                "B4",
                "live.csp-missing",
                "medium",
                where,
                "no Content-Security-Policy",
                "API: default-src 'none'; frame-ancestors 'none' (pages: a nonce-based policy)",
            )
        )
    else:
        directives = {d.split()[0].lower(): d.split()[1:] for d in csp.split(";") if d.split()}
        scripts = directives.get("script-src", directives.get("default-src", []))
        if "'unsafe-inline'" in scripts and not any(s.startswith("'nonce-") for s in scripts):
            found.append(
                Finding(
                    "B4",
                    "live.csp-unsafe-inline",
                    "high",
                    where,
                    "the CSP allows 'unsafe-inline' scripts",
                    "use per-response nonces",
                )
            )
    for header in ("cross-origin-opener-policy", "cross-origin-resource-policy"):
        if header not in h:
            fix = f"{header}: same-origin"
            found.append(Finding("B4", "live.cross-origin-policy", "low", where, f"{header} is missing", fix))
    content_type = h.get("content-type", "")
    if content_type and "charset=" not in content_type.lower() and not content_type.startswith(("image/", "font/")):
        found.append(
            Finding(
                "B5",
                "live.charset",
                "low",
                where,
                f"Content-Type without charset ({content_type})",
                "answer with `; charset=utf-8`",
            )
        )
    return found


def _not_found(response: Response) -> list[Finding]:
    if response.status == 404 and not response.headers.get("content-type", "").startswith("application/json"):
        return [
            Finding(
                "B1",
                "live.not-found-not-json",
                "low",
                response.where,
                "the 404 answer is the framework's default page, not the API's JSON error",
                "a not-found handler answering JSON {error: {code, message}}",
            )
        ]
    return []


def _error_body(response: Response) -> list[Finding]:
    text = response.body.decode("utf-8", "replace")
    if _STACK.search(text):
        return [
            Finding(
                "B12",
                "live.stack-in-error",
                "high",
                response.where,
                f"the {response.status} answer shows a stack trace or file paths",
                "an error handler that logs the error and answers generic JSON (also without NODE_ENV)",
            )
        ]
    return []


def _cors(target: Target) -> list[Finding]:
    found = []
    plain = target.request("GET", "/", headers={"Origin": EVIL_ORIGIN})
    preflight = target.request("OPTIONS", "/", headers={"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "POST"})
    for response in (plain, preflight):
        allowed = response.headers.get("access-control-allow-origin")
        if allowed in {"*", EVIL_ORIGIN}:
            found.append(
                Finding(
                    "B6",
                    "live.cors-foreign-origin",
                    "medium" if allowed == "*" else "high",
                    response.where,
                    f"Origin {EVIL_ORIGIN} is answered with Access-Control-Allow-Origin: {allowed}",
                    "an allowlist of origins from config",
                )
            )
            break
    return found


def _cookie_flags(response: Response) -> list[Finding]:
    found = []
    for cookie in response.cookies:
        name = cookie.split("=", 1)[0].strip()
        attributes = {part.strip().split("=", 1)[0].lower() for part in cookie.split(";")[1:]}
        missing = [flag for flag in ("secure", "httponly", "samesite") if flag not in attributes]
        if missing:
            found.append(
                Finding(
                    "B15",
                    "live.cookie-flags",
                    "high" if {"secure", "httponly"} & set(missing) else "medium",
                    response.where,
                    f"cookie {name} lacks {', '.join(missing)}",
                    "Secure, HttpOnly, SameSite=Strict, Path=/ and a __Host- name",
                )
            )
    return found


def _csrf(target: Target, cookies: list[str]) -> list[Finding]:
    """A POST that needs the cookie (refused without it) must also need a CSRF token."""
    jar = "; ".join(c.split(";", 1)[0].strip() for c in cookies)
    if not jar:
        return []
    headers = {"Content-Type": "application/json"}
    for path in CSRF_ROUTES:
        anonymous = target.request("POST", path, b"{}", headers)
        if anonymous.status not in {401, 403}:
            continue  # not a cookie-authenticated route (or absent)
        with_cookie = target.request("POST", path, b"{}", {**headers, "Cookie": jar})
        if 200 <= with_cookie.status < 300:
            return [
                Finding(
                    "B19",
                    "live.csrf-missing",
                    "high",
                    with_cookie.where,
                    f"a POST with the session cookie and no CSRF token was accepted ({with_cookie.status})",
                    "csrf-sync / csrf-csrf (Express) or @fastify/csrf-protection on every state-changing route",
                )
            ]
    return []
