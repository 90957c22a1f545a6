"""`rampart add resource`: what it writes for every combination, what it refuses (with one line,
writing nothing) and how fast it is. That a service with two added resources lints, passes its own
tests against real Redis and PostgreSQL and audits clean is tests/test_add_resource_e2e.py's."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.combinations import SUPPORTED_COMBINATIONS, combination_id
from tests.conftest import run_rampart

INVOICES = [
    "--field",
    "number:string:1..32",
    "--field",
    "amount:int:0..",
    "--field",
    "paid:bool",
    "--field",
    "status:enum:draft,sent,paid",
    "--field",
    "dueAt:timestamp:optional",
]
LINE_ITEMS = ["--field", "description:string:1..200", "--field", "quantity:int:1..1000"]
VARIANTS = [{**combo, "auth": auth} for combo in SUPPORTED_COMBINATIONS for auth in ("session", "token")]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _new(dest: Path, **answers: str) -> Path:
    data = [arg for key, value in answers.items() for arg in ("--data", f"{key}={value}")]
    result = run_rampart("new", str(dest), "--defaults", "--no-install", *data)
    assert result.returncode == 0, result.stderr
    return dest


def _add(project: Path, name: str, *fields: str):
    return run_rampart("add", "resource", name, "--path", str(project), *fields)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    return _new(tmp_path_factory.mktemp("add") / "svc", framework="express", language="javascript", auth="session")


@pytest.mark.parametrize("variant", VARIANTS, ids=combination_id)
def test_adds_two_resources_for_each_combination(variant, tmp_path):
    project = _new(tmp_path / "svc", **variant)
    ext = "ts" if variant["language"] == "typescript" else "js"
    first = _add(project, "invoices", *INVOICES)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[1:5] == [
        f"  created: src/invoices/resource.{ext}",
        "  created: db/migrations/003_create_invoices.sql",
        f"  created: test/invoices.test.{ext}",
        f"  changed: src/resources/index.{ext}",
    ]
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "invoices")
    second = _add(project, "line_items", *LINE_ITEMS)
    assert second.returncode == 0, second.stderr
    registry = (project / f"src/resources/index.{ext}").read_text()
    assert "export const RESOURCES = [notes, invoices, lineItems];" in registry
    assert f"import {{ lineItems }} from '../line_items/resource.{ext}';" in registry
    declaration = (project / f"src/invoices/resource.{ext}").read_text()
    assert "number: text({ min: 1, max: 32 })," in declaration
    assert "amount: integer({ min: 0 })," in declaration
    assert "status: choice(['draft', 'sent', 'paid'])," in declaration
    assert "dueAt: timestamp({ optional: true })," in declaration
    migration = (project / "db/migrations/004_create_line_items.sql").read_text()
    assert '"quantity" integer NOT NULL CHECK ("quantity" >= 1 AND "quantity" <= 1000)' in migration
    assert "owner_id uuid NOT NULL REFERENCES users (id)" in migration


def test_is_fast_without_npm(service, tmp_path):
    project = _new(tmp_path / "svc")
    started = time.monotonic()
    result = _add(project, "invoices", *INVOICES)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 2, f"rampart add resource took {elapsed:.2f} s"


@pytest.mark.parametrize(
    ("name", "fields", "expected"),
    [
        ("Invoices", INVOICES, 'resource name "Invoices" must be lowercase'),
        ("1nvoices", INVOICES, "must be lowercase letters"),
        ("invoices;drop", INVOICES, "must be lowercase letters"),
        ("select", INVOICES, "is reserved"),
        ("users", INVOICES, "is reserved"),
        ("notes", INVOICES, "src/notes or test/notes.test.js already exists"),
        ("invoices", [], "give the fields with --field"),
        ("invoices", ["--field", "title"], "expected NAME:TYPE"),
        ("invoices", ["--field", "title:text"], "type must be one of string, int, bool, enum, timestamp"),
        ("invoices", ["--field", "title:string:5..1"], "the minimum 5 is above the maximum 1"),
        ("invoices", ["--field", "title:string:a..b"], "bounds must look like MIN..MAX"),
        ("invoices", ["--field", "n:int:0..9999999999"], "int bounds must be within"),
        ("invoices", ["--field", "paid:bool:1..2"], "a bool takes no bounds or values"),
        ("invoices", ["--field", "s:enum:"], "an enum lists 1 to 50 values"),
        ("invoices", ["--field", "s:enum:a,a"], "an enum value is listed twice"),
        ("invoices", ["--field", "s:enum:ok,x'); DROP TABLE users;--"], 'enum value "x\'); DROP TABLE users;--"'),
        ("invoices", ["--field", "__proto__:string"], "must be an identifier in camelCase"),
        ("invoices", ["--field", "constructor:string"], "is a reserved word"),
        ("invoices", ["--field", "ownerId:string"], "is managed by the service"),
        ("invoices", ["--field", "createdAt:timestamp"], "is managed by the service"),
        ("invoices", ["--field", "seq:int"], "is managed by the service"),
        ("invoices", ["--field", "a:bool", "--field", "a:int"], 'field "a" is given twice'),
        ("invoices", ["--field", "x</script>:string"], "must be an identifier"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_writes_nothing(service, name, fields, expected):
    before = _tree(service)
    result = _add(service, name, *fields)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert _tree(service) == before


def test_refuses_a_dirty_tree(service):
    scratch = service / "scratch.txt"
    scratch.write_text("work in progress\n")
    try:
        before = _tree(service)
        result = _add(service, "invoices", *INVOICES)
        assert result.returncode == 1
        assert "has uncommitted changes (1 paths): commit or stash them" in result.stderr
        assert _tree(service) == before
    finally:
        scratch.unlink()


def test_refuses_auth_none_with_the_reason(tmp_path):
    project = _new(tmp_path / "svc", auth="none")
    before = _tree(project)
    result = _add(project, "invoices", *INVOICES)
    assert result.returncode == 1
    assert "auth=none: an added resource belongs to signed-in users and lives in PostgreSQL" in result.stderr
    assert _tree(project) == before


def test_refuses_outside_a_service(tmp_path):
    result = _add(tmp_path, "invoices", *INVOICES)
    assert result.returncode == 1
    assert "is not a rampart service: it has no .copier-answers.yml" in result.stderr


def test_refuses_a_table_that_exists(service, tmp_path):
    project = _new(tmp_path / "svc")
    (project / "db/migrations/003_ledger.sql").write_text('CREATE TABLE "invoices" (id int);\n')
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "a table of our own")
    before = _tree(project)
    result = _add(project, "invoices", *INVOICES)
    assert result.returncode == 1
    assert "a table named invoices already exists (db/migrations/003_ledger.sql)" in result.stderr
    assert _tree(project) == before


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    project = _new(tmp_path / "svc")
    # test/ is a file: the test file cannot be written, after the declaration and migration were.
    _git(project, "rm", "-rq", "test")
    (project / "test").write_text("not a folder\n")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "no test folder")
    before = _tree(project)
    result = _add(project, "invoices", *INVOICES)
    assert result.returncode == 1, result.stdout
    assert "could not write" in result.stderr and "nothing was changed" in result.stderr
    assert _tree(project) == before
    assert not (project / "src/invoices").exists()


def test_interactive_prompt_uses_the_field_syntax(service, tmp_path):
    project = _new(tmp_path / "svc")
    # No terminal: the fields must be given.
    result = run_rampart("add", "resource", "invoices", "--path", str(project), input="")
    assert result.returncode == 1
    assert "give the fields with --field" in result.stderr
    from generator.resource import prompt_fields

    answers = iter(["title:string:1..80", "bad:text", "done:bool:optional", ""])
    said: list[str] = []
    fields = prompt_fields(lambda _: next(answers), said.append)
    assert [(f.name, f.type, f.high, f.optional) for f in fields] == [
        ("title", "string", 80, False),
        ("done", "bool", None, True),
    ]
    assert any("type must be one of" in line for line in said), said


def test_hostile_values_are_escaped_in_what_is_rendered():
    from generator.resource import _js, parse_field, render_migration

    assert _js('it\'s "x"\n\u2028</script>') == "'it\\'s \"x\"\\n\\u2028</script>'"
    enum = parse_field("state:enum:a-b,c_d")
    migration = render_migration("things", [enum])
    assert re.search(r"CHECK \(\"state\" IN \('a-b', 'c_d'\)\)", migration)
