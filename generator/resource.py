"""`rampart add resource NAME`: one more owner-scoped resource, like the notes example.

A resource is a declaration over the engine the template ships (src/resources/: the
zod contracts, the owner-scoped repository, the signed cursors, the routes). Adding
one writes only what is its own, and never touches the engine:

  src/NAME/resource.EXT                 the declaration (fields, bounds)
  db/migrations/NNN_create_NAME.sql     its table
  test/NAME.test.EXT                    the shared resource tests, with its examples
  src/resources/index.EXT               one import and one entry in RESOURCES

The added files are the service's own: `rampart update` carries template fixes into
the engine and the routes, which every resource uses, and merges the one-line
registration like any other edit. Field syntax (readable in a shell, no globbing):

  NAME:string[:MIN..MAX]   NAME:int[:MIN..MAX]   NAME:bool   NAME:enum:a,b,c   NAME:timestamp
  add :optional at the end for a field that may be omitted or null.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import RampartError
from generator.post_steps import run_git

ANSWERS_FILE = ".copier-answers.yml"
TYPES = ("string", "int", "bool", "enum", "timestamp")
INT32 = (-(2**31), 2**31 - 1)
STRING_MAX = 100_000
DEFAULT_STRING_MAX = 200
# The field constructors of src/resources/define, by field type.
CONSTRUCTORS = {"string": "text", "int": "integer", "bool": "boolean", "enum": "choice", "timestamp": "timestamp"}

RESOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIELD_NAME = re.compile(r"^[a-z][a-zA-Z0-9]{0,39}$")
ENUM_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
JS_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
BOUNDS = re.compile(r"^(-?\d{1,11})?\.\.(-?\d{1,11})?$")

# Written by the service (src/resources/define), or columns every resource table has.
MANAGED_FIELDS = {"id", "owner", "ownerId", "version", "createdAt", "updatedAt", "position", "seq"}
MANAGED_COLUMNS = {"owner_id", "created_at", "updated_at"}
# Keys that reach an object's prototype, and words JavaScript or SQL keep for themselves.
RESERVED_WORDS = {
    "__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf",
    "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
    "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
    "instanceof", "let", "new", "null", "return", "static", "super", "switch", "this", "throw", "true", "try",
    "typeof", "var", "void", "while", "with", "yield", "undefined", "arguments", "eval",
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "both", "cast", "check", "collate",
    "column", "constraint", "create", "current_date", "current_role", "current_time", "current_timestamp",
    "current_user", "desc", "distinct", "end", "except", "fetch", "foreign", "from", "grant", "group",
    "having", "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp",
    "not", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
    "session_user", "some", "symmetric", "table", "then", "to", "trailing", "union", "unique", "user",
    "using", "variadic", "when", "where", "window",
}  # fmt: skip
# Paths and tables the service already has, whatever resources it declares.
TAKEN_NAMES = {
    "auth", "me", "admin", "csrf_token", "users", "schema_migrations", "openapi", "healthz", "readyz",
    "login", "logout", "account", "register", "token", "resources", "routes", "middleware", "plugins",
    "session", "pages", "redis", "db", "test", "fixtures",
}  # fmt: skip


def snake_case(name: str) -> str:
    """A field's column: fooBar -> foo_bar (as src/resources/define derives it)."""
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), name)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    low: int | None = None
    high: int | None = None
    values: tuple[str, ...] = ()
    optional: bool = False

    @property
    def column(self) -> str:
        return snake_case(self.name)


@dataclass(frozen=True)
class AddResult:
    project: Path
    created: list[str]
    changed: list[str]


def _short(text: str) -> str:
    """User input quoted for a message: bounded, control characters escaped."""
    return json.dumps(text[:60] + ("…" if len(text) > 60 else ""))


def _bounds(text: str, spec: str) -> tuple[int | None, int | None]:
    match = BOUNDS.match(text)
    if not match:
        raise RampartError(f"field {_short(spec)}: bounds must look like MIN..MAX, MIN.. or ..MAX (whole numbers)")
    low, high = (None if group is None else int(group) for group in match.groups())
    if low is not None and high is not None and low > high:
        raise RampartError(f"field {_short(spec)}: the minimum {low} is above the maximum {high}")
    return low, high


def parse_field(spec: str) -> Field:
    """One --field NAME:TYPE[:BOUNDS|:VALUES][:optional]."""
    parts = spec.split(":")
    optional = len(parts) > 2 and parts[-1] == "optional"
    if optional:
        parts = parts[:-1]
    if len(parts) < 2 or len(parts) > 3:
        raise RampartError(
            f"field {_short(spec)}: expected NAME:TYPE[:BOUNDS or VALUES][:optional], e.g. title:string:1..200"
        )
    name, kind = parts[0], parts[1]
    extra = parts[2] if len(parts) == 3 else None
    check_field_name(name)
    if kind not in TYPES:
        raise RampartError(f"field {_short(spec)}: type must be one of {', '.join(TYPES)}")
    if kind == "string":
        low, high = _bounds(extra, spec) if extra is not None else (None, None)
        low, high = low or 0, DEFAULT_STRING_MAX if high is None else high
        if low < 0 or high < 1 or high > STRING_MAX:
            raise RampartError(
                f"field {_short(spec)}: string lengths must be within 0..{STRING_MAX} (maximum at least 1)"
            )
        return Field(name, kind, low, high, optional=optional)
    if kind == "int":
        low, high = _bounds(extra, spec) if extra is not None else (None, None)
        for bound in (low, high):
            if bound is not None and not INT32[0] <= bound <= INT32[1]:
                raise RampartError(
                    f"field {_short(spec)}: int bounds must be within {INT32[0]}..{INT32[1]} (a PostgreSQL integer)"
                )
        return Field(name, kind, low, high, optional=optional)
    if kind == "enum":
        values = tuple(extra.split(",")) if extra else ()
        if not values or len(values) > 50:
            raise RampartError(f"field {_short(spec)}: an enum lists 1 to 50 values, e.g. status:enum:draft,sent,paid")
        for value in values:
            if not ENUM_VALUE.match(value):
                raise RampartError(
                    f"field {_short(spec)}: enum value {_short(value)} must be lowercase letters, digits, _ or - "
                    "(at most 40)"
                )
        if len(set(values)) != len(values):
            raise RampartError(f"field {_short(spec)}: an enum value is listed twice")
        return Field(name, kind, values=values, optional=optional)
    if extra is not None:
        raise RampartError(f"field {_short(spec)}: a {kind} takes no bounds or values")
    return Field(name, kind, optional=optional)


def check_field_name(name: str) -> None:
    if not FIELD_NAME.match(name):
        raise RampartError(
            f"field name {_short(name)} must be an identifier in camelCase: a lowercase letter, then letters "
            "and digits (at most 40)"
        )
    if name in MANAGED_FIELDS or snake_case(name) in MANAGED_COLUMNS:
        raise RampartError(
            f"field name {_short(name)} is managed by the service (id, owner, version, timestamps): choose another"
        )
    if name in RESERVED_WORDS or name.lower() in RESERVED_WORDS:
        raise RampartError(f"field name {_short(name)} is a reserved word in JavaScript or SQL: choose another")


def check_resource_name(name: str) -> None:
    if not RESOURCE_NAME.match(name):
        raise RampartError(
            f"resource name {_short(name)} must be lowercase letters, digits and underscores, starting with a letter "
            "(at most 40), e.g. invoices"
        )
    if name in RESERVED_WORDS or name in TAKEN_NAMES:
        raise RampartError(
            f"resource name {_short(name)} is reserved (a SQL or JavaScript word, or a path the service has): "
            "choose another"
        )


# --- rendering: every value that came from the user is an identifier checked above,
# a number, or a string written through json.dumps (JavaScript) or _sql_text (SQL).


def _js_number(value: int) -> str:
    return f"{value:_}" if abs(value) >= 10_000 else str(value)


def _zod_field(field: Field) -> str:
    options = []
    if field.type == "string":
        options += [f"min: {field.low}"] if field.low else []
        options.append(f"max: {_js_number(field.high or DEFAULT_STRING_MAX)}")
    if field.type == "int":
        options += [
            f"{key}: {_js_number(value)}"
            for key, value in (("min", field.low), ("max", field.high))
            if value is not None
        ]
    if field.optional:
        options.append("optional: true")
    braces = "{ " + ", ".join(options) + " }" if options else ""
    if field.type == "enum":
        values = _js(list(field.values))
        return f"choice({values}{', ' + braces if braces else ''})"
    return f"{CONSTRUCTORS[field.type]}({braces})"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_column(field: Field) -> str:
    column = f'"{field.column}"'
    null = "" if field.optional else " NOT NULL"
    if field.type == "string":
        # PostgreSQL counts characters, never more than JavaScript's UTF-16 length: the
        # API's maximum holds here too (its minimum is the API's alone).
        return f"{column} text{null} CHECK (char_length({column}) <= {field.high})"
    if field.type == "int":
        checks = [
            f"{column} >= {field.low}" if field.low is not None else "",
            f"{column} <= {field.high}" if field.high is not None else "",
        ]
        check = " AND ".join(part for part in checks if part)
        return f"{column} integer{null}" + (f" CHECK ({check})" if check else "")
    if field.type == "bool":
        return f"{column} boolean{null}"
    if field.type == "enum":
        return f"{column} text{null} CHECK ({column} IN ({', '.join(_sql_text(value) for value in field.values)}))"
    return f"{column} timestamptz{null}"


def _example(field: Field, changed: bool = False) -> Any:
    """A value the field accepts (another one when `changed`)."""
    if field.type == "string":
        length = max(field.low or 0, 1 if changed else 3)
        length = min(length, field.high or DEFAULT_STRING_MAX)
        return ("b" if changed else "a") * length
    if field.type == "int":
        low = field.low if field.low is not None else min(0, field.high if field.high is not None else 0)
        return low + 1 if changed and (field.high is None or low + 1 <= field.high) else low
    if field.type == "bool":
        return not changed
    if field.type == "enum":
        return field.values[-1] if changed else field.values[0]
    return "2031-02-03T04:05:06.000Z" if changed else "2030-01-02T03:04:05.000Z"


def _invalid(field: Field) -> dict[str, Any]:
    """Values the field refuses, by what is wrong with them."""
    cases: dict[str, Any] = {f"{field.name} of the wrong type": [] if field.type != "bool" else "yes"}
    if field.type == "string":
        cases[f"{field.name} too long"] = "x" * ((field.high or DEFAULT_STRING_MAX) + 1)
        if field.low:
            cases[f"{field.name} blank"] = " " * field.low
    if field.type == "int":
        cases[f"{field.name} not whole"] = 1.5
        if field.high is not None:
            cases[f"{field.name} above {field.high}"] = field.high + 1
        if field.low is not None:
            cases[f"{field.name} below {field.low}"] = field.low - 1
    if field.type == "enum":
        cases[f"{field.name} not listed"] = "not-one-of-them-" * 3
    if field.type == "timestamp":
        cases[f"{field.name} without a time zone"] = "2030-01-02T03:04:05"
    return cases


def _label(name: str) -> str:
    words = name.split("_")
    words[-1] = words[-1][:-1] if words[-1].endswith("s") and len(words[-1]) > 1 else words[-1]
    return " ".join(words).capitalize()


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def render_declaration(name: str, fields: list[Field], ext: str) -> str:
    kinds = sorted({CONSTRUCTORS[field.type] for field in fields})
    lines = [
        f"// {_title(name)} owned by the signed-in user, in PostgreSQL (db/migrations/*_create_{name}.sql).",
        "// Added by `rampart add resource`; yours to edit. The contracts, queries and routes",
        "// come from ../resources/ (updated by `rampart update`).",
        f"import {{ defineResource, {', '.join(kinds)} }} from '../resources/define.{ext}';",
        "",
        f"export const {_camel(name)} = defineResource({{",
        f"  name: {_js(name)},",
        f"  label: {_js(_label(name))},",
        "  fields: {",
        *(f"    {field.name}: {_zod_field(field)}," for field in fields),
        "  },",
        "});",
        "",
    ]
    return "\n".join(lines)


def render_migration(name: str, fields: list[Field]) -> str:
    columns = ",\n  ".join(_sql_column(field) for field in fields)
    return f"""-- {_title(name)} (src/{name}/resource.*), added by `rampart add resource`: owned by a
-- user, every query filters on owner_id (src/resources/repository.*); seq orders
-- the pages of a list; version makes a PATCH compare-and-set.
CREATE TABLE "{name}" (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  {columns},
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "{name}_owner_seq" ON "{name}" (owner_id, seq DESC);
"""


def _js(value: Any) -> str:
    """A JavaScript literal of JSON-like data; a long run of one character as 'x'.repeat(n)."""
    if isinstance(value, dict):
        entries = [f"{key if JS_KEY.match(key) else _js(key)}: {_js(item)}" for key, item in value.items()]
        return "{ " + ", ".join(entries) + " }" if entries else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_js(item) for item in value) + "]"
    if isinstance(value, str):
        if len(value) > 20 and len(set(value)) == 1:
            return f"{_js(value[0])}.repeat({_js_number(len(value))})"
        # json.dumps escapes quotes, backslashes and control characters; then the quotes are swapped.
        return "'" + json.dumps(value)[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"
    return json.dumps(value)


def render_test(name: str, fields: list[Field], ext: str) -> str:
    valid = {field.name: _example(field) for field in fields}
    change = {field.name: _example(field, changed=True) for field in fields}
    invalid: dict[str, Any] = {}
    for field in fields:
        for case, value in _invalid(field).items():
            invalid[case] = {**valid, field.name: value}
        if not field.optional:
            invalid[f"{field.name} missing"] = {key: value for key, value in valid.items() if key != field.name}
    entries = "\n".join(f"    {_js(case)}: {_js(body)}," for case, body in invalid.items())
    return f"""// {_title(name)} (src/{name}/resource.{ext}), with the tests every owner-scoped
// resource gets (./resource-suite.{ext}). Added by `rampart add resource`.
import {{ {_camel(name)} }} from '../src/{name}/resource.{ext}';
import {{ describeResource }} from './resource-suite.{ext}';

describeResource({_camel(name)}, {{
  valid: {_js(valid)},
  change: {_js(change)},
  invalid: {{
{entries}
  }},
}});
"""


REGISTRY_IMPORT = re.compile(r"^import .*;\n", re.M)
REGISTRY_LIST = re.compile(r"^export const RESOURCES = \[(?P<items>[^\]]*)\];", re.M)


def register(registry: str, name: str, ext: str) -> str:
    """src/resources/index.EXT with the resource imported and listed last."""
    listed = REGISTRY_LIST.search(registry)
    imports = list(REGISTRY_IMPORT.finditer(registry))
    if listed is None or not imports:
        raise RampartError(
            f"src/resources/index.{ext} no longer has `export const RESOURCES = [...]` after its imports: "
            f"add the resource by hand (import {{ {_camel(name)} }} from '../{name}/resource.{ext}')"
        )
    items = [item.strip() for item in listed.group("items").split(",") if item.strip()]
    updated = registry[: listed.start("items")] + ", ".join([*items, _camel(name)]) + registry[listed.end("items") :]
    at = imports[-1].end()
    return updated[:at] + f"import {{ {_camel(name)} }} from '../{name}/resource.{ext}';\n" + updated[at:]


def _answers(root: Path) -> dict[str, Any]:
    import yaml

    path = root / ANSWERS_FILE
    if not path.is_file():
        raise RampartError(
            f"{root} is not a rampart service: it has no {ANSWERS_FILE} (run this in the service's folder)"
        )
    try:
        answers = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise RampartError(f"{ANSWERS_FILE} is not valid YAML: fix it or regenerate the service") from None
    if not isinstance(answers, dict):
        raise RampartError(f"{ANSWERS_FILE} holds no answers")
    return answers


def _require_clean_git(root: Path) -> None:
    if run_git(root, "rev-parse", "--show-toplevel", check=False).returncode != 0:
        raise RampartError(
            f"{root} is not a git repository: commit the service first, so the new files can be reviewed and undone"
        )
    dirty = run_git(root, "status", "--porcelain", "--untracked-files=normal").stdout.splitlines()
    if dirty:
        raise RampartError(
            f"{root} has uncommitted changes ({len(dirty)} paths): commit or stash them before adding a resource"
        )


def _next_migration(directory: Path, name: str) -> str:
    numbers = [int(path.name[:3]) for path in directory.glob("[0-9][0-9][0-9]_*.sql")]
    number = max(numbers, default=0) + 1
    if number > 999:
        raise RampartError("db/migrations already has 999 migrations: renumbering is up to you")
    return f"{number:03d}_create_{name}.sql"


def _collisions(root: Path, name: str, ext: str) -> None:
    if (root / "src" / name).exists() or (root / "test" / f"{name}.test.{ext}").exists():
        raise RampartError(
            f"src/{name} or test/{name}.test.{ext} already exists: the service has a {name} resource or module"
        )
    pattern = re.compile(rf'CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?"?{re.escape(name)}"?\s*\(', re.I)
    for migration in sorted((root / "db" / "migrations").glob("*.sql")):
        if pattern.search(migration.read_text(encoding="utf-8", errors="replace")):
            raise RampartError(
                f"a table named {name} already exists ({migration.relative_to(root)}): choose another name"
            )
    path = "/api/v1/" + name.replace("_", "-")
    for source in (root / "src").rglob(f"*.{ext}"):
        if f"'{path}'" in source.read_text(encoding="utf-8", errors="replace"):
            raise RampartError(f"{source.relative_to(root)} already serves {path}: choose another name")


def add_resource(root: Path, name: str, fields: list[Field]) -> AddResult:
    root = root.expanduser().absolute()
    answers = _answers(root)
    auth = answers.get("auth")
    if auth == "none":
        raise RampartError(
            "this service has auth=none: an added resource belongs to signed-in users and lives in PostgreSQL. "
            "Regenerate with auth=session or auth=token (the in-memory notes example is the auth=none pattern)"
        )
    if auth not in ("session", "token") or answers.get("language") not in ("javascript", "typescript"):
        raise RampartError(f"{ANSWERS_FILE} names no supported auth and language: is this a rampart service?")
    ext = "ts" if answers["language"] == "typescript" else "js"
    check_resource_name(name)
    if not fields:
        raise RampartError("a resource needs at least one field, e.g. --field title:string:1..200")
    if len(fields) > 50:
        raise RampartError("at most 50 fields per resource")
    names = [field.name for field in fields]
    duplicate = next((field for field in names if names.count(field) > 1), None)
    if duplicate:
        raise RampartError(f"field {_short(duplicate)} is given twice")
    registry_path = root / "src" / "resources" / f"index.{ext}"
    if not registry_path.is_file():
        raise RampartError(
            f"src/resources/index.{ext} is missing: this service predates `rampart add resource`; "
            "run `rampart update` first"
        )
    _require_clean_git(root)
    _collisions(root, name, ext)

    migrations = root / "db" / "migrations"
    files = {
        Path("src") / name / f"resource.{ext}": render_declaration(name, fields, ext),
        Path("db") / "migrations" / _next_migration(migrations, name): render_migration(name, fields),
        Path("test") / f"{name}.test.{ext}": render_test(name, fields, ext),
    }
    registry = register(registry_path.read_text(encoding="utf-8"), name, ext)
    _write_all(root, files, {registry_path.relative_to(root): registry})
    return AddResult(root, [str(path) for path in files], [str(registry_path.relative_to(root))])


def _write_all(root: Path, created: dict[Path, str], changed: dict[Path, str]) -> None:
    """Write every file, or none: a failure part-way removes what was written."""
    originals = {path: (root / path).read_text(encoding="utf-8") for path in changed}
    written: list[Path] = []
    folders: list[Path] = []  # made here, removed again on failure
    try:
        for path, text in created.items():
            target = root / path
            missing = [parent for parent in reversed(target.parents) if not parent.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.extend(missing)
            with open(target, "x", encoding="utf-8") as handle:  # never replaces a file
                written.append(path)
                handle.write(text)
        for path, text in changed.items():
            written.append(path)
            (root / path).write_text(text, encoding="utf-8")
    except OSError as err:
        for path in reversed(written):
            if path in originals:
                (root / path).write_text(originals[path], encoding="utf-8")
            else:
                (root / path).unlink(missing_ok=True)
        for folder in reversed(folders):
            folder.rmdir()
        where = Path(err.filename).relative_to(root) if err.filename else "a file"
        raise RampartError(f"could not write {where}: {err.strerror}; nothing was changed") from None


def prompt_fields(ask: Callable[[str], str], say: Callable[[str], None]) -> list[Field]:
    """Ask for fields one at a time, with the same syntax and checks as --field."""
    say("Fields, one per line as NAME:TYPE[:BOUNDS or VALUES][:optional]; an empty line ends.")
    say(f"  types: {', '.join(TYPES)}")
    say("  e.g. title:string:1..200  amount:int:0..  paid:bool  status:enum:draft,sent  due:timestamp:optional")
    fields: list[Field] = []
    while True:
        line = ask(f"field {len(fields) + 1}: ").strip()
        if not line:
            return fields
        try:
            fields.append(parse_field(line))
        except RampartError as err:
            say(f"  {err}")
