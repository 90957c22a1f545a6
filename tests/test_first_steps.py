"""A newcomer's first steps with a generated service, fast (no npm): what `rampart new` says to run next,
the generated README's shell blocks, the generated database password, and the Node.js version check."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator import dotenv
from tests.combinations import AUTH_VARIANTS, SUPPORTED_COMBINATIONS, combination_id, needs_servers
from tests.conftest import run_rampart
from tests.readme_blocks import shell_blocks

VARIANTS = [{**combo, **auth} for combo in SUPPORTED_COMBINATIONS for auth in AUTH_VARIANTS]


def _env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if re.match(r"^[A-Z][A-Z0-9_]*=", line))


@pytest.mark.parametrize("auth", ["session", "token", "none"])
def test_next_steps_start_the_servers_and_migrate_before_running(tmp_path, auth):
    result = run_rampart("new", str(tmp_path / "svc"), "--defaults", "--no-install", "--no-git", f"--data=auth={auth}")
    assert result.returncode == 0, result.stderr
    steps = [line.strip() for line in result.stdout.split("Next:\n", 1)[1].splitlines()]
    commands = [step.split("#", 1)[0].strip() for step in steps]
    assert commands[:2] == [f"cd {tmp_path / 'svc'}", "npm install"]
    if auth == "none":
        assert commands[2:] == ["npm run dev", "npm run lint && npm test"]
    else:
        assert commands[2:] == ["docker compose up -d", "npm run migrate", "npm run dev", "npm run lint && npm test"]
        assert 'without Docker: README.md, "Run"' in steps[2]


@pytest.mark.parametrize("variant", VARIANTS, ids=combination_id)
def test_readme_shell_blocks_are_runnable_as_written(render, variant):
    project = render(**variant)
    blocks = shell_blocks((project / "README.md").read_text())
    run = [block for block in blocks if not block.skip_reason]
    assert run, "the README has commands to run"
    for block in run:
        assert not re.search(r"\bcp\b[^\n]*\.env\.example", block.text), "never overwrite the .env rampart wrote"
        assert "…" not in block.text, f"line {block.line}: a placeholder cannot run as written"
        block.expected_statuses()  # every `curl -i` states its status
    servers = [block.server_command for block in run if block.server_command]
    assert servers == ["npm run dev"]
    text = "\n".join(block.text for block in run)
    if needs_servers(variant):
        assert text.index("sh db/create-roles.sh") < text.index("npm run migrate") < text.index("npm run dev")
        assert "docker compose up -d" in "\n".join(block.text for block in blocks if block.skip_reason)


@pytest.mark.parametrize("auth", ["session", "token"])
def test_database_passwords_are_generated_and_wired_through(render, auth):
    project = render(auth=auth)
    env, example = _env(project / ".env"), _env(project / ".env.example")
    passwords = {key: env[key] for key in ("POSTGRES_PASSWORD", "DATABASE_OWNER_PASSWORD", "DATABASE_PASSWORD")}
    for key, password in passwords.items():
        assert re.fullmatch(r"[A-Za-z0-9_-]{64}", password), key
        assert "change-me" in example[key], "the example holds a placeholder only"
    assert len(set(passwords.values())) == 3, "one password per role"
    url = urlsplit(env["DATABASE_URL"])
    password = passwords["DATABASE_PASSWORD"]
    assert (url.username, url.password, url.path) == ("svc", password, "/svc"), "this service's own role and database"
    assert example["DATABASE_URL"] == "postgres://svc:${DATABASE_PASSWORD}@127.0.0.1:5432/svc"
    owner = urlsplit(env["MIGRATION_DATABASE_URL"])
    assert (owner.username, owner.password, owner.path) == ("svc_owner", passwords["DATABASE_OWNER_PASSWORD"], "/svc")
    assert example["MIGRATION_DATABASE_URL"] == "postgres://svc_owner:${DATABASE_OWNER_PASSWORD}@127.0.0.1:5432/svc"
    postgres = yaml.safe_load((project / "compose.yaml").read_text())["services"]["postgres"]
    environment = postgres["environment"]
    assert environment["POSTGRES_USER"] == environment["POSTGRES_DB"] == "postgres"
    for key in passwords:
        assert environment[key].startswith(f"${{{key}:?"), f"compose reads the generated {key} or stops"
    assert "./db/create-roles.sh:/docker-entrypoint-initdb.d/create-roles.sh:ro" in postgres["volumes"]
    roles = (project / "db" / "create-roles.sh").read_text()
    assert 'CREATE ROLE "svc_owner" LOGIN' in roles and 'CREATE ROLE "svc" LOGIN' in roles
    assert 'CREATE DATABASE "svc" OWNER "svc_owner"' in roles


def test_database_name_is_an_identifier_of_the_project_name(tmp_path):
    result = run_rampart("new", str(tmp_path / "billing-api"), "--defaults", "--no-install", "--no-git")
    assert result.returncode == 0, result.stderr
    assert urlsplit(_env(tmp_path / "billing-api" / ".env")["DATABASE_URL"]).path == "/billing_api"


def test_env_expands_references_to_generated_secrets_only():
    example = "A_PASSWORD=change-me\nURL=x://u:${A_PASSWORD}@h/${OTHER}\n# ${A_PASSWORD} in a comment\n"
    lines = dotenv.env_from_example(example).splitlines()
    password = lines[0].split("=", 1)[1]
    assert password != "change-me"
    assert lines[1] == f"URL=x://u:{password}@h/${{OTHER}}"
    assert lines[2] == "# ${A_PASSWORD} in a comment"


def test_update_adds_no_secret_that_existing_lines_embed(tmp_path):
    (tmp_path / ".env.example").write_text("APP_SECRET=change-me\nDB_PASSWORD=change-me\nURL=x://u:${DB_PASSWORD}@h\n")
    (tmp_path / ".env").write_text("URL=x://u:their-own@h\n")
    assert dotenv.add_missing_secrets(tmp_path) == ["APP_SECRET"]
    assert "DB_PASSWORD" not in (tmp_path / ".env").read_text()


def _old_node() -> str | None:
    node = shutil.which("node")
    if node is None:
        return None
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    major = re.match(r"v(\d+)", version)
    return node if major and int(major[1]) < 24 else None


@pytest.mark.parametrize("language", ["javascript", "typescript"])
def test_an_older_node_is_told_which_node_the_service_needs(render, language):
    node = _old_node()
    if node is None:
        pytest.skip("no Node.js older than 24 on PATH to try")
    project = render(language=language)
    scripts = json.loads((project / "package.json").read_text())["scripts"]
    for name in ("start", "dev", "test", "migrate"):
        # What `npm run <name>` runs, on the old Node.js.
        result = subprocess.run(
            ["sh", "-c", scripts[name]],
            cwd=project,
            env={"PATH": str(Path(node).parent)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert re.fullmatch(
            r"This service needs Node\.js >=24(\.12)? <25 \(package\.json \"engines\"\), "
            r"but this is Node\.js [\d.]+\.\n"
            r"Install it \(`nvm install` reads \.nvmrc, or https://nodejs\.org\) and run the command again\.\n",
            result.stderr,
        ), result.stderr
