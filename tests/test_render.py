"""Fast render tests (no network, no npm): each answer's effect and the generated config, asserted semantically."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator.template_source import CANONICAL_URL, copier_config, question_names, required_node_major
from tests.combinations import AUTH_VARIANTS, SUPPORTED_COMBINATIONS, combination_id, needs_servers

DENIED_PACKAGES = {"csurf", "xss-clean", "express-mongo-sanitize", "request", "node-serialize"}
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _text_files(root: Path):
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(root).parts:
            yield path


def _ext(variant: dict) -> str:
    """The source file extension of a variant: `ts` for TypeScript, `js` otherwise."""
    return "ts" if variant.get("language") == "typescript" else "js"


def _rendered_defaults(project: Path) -> dict:
    """The answers the service's code defaults to, from src/defaults.{js,ts} (`export const NAME = <json>;`)."""
    (path,) = (project / "src").glob("defaults.[jt]s")
    text = path.read_text()
    return {m[1]: json.loads(m[2]) for m in re.finditer(r"^export const (\w+) = (.+);$", text, re.M)}


def _env_example(project: Path) -> dict[str, str]:
    pairs = {}
    for line in (project / ".env.example").read_text().splitlines():
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            key, value = line.split("=", 1)
            pairs[key] = value
    return pairs


VARIANTS = [{**combo, **auth} for combo in SUPPORTED_COMBINATIONS for auth in AUTH_VARIANTS]


@pytest.fixture(params=VARIANTS, ids=combination_id)
def variant(request) -> dict:
    return request.param


@pytest.fixture
def project(variant, render):
    return render(**variant)


SESSION_DEPS = {
    "express": {"express-session", "connect-redis"},
    "fastify": {"@fastify/cookie", "@fastify/session", "connect-redis"},
}
CSRF_LIBRARIES = {"csrf-sync", "csrf-csrf", "@fastify/csrf-protection"}
TOKEN_DEPS = {"jose"}
USER_STORE_DEPS = {
    "express": {"@node-rs/argon2", "pg", "redis", "rate-limit-redis"},
    "fastify": {"@node-rs/argon2", "pg", "redis"},
}
# What only an Express service depends on: a Fastify service must not.
EXPRESS_ONLY = {"cors", "pino-http", "csrf-sync", "rate-limit-redis"}


def test_auth_dependencies(project, variant):
    deps = set(json.loads((project / "package.json").read_text())["dependencies"])
    auth, framework = variant["auth"], variant["framework"]
    assert SESSION_DEPS[framework].issubset(deps) is (auth == "session"), deps
    assert bool(deps & CSRF_LIBRARIES) == (auth == "session"), "maintained CSRF library with sessions"
    assert TOKEN_DEPS.issubset(deps) is (auth == "token"), deps
    assert USER_STORE_DEPS[framework].issubset(deps) is (auth != "none"), deps
    assert not deps & {"bcrypt", "bcryptjs", "jsonwebtoken", "argon2"}, "argon2id via @node-rs/argon2, JWTs via jose"
    if framework == "fastify":
        assert not {d for d in deps if d == "express" or d.startswith("express-") or d in EXPRESS_ONLY}, deps


def test_local_servers_bind_loopback_only(project, variant):
    compose = project / "compose.yaml"
    assert compose.exists() == needs_servers(variant)
    if compose.exists():
        services = yaml.safe_load(compose.read_text())["services"]
        ports = [str(p) for service in services.values() for p in service.get("ports", [])]
        assert ports and all(p.startswith("127.0.0.1:") for p in ports), ports
        images = " ".join(service.get("image", "") for service in services.values())
        assert "redis" in images and "postgres" in images


def test_ci_tests_against_real_servers(project, variant):
    """CI starts compose.yaml's Redis and PostgreSQL (the digest-pinned images Dependabot moves) rather than
    naming the images a second time as service containers, which Dependabot does not update."""
    test_job = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())["jobs"]["test"]
    assert not test_job.get("services") and "container" not in test_job
    runs = "\n".join(step.get("run", "") for step in test_job["steps"])
    if needs_servers(variant):
        assert re.search(r"^docker compose up --detach --wait redis postgres$", runs, re.M), runs
        assert runs.index("docker compose up") < runs.index("npm run migrate") < runs.index("npm test")
        compose = yaml.safe_load((project / "compose.yaml").read_text())
        wanted = set(re.findall(r"\$\{(\w+):\?", (project / "compose.yaml").read_text()))
        assert wanted <= set(test_job["env"]), wanted - set(test_job["env"])
        assert f":{test_job['env']['REDIS_PASSWORD']}@" in test_job["env"]["REDIS_URL"]
        assert {"redis", "postgres"} <= set(compose["services"])
    else:
        assert "docker compose" not in runs


DIGEST_PINNED = re.compile(r"^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$")


def test_images_are_pinned_by_digest_and_kept_current(project, variant):
    """Every image the service's files pull is pinned by digest (a tag can be moved to other content), and a
    Dependabot ecosystem proposes the next digest for each file that names one (issue 16, item 10)."""
    updates = yaml.safe_load((project / ".github/dependabot.yml").read_text())["updates"]
    ecosystems = {u["package-ecosystem"] for u in updates}
    images = {}
    dockerfile = project / "Dockerfile"
    if dockerfile.exists():
        stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", dockerfile.read_text(), re.M | re.I))
        bases = [b for b in re.findall(r"^FROM\s+(\S+)", dockerfile.read_text(), re.M) if b not in stages]
        images["Dockerfile"] = bases
        assert len(set(bases)) == 1, "every stage starts from the same pinned image"
        assert "docker" in ecosystems
    compose = project / "compose.yaml"
    if compose.exists():
        images["compose.yaml"] = [s["image"] for s in yaml.safe_load(compose.read_text())["services"].values()]
        assert "docker-compose" in ecosystems
    for path in (project / ".github/workflows").glob("*.yml"):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            named = [s["image"] for s in job.get("services", {}).values()] + [job.get("container", {}).get("image")]
            images[path.name] = [i for i in named if i]
    unpinned = {f: [i for i in found if not DIGEST_PINNED.match(i)] for f, found in images.items()}
    assert not any(unpinned.values()), unpinned
    assert images.get("compose.yaml", ["x"]) and ("compose.yaml" in images) == needs_servers(variant)


def test_env_example_names_servers(project, variant):
    example = _env_example(project)
    assert ("REDIS_URL" in example and "DATABASE_URL" in example) == needs_servers(variant)
    assert [k for k in example if k.endswith("_SECRET")] == ["APP_SECRET"], "one root secret; others derive from it"


def test_nothing_left_unrendered(project):
    # Any template variable (a question, a derived value, copier's own) left in an expression,
    # or any block tag. Other `{{` are legitimate: GitHub's `${{ }}`, JSDoc `{{ a: T }}` types.
    names = "|".join(sorted({*copier_config(), "_copier_conf", "_copier_answers"} - {"_subdirectory"}))
    leftover = re.compile(rf"\{{\{{[^}}]*\b({names})\b|\{{%-?\s|\{{#")
    for path in _text_files(project):
        assert not path.name.endswith(".jinja"), path
        assert "{%" not in path.name and "{{" not in path.name, path
        match = leftover.search(path.read_text())
        assert match is None, f"unrendered Jinja in {path}: {match and match.group(0)}"


def test_answers_file_is_valid_and_complete(project):
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    unconditional = {name for name in question_names() if "when" not in copier_config()[name]}
    assert unconditional <= set(answers) <= {*question_names(), "_src_path", "_commit"}
    assert "cors_origin_list" not in answers, "derived values are not answers"
    assert answers["_src_path"] == CANONICAL_URL, "a portable source, never a local or temp path"
    assert answers["_commit"]
    assert not [k for k in answers if "secret" in k.lower()]


MAJORS = {
    "express": {"express": 5, "helmet": 8, "express-rate-limit": 8, "pino": 10, "pino-http": 11, "zod": 4},
    "fastify": {"fastify": 5, "helmet": 8, "@fastify/rate-limit": 11, "pino": 10, "zod": 4},
}


def test_package_json(project, variant):
    package = json.loads((project / "package.json").read_text())
    assert package["name"] == "svc"
    assert package["type"] == "module"
    assert package["private"] is True
    assert str(required_node_major()) in package["engines"]["node"]
    for script in ("start", "dev", "test", "lint", "audit"):
        assert script in package["scripts"], script
    assert "--max-warnings 0" in package["scripts"]["lint"]
    assert "npm audit --audit-level=high" in package["scripts"]["audit"]
    assert "lockfile-lint" in json.dumps(package["scripts"])
    deps = {**package["dependencies"], **package["devDependencies"]}
    for name, major in MAJORS[variant["framework"]].items():
        assert re.match(rf"^\^?{major}\.", deps[name]), f"{name} {deps[name]} is not on major {major}"
    for name in ("eslint", "eslint-plugin-security", "eslint-plugin-n", "supertest", "lockfile-lint"):
        assert name in deps, name
    assert not DENIED_PACKAGES & set(deps)
    assert not (project / "package-lock.json").exists(), "the lockfile is made by npm install, never shipped stale"


def test_node_is_pinned(project):
    assert (project / ".nvmrc").read_text().strip() == str(required_node_major())
    npmrc = (project / ".npmrc").read_text()
    assert re.search(r"^engine-strict\s*=\s*true$", npmrc, re.M)
    assert re.search(r"^ignore-scripts\s*=\s*true$", npmrc, re.M)


def test_env_example_has_placeholders_only(project):
    example = _env_example(project)
    secrets = {k: v for k, v in example.items() if k.endswith("_SECRET")}
    assert "APP_SECRET" in secrets
    for key, value in secrets.items():
        assert "change-me" in value.lower(), f"{key} in .env.example must be a placeholder"


def test_env_from_example_fills_secrets(project):
    env = (project / ".env").read_text()
    example = _env_example(project)
    lines = dict(line.split("=", 1) for line in env.splitlines() if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    assert set(lines) == set(example)
    generated = {key: lines[key] for key in example if key.endswith(("_SECRET", "_PASSWORD"))}
    for key in example:
        if key in generated:
            assert lines[key] != example[key] and re.fullmatch(r"[A-Za-z0-9_-]{64}", lines[key])
        else:  # as in the example, with each ${KEY} of a generated secret written out
            assert lines[key] == re.sub(r"\$\{(\w+)\}", lambda m: generated[m[1]], example[key])


def test_ignore_files_exclude_env(project):
    for name in (".gitignore", ".dockerignore"):
        patterns = (project / name).read_text().splitlines()
        assert ".env" in patterns, f"{name} must exclude .env"
    assert "node_modules" in "\n".join((project / ".gitignore").read_text().splitlines())


def test_port_answer(render):
    project = render(port=8123)
    assert _rendered_defaults(project)["DEFAULT_PORT"] == 8123
    assert _rendered_defaults(render())["DEFAULT_PORT"] == 3000
    assert re.search(r"^EXPOSE 8123$", (project / "Dockerfile").read_text(), re.M)


def test_cors_answer(render):
    project = render(cors_origins="https://app.example.com, http://localhost:5173,https://app.example.com")
    origins = _rendered_defaults(project)["DEFAULT_CORS_ORIGINS"]
    assert origins == ["https://app.example.com", "http://localhost:5173"]
    assert _rendered_defaults(render())["DEFAULT_CORS_ORIGINS"] == []


def test_docker_answer(render):
    with_docker, without = render(docker=True), render(docker=False)
    assert (with_docker / "Dockerfile").is_file() and (with_docker / ".dockerignore").is_file()
    assert not (without / "Dockerfile").exists() and not (without / ".dockerignore").exists()

    def ecosystems(p):
        return {u["package-ecosystem"] for u in yaml.safe_load((p / ".github/dependabot.yml").read_text())["updates"]}

    # compose.yaml (Redis and PostgreSQL) comes with auth, whatever the docker answer
    assert ecosystems(with_docker) == {"npm", "github-actions", "docker", "docker-compose"}
    assert ecosystems(without) == {"npm", "github-actions", "docker-compose"}
    assert ecosystems(render(docker=False, auth="none")) == {"npm", "github-actions"}


def test_ci_answer(render):
    assert (render(ci="github") / ".github" / "workflows" / "ci.yml").is_file()
    assert not (render(ci="none") / ".github").exists()


def test_identity_answers(render):
    project = render(project_name="billing-api", description="Bills things", author="Team Pay")
    package = json.loads((project / "package.json").read_text())
    assert (package["name"], package["description"], package["author"]) == (
        "billing-api",
        "Bills things",
        "Team Pay",
    )
    readme = (project / "README.md").read_text()
    assert readme.startswith("# billing-api") and "Bills things" in readme


def test_readme_docker_run_publishes_on_loopback_only(project):
    """`docker run -p 3000:3000` publishes on every interface of the host (past its firewall): every
    example binds 127.0.0.1."""
    readme = (project / "README.md").read_text()
    published = re.findall(r"docker run [^\n]*?-p (\S+)", readme)
    assert published and all(p.startswith("127.0.0.1:") for p in published), published


def test_dockerfile_is_hardened(project):
    dockerfile = (project / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)", dockerfile, re.M)
    assert len(stages) >= 2, "multi-stage build"
    assert all(s.startswith(f"node:{required_node_major()}") or s in {"deps", "build"} for s in stages), stages
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK\s", dockerfile, re.M)
    assert "npm ci --omit=dev" in dockerfile
    assert re.search(r"NODE_ENV=production", dockerfile)


def test_ci_workflow_is_least_privilege_and_pinned(project):
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    assert workflow["permissions"] == {"contents": "read"}
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert {"push", "pull_request"} <= set(triggers)
    runs, uses = [], []
    for job_name, job in workflow["jobs"].items():
        extra = set(job.get("permissions", {}).items()) - {
            ("contents", "read"),
            ("security-events", "write"),
            ("actions", "read"),
        }
        assert not extra, f"{job_name} asks for {extra}"
        for step in job["steps"]:
            runs.append(step.get("run", ""))
            if "uses" in step:
                uses.append(step["uses"])
    assert uses and all(SHA_PIN.match(u) for u in uses), [u for u in uses if not SHA_PIN.match(u)]
    commands = "\n".join(runs)
    for needed in (
        "npm ci --ignore-scripts",
        "npm run lint",
        "npm test",
        "npm audit --audit-level=high",
        "lockfile-lint",
    ):
        assert needed in commands or (needed == "lockfile-lint" and "npm run lint:lockfile" in commands), needed
    assert any("codeql-action/analyze" in u for u in uses) or any("semgrep" in r for r in runs)


def test_every_workflow_is_read_only_and_pinned(project):
    workflows = sorted((project / ".github/workflows").glob("*.yml"))
    assert {p.name for p in workflows} == {"ci.yml", "template-update.yml"}
    for path in workflows:
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {"contents": "read"}, path.name
        uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
        assert all(SHA_PIN.match(u) for u in uses), (path.name, uses)


def test_scheduled_template_check(project):
    workflow = yaml.safe_load((project / ".github/workflows/template-update.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    (job,) = workflow["jobs"].values()
    assert "RAMPART_CHECK_UPDATE" in job["if"], "optional: a repository variable turns it off"
    assert any("rampart check-update" in step.get("run", "") for step in job["steps"])


def test_eslint_config_enables_security_rules(project):
    config = (project / "eslint.config.js").read_text()
    assert "eslint-plugin-security" in config
    assert "eslint-plugin-n" in config and "n/no-deprecated-api" in config


def test_layout_reads_as_architecture(project, variant):
    ext = _ext(variant)
    for path in ("src/app", "src/server", "src/config", "src/logger", "src/routes/health"):
        assert (project / f"{path}.{ext}").is_file(), path
    glue = "plugins" if variant["framework"] == "fastify" else "middleware"
    concerns = {p.stem for p in (project / "src" / glue).glob(f"*.{ext}")}
    assert {"security-headers", "cors", "rate-limit", "errors"} <= concerns, concerns
    other = "middleware" if glue == "plugins" else "plugins"
    assert not (project / "src" / other).exists(), f"only the {variant['framework']} glue is rendered"
    assert list((project / "test").glob(f"*.test.{ext}")), "the service ships its own tests"


def test_one_language_per_project(project, variant):
    """Every source file has the variant's extension (eslint.config.js is ESLint's own file;
    scripts/check-node.js must run on a Node.js too old to load TypeScript, to say so)."""
    other = "js" if _ext(variant) == "ts" else "ts"
    javascript_anyway = {Path("eslint.config.js"), Path("scripts/check-node.js")}
    strays = [
        p.relative_to(project)
        for p in project.rglob(f"*.{other}")
        if p.relative_to(project) not in javascript_anyway and not p.name.endswith(".d.ts")
    ]
    assert strays == []
    assert (project / "tsconfig.json").exists() == (_ext(variant) == "ts")


def test_language_toolchain(project, variant):
    package = json.loads((project / "package.json").read_text())
    scripts, dev = package["scripts"], package["devDependencies"]
    config = (project / "eslint.config.js").read_text()
    dockerfile = (project / "Dockerfile").read_text()
    if _ext(variant) == "js":
        assert package["engines"]["node"] == ">=24 <25"
        assert not {"typescript", "typescript-eslint"} & set(dev) and "typecheck" not in scripts
        assert "typescript-eslint" not in config
        assert re.search(r'^CMD \["node", "src/server\.js"\]$', dockerfile, re.M)
        return
    tsconfig = json.loads((project / "tsconfig.json").read_text())
    options = tsconfig["compilerOptions"]
    for flag in ("strict", "noEmit", "erasableSyntaxOnly", "verbatimModuleSyntax", "allowImportingTsExtensions"):
        assert options[flag] is True, flag
    assert set(tsconfig["include"]) == {"src", "test", "scripts"}
    assert package["main"] == "src/server.ts" and "src/server.ts" in scripts["start"]
    assert scripts["test"] == 'node scripts/check-node.js && node --test "test/**/*.test.ts"'
    assert scripts["lint"].endswith("&& tsc") and scripts["typecheck"] == "tsc"
    assert package["engines"]["node"] == ">=24.12 <25", "type stripping is stable from Node 24.12"
    assert {"typescript", "typescript-eslint", "@types/node"} <= set(dev)
    if variant["framework"] == "express":
        assert "@types/express" in dev
    assert not {"tsx", "ts-node"} & set(dev), "Node runs .ts itself: no loader, no build step"
    assert "typescript-eslint" in config and "'@typescript-eslint/no-explicit-any': 'error'" in config
    assert re.search(r'^CMD \["node", "src/server\.ts"\]$', dockerfile, re.M)


def test_only_config_reads_process_env(project, variant):
    ext = _ext(variant)
    offenders = [
        p.relative_to(project)
        for p in (project / "src").rglob(f"*.{ext}")
        if "process.env" in p.read_text() and p.name != f"config.{ext}"
    ]
    assert offenders == []


@pytest.mark.parametrize("ts_variant", [v for v in VARIANTS if _ext(v) == "ts"], ids=combination_id)
def test_typescript_carries_types_in_code_not_jsdoc(render, ts_variant):
    """JSDoc `{type}` annotations are the JavaScript rendering's types; TypeScript states them in code."""
    project = render(**ts_variant)
    typed = [
        f"{p.relative_to(project)}:{n}"
        for p in sorted((project / "src").rglob("*.ts"))
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if re.search(r"@(param|returns?|type)\s+\{", line)
    ]
    assert typed == []
