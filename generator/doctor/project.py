"""The audited service as the checks see it: package.json, its source files, git and ignore rules."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pathspec

from generator.doctor.findings import EXIT_CANNOT_AUDIT
from generator.errors import RampartError

SOURCE_SUFFIXES = {".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx"}
# Never the service's own code: dependencies, build output, tooling state.
SKIPPED_DIRS = {"node_modules", ".git", "dist", "build", "coverage", ".next", ".turbo", ".cache", "out"}
# Test code may do on purpose what the service must not (weak secrets, stack traces).
TEST_DIRS = {"test", "tests", "__tests__", "spec", "fixtures", "__mocks__"}
# Code shipped to browsers or copied in from elsewhere (jQuery under public/, a bundle): not the
# service's server code, so server rules ("eval on the server", a 4-argument function taken for an
# error handler) must not read it.
BROWSER_DIRS = {"public", "static", "assets", "frontend", "client", "www", "bower_components", "vendor"}
MAX_FILE_BYTES = 1_000_000
MINIFIED_LINE_CHARS = 500  # average characters per line above which a file is a minified bundle


def is_test_file(rel: str) -> bool:
    parts = Path(rel).parts
    name = parts[-1]
    return bool(TEST_DIRS & set(parts[:-1])) or ".test." in name or ".spec." in name


def is_browser_file(rel: str) -> bool:
    parts = Path(rel).parts
    name = parts[-1]
    return bool(BROWSER_DIRS & set(parts[:-1])) or ".min." in name or name.endswith((".bundle.js", ".chunk.js"))


def is_minified(text: bytes) -> bool:
    return len(text) > 2 * MINIFIED_LINE_CHARS and len(text) / (text.count(b"\n") + 1) > MINIFIED_LINE_CHARS


@dataclass
class NodeProject:
    root: Path
    package: dict = field(default_factory=dict)

    def read(self, rel: str) -> str | None:
        path = self.root / rel
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    @cached_property
    def files(self) -> list[str]:
        """Every file of the project (relative, sorted), outside dependency and build folders."""
        found = []
        for directory, dirs, names in os.walk(self.root):
            dirs[:] = sorted(
                d for d in dirs if d not in SKIPPED_DIRS and not os.path.islink(os.path.join(directory, d))
            )
            for name in names:
                found.append(os.path.relpath(os.path.join(directory, name), self.root))
        return sorted(found)

    @cached_property
    def source_files(self) -> list[str]:
        """The service's own server JavaScript/TypeScript (tests, browser code and tool config excluded)."""
        return [
            rel
            for rel in self.files
            if Path(rel).suffix in SOURCE_SUFFIXES
            and not is_test_file(rel)
            and not is_browser_file(rel)
            and not rel.endswith(".d.ts")
            and not Path(rel).name.startswith(("eslint.config", "vitest.config", "jest.config", ".eslintrc"))
        ]

    @cached_property
    def is_git(self) -> bool:
        result = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--show-toplevel"], capture_output=True, text=True
        )
        return result.returncode == 0 and Path(result.stdout.strip()).resolve() == self.root.resolve()

    @cached_property
    def tracked(self) -> set[str] | None:
        """Files git tracks, or None outside a git repository."""
        if not self.is_git:
            return None
        result = subprocess.run(["git", "-C", str(self.root), "ls-files", "-z"], capture_output=True, text=True)
        return set(filter(None, result.stdout.split("\0"))) if result.returncode == 0 else None

    @cached_property
    def gitignore(self) -> pathspec.PathSpec:
        text = self.read(".gitignore") or ""
        return pathspec.GitIgnoreSpec.from_lines(text.splitlines())

    def committed_files(self) -> list[str]:
        """What is (git repository) or would be (no repository yet: not ignored) committed."""
        if self.tracked is not None:
            return sorted(rel for rel in self.tracked if (self.root / rel).is_file())
        return [rel for rel in self.files if not self.gitignore.match_file(rel)]

    @cached_property
    def dependencies(self) -> dict[str, str]:
        """Every dependency package.json declares (runtime, dev, optional), name -> range."""
        merged: dict[str, str] = {}
        for key in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
            section = self.package.get(key)
            if isinstance(section, dict):
                merged.update({str(k): str(v) for k, v in section.items()})
        return merged

    @cached_property
    def framework(self) -> str:
        deps = self.dependencies
        if "fastify" in deps:
            return "fastify"
        if "express" in deps:
            return "express"
        return "unknown"

    @cached_property
    def language(self) -> str:
        suffixes = {Path(rel).suffix for rel in self.source_files}
        return "typescript" if suffixes & {".ts", ".mts", ".cts", ".tsx"} else "javascript"


def line_of(text: str, needle: str) -> int | None:
    """1-based line of the first occurrence of `needle`, for a location."""
    index = text.find(needle)
    return None if index < 0 else text.count("\n", 0, index) + 1


def location(rel: str, line: int | None) -> str:
    return f"{rel}:{line}" if line else rel


def load_project(path: Path) -> NodeProject:
    """The project at `path`, or exit code 2 when it cannot be audited."""
    root = path.expanduser().absolute()
    if not root.is_dir():
        raise RampartError(f"cannot audit {path}: not a directory", EXIT_CANNOT_AUDIT)
    manifest = root / "package.json"
    if not manifest.is_file():
        raise RampartError(f"cannot audit {path}: no package.json (not a Node.js project)", EXIT_CANNOT_AUDIT)
    try:
        package = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RampartError(f"cannot audit {path}: package.json is not valid JSON ({err})", EXIT_CANNOT_AUDIT) from None
    if not isinstance(package, dict):
        raise RampartError(f"cannot audit {path}: package.json is not a JSON object", EXIT_CANNOT_AUDIT)
    return NodeProject(root, package)
