"""Time `rampart update` against plain `copier update` on the same project (figures only).

    .venv/bin/python bench/update_speed.py [--runs N] [--json FILE]

Builds a template repository from this checkout with tags v1.0.0 and v2.0.0 (a header
value changes), generates a project at v1.0.0, then times each tool updating a fresh
copy of that project to v2.0.0 (medians of N runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GIT_ID = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}


def _run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ID})


def _template_repo(base: Path) -> Path:
    repo = base / "tpl"
    repo.mkdir()
    shutil.copy2(ROOT / "copier.yml", repo)
    shutil.copytree(ROOT / "template", repo / "template")
    shutil.copytree(ROOT / "migrations", repo / "migrations")
    _run("git", "init", "-q", "-b", "main", cwd=repo)
    _run("git", "add", "-A", cwd=repo)
    _run("git", "commit", "-qm", "v1", cwd=repo)
    _run("git", "tag", "v1.0.0", cwd=repo)
    return repo


def _v2(repo: Path) -> None:
    # The HSTS max-age of the API's response headers.
    headers = repo / "template" / "src" / "security-headers.{{ ext }}.jinja"
    headers.write_text(headers.read_text().replace("31_536_000", "63_072_000"))
    _run("git", "commit", "-qam", "v2", cwd=repo)
    _run("git", "tag", "v2.0.0", cwd=repo)


def _time(command: list[str], project: Path, runs: int, base: Path) -> float:
    samples = []
    for i in range(runs):
        copy = base / f"run-{command[0].rsplit('/', 1)[-1]}-{i}"
        shutil.copytree(project, copy, symlinks=True)
        start = time.perf_counter()
        subprocess.run([*command, str(copy)], check=True, capture_output=True, env={**os.environ, **GIT_ID})
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(base / "cache")
        repo = _template_repo(base)
        project = base / "svc"
        _run(str(BIN / "rampart"), "new", str(project), "--defaults", "--no-install", "--template", str(repo))
        _v2(repo)
        rampart = _time(
            [str(BIN / "rampart"), "update", "--defaults", "--no-install", "--template", str(repo)],
            project,
            args.runs,
            base,
        )
        copier = _time(
            [str(BIN / "copier"), "update", "--defaults", "--skip-answered", "--trust", "--quiet"],
            project,
            args.runs,
            base,
        )
    print(f"median of {args.runs} runs, update v1.0.0 -> v2.0.0 of a generated service")
    print(f"{'rampart update':24} {rampart:7.3f} s")
    print(f"{'copier update':24} {copier:7.3f} s")
    print(f"{'ratio':24} {rampart / copier:7.2f}   target <= 1.2")
    if args.json:
        figures = {"runs": args.runs, "rampart_update_seconds": rampart, "copier_update_seconds": copier}
        args.json.write_text(json.dumps({**figures, "ratio": rampart / copier, "target": "<= 1.2"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
