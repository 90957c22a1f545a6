"""`rampart doctor --url` finds its targets on a service it knows nothing about: the OpenAPI
document, HTML forms and the cookies of the pages it reaches; what it cannot probe it says.
The services here are small Python HTTP servers on 127.0.0.1 (no Node.js needed)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from generator.doctor import live

FORM_PAGE = b'<html><body><form method="post" action="transfer"><input name="to"></form></body></html>'
API = {
    "openapi": "3.1.0",
    "servers": [{"url": "/api"}],
    "paths": {"/session": {"get": {}}, "/orders": {"post": {}}, "/orders/{id}": {"delete": {}}},
}


def _handler(routes: dict, cookie: str | None, protected: set[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: bytes, kind: str, extra: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path in routes:
                body, kind = routes[path]
                extra = {"Set-Cookie": cookie} if cookie and path in {"/", "/account", "/api/session"} else None
                self._answer(200, body, kind, extra)
            else:
                self._answer(404, b"not found", "text/plain; charset=utf-8")

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path in protected and "sid=" not in (self.headers.get("Cookie") or ""):
                self._answer(401, b'{"error":"sign in"}', "application/json")
            elif self.path in protected:
                self._answer(200, b'{"ok":true}', "application/json")
            else:
                self._answer(404, b"{}", "application/json")

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def serving(routes: dict, cookie: str | None = None, protected: set[str] = frozenset()) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes, cookie, set(protected)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _rules(findings) -> dict[str, list]:
    found: dict[str, list] = {}
    for finding in findings:
        found.setdefault(finding.rule, []).append(finding)
    return found


def test_csrf_target_from_an_html_form_and_its_page_cookie():
    routes = {"/": (FORM_PAGE, "text/html; charset=utf-8")}
    with serving(routes, cookie="sid=abc; Path=/", protected={"/transfer"}) as url:
        found = _rules(live.check(url))
    assert [f.location for f in found["live.csrf-missing"]] == [f"POST {url}/transfer"]
    assert "live.not-found-not-json" not in found  # an HTML site's 404 page is no defect
    assert len(found["live.cookie-flags"]) == 1  # one cookie, reported once however many pages set it


def test_csrf_target_from_the_openapi_document():
    routes = {
        "/": (b'{"name":"api"}', "application/json"),
        "/openapi.json": (json.dumps(API).encode(), "application/json"),
        "/api/session": (b"{}", "application/json"),
    }
    with serving(routes, cookie="sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict", protected={"/api/orders"}) as url:
        found = _rules(live.check(url))
    assert [f.location for f in found["live.csrf-missing"]] == [f"POST {url}/api/orders"]
    assert "live.not-found-not-json" in found  # a JSON API answering 404 in text


def test_what_could_not_be_probed_is_said():
    with serving({"/": (b"<html>hello</html>", "text/html")}) as url:
        found = _rules(live.check(url))
    [note] = found["live.not-probed"]
    assert note.severity == "info" and "no state-changing route was found" in note.message
    with serving({"/": (FORM_PAGE, "text/html")}, protected={"/transfer"}) as url:
        [note] = _rules(live.check(url))["live.not-probed"]
    assert "set a cookie" in note.message and "X-Forwarded-Proto" in note.message
