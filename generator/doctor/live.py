"""Live checks (`--url`): black-box probes of a running service on this machine.

Only loopback addresses are probed (a doctor run must never scan someone else's host).
Every request has a timeout and the number of requests is bounded (at most about forty).
The probes send `X-Forwarded-Proto: https`, as a TLS-terminating proxy would, so a service
that trusts one proxy hop issues its Secure cookies. POST probes carry `{}`, an empty form
or a malformed / oversized body: they change nothing in a service that validates input.

Targets are discovered, not assumed: the service's OpenAPI document (at the usual paths),
the HTML forms of the pages it serves, and the cookies those pages set. What could not be
probed is reported as an info finding (`live.not-probed`) that says why.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import re
import secrets
import socket
import ssl
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from generator.doctor.findings import EXIT_CANNOT_AUDIT, Finding
from generator.errors import RampartError

TIMEOUT_SECONDS = 5
MAX_BODY = 65_536
EVIL_ORIGIN = "https://evil.example"
HSTS_MIN = 31_536_000
# Where frameworks and their plugins usually publish the OpenAPI document.
OPENAPI_PATHS = (
    "/openapi.json",
    "/api-docs",
    "/swagger.json",
    "/v3/api-docs",
    "/docs/json",
    "/documentation/json",
    "/api/openapi.json",
)
MAX_PAGES = 5  # GET routes visited for cookies and forms
MAX_TARGETS = 5  # state-changing routes probed for CSRF
STATE_CHANGING = ("post", "put", "patch", "delete")
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
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


@dataclass
class Surface:
    """What the service shows of itself: its API document, pages to visit, routes that change state."""

    api_document: str | None = None  # where the OpenAPI document was found
    pages: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, content type)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str]] = []  # (method, action)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            found = {name: value or "" for name, value in attrs}
            self.forms.append((found.get("method", "get").lower(), found.get("action", "")))


def _api_prefix(document: dict) -> str:
    """The path the document's routes are relative to: OpenAPI 3 `servers[0].url`, Swagger 2 `basePath`."""
    servers = document.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        return urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")
    return str(document.get("basePath") or "").rstrip("/")


def _read_api(surface: Surface, document: dict) -> None:
    prefix = _api_prefix(document)
    paths = document.get("paths")
    for path, operations in paths.items() if isinstance(paths, dict) else []:
        if "{" in path or not isinstance(operations, dict):
            continue  # a route with path parameters needs an id doctor cannot know
        full = prefix + path
        if "get" in operations:
            surface.pages.append(full)
        for method in STATE_CHANGING:
            if method in operations:
                body = (
                    json.dumps(operations[method].get("requestBody", {}))
                    if isinstance(operations[method], dict)
                    else ""
                )
                kind = FORM if FORM in body and JSON not in body else JSON
                surface.targets.append((method.upper(), full, kind))


def _read_forms(surface: Surface, page: Response, page_path: str) -> None:
    if "html" not in page.headers.get("content-type", ""):
        return
    parser = _Forms()
    parser.feed(page.body.decode("utf-8", "replace"))
    for method, action in parser.forms:
        resolved = urlsplit(urljoin(page_path, action or page_path))
        if method == "post" and not resolved.netloc:
            surface.targets.append(("POST", resolved.path, FORM))


def _discover(target: Target, root: Response) -> tuple[Surface, list[Response]]:
    surface, seen = Surface(), [root]
    for path in OPENAPI_PATHS:
        response = target.request("GET", path)
        seen.append(response)
        if response.status != 200:
            continue
        try:
            document = json.loads(response.body)
        except ValueError:
            continue
        if isinstance(document, dict) and ("openapi" in document or "swagger" in document):
            surface.api_document = path
            _read_api(surface, document)
            break
    _read_forms(surface, root, "/")
    for path in list(dict.fromkeys(surface.pages))[:MAX_PAGES]:
        page = target.request("GET", path)
        seen.append(page)
        _read_forms(surface, page, path)
    surface.targets = list(dict.fromkeys(surface.targets))[:MAX_TARGETS]
    return surface, seen


def _not_probed(baseline: str, probe: str, why: str, where: str) -> Finding:
    return Finding(baseline, "live.not-probed", "info", where, f"{probe} was not probed: {why}", "see the message")


def _probe(target: Target, root: Response) -> list[Finding]:
    findings: list[Finding] = []
    missing = target.request("GET", f"/rampart-doctor-{secrets.token_hex(4)}")
    surface, visited = _discover(target, root)
    responses = [missing, *visited]
    findings += _headers(root)
    json_api = surface.api_document is not None or root.headers.get("content-type", "").startswith(JSON)
    if json_api:  # an HTML site's 404 page is no defect
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
    json_headers = {"Content-Type": JSON}
    body_routes = [path for method, path, kind in surface.targets if method == "POST" and kind == JSON][:1]
    for path in (*body_routes, "/"):
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
    stack_traces = [r for r in responses if r.status >= 400 and _STACK.search(r.body.decode("utf-8", "replace"))]
    findings += [_stack_finding(r) for r in stack_traces]
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
    cookies = []
    for response in responses:
        cookies += response.cookies
        findings += [f for f in _cookie_flags(response) if f.message not in {seen.message for seen in findings}]
    findings += _csrf(target, surface, cookies, root)
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


def _stack_finding(response: Response) -> Finding:
    return Finding(
        "B12",
        "live.stack-in-error",
        "high",
        response.where,
        f"the {response.status} answer shows a stack trace or file paths",
        "an error handler that logs the error and answers generic JSON (also without NODE_ENV)",
    )


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


def _csrf(target: Target, surface: Surface, cookies: list[str], root: Response) -> list[Finding]:
    """A state-changing request that needs the cookie (refused without it) must also need a CSRF token."""
    where = root.where
    if not surface.targets:
        places = (
            f"its OpenAPI document ({surface.api_document}) lists"
            if surface.api_document
            else (f"no OpenAPI document at {', '.join(OPENAPI_PATHS)} and no page reached has")
        )
        why = f"no state-changing route was found: {places} no POST/PUT/PATCH/DELETE route without path parameters"
        return [_not_probed("B19", "CSRF", why + " (or HTML form with method=post)", where)]
    jar = "; ".join(dict.fromkeys(c.split(";", 1)[0].strip() for c in cookies))
    if not jar:
        pages = ", ".join(["/", *surface.pages[:MAX_PAGES]])
        why = (
            f"no page reached ({pages}) set a cookie. A service that sets Secure cookies only when it sees HTTPS"
            " sets none if it does not trust the proxy's X-Forwarded-Proto (trust proxy / trustProxy);"
            " else the session starts somewhere doctor did not reach (sign-in)"
        )
        return [_not_probed("B19", "CSRF", why, where)]
    refused = []
    for method, path, kind in surface.targets:
        body, headers = (b"{}", {"Content-Type": JSON}) if kind == JSON else (b"", {"Content-Type": FORM})
        anonymous = target.request(method, path, body, headers)
        if anonymous.status not in {401, 403}:
            continue  # not a cookie-authenticated route (or absent)
        refused.append(f"{method} {path}")
        with_cookie = target.request(method, path, body, {**headers, "Cookie": jar})
        if 200 <= with_cookie.status < 300:
            return [
                Finding(
                    "B19",
                    "live.csrf-missing",
                    "high",
                    with_cookie.where,
                    f"a {method} with the session cookie and no CSRF token was accepted ({with_cookie.status})",
                    "csrf-sync / csrf-csrf (Express) or @fastify/csrf-protection on every state-changing route",
                )
            ]
    if not refused:
        routes = ", ".join(f"{m} {p}" for m, p, _ in surface.targets)
        why = f"none of the routes found ({routes}) refused a request without the cookie, so none depends on it"
        return [_not_probed("B19", "CSRF", why, where)]
    return []
