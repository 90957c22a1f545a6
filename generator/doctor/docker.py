"""Dockerfile (baseline 27): multi-stage, non-root, HEALTHCHECK, `npm ci --omit=dev`, .env kept out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pathspec

from generator.doctor import node_releases
from generator.doctor.findings import Finding
from generator.doctor.project import NodeProject, location

DOCKERFILE = "Dockerfile"


@dataclass
class Stage:
    line: int
    image: str
    instructions: list[tuple[int, str, str]] = field(default_factory=list)  # (line, INSTRUCTION, arguments)


def parse(text: str) -> list[Stage]:
    """Stages of a Dockerfile: continuation lines joined, comments dropped."""
    stages: list[Stage] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical, pending = pending + line, ""
        instruction, _, args = logical.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            image = next((w for w in args.split() if not w.startswith("--")), "")
            stages.append(Stage(start, image))
        elif stages:
            stages[-1].instructions.append((start, instruction, args.strip()))
    return stages


# npm options that take a value: `npm --prefix api install` runs `install`, not `api`.
_NPM_VALUE_OPTIONS = {"--prefix", "-C", "--workspace", "-w", "--registry", "--cache", "--userconfig"}


def installs_unlocked(command: str) -> bool:
    """Whether a shell command installs the project's dependencies without holding to the lockfile:
    `npm install` / `npm i` (any options, not a global tool install), `yarn` / `yarn install`
    without --frozen-lockfile / --immutable."""
    for part in re.split(r"&&|\|\||;|\|", command):
        words = part.split()
        while words and "=" in words[0] and not words[0].startswith("-"):
            words = words[1:]  # VAR=value npm install
        if not words or words[0] not in {"npm", "yarn"}:
            continue
        options = {w.split("=", 1)[0] for w in words[1:] if w.startswith("-")}
        rest, skip = [], False
        for word in words[1:]:
            if skip:
                skip = False
            elif word.startswith("-"):
                skip = word in _NPM_VALUE_OPTIONS
            else:
                rest.append(word)
        if options & {"-g", "--global"}:
            continue  # a tool for the build, not the service's dependencies
        if words[0] == "npm" and rest[:1] in (["install"], ["i"], ["add"]):
            return True
        if words[0] == "yarn" and rest[:1] in ([], ["install"]) and not options & {"--frozen-lockfile", "--immutable"}:
            return True
    return False


def check(project: NodeProject) -> list[Finding]:
    text = project.read(DOCKERFILE)
    if text is None:
        return [
            Finding(
                "B27", "docker.none", "info", DOCKERFILE, "no Dockerfile (container checks skipped)", "nothing to do"
            )
        ]
    stages = parse(text)
    if not stages:
        return []
    final = stages[-1]
    findings = []
    users = [args for _, instruction, args in final.instructions if instruction == "USER"]
    if not users or users[-1].split(":")[0] in {"root", "0"}:
        findings.append(
            Finding(
                "B27",
                "docker.root-user",
                "high",
                location(DOCKERFILE, final.line),
                "the container runs as root: a code execution bug owns the whole container",
                "add `USER node` (the official image's unprivileged user) before CMD",
            )
        )
    if not any(instruction == "HEALTHCHECK" for stage in stages for _, instruction, _ in stage.instructions):
        findings.append(
            Finding(
                "B27",
                "docker.no-healthcheck",
                "medium",
                DOCKERFILE,
                "no HEALTHCHECK: a hung service keeps receiving traffic",
                "HEALTHCHECK CMD a request to /healthz with a timeout",
            )
        )
    if len(stages) < 2:
        findings.append(
            Finding(
                "B27",
                "docker.single-stage",
                "low",
                location(DOCKERFILE, final.line),
                "single-stage build: build tools and caches ship in the runtime image",
                "install dependencies in a `deps` stage and copy only production node_modules into the runtime stage",
            )
        )
    runs = [(line, args) for stage in stages for line, instruction, args in stage.instructions if instruction == "RUN"]
    for line, args in runs:
        if installs_unlocked(args):
            findings.append(
                Finding(
                    "B27",
                    "docker.npm-install",
                    "medium",
                    location(DOCKERFILE, line),
                    "the image build runs `npm install`/`yarn install`: not held to the lockfile, runs install scripts",
                    "`npm ci --omit=dev --ignore-scripts`",
                )
            )
    if any(re.search(r"\bnpm\s+ci\b", a) for _, a in runs) and not any(
        re.search(r"--omit[= ]dev|--only[= ]prod|--production", a) for _, a in runs
    ):
        findings.append(
            Finding(
                "B27",
                "docker.dev-dependencies",
                "medium",
                DOCKERFILE,
                "development dependencies are installed into the image",
                "`npm ci --omit=dev` for the runtime's node_modules",
            )
        )
    findings.extend(_base_image(final))
    ignore = project.read(".dockerignore")
    if ignore is None or not pathspec.GitIgnoreSpec.from_lines(ignore.splitlines()).match_file(".env"):
        findings.append(
            Finding(
                "B27",
                "docker.env-in-context",
                "medium",
                ".dockerignore" if ignore is not None else DOCKERFILE,
                ".env is not excluded from the build context: `COPY . .` puts the secrets into the image",
                "add `.env` and `.env.*` to .dockerignore",
            )
        )
    return findings


def _base_image(final: Stage, today: date | None = None) -> list[Finding]:
    """The runtime stage's Node.js line against the release schedule (node_releases)."""
    image = final.image.lower()
    match = re.fullmatch(r"(?:docker\.io/)?(?:library/)?node(?::(?P<tag>[^@]+))?(?P<digest>@sha256:.*)?", image)
    if match is None:
        return []  # not the official node image (distroless, a team's own base): nothing known
    base = node_releases.resolve(match["tag"] or "")
    where = location(DOCKERFILE, final.line)
    today = today or date.today()
    if base.line is not None and base.line.end_of_life < today:
        return [
            Finding(
                "B27",
                "docker.base-eol",
                "high",
                where,
                f"base image {final.image} runs Node.js {base.line.major}, end of life since"
                f" {base.line.end_of_life.isoformat()}: no more security fixes",
                "move to a supported LTS line, e.g. node:24-bookworm-slim",
            )
        ]
    if (base.line is not None and not base.line.lts) or (base.floating and not match["digest"]):
        what = f"Node.js {base.line.major} is not an LTS line" if base.line else "the tag follows the newest release"
        return [
            Finding(
                "B27",
                "docker.base-not-lts",
                "low",
                where,
                f"base image {final.image}: {what}",
                "pin an LTS major, e.g. node:24-bookworm-slim",
            )
        ]
    return []
