"""Hatch build hook: ship the template's tagged git history inside the wheel.

`rampart update` needs the template as it was at the version a project was made
from, so the wheel carries the repository history as a git bundle
(generator/_template.bundle). The installed version is always tagged in it, even
when the build runs on an untagged commit.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def make_bundle(repo: Path, out: Path, version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        mirror = Path(tmp) / "mirror.git"
        subprocess.run(["git", "clone", "--quiet", "--mirror", str(repo), str(mirror)], check=True)
        tag = f"v{version}"
        if (
            subprocess.run(
                ["git", "-C", str(mirror), "rev-parse", "-q", "--verify", f"refs/tags/{tag}"], capture_output=True
            ).returncode
            != 0
        ):
            subprocess.run(["git", "-C", str(mirror), "tag", tag, "HEAD"], check=True)
        subprocess.run(
            ["git", "-C", str(mirror), "bundle", "create", str(out), "--all"], check=True, capture_output=True
        )


class TemplateHistoryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        if not (root / ".git").exists():
            self.app.display_warning("no git history here: the wheel ships no template history for `rampart update`")
            return
        out = Path(tempfile.mkdtemp(prefix="rampart-bundle-")) / "template.bundle"
        make_bundle(root, out, self.metadata.version)
        build_data["force_include"][str(out)] = "generator/_template.bundle"
