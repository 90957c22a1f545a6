"""Provision the Node.js major the template pins, for the e2e tests.

The machine's `node` may be an older, end-of-life line. When it is not the
pinned major, the registry package `node-linux-<arch>@<major>` (plus npm) is
installed into a cache dir once and put first on PATH.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path

from generator.template_source import required_node_major

CACHE = Path(os.environ.get("RAMPART_TEST_CACHE", Path.home() / ".cache" / "rampart-tests"))
_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}


class NodeUnavailable(Exception):
    pass


def _major(node: Path | str) -> int | None:
    try:
        out = subprocess.run([str(node), "--version"], capture_output=True, text=True, timeout=30).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def node_path_dirs() -> list[Path]:
    """Directories to put first on PATH so that `node` and `npm` are the pinned Node.js line."""
    major = required_node_major()
    system_node = shutil.which("node")
    if system_node and _major(system_node) == major and shutil.which("npm"):
        return [Path(system_node).parent]
    arch = _ARCH.get(platform.machine().lower())
    if arch is None or platform.system() != "Linux":
        raise NodeUnavailable(f"no registry build of Node.js for {platform.system()} {platform.machine()}")
    prefix = CACHE / f"node-{major}-{arch}"
    node_bin = prefix / "node_modules" / f"node-linux-{arch}" / "bin"
    npm_bin = prefix / "node_modules" / ".bin"
    if _major(node_bin / "node") != major or not (npm_bin / "npm").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise NodeUnavailable("Node.js is not the pinned line and no npm is available to install it")
        prefix.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(prefix),
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                f"node-linux-{arch}@{major}",
                "npm@11",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0 or _major(node_bin / "node") != major:
            raise NodeUnavailable(f"installing node-linux-{arch}@{major} failed: {result.stderr[-2000:]}")
    return [node_bin, npm_bin]


def env_with_node(dirs: list[Path], base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env["PATH"] = os.pathsep.join([*(str(d) for d in dirs), env.get("PATH", "")])
    # One npm cache for every generated project in the session: the first install
    # downloads, every later combination installs from the cache.
    env.setdefault("npm_config_cache", str(CACHE / "npm"))
    return env
