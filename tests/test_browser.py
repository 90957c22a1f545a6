"""A real browser against the HTML pages of every combination with auth=session, pages=true.

Headless Chromium (the system's, driven by playwright-core from tests/browser/) signs in and out through
the forms, and the findings it prints prove: no CSP violation on any page, the session cookie out of
JavaScript's reach, forms on other origins refused (CSRF), and the pages framed by nobody.

The service runs in production mode behind a TLS-terminating reverse proxy started here (a throwaway
self-signed certificate; `X-Forwarded-Proto: https` to the one trusted hop), as in production: without
HTTPS as the service sees it, it issues no session cookie at all. Every server listens on 127.0.0.1 only.
Origins: the service at https://localhost:P; attack pages on another site (http://127.0.0.1:Q) and on
another origin of the same site (https://localhost:R).
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import shutil
import socketserver
import ssl
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.combinations import SUPPORTED_COMBINATIONS, combination_id
from tests.conftest import IN_CI
from tests.running_service import call, output, running_service

pytestmark = pytest.mark.e2e

CHROMIUM = Path(os.environ.get("RAMPART_TEST_CHROMIUM", "/usr/bin/chromium"))
DRIVER = Path(__file__).resolve().parent / "browser"
PASSWORD = "correct horse battery staple"
COOKIE = "__Host-sid"
CSRF_HEADING = "This form has expired or was not sent from this site"
# How Chromium words a CSP refusal in the console ("Refused to ..." in older versions), and an uncaught error.
CSP_CONSOLE_WORDS = ("Content Security Policy", "Refused to", "uncaught:")
# Not forwarded by the proxy (RFC 9110 7.6.1), plus what it sets itself.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "forwarded",
}


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


# --- fixtures: the browser driver and a certificate ----------------------------------------------------------


@pytest.fixture(scope="session")
def browser_driver(tmp_path_factory, node_env) -> Path:
    """tests/browser/ installed (`npm ci`) into a temp dir, so the checkout stays clean; needs the system Chromium."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (Debian package `chromium`)")
    dest = tmp_path_factory.mktemp("browser-driver")
    for name in ("package.json", "package-lock.json", "session_pages.mjs"):
        shutil.copy2(DRIVER / name, dest / name)
    result = subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=dest,
        env=node_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"npm ci in tests/browser failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    return dest


@pytest.fixture(scope="session")
def tls_context(tmp_path_factory) -> ssl.SSLContext:
    """A server context with a throwaway self-signed certificate for localhost (made by the openssl CLI)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        _unavailable("no openssl binary to make a throwaway certificate (Debian package `openssl`)")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    made = subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


# --- local servers: the TLS-terminating proxy and the attack pages --------------------------------------------


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a browser dropping a connection (or a TLS handshake it gave up) is no finding


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection frees its thread after this

    def log_message(self, format, *args):
        pass


class _ProxyHandler(_Quiet):
    """Forwards to the service over plain HTTP as a TLS-terminating proxy does: one trusted hop."""

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.backend_port, timeout=15)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            upstream.putheader("X-Forwarded-Proto", "https")
            upstream.putheader("X-Forwarded-For", self.client_address[0])
            upstream.endheaders(body)
            response = upstream.getresponse()
            data = response.read()
        finally:
            upstream.close()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _forward


class _AttackPagesHandler(_Quiet):
    """Pages of a foreign origin: forms posting to the service and iframes of it (see session_pages.mjs)."""

    def do_GET(self):
        page = self.server.pages.get(self.path)
        data = (page or "<h1>not found</h1>").encode()
        self.send_response(200 if page else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _attack_pages(service: str, framable: str, attacker: str) -> dict[str, str]:
    def page(title: str, body: str) -> str:
        head = f'<meta charset="utf-8"><title>{title}</title>'
        return f'<!doctype html><html lang="en"><head>{head}</head><body>{body}</body></html>'

    def form(path: str, fields: dict[str, str]) -> str:
        inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items())
        action = html.escape(f"{service}{path}")
        return page("win a prize", f'<form method="post" action="{action}">{inputs}<button>Go</button></form>')

    def frame(url: str) -> str:
        return page("framed", f'<iframe src="{html.escape(url)}" width="600" height="400"></iframe>')

    return {
        "/csrf/logout": form("/logout", {"_csrf": "forged"}),
        # Login CSRF: signing the victim in as the attacker.
        "/csrf/login": form("/login", {"username": attacker, "password": PASSWORD, "_csrf": "forged"}),
        "/frame/account": frame(f"{service}/account"),
        "/frame/login": frame(f"{service}/login"),
        "/frame/control": frame(f"{framable}/plain"),
        "/plain": page("framable", "<h1>framable</h1>"),
    }


@contextlib.contextmanager
def _serving(handler, tls: ssl.SSLContext | None, **attributes):
    """A threaded server on a free 127.0.0.1 port (HTTPS with `tls`); yields its port."""
    server = _Server(("127.0.0.1", 0), handler)
    if tls is not None:
        # The handshake happens in the handler's thread, at its first read, not in accept().
        server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _register(port: int, username: str) -> None:
    """Through the JSON API, straight to the service (as the proxy would say: over HTTPS)."""

    https = {"X-Forwarded-Proto": "https"}
    token = call(port, "GET", "/api/v1/csrf-token", headers=https)
    set_cookie = token.cookies[0] if token.cookies else ""
    assert token.status == 200 and set_cookie.startswith(f"{COOKIE}="), (token.status, set_cookie)
    headers = {**https, "Cookie": set_cookie.split(";", 1)[0], "X-CSRF-Token": token.json()["csrfToken"]}
    registered = call(port, "POST", "/api/v1/auth/register", {"username": username, "password": PASSWORD}, headers)
    assert registered.status == 201, (registered.status, registered.body)


# --- the run: one browser session per combination --------------------------------------------------------------


def browse(project: Path, env: dict, driver: Path, tls: ssl.SSLContext, node_env: dict) -> dict:
    """Starts the service (+ proxy, + attack pages), runs session_pages.mjs; its findings and what they are about."""
    user = f"user-{uuid.uuid4().hex[:12]}"
    attacker = f"attacker-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    with running_service(project, env) as (port, proc):
        _register(port, user)
        _register(port, attacker)
        with contextlib.ExitStack() as stack:
            proxy = stack.enter_context(_serving(_ProxyHandler, tls, backend_port=port))
            service = f"https://localhost:{proxy}"
            pages: dict[str, str] = {}
            cross_site = f"http://127.0.0.1:{stack.enter_context(_serving(_AttackPagesHandler, None, pages=pages))}"
            same_site = f"https://localhost:{stack.enter_context(_serving(_AttackPagesHandler, tls, pages=pages))}"
            pages.update(_attack_pages(service, same_site, attacker))
            driver_env = {
                **node_env,
                "CHROMIUM": str(CHROMIUM),
                "SERVICE_URL": service,
                "CROSS_SITE_URL": cross_site,
                "SAME_SITE_URL": same_site,
                "APP_USERNAME": user,
                "APP_PASSWORD": PASSWORD,
            }
            try:
                result = subprocess.run(
                    ["node", "session_pages.mjs"],
                    cwd=driver,
                    env=driver_env,
                    capture_output=True,
                    text=True,
                    timeout=180,
                )
            except subprocess.TimeoutExpired as err:
                pytest.fail(f"the browser run took over {err.timeout} s; service log:\n{output(proc)[-3000:]}")
        if result.returncode != 0 or not result.stdout.strip():
            pytest.fail(
                f"the browser run failed ({result.returncode}):\n{result.stderr[-4000:]}\n"
                f"service log:\n{output(proc)[-3000:]}"
            )
    findings = json.loads(result.stdout.strip().splitlines()[-1])
    findings.update(service=service, user=user, attacker=attacker, seconds=round(time.monotonic() - started, 1))
    return findings


@pytest.fixture(scope="module", params=SUPPORTED_COMBINATIONS, ids=combination_id)
def browser_run(request, installed_service, browser_driver, tls_context, node_env) -> dict:
    """One browser session per combination; every property below is read from its findings."""
    project, env = installed_service({**request.param, "auth": "session", "pages": True})
    return browse(project, env, browser_driver, tls_context, node_env)


def _report(findings: dict, *keys: str) -> str:
    return json.dumps({key: findings[key] for key in keys}, indent=1)[:6000]


# --- the properties ------------------------------------------------------------------------------------------


def test_sign_in_and_out_through_the_pages(browser_run):
    f, service = browser_run, browser_run["service"]
    why = _report(f, "login", "logout")
    form = f["visits"][0]
    assert (form["url"], form["status"], form["h1"]) == (f"{service}/login", 200, "Sign in"), why
    wrong = f["login"]["wrongPassword"]
    assert wrong["status"] == 401 and wrong["alert"] and wrong["h1"] == "Sign in", f"a wrong password: {why}"
    signed_in = f["login"]["afterSubmit"]
    assert signed_in["url"] == f"{service}/account", f"the sign-in form leads to /account: {why}"
    assert (signed_in["h1"], signed_in["shownUsername"]) == ("Your account", f["user"]), why

    logout = f["logout"]
    assert logout["afterSubmit"]["url"] == f"{service}/login", f"signing out leads to /login: {why}"
    assert logout["cookieAfterSignOut"] != "the signed-in one", f"the browser dropped the session cookie: {why}"
    assert logout["accountAgain"]["url"] == f"{service}/login", f"/account after sign-out sends to /login: {why}"
    assert logout["oldCookieReplayed"]["url"] == f"{service}/login", f"the old session id is dead server-side: {why}"


def test_no_csp_violation_on_any_page(browser_run):
    f, service = browser_run, browser_run["service"]
    shown = [v for v in f["visits"] if v["url"].startswith(f"{service}/")]
    assert {v["url"].removeprefix(service) for v in shown} >= {"/login", "/account", "/logout"}, _report(f, "visits")
    assert all(v["secureContext"] for v in shown), f"the service's pages are a secure context: {_report(f, 'visits')}"

    violations = [v for v in f["cspViolations"] if v["phase"] != "canary"]
    assert not violations, f"CSP violations (securitypolicyviolation events): {json.dumps(violations, indent=1)}"
    # Console errors about CSP (or any uncaught script error) on any page; the frame-ancestors refusals of the
    # framing checks are those checks' evidence, not violations by a page.
    csp_console = [
        e
        for e in f["consoleErrors"]
        if e["phase"] not in {"canary", "framing"} and any(word in e["text"] for word in CSP_CONSOLE_WORDS)
    ]
    assert not csp_console, f"CSP errors in the console: {json.dumps(csp_console, indent=1)}"

    # The listener works: a nonce-less inline script the test adds to a page is refused and reported.
    canary = f["canary"]
    assert canary["violations"] >= 1 and not canary["ran"], f"the violation listener saw nothing: {canary}"


def test_session_cookie_is_out_of_javascripts_reach(browser_run):
    cookie = browser_run["cookie"]
    jar = cookie["inJar"]
    assert jar, f"no {COOKIE} cookie in the browser after signing in: {cookie}"
    assert (jar["httpOnly"], jar["secure"], jar["sameSite"], jar["path"]) == (True, True, "Strict", "/"), cookie
    assert cookie["changedAtSignIn"], f"a new session id at sign-in (no fixation): {cookie}"
    assert COOKIE not in cookie["documentCookie"], f"document.cookie reads the session cookie: {cookie}"


def test_forms_on_other_origins_are_refused(browser_run):
    f, service = browser_run, browser_run["service"]
    why = _report(f, "csrf", "requests")
    for attack in ("crossSite-logout", "crossSite-login", "sameSite-logout", "sameSite-login"):
        shown = f["csrf"][attack]
        assert shown["status"] == 403 and shown["h1"] == CSRF_HEADING, f"{attack} was not refused: {why}"
        assert shown["url"].startswith(service), why
    posts = [r for r in f["requests"] if r["phase"] == "csrf"]
    assert len(posts) == 4 and all(r["status"] == 403 for r in posts), why
    sites = {r["secFetchSite"] for r in posts}
    assert sites == {"cross-site", "same-site"}, f"the browser marked the forged posts: {why}"
    # SameSite=Strict keeps the cookie off the cross-site posts; the same-site ones carry it and are refused anyway.
    assert {(r["secFetchSite"], r["sentCookie"]) for r in posts} == {("cross-site", False), ("same-site", True)}, why

    after = f["csrf"]["accountAfterAttacks"]
    assert after["url"] == f"{service}/account" and after["status"] == 200, f"signed out by the attacks: {why}"
    assert after["shownUsername"] == f["user"] and after["sameCookie"], f"the session changed: {why}"


def test_pages_are_framed_by_nothing(browser_run):
    f, service = browser_run, browser_run["service"]
    framing = f["framing"]
    why = json.dumps(framing, indent=1)

    def heading(entry: dict) -> str:
        return ((entry["content"] or {}).get("h1") or "").strip()

    # The detection sees a cross-origin frame that is allowed to render.
    control = framing["control"]
    assert control["frameUrl"].endswith("/plain") and heading(control) == "framable", f"control frame: {why}"
    # sameSite-account is sent the session cookie (the service answers with the account page): refused all the same.
    for name in ("crossSite-account", "crossSite-login", "sameSite-account"):
        entry = framing[name]
        assert entry["src"].startswith(service), why
        assert not entry["frameUrl"].startswith(service), f"{name}: the frame holds a service page: {why}"
        assert heading(entry) not in {"Sign in", "Your account"}, f"{name}: a service page rendered in a frame: {why}"
        assert entry["frameUrl"].startswith("chrome-error:"), f"{name}: Chromium's error page stands in: {why}"
        assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in entry["consoleErrors"]), (
            f"{name}: no refusal of the frame reported: {why}"
        )
