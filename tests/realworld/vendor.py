"""Vendor one real-world application into tests/realworld/<app>/source/ at the commit its labels.yml pins.

    python tests/realworld/vendor.py <app> <git-dir>     (git-dir: a clone or mirror holding the commit)

Copies what `rampart doctor` reads (manifest, lockfiles, server source, committed config, Dockerfile,
ignore files, CI workflows) and the licence, minus the labels' `exclude` globs, plus their `include` globs.
yarn.lock / pnpm-lock.yaml become one-line stubs: doctor only checks that they exist.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator.doctor.project import NodeProject, is_test_file
from generator.doctor.secrets import scanned
from tests.realworld_corpus import GZIP_ABOVE, VENDORED_SUFFIX, load_app

FIXED = {
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc",
    ".gitignore", ".dockerignore", "Dockerfile",
}  # fmt: skip
# Lockfiles of other package managers: doctor only checks that one exists (no lockfile-lint for them).
EXISTENCE_ONLY = {"yarn.lock", "pnpm-lock.yaml"}
LICENCES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING")


def read_files(project: NodeProject) -> list[str]:
    chosen = set(project.source_files)
    for rel in project.files:
        name = Path(rel).name
        if (
            ("/" not in rel and (rel in FIXED or name in LICENCES or name.startswith(".env")))
            or rel.startswith(".github/workflows/")
            or (scanned(rel) and not is_test_file(rel))
        ):
            chosen.add(rel)
    return sorted(chosen)


def main(name: str, git_dir: str) -> int:
    app = load_app(name)
    archive = subprocess.run(["git", "--git-dir", git_dir, "archive", app.commit], capture_output=True, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        checkout = Path(tmp)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(checkout, filter="data")
        project = NodeProject(checkout)
        chosen = [r for r in read_files(project) if not any(fnmatch.fnmatch(r, g) for g in app.exclude)]
        chosen += [r for r in project.files if any(fnmatch.fnmatch(r, g) for g in app.include)]
        shutil.rmtree(app.source, ignore_errors=True)
        for rel in sorted(set(chosen)):
            data = (checkout / rel).read_bytes()
            if rel in EXISTENCE_ONLY:  # doctor only checks that it exists: a stub saying where the original is
                data = f"# stub: the original is {rel} of {app.repo}@{app.commit}\n".encode()
            target = app.source / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if len(data) > GZIP_ABOVE:
                target.with_name(target.name + ".gz").write_bytes(gzip.compress(data, mtime=0))
            elif Path(rel).name.startswith(".git"):  # .gitignore, .gitattributes would act on this repository
                target.with_name(target.name + VENDORED_SUFFIX).write_bytes(data)
            else:
                target.write_bytes(data)
        print(f"{name}: {len(set(chosen))} files from {app.repo}@{app.commit[:12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
