"""npm registry and caret-range helpers shared by `scripts/refresh` and `tests/test_freshness.py`.

Standard library only (jinja2 is imported lazily, and only by `read_template_pins`).

- Pins: the template's `template/package.json.jinja` pins every npm dependency as `^X.Y.Z`, or as
  `~X.Y.Z` where a minor is held back on purpose (typescript: typescript-eslint supports < 6.1).
  `read_template_pins` renders the Jinja file for every answer variant (dependencies depend on
  `auth` and `language`) and reads the JSON; `read_pins_from_text` reads the entry lines of the raw text (Jinja
  lines between them are skipped) so `bump_text` can rewrite versions in place.
- Semver: `parse_caret`, `caret_satisfies`, `resolve_caret` (highest published, non-prerelease
  version matching the range, as npm resolves it), `majors_behind`; `parse_range`,
  `range_satisfies` and `resolve_range` accept `~X.Y.Z` too.
- Registry: `fetch_packuments` GETs the full package documents in parallel. Failures come back
  per package as `PackageNotFound` (HTTP 404), `RegistryUnreachable` (connection error or
  timeout) or `RegistryError` (anything else), never raised from worker threads.
- `audit` puts it together for the freshness test: one message per offending pin.
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
TEMPLATE_PACKAGE_JSON = Path(__file__).resolve().parent.parent / "template" / "package.json.jinja"
SECTIONS = ("dependencies", "devDependencies")
TIMEOUT = 10.0
WORKERS = 8
# Harmless answers for the template's Jinja variables.
SAMPLE_ANSWERS = {"project_name": "x", "description": "x", "author": "x"}
# Answers that change which dependencies the template pins: every combination is rendered.
# `ts` and `ext` are copier's derived values of `language` (see copier.yml).
ANSWER_VARIANTS = tuple(
    {
        "framework": framework,
        **auth,
        "language": language,
        "ts": language == "typescript",
        "ext": "ts" if language == "typescript" else "js",
    }
    for framework in ("express", "fastify")
    for auth in (
        {"auth": "session", "pages": True},
        {"auth": "token", "pages": False},
        {"auth": "none", "pages": False},
    )
    for language in ("javascript", "typescript")
)
# How many majors a pin may trail the registry's `latest` before the freshness test fails.
ALLOWED_MAJORS_BEHIND = 1
# Pins whose major is held on purpose, with the reason: the "behind" rule does not apply to them
# and scripts/refresh bumps them within their major only.
HELD_MAJORS = {"@types/node": "the Node.js types follow the Node.js major the service runs on (.nvmrc)"}

_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")
_CARET = re.compile(r"\^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_RANGE = re.compile(r"([~^])(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


class UnsupportedRange(ValueError):
    """A pin that is not of the exact form `^X.Y.Z` (or, where accepted, `~X.Y.Z`)."""


class RegistryError(Exception):
    """The registry answered, but not with a usable package document."""


class PackageNotFound(RegistryError):
    """HTTP 404: no package of that name exists."""


class RegistryUnreachable(RegistryError):
    """No answer at all: connection error or timeout."""


@dataclass(frozen=True)
class Pin:
    section: str
    name: str
    range: str


# --- semver -----------------------------------------------------------------------------------


def parse_version(version: str) -> tuple[int, int, int, str | None] | None:
    """`X.Y.Z[-pre][+build]` -> (X, Y, Z, pre or None); None for anything that is not semver."""
    m = _VERSION.fullmatch(version.strip())
    if not m:
        return None
    return int(m[1]), int(m[2]), int(m[3]), m[4]


def parse_caret(spec: str) -> tuple[int, int, int]:
    """`^X.Y.Z` -> (X, Y, Z). Any other form raises UnsupportedRange."""
    m = _CARET.fullmatch(spec)
    if not m:
        raise UnsupportedRange(f"unsupported range {spec!r}: only the ^X.Y.Z form is handled")
    return int(m[1]), int(m[2]), int(m[3])


def caret_upper(base: tuple[int, int, int]) -> tuple[int, int, int]:
    """Exclusive upper bound of `^X.Y.Z`: the first non-zero part is the one that may not change."""
    x, y, z = base
    if x:
        return x + 1, 0, 0
    if y:
        return 0, y + 1, 0
    return 0, 0, z + 1


def caret_satisfies(spec: str, version: str) -> bool:
    """npm semantics for `^X.Y.Z`: base <= version < upper, and prereleases never match."""
    base = parse_caret(spec)
    parsed = parse_version(version)
    if parsed is None or parsed[3] is not None:
        return False
    return base <= parsed[:3] < caret_upper(base)


def resolve_caret(spec: str, versions: Iterable[str]) -> str | None:
    """The highest version in `versions` that satisfies `spec` (what `npm install` would pick)."""
    parse_caret(spec)
    matching = [v for v in versions if caret_satisfies(spec, v)]
    return max(matching, key=lambda v: parse_version(v)[:3], default=None)


def parse_range(spec: str) -> tuple[str, tuple[int, int, int]]:
    """`^X.Y.Z` or `~X.Y.Z` -> (operator, (X, Y, Z)). Any other form raises UnsupportedRange."""
    m = _RANGE.fullmatch(spec)
    if not m:
        raise UnsupportedRange(f"unsupported range {spec!r}: only the ^X.Y.Z and ~X.Y.Z forms are handled")
    return m[1], (int(m[2]), int(m[3]), int(m[4]))


def range_satisfies(spec: str, version: str) -> bool:
    """npm semantics for `^X.Y.Z` (see caret_satisfies) and `~X.Y.Z` (X.Y.Z <= version < X.(Y+1).0)."""
    operator, base = parse_range(spec)
    if operator == "^":
        return caret_satisfies(spec, version)
    parsed = parse_version(version)
    if parsed is None or parsed[3] is not None:
        return False
    return base <= parsed[:3] < (base[0], base[1] + 1, 0)


def resolve_range(spec: str, versions: Iterable[str]) -> str | None:
    """The highest version in `versions` that satisfies a `^` or `~` range."""
    parse_range(spec)
    matching = [v for v in versions if range_satisfies(spec, v)]
    return max(matching, key=lambda v: parse_version(v)[:3], default=None)


def majors_behind(spec: str, latest: str) -> int:
    """How many majors the pin's major trails `latest`'s (negative if ahead)."""
    parsed = parse_version(latest)
    if parsed is None:
        raise ValueError(f"latest version {latest!r} is not semver")
    return parsed[0] - parse_range(spec)[1][0]


# --- the template -----------------------------------------------------------------------------


def read_template_pins(path: Path = TEMPLATE_PACKAGE_JSON, **answers: str) -> list[Pin]:
    """Render the Jinja package.json for every answer variant and return the union of its pins.

    Dependencies depend on answers (e.g. `auth`), so each variant in ANSWER_VARIANTS is rendered;
    a package pinned differently by two variants is an error.
    """
    import jinja2  # a rampart dependency; imported here so the refresh script stays stdlib-only

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701 - renders JSON, not HTML
    template = env.from_string(Path(path).read_text(encoding="utf-8"))
    pins: dict[tuple[str, str], Pin] = {}
    for variant in ANSWER_VARIANTS:
        data = json.loads(template.render(**{**SAMPLE_ANSWERS, **variant, **answers}))
        for section in SECTIONS:
            for name, spec in data.get(section, {}).items():
                pin = pins.setdefault((section, name), Pin(section, name, spec))
                if pin.range != spec:
                    raise ValueError(f"{name} is pinned as both {pin.range} and {spec}")
    return sorted(pins.values(), key=lambda p: (SECTIONS.index(p.section), p.name))


_SECTION_START = re.compile(r'^\s*"(?P<section>dependencies|devDependencies)"\s*:\s*\{\s*$')
_ENTRY = re.compile(r'^(?P<lead>\s*)"(?P<name>[^"]+)"(?P<sep>\s*:\s*)"(?P<range>[^"]*)"(?P<tail>,?\s*)$')


def _entries(text: str):
    """(line index, section, match) for each dependency line of the raw template text.

    Jinja lines ({%- if … %}) between entries are skipped, so the file need not be JSON.
    """
    section = None
    for index, line in enumerate(text.splitlines(keepends=True)):
        if section is None:
            start = _SECTION_START.match(line)
            section = start["section"] if start else None
        elif line.strip().startswith("}"):
            section = None
        elif match := _ENTRY.match(line.rstrip("\n")):
            yield index, section, match


def read_pins_from_text(text: str) -> list[Pin]:
    """The dependency pins, read from the raw template text without rendering it."""
    pins = {(section, m["name"]): Pin(section, m["name"], m["range"]) for _, section, m in _entries(text)}
    return sorted(pins.values(), key=lambda p: (SECTIONS.index(p.section), p.name))


def bump_text(text: str, new_ranges: Mapping[str, str]) -> str:
    """Replace the version string of each named dependency in place; every other byte stays as it was."""
    lines = text.splitlines(keepends=True)
    done = set()
    for index, _, match in list(_entries(text)):
        new = new_ranges.get(match["name"])
        if new is None:
            continue
        ending = lines[index][len(lines[index].rstrip("\n")) :]
        lines[index] = f'{match["lead"]}"{match["name"]}"{match["sep"]}"{new}"{match["tail"]}{ending}'
        done.add(match["name"])
    missing = set(new_ranges) - done
    if missing:
        raise ValueError(f"not a dependency in the file: {', '.join(sorted(missing))}")
    return "".join(lines)


# --- the registry -----------------------------------------------------------------------------


def package_url(name: str, registry: str = REGISTRY) -> str:
    """`@eslint/js` -> `<registry>/@eslint%2Fjs` (the scope's slash must be encoded)."""
    return f"{registry.rstrip('/')}/{urllib.parse.quote(name, safe='@')}"


def fetch_packument(name: str, *, registry: str = REGISTRY, timeout: float = TIMEOUT) -> dict:
    """The full package document (the abbreviated one is not guaranteed to carry `deprecated`)."""
    url = package_url(name, registry)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - registry is an http(s) base URL
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - same URL as above
            body = response.read()
    except urllib.error.HTTPError as e:
        if e.code == 404:
            raise PackageNotFound(f"{name}: no such package (HTTP 404 from {url})") from e
        raise RegistryError(f"{name}: HTTP {e.code} {e.reason} from {url}") from e
    except urllib.error.URLError as e:
        if isinstance(e.reason, ssl.SSLError):
            raise RegistryError(f"{name}: TLS failure talking to {url}: {e.reason}") from e
        raise RegistryUnreachable(f"{name}: cannot reach {url}: {e.reason}") from e
    except TimeoutError as e:
        raise RegistryUnreachable(f"{name}: no answer from {url} within {timeout:g}s") from e
    except ssl.SSLError as e:
        raise RegistryError(f"{name}: TLS failure talking to {url}: {e}") from e
    except OSError as e:  # connection reset mid-body and the like
        raise RegistryUnreachable(f"{name}: connection to {url} failed: {e}") from e
    try:
        doc = json.loads(body)
    except ValueError as e:
        raise RegistryError(f"{name}: {url} did not return JSON: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("versions"), dict):
        raise RegistryError(f"{name}: {url} returned no `versions` object")
    return doc


def fetch_packuments(
    names: Iterable[str], *, registry: str = REGISTRY, timeout: float = TIMEOUT, workers: int = WORKERS
) -> dict[str, dict | RegistryError]:
    """Fetch in parallel; each name maps to its document or to the RegistryError it hit."""
    names = list(dict.fromkeys(names))

    def one(name: str) -> dict | RegistryError:
        try:
            return fetch_packument(name, registry=registry, timeout=timeout)
        except RegistryError as e:
            return e

    if not names:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, WORKERS, len(names)))) as pool:
        return dict(zip(names, pool.map(one, names), strict=True))


def deprecation(packument: dict, version: str) -> str | None:
    """The deprecation message of `version`, or None (npm un-deprecates by setting it to "")."""
    message = packument.get("versions", {}).get(version, {}).get("deprecated")
    return message or None


def latest_version(packument: dict) -> str | None:
    return packument.get("dist-tags", {}).get("latest")


# --- the freshness rule -----------------------------------------------------------------------


def pin_problems(pin: Pin, packument: dict, allowed_behind: int = ALLOWED_MAJORS_BEHIND) -> list[str]:
    """What is wrong with one pin, judged against its package document: [] when it is fine."""
    where = f"{pin.name} {pin.range} ({pin.section})"
    problems = []
    latest = latest_version(packument)
    if latest is None or parse_version(latest) is None:
        problems.append(f"{where}: the registry has no usable dist-tags.latest ({latest!r})")
    else:
        behind = majors_behind(pin.range, latest)
        if behind > allowed_behind and pin.name not in HELD_MAJORS:
            problems.append(f"{where}: {behind} majors behind latest {latest} (at most {allowed_behind} allowed)")
    resolved = resolve_range(pin.range, packument["versions"])
    if resolved is None:
        problems.append(f"{where}: no published version satisfies the range")
    else:
        message = deprecation(packument, resolved)
        if message:
            problems.append(f"{where}: resolves to {resolved}, which is deprecated: {message}")
    return problems


def audit(
    pins: Iterable[Pin],
    *,
    registry: str = REGISTRY,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    allowed_behind: int = ALLOWED_MAJORS_BEHIND,
) -> list[str]:
    """One message per problem across all pins; [] when every pin is fresh.

    Raises RegistryUnreachable when some package could not be fetched for lack of an answer and
    nothing else is wrong; when other problems exist, the unreachable ones are listed with them.
    """
    pins = list(pins)
    problems, checkable = [], []
    for pin in pins:
        try:
            parse_range(pin.range)
        except UnsupportedRange as e:
            problems.append(f"{pin.name} ({pin.section}): {e}")
        else:
            checkable.append(pin)
    results = fetch_packuments((p.name for p in checkable), registry=registry, timeout=timeout, workers=workers)
    unreachable = []
    for pin in checkable:
        result = results[pin.name]
        if isinstance(result, RegistryUnreachable):
            unreachable.append(result)
        elif isinstance(result, RegistryError):
            problems.append(str(result))
        else:
            problems += pin_problems(pin, result, allowed_behind)
    if unreachable and not problems:
        raise RegistryUnreachable(f"{unreachable[0]} ({len(unreachable)} of {len(checkable)} packages unanswered)")
    return problems + [f"not checked: {e}" for e in unreachable]
