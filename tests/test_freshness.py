"""Template freshness: the npm pins in template/package.json.jinja are current and not deprecated.

`test_template_pins_are_fresh` renders the Jinja package.json with harmless answers, asks the npm
registry about every `dependencies`/`devDependencies` pin and fails, listing every offender, when a
pin resolves to a deprecated version or trails `latest` by more than one major. Fix with
`scripts/refresh`. Registry tests are skipped (with the reason) only when the registry gives no
answer (connection error or timeout); a 404 or any other bad answer fails. The registry and semver
code is scripts/npm_registry.py, shared with scripts/refresh and loaded here from its file path.
The other tests need no network: caret matching, the "behind" rule, in-place bumping, and the
error classification against a fake registry on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import socket
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template" / "package.json.jinja"


def _load_npm_registry():
    path = ROOT / "scripts" / "npm_registry.py"
    spec = importlib.util.spec_from_file_location("rampart_scripts_npm_registry", path)
    assert spec and spec.loader, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


npm = _load_npm_registry()


def _audit_or_skip(pins, **kw) -> list[str]:
    try:
        return npm.audit(pins, **kw)
    except npm.RegistryUnreachable as e:
        pytest.skip(f"npm registry unreachable: {e}")


def _packument(*versions: str, latest: str, deprecated: dict[str, str] | None = None) -> dict:
    deprecated = deprecated or {}
    return {
        "name": "pkg",
        "dist-tags": {"latest": latest},
        "versions": {
            v: {"name": "pkg", "version": v, **({"deprecated": deprecated[v]} if v in deprecated else {})}
            for v in versions
        },
    }


# --- pure: caret ranges and the rules -----------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "version", "ok"),
    [
        ("^5.1.0", "5.1.0", True),
        ("^5.1.0", "5.99.3", True),
        ("^5.1.0", "5.0.9", False),
        ("^5.1.0", "6.0.0", False),
        ("^5.1.0", "5.2.0-beta.1", False),  # prereleases never match a plain caret range
        ("^5.1.0", "5.2.0+build.7", True),
        ("^0.3.1", "0.3.9", True),
        ("^0.3.1", "0.4.0", False),
        ("^0.0.3", "0.0.4", False),
        ("^2.8.6", "not-a-version", False),
    ],
)
def test_caret_satisfies(spec, version, ok):
    assert npm.caret_satisfies(spec, version) is ok


def test_resolve_caret_picks_highest_match_numerically():
    versions = ["4.9.0", "4.10.0", "4.21.2", "5.0.0", "4.22.0-rc.1", "3.21.2"]
    assert npm.resolve_caret("^4.10.0", versions) == "4.21.2"
    assert npm.resolve_caret("^6.0.0", versions) is None


@pytest.mark.parametrize(
    "spec", ["~5.1.0", "5.1.0", ">=5", "^5.1", "^5.1.0-beta.1", "^ 5.1.0", "^05.1.0", "*", "latest"]
)
def test_only_the_plain_caret_form_is_accepted(spec):
    with pytest.raises(npm.UnsupportedRange, match=r"only the \^X\.Y\.Z form"):
        npm.parse_caret(spec)


def test_unsupported_range_is_reported_without_asking_the_registry():
    pin = npm.Pin("dependencies", "express", ">=5.1.0")
    (problem,) = npm.audit([pin], registry="http://127.0.0.1:9")  # never contacted
    assert "express" in problem and "unsupported range '>=5.1.0'" in problem


@pytest.mark.parametrize(
    ("spec", "version", "ok"),
    [
        ("~6.0.3", "6.0.3", True),
        ("~6.0.3", "6.0.9", True),
        ("~6.0.3", "6.1.0", False),
        ("~6.0.3", "6.0.2", False),
        ("~6.0.3", "6.0.4-rc.1", False),
        ("^5.1.0", "5.9.0", True),
    ],
)
def test_tilde_pins_hold_the_minor(spec, version, ok):
    assert npm.range_satisfies(spec, version) is ok
    assert npm.majors_behind(spec, "7.0.2") == 7 - int(spec[1])


@pytest.mark.parametrize(
    ("spec", "latest", "behind", "flagged"),
    [("^5.1.0", "5.3.0", 0, False), ("^4.21.0", "5.3.0", 1, False), ("^3.0.0", "5.3.0", 2, True)],
)
def test_behind_rule(spec, latest, behind, flagged):
    assert npm.majors_behind(spec, latest) == behind
    problems = npm.pin_problems(
        npm.Pin("dependencies", "express", spec), _packument("3.0.0", "4.21.0", "5.3.0", latest=latest)
    )
    assert any("majors behind" in p for p in problems) is flagged


def test_deprecated_resolution_is_flagged_but_other_versions_do_not_matter():
    doc = _packument("2.88.0", "2.88.2", "3.0.0", latest="3.0.0", deprecated={"2.88.2": "use something else"})
    (problem,) = npm.pin_problems(npm.Pin("dependencies", "request", "^2.88.0"), doc)
    assert "resolves to 2.88.2, which is deprecated: use something else" in problem
    assert npm.pin_problems(npm.Pin("dependencies", "request", "^3.0.0"), doc) == []
    undeprecated = _packument("1.0.0", latest="1.0.0", deprecated={"1.0.0": ""})  # how npm un-deprecates
    assert npm.pin_problems(npm.Pin("dependencies", "pkg", "^1.0.0"), undeprecated) == []


def test_package_url_encodes_the_scope_slash():
    assert npm.package_url("@eslint/js") == "https://registry.npmjs.org/@eslint%2Fjs"
    assert npm.package_url("express", "http://127.0.0.1:1/") == "http://127.0.0.1:1/express"


# --- pure: reading and rewriting the template ---------------------------------------------------


def test_the_refresh_scripts_stdlib_reader_agrees_with_rendering_the_template():
    pins = npm.read_template_pins(TEMPLATE)
    assert {p.section for p in pins} == {"dependencies", "devDependencies"}
    assert npm.read_pins_from_text(TEMPLATE.read_text(encoding="utf-8")) == pins


def test_bump_text_changes_only_the_version_strings(tmp_path):
    text = TEMPLATE.read_text(encoding="utf-8")
    bumped = npm.bump_text(text, {"express": "^9.0.0", "@eslint/js": "^99.1.2"})
    expected = text.replace(f'"express": "{_pin(text, "express")}"', '"express": "^9.0.0"')
    expected = expected.replace(f'"@eslint/js": "{_pin(text, "@eslint/js")}"', '"@eslint/js": "^99.1.2"')
    assert expected != text and bumped == expected
    (tmp_path / "bumped.jinja").write_text(bumped, encoding="utf-8")
    rendered = {p.name: p.range for p in npm.read_template_pins(tmp_path / "bumped.jinja")}  # still valid Jinja+JSON
    assert rendered["express"] == "^9.0.0" and rendered["@eslint/js"] == "^99.1.2"
    with pytest.raises(ValueError, match="not a dependency"):
        npm.bump_text(text, {"left-pad": "^1.0.0"})


def _pin(text: str, name: str) -> str:
    return next(p.range for p in npm.read_pins_from_text(text) if p.name == name)


# --- error classification, against a fake registry on loopback ----------------------------------


@pytest.fixture
def fake_registry():
    """Serves {path: (status, json)}; anything else is a 404."""
    routes: dict[str, tuple[int, object]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, doc = routes.get(self.path, (404, {"error": "Not found"}))
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes
    finally:
        server.shutdown()
        server.server_close()


def test_404_and_server_errors_fail_rather_than_skip(fake_registry):
    base, routes = fake_registry
    routes["/@scope%2Fok"] = (200, _packument("1.0.0", "1.2.0", latest="1.2.0", deprecated={"1.2.0": "gone"}))
    routes["/broken"] = (500, {"error": "boom"})
    pins = [npm.Pin("dependencies", n, "^1.0.0") for n in ("@scope/ok", "no-such-pkg", "broken")]
    problems = npm.audit(pins, registry=base)
    assert len(problems) == 3, problems
    assert "@scope/ok ^1.0.0 (dependencies): resolves to 1.2.0, which is deprecated: gone" in problems
    assert any(p.startswith("no-such-pkg: no such package (HTTP 404") for p in problems)
    assert any(p.startswith("broken: HTTP 500") for p in problems)


def test_connection_refused_and_timeout_mean_unreachable():
    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        with pytest.raises(npm.RegistryUnreachable, match="cannot reach"):
            npm.audit(
                [npm.Pin("dependencies", "express", "^5.0.0")], registry=f"http://127.0.0.1:{sock.getsockname()[1]}"
            )
    with socket.socket() as sock:  # listening, never answering: the request times out
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        with pytest.raises(npm.RegistryUnreachable):
            npm.fetch_packument("express", registry=f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=0.3)


# --- the registry -------------------------------------------------------------------------------


def test_template_pins_are_fresh():
    pins = npm.read_template_pins(TEMPLATE)
    assert len(pins) >= 10, pins
    problems = _audit_or_skip(pins)
    assert not problems, (
        f"{len(problems)} stale npm pin problem(s) in template/package.json.jinja (scripts/refresh bumps them):\n  "
        + "\n  ".join(problems)
    )


def _template_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in the template exactly once"
    copy = tmp_path / "package.json.jinja"
    copy.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def test_a_pin_two_majors_behind_is_flagged(tmp_path):
    old = f'"express": "{_pin(TEMPLATE.read_text(encoding="utf-8"), "express")}"'
    copy = _template_copy(tmp_path, old, '"express": "^3.0.0"')
    problems = _audit_or_skip(npm.read_template_pins(copy))
    express = [p for p in problems if p.startswith("express ^3.0.0")]
    assert any("majors behind latest" in p for p in express), problems


def test_a_deprecated_pin_is_flagged(tmp_path):
    old = f'"cors": "{_pin(TEMPLATE.read_text(encoding="utf-8"), "cors")}"'
    copy = _template_copy(tmp_path, old, '"request": "^2.88.2"')
    pins = [p for p in npm.read_template_pins(copy) if p.name == "request"]
    problems = _audit_or_skip(pins)
    if not problems:
        # request is deprecated upstream (every 2.x version since 2020); a registry mirror that
        # serves no `deprecated` field at all cannot exercise this rule.
        doc = npm.fetch_packuments(["request"])["request"]
        if isinstance(doc, dict) and not any("deprecated" in v for v in doc["versions"].values()):
            pytest.skip(f"{npm.REGISTRY} serves no `deprecated` field for any version of request")
    assert any("request ^2.88.2" in p and "deprecated" in p for p in problems), problems
