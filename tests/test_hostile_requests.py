"""Hand-written hostile HTTP requests against every running e2e service: each gets a clean 4xx
(one JSON error shape, no stack, no internal path) and the service stays up. With sign-in, the notes
belong to users: the requests carry a signed-in user's credentials, so they reach the notes' parsers
and validation rather than stopping at the 401.

Raw sockets, not http.client: most of these requests are ones a well-behaved client cannot send.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid

import pytest

from tests import fuzz_hooks
from tests.combinations import E2E_VARIANTS, SUPPORTED_COMBINATIONS, combination_id
from tests.running_service import request, running_service

pytestmark = pytest.mark.e2e

JSON = b"Content-Type: application/json\r\n"
LEAK = re.compile(rb"\bat \S+ \(|node_modules|/src/|/home/|/tmp/|\.[cm]?[jt]s:\d+|stack", re.I)


def _exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes, read until the response is complete or the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk
            head, sep, body = received.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if sep and length and len(body) >= int(length.group(1)):
                return received


def _post(path: str, body: bytes, extra: bytes = JSON) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n".encode()
        + extra
        + b"\r\n"
        + body
    )


def _get(path: str, extra: bytes = b"") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".encode() + extra + b"\r\n"


def _deep(levels: int) -> bytes:
    return b'{"title":"t","nested":' + b'{"a":' * levels + b"1" + b"}" * levels + b"}"


# name -> (raw request, the 4xx it must get). Each names the attack it stands for.
CASES = {
    "deep-json-array": (_post("/api/v1/notes", b'{"title":' + b"[" * 40_000 + b"]" * 40_000 + b"}"), 400),
    "deep-json-object": (_post("/api/v1/notes", _deep(5_000)), 400),
    "deep-json-over-limit": (_post("/api/v1/notes", _deep(50_000)), 413),
    "invalid-utf8-body": (_post("/api/v1/notes", b'{"title":"\xff\xfe\xc3"}'), 400),
    "overlong-utf8-body": (_post("/api/v1/notes", b'{"title":"\xc0\xaf"}'), 400),
    "invalid-percent-encoding-in-path": (_get("/api/v1/notes/%ff%fe"), 400),
    "invalid-percent-encoding-in-query": (_get("/api/v1/notes?limit=%ff"), 400),
    "raw-non-ascii-in-path": (b"GET /api/v1/notes/\xff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
    "huge-header": (_get("/api/v1/notes", b"X-Big: " + b"a" * 40_000 + b"\r\n"), 431),
    "many-headers": (_get("/api/v1/notes", b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 40) for i in range(600))), 431),
    "duplicate-query-parameter": (_get("/api/v1/notes?limit=1&limit=2"), 400),
    "conflicting-content-length": (_post("/api/v1/notes", b'{"title":"t"}', JSON + b"Content-Length: 3\r\n"), 400),
    "content-length-and-chunked": (
        _post("/api/v1/notes", b'{"title":"t"}', JSON + b"Transfer-Encoding: chunked\r\n"),
        400,
    ),
    "proto-key-in-query": (_get("/api/v1/notes?__proto__[admin]=1"), 400),
    "constructor-prototype-in-query": (_get("/api/v1/notes?constructor[prototype][admin]=1"), 400),
    "proto-key-in-body": (_post("/api/v1/notes", b'{"title":"t","__proto__":{"admin":true}}'), 400),
    "constructor-prototype-in-body": (
        _post("/api/v1/notes", b'{"title":"t","constructor":{"prototype":{"admin":true}}}'),
        400,
    ),
    "oversize-body": (_post("/api/v1/notes", json.dumps({"title": "t", "body": "x" * 300_000}).encode()), 413),
    "oversize-declared-length": (
        b"POST /api/v1/notes HTTP/1.1\r\nHost: 127.0.0.1\r\n" + JSON + b"Content-Length: 1000000000\r\n\r\n{}",
        413,
    ),
    "oversize-chunked": (
        b"POST /api/v1/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + JSON
        + b"Transfer-Encoding: chunked\r\n\r\n"
        + b"".join(b"4000\r\n" + b" " * 0x4000 + b"\r\n" for _ in range(20))
        + b"0\r\n\r\n",
        413,
    ),
}


@pytest.fixture(scope="module", params=E2E_VARIANTS, ids=combination_id)
def service(request, installed_service):
    project, env = installed_service(request.param)
    # The general limiter stays on but out of the way: its counters live in the Redis every e2e service
    # shares, so within one window 127.0.0.1 would be limited by requests made to other services.
    with running_service(project, {**env, "RATE_LIMIT_REQUESTS": "1000000"}) as (port, proc):
        signed_in = b""
        if request.param["auth"] != "none":
            base = f"http://127.0.0.1:{port}"
            credentials = {"username": f"hostile-{uuid.uuid4().hex[:12]}", "password": "correct horse battery staple"}
            fuzz_hooks.register(base, request.param["auth"], credentials)
            headers = {"X-Forwarded-Proto": "https", **fuzz_hooks.sign_in(base, request.param["auth"], credentials)}
            signed_in = "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode()
        yield port, proc, signed_in


def _signed_in(raw: bytes, headers: bytes) -> bytes:
    """`raw` with `headers` after its request line."""
    line, sep, rest = raw.partition(b"\r\n")
    return line + sep + headers + rest


def _assert_clean_4xx(response: bytes, expected: int) -> None:
    head, _, body = response.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0]
    assert status_line.startswith(f"HTTP/1.1 {expected} ".encode()), response[:400]
    assert re.search(rb"(?im)^content-type: application/json; charset=utf-8", head), head
    error = json.loads(body)["error"]
    assert set(error) >= {"code", "message"}, error
    assert not LEAK.search(body), body


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_request_gets_a_clean_4xx(service, case):
    port, proc, signed_in = service
    raw, expected = CASES[case]
    _assert_clean_4xx(_exchange(port, _signed_in(raw, signed_in)), expected)
    assert proc.poll() is None, "the service must stay up"


def test_still_serving_after_the_hostile_requests(service):
    port, proc, signed_in = service
    assert request(port, "GET", "/healthz")[0] == 200
    headers = dict(line.split(": ", 1) for line in signed_in.decode().splitlines())
    status, _, body = request(port, "GET", "/api/v1/notes", headers=headers)
    assert status == 200 and b"admin" not in body, "no prototype pollution reached a response"
    assert proc.poll() is None


# The HTTP server and its timeouts are shared by every auth variant: one service per combination.
@pytest.fixture(scope="module", params=SUPPORTED_COMBINATIONS, ids=combination_id)
def plain_service(request, installed_service):
    project, env = installed_service({**request.param, "auth": "none"})
    with running_service(project, env) as (port, proc):
        yield port, proc


def test_a_trickling_header_is_cut_off_while_others_are_served(plain_service):
    """Slow loris: one header byte every 0.25 s. The server must answer 408 once its 10 s headers
    timeout passes (checked every second, not Node's default 30 s), and serve others meanwhile."""
    port, proc = plain_service
    served: list[int] = []
    stop = threading.Event()

    def others() -> None:
        while not stop.is_set() and len(served) < 200:
            served.append(request(port, "GET", "/healthz")[0])
            time.sleep(0.1)

    helper = threading.Thread(target=others)
    helper.start()
    started = time.monotonic()
    received = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.25) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            trickle = b"X-Slow: " + b"a" * 200
            for byte in trickle:  # at most 50 s; the server must cut it off long before
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    break
                try:
                    chunk = sock.recv(4096)
                except TimeoutError:
                    continue
                if not chunk:
                    break
                received += chunk
    finally:
        stop.set()
        helper.join(timeout=15)
    elapsed = time.monotonic() - started
    assert 9 <= elapsed <= 13, f"cut off after {elapsed:.1f} s (headers timeout 10 s, checked every 1 s)"
    _assert_clean_4xx(received, 408)
    assert served and set(served) == {200}, f"others were not served meanwhile: {served[:20]}"
    assert proc.poll() is None
