"""Hatch build hook: ship the template's release-tagged git history inside the wheel.

`rampart update` needs the template as it was at the version a project was made from, so the
wheel carries the repository history as a git bundle (generator/_template.bundle) in which every
release is tagged (generator/releases.py derives the tags from the commits that bumped the
version), and names the commit of the template it ships (generator/_template_ref), so new
projects record exactly what they were rendered from.
"""

from __future__ import annotations

import importlib.util
import subprocess
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _releases(root: Path):
    # Loaded by path: the build runs before the package is importable.
    spec = importlib.util.spec_from_file_location("rampart_releases", root / "generator" / "releases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_bundle(repo: Path, out_dir: Path) -> tuple[Path, Path]:
    """The bundle of `repo`'s tagged history and a file naming the ref of its template."""
    history = out_dir / "history.git"
    ref = _releases(repo).snapshot(repo, history)
    bundle, ref_file = out_dir / "template.bundle", out_dir / "template_ref"
    subprocess.run(
        ["git", "--git-dir", str(history), "bundle", "create", str(bundle), "--all"], check=True, capture_output=True
    )
    ref_file.write_text(ref + "\n", encoding="utf-8")
    return bundle, ref_file


class TemplateHistoryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        if not (root / ".git").exists():
            self.app.display_warning("no git history here: the wheel ships no template history for `rampart update`")
            return
        bundle, ref_file = make_bundle(root, Path(tempfile.mkdtemp(prefix="rampart-bundle-")))
        build_data["force_include"][str(bundle)] = "generator/_template.bundle"
        build_data["force_include"][str(ref_file)] = "generator/_template_ref"
