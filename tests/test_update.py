"""`rampart update` / `check-update` with real git, real tags and real copier (no mocked VCS).

A template repository is built in a temp dir from this checkout: v1.0.0 is today's tree, v2.0.0 a
realistic change (a header value, a new middleware file, a changed dependency range, a renamed
question carried over by a `_migrations` step, a security changelog entry).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.kustomize import build
from tests.conftest import ROOT, run_rampart

HEADERS = Path("src/security-headers.js")
HSTS_V1 = "maxAge: 31_536_000"
HSTS_V2 = "maxAge: 63_072_000"
NEW_MIDDLEWARE = Path("src/middleware/request-timeout.js")
# Where those project files live in the template (file names end in the language's extension).
TEMPLATE_MIDDLEWARE = Path("template/src/middleware")
TEMPLATE_HEADERS = Path("template/src/security-headers.{{ ext }}.jinja")
TEMPLATE_NEW_MIDDLEWARE = TEMPLATE_MIDDLEWARE / "request-timeout.{{ ext }}"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _make_v2(repo: Path) -> None:
    _replace(repo / TEMPLATE_HEADERS, HSTS_V1, HSTS_V2)
    # The service's tests follow the change.
    for test_file in (repo / "template" / "test").glob("*.test.{{ ext }}.jinja"):
        test_file.write_text(test_file.read_text().replace("max-age=31536000", "max-age=63072000"))
    (repo / TEMPLATE_NEW_MIDDLEWARE).write_text(
        "// Bounds how long a request may take before the server answers 503.\n"
        "export const REQUEST_TIMEOUT_MS = 30_000;\n"
    )
    _replace(repo / "template/package.json.jinja", '"cors": "^2.8.6"', '"cors": "^2.8.5"')
    # The question `author` becomes `owner`; a before-migration carries the answer over.
    config = repo / "copier.yml"
    _replace(config, "\nauthor:\n", "\nowner:\n")
    _replace(config, "{% if author | length > 200 %}", "{% if owner | length > 200 %}")
    _replace(config, "{% elif author | regex_search", "{% elif owner | regex_search")
    _replace(
        config,
        "_migrations: []",
        "_migrations:\n"
        "  - version: v2.0.0\n"
        '    command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/migrations/rename_answer.py",'
        ' "author", "owner"]\n'
        "    when: \"{{ _stage == 'before' }}\"",
    )
    for path in (repo / "template").rglob("*.jinja"):  # every use of the question follows the rename
        path.write_text(re.sub(r"\bauthor\b(?= *[|}%]| *$)", "owner", path.read_text(), flags=re.M))
    _replace(
        repo / "CHANGELOG.md",
        "## v0.1.0",
        "## v2.0.0 — 2026-12-01\n\n- **Security**: HSTS max-age raised to two years.\n"
        "- **Security** (Express): an Express fix whose entry wraps\n  onto a second line.\n"
        "- **Security** (Fastify): a Fastify-only fix.\n"
        "- The `author` question is now `owner`.\n\n## v1.0.0\n\n- Imported.\n\n## v0.1.0",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v2")
    git(repo, "tag", "v2.0.0")


def _copy_template_files(repo: Path) -> None:
    """This checkout's template (copier.yml, template/, migrations/, CHANGELOG.md) into `repo`."""
    for name in ("copier.yml", "CHANGELOG.md"):
        shutil.copy2(ROOT / name, repo / name)
    for name in ("template", "migrations"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory) -> Path:
    """A template repository with v1.0.0 (this tree) and v2.0.0 (the change above)."""
    repo = tmp_path_factory.mktemp("tpl") / "rampart-template"
    repo.mkdir()
    _copy_template_files(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    git(repo, "tag", "v1.0.0")
    return repo


@pytest.fixture(scope="module", autouse=True)
def _git_identity_and_isolated_cache(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    saved = dict(os.environ)
    os.environ.update(
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@t",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@t",
        XDG_CACHE_HOME=str(home / "cache"),  # copier's mirror cache: one per test module
    )
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="module")
def tagged(template_repo) -> Path:
    """The repo once v2.0.0 exists (projects are generated at v1.0.0 before this is requested)."""
    if "v2.0.0" not in git(template_repo, "tag").split():
        _make_v2(template_repo)
    return template_repo


def _generate(template_repo: Path, dest: Path, *extra: str) -> Path:
    args = ["new", str(dest), "--defaults", "--no-install", "--template", str(template_repo), *extra]
    result = run_rampart(*args, "--data", "author=Team Pay")
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="module")
def v1_projects(template_repo, tmp_path_factory) -> dict[str, Path]:
    """Every project these tests update, generated while only v1.0.0 exists."""
    base = tmp_path_factory.mktemp("projects")
    projects = {
        name: _generate(template_repo, base / name) for name in ("edited", "pristine", "checked", "e2e", "resources")
    }
    projects["no-git"] = _generate(template_repo, base / "no-git", "--no-git")
    copied = base / "plain-copier"
    subprocess.run(
        [
            shutil.which("copier") or str(Path(os.sys.executable).parent / "copier"),
            "copy",
            "--quiet",
            "--defaults",
            "--data",
            "author=Team Pay",
            str(template_repo),
            str(copied),
        ],
        check=True,
    )
    git(copied, "init", "-q")
    git(copied, "add", "-A")
    git(copied, "commit", "-qm", "plain copier copy")
    projects["plain-copier"] = copied
    for project in projects.values():
        assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v1.0.0"
    return projects


def _update(project: Path, template: Path, *args: str, **kwargs):
    """`rampart update`, naming the template explicitly (what trusts its migrations)."""
    return run_rampart("update", str(project), "--template", str(template), *args, **kwargs)


def _tree(root: Path) -> dict[str, bytes]:
    skip = {".git", "node_modules"}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not skip & set(p.relative_to(root).parts) and p.name not in {".env", "package-lock.json"}
    }


def test_update_merges_v2_and_keeps_user_edits(v1_projects, tagged, tmp_path):
    project = v1_projects["edited"]
    _replace(project / HEADERS, HSTS_V1, "maxAge: 15_552_000")  # the team's own value, on v2's line
    (project / "src/routes/custom.js").write_text("export const custom = true;\n")
    package = json.loads((project / "package.json").read_text())
    package["dependencies"]["ms"] = "^2.1.3"
    (project / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "team edits")
    env_before = (project / ".env").read_bytes()

    result = _update(project, tagged, "--defaults", "--no-install")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"conflict: {HEADERS}" in result.stdout
    headers = (project / HEADERS).read_text()
    assert "<<<<<<<" in headers and HSTS_V2 in headers and "15_552_000" in headers
    # v2 arrived
    assert (project / NEW_MIDDLEWARE).is_file()
    package = json.loads((project / "package.json").read_text())
    assert package["dependencies"]["cors"] == "^2.8.5"
    # user edits survived
    assert package["dependencies"]["ms"] == "^2.1.3"
    assert (project / "src/routes/custom.js").read_text() == "export const custom = true;\n"
    # the renamed question kept its answer through the migration
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v2.0.0"
    assert answers["owner"] == "Team Pay" and "author" not in answers
    assert package["author"] == "Team Pay"
    assert (project / ".env").read_bytes() == env_before
    changed = {line[3:] for line in git(project, "status", "--porcelain").splitlines()}
    # ci.yml, template-update.yml: the pins of rampart in the generated CI move to the new version
    assert changed == {
        str(HEADERS),
        str(NEW_MIDDLEWARE),
        "test/headers.test.js",
        "package.json",
        ".copier-answers.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/template-update.yml",
    }


def test_update_keeps_two_added_resources(v1_projects, tagged):
    """Added resources are the service's own files over the template's engine (src/resources/):
    an update brings the template's changes and leaves the added files and their registration alone."""
    project = v1_projects["resources"]
    for name, fields in (
        ("invoices", ["number:string:1..32", "paid:bool"]),
        ("line_items", ["description:string:1..200", "quantity:int:1..1000"]),
    ):
        result = run_rampart("add", "resource", name, "--path", str(project), *[f"--field={f}" for f in fields])
        assert result.returncode == 0, result.stderr
        git(project, "add", "-A")
        git(project, "commit", "-qm", f"add {name}")
    added = {
        path: (project / path).read_bytes()
        for path in (
            "src/invoices/resource.js",
            "src/line_items/resource.js",
            "db/migrations/003_create_invoices.sql",
            "db/migrations/004_create_line_items.sql",
            "test/invoices.test.js",
            "test/line_items.test.js",
            "src/resources/index.js",
        )
    }

    result = _update(project, tagged, "--defaults", "--no-install")

    assert result.returncode == 0, result.stdout + result.stderr
    assert HSTS_V2 in (project / HEADERS).read_text()
    assert (project / NEW_MIDDLEWARE).is_file()
    assert {path: (project / path).read_bytes() for path in added} == added
    assert "export const RESOURCES = [notes, invoices, lineItems];" in (project / "src/resources/index.js").read_text()
    assert not list(project.rglob("*.rej"))


def test_update_of_pristine_project_equals_fresh_v2_render(v1_projects, tagged, tmp_path):
    project = v1_projects["pristine"]
    result = _update(project, tagged, "--defaults", "--no-install")
    assert result.returncode == 0, result.stdout + result.stderr
    fresh = tmp_path / project.name  # same folder name: same default project name
    args = ["new", str(fresh), "--defaults", "--no-install", "--no-git", "--template", str(tagged)]
    assert run_rampart(*args, "--data", "owner=Team Pay").returncode == 0
    expected, actual = _tree(fresh), _tree(project)
    assert set(actual) == set(expected)
    assert [path for path in expected if actual[path] != expected[path]] == []
    # the generated CI's rampart is pinned to the template version, and the update moved the pin
    v2 = git(tagged, "rev-parse", "v2.0.0^{commit}").strip()
    for name in ("ci.yml", "template-update.yml"):
        assert f"rampart.git@{v2}'" in (project / ".github/workflows" / name).read_text(), name


def test_check_update_reports_security_entries(v1_projects, tagged):
    project = v1_projects["checked"]
    result = run_rampart("check-update", str(project))  # reading needs no trust
    assert result.returncode == 3, result.stdout + result.stderr
    assert "current: v1.0.0" in result.stdout and "newest:  v2.0.0" in result.stdout
    assert "security: v2.0.0: **Security**: HSTS max-age raised to two years." in result.stdout
    # whole entries, and only those for the project's framework
    assert "**Security** (Express): an Express fix whose entry wraps onto a second line." in result.stdout
    assert "Fastify" not in result.stdout
    assert _update(project, tagged, "--defaults", "--no-install").returncode == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update to v2")
    result = run_rampart("check-update", str(project))
    assert result.returncode == 0 and "up to date" in result.stdout
    again = _update(project, tagged, "--defaults", "--no-install")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Already at v2.0.0" in again.stdout and "Updated from" not in again.stdout
    assert git(project, "status", "--porcelain") == ""


def test_an_untagged_template_is_said_in_rampart_words(tmp_path):
    """A team's fork with no version tag yet: copier renders its HEAD and prints its own note to
    stderr; rampart says what that means instead, once, and the service is generated."""
    repo = tmp_path / "fork"
    repo.mkdir()
    _copy_template_files(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fork")
    dest = tmp_path / "svc"
    result = run_rampart("new", str(dest), "--defaults", "--no-install", "--no-git", "--template", str(repo))
    assert result.returncode == 0, result.stderr
    assert "No git tags" not in result.stderr
    note = f"rampart: the template at {repo} has no version tags (such as v1.0.0): using its latest commit\n"
    assert result.stderr.count(note) == 1, result.stderr
    assert (dest / "package.json").is_file()


def test_check_update_names_the_template_it_was_given(v1_projects, tmp_path):
    missing = tmp_path / "no-such-repo"
    result = run_rampart("check-update", str(v1_projects["checked"]), "--template", str(missing))
    assert result.returncode == 1
    assert f"cannot read the template at {missing}" in result.stderr and "pass --template" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_data_is_refused_like_new(v1_projects, tagged):
    project = v1_projects["e2e"]
    result = _update(project, tagged, "--defaults", "--no-install", "--data", "foo=bar")
    assert result.returncode == 1 and "unknown question(s) for v2.0.0: foo" in result.stderr, result.stderr
    assert git(project, "status", "--porcelain") == ""


def test_pretend_changes_nothing(v1_projects, tagged):
    project = v1_projects["e2e"]
    head = git(project, "rev-parse", "HEAD")
    result = _update(project, tagged, "--defaults", "--pretend")
    assert result.returncode == 0, result.stderr
    assert git(project, "status", "--porcelain") == "" and git(project, "rev-parse", "HEAD") == head
    # ... and says what an update would change
    assert "Pretend: updating from v1.0.0 to v2.0.0 would change:" in result.stdout, result.stdout
    for path in (HEADERS, NEW_MIDDLEWARE, "package.json"):
        assert f"  would change: {path}" in result.stdout
    assert "Nothing was changed." in result.stdout


def test_plain_copier_project_updates_with_rampart(v1_projects, tagged):
    project = v1_projects["plain-copier"]
    untrusted = run_rampart("update", str(project), "--defaults", "--no-install")
    assert untrusted.returncode == 1 and "pass --template" in untrusted.stderr, untrusted.stderr
    assert git(project, "status", "--porcelain") == ""
    result = _update(project, tagged, "--defaults", "--no-install")
    assert result.returncode == 0, result.stdout + result.stderr
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v2.0.0"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("not-a-project", "not a rampart project"),
        ("no-git", "not a git repository"),
        ("dirty", "uncommitted changes (1 path)"),
        ("unknown-version", "unknown template version v9.9.9; available: v1.0.0, v2.0.0"),
        ("unreachable", "cannot read the template"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(v1_projects, tagged, tmp_path, case, expected):
    args = ["--template", str(tagged), "--defaults", "--no-install"]
    project = v1_projects["e2e"]
    if case == "not-a-project":
        project = tmp_path
    elif case == "no-git":
        project = v1_projects["no-git"]
    elif case == "dirty":
        (project / "src" / "scratch.js").write_text("// wip\n")
    elif case == "unknown-version":
        args += ["--to", "v9.9.9"]
    elif case == "unreachable":
        args += ["--template", str(tmp_path / "no-such-repo")]
    # A project inside some other repository (a monorepo) is that repository's: "not a git
    # repository" is only true when git looks no further up than the project's own folder.
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(project.parent)} if case == "no-git" else None
    before = _tree(project)
    try:
        result = run_rampart("update", str(project), *args, env=env)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert expected in result.stderr, result.stderr
        assert _tree(project) == before
    finally:
        (v1_projects["e2e"] / "src" / "scratch.js").unlink(missing_ok=True)


@pytest.mark.e2e
def test_updated_project_installs_lints_and_tests(v1_projects, tagged, node_env):
    project = v1_projects["e2e"]
    result = _update(project, tagged, "--defaults", env={**os.environ, "PATH": node_env["PATH"]}, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "package-lock.json refreshed" in result.stdout
    for command in (["ci", "--ignore-scripts"], ["run", "lint"], ["test"]):
        npm = subprocess.run(
            ["npm", *command],
            cwd=project,
            env={**os.environ, "PATH": node_env["PATH"]},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert npm.returncode == 0, f"npm {' '.join(command)}: {npm.stdout[-4000:]}{npm.stderr[-2000:]}"


@pytest.fixture(scope="module")
def before_kubernetes(tmp_path_factory) -> Path:
    """A template repository whose v1.0.0 predates the `deploy` question (issue 20) and v2.0.0 is this tree."""
    repo = tmp_path_factory.mktemp("tpl-k8s") / "rampart-template"
    repo.mkdir()
    _copy_template_files(repo)
    shutil.rmtree(repo / "template" / "deploy")
    config = repo / "copier.yml"
    config.write_text(re.sub(r"\ndeploy:\n(?:  .*\n|    .*\n)+", "\n", config.read_text()))
    assert "deploy:" not in config.read_text()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "before deploy")
    git(repo, "tag", "v1.0.0")
    return repo


def test_update_brings_kubernetes_manifests_when_asked(before_kubernetes, tmp_path):
    projects = {name: _generate(before_kubernetes, tmp_path / name) for name in ("asked", "not-asked")}
    for project in projects.values():
        assert not (project / "deploy").exists()
        assert "deploy" not in yaml.safe_load((project / ".copier-answers.yml").read_text())
    shutil.copytree(ROOT / "template" / "deploy", before_kubernetes / "template" / "deploy")
    shutil.copy2(ROOT / "copier.yml", before_kubernetes / "copier.yml")
    git(before_kubernetes, "add", "-A")
    git(before_kubernetes, "commit", "-qm", "the deploy question")
    git(before_kubernetes, "tag", "v2.0.0")

    asked = _update(projects["asked"], before_kubernetes, "--defaults", "--data", "deploy=kubernetes", "--no-install")
    assert asked.returncode == 0, asked.stdout + asked.stderr
    project = projects["asked"]
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["deploy"] == "kubernetes" and answers["_commit"] == "v2.0.0"
    added = {line[3:] for line in git(project, "status", "--porcelain", "-uall").splitlines()}
    manifests = {str(p.relative_to(project)) for p in (project / "deploy").rglob("*") if p.is_file()}
    assert "deploy/kubernetes/overlays/production/kustomization.yaml" in manifests
    # ci.yml, template-update.yml: the generated CI's pins of rampart move to v2.0.0's commit
    assert added == manifests | {
        ".copier-answers.yml",
        "README.md",
        ".github/workflows/ci.yml",
        ".github/workflows/template-update.yml",
    }
    built = build(project / "deploy/kubernetes/overlays/production").resources
    deployment = next(r.obj for r in built if r.obj["kind"] == "Deployment")
    assert deployment["metadata"]["namespace"] == "asked"
    assert "## Running on Kubernetes" in (project / "README.md").read_text()

    default = _update(projects["not-asked"], before_kubernetes, "--defaults", "--no-install")
    assert default.returncode == 0, default.stdout + default.stderr
    assert not (projects["not-asked"] / "deploy").exists(), "the default, none, costs nothing"
    assert yaml.safe_load((projects["not-asked"] / ".copier-answers.yml").read_text())["deploy"] == "none"


def test_a_version_no_history_holds_is_named(tagged, tmp_path):
    """A service generated from a checkout's uncommitted template edits records a commit no copy has."""
    project = _generate(tagged, tmp_path / "svc")
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("_commit: v2.0.0", "_commit: v1.0.0-1-gdeadbee"))
    git(project, "commit", "-qam", "made from uncommitted template edits")
    result = _update(project, tagged, "--defaults", "--no-install")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "(v1.0.0-1-gdeadbee) is not in the template history" in result.stderr, result.stderr
    assert git(project, "status", "--porcelain") == ""
