"""README.md is executed: every shell block, in order, as written, in a copy of this checkout.

Blocks are found with markdown-it-py (a CommonMark parser), so what runs is exactly what a reader
sees as a code block. A block a reader is not meant to run here carries, on the line before it,
`<!-- not executed by rampart's tests: why -->`; there are few of them.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.checkout import copy_of_this_checkout
from tests.conftest import ROOT
from tests.readme_blocks import shell_blocks

MAX_NOT_EXECUTED = 3


def test_marker_applies_to_the_next_block_only():
    text = "<!-- not executed by rampart's tests: docker -->\n```bash\ndocker compose up\n```\n\n```bash\nls\n```\n"
    assert [(b.text, b.skip_reason) for b in shell_blocks(text)] == [
        ("docker compose up\n", "docker"),
        ("ls\n", None),
    ]


def test_readme_blocks_not_executed_are_few_and_say_why():
    blocks = shell_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    skipped = [b for b in blocks if b.skip_reason]
    assert len(skipped) <= MAX_NOT_EXECUTED, [b.line for b in skipped]
    assert len(blocks) - len(skipped) >= 5
    # The first two commands stay at the top: install + generate (executed), then the test suite.
    assert "rampart new ../demo" in blocks[0].text and not blocks[0].skip_reason
    assert "pytest" in blocks[1].text


@pytest.mark.e2e
def test_readme_commands_run_in_order(tmp_path, node_env):
    checkout = copy_of_this_checkout(tmp_path / "rampart")
    blocks = shell_blocks((checkout / "README.md").read_text(encoding="utf-8"))
    script = ["set -euo pipefail"]
    for block in blocks:
        if block.skip_reason is None:
            script += [f"echo '>>> README.md:{block.line}' >&2", block.text]
    env = {**node_env, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for name in ("VIRTUAL_ENV", "PYTHONPATH"):  # a reader's shell has neither: `rampart` is the one step 1 installs
        env.pop(name, None)
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    reached = re.findall(r">>> (README\.md:\d+)", result.stderr)
    assert result.returncode == 0, (
        f"failed in the block at {reached[-1:]}:\n{result.stdout[-4000:]}{result.stderr[-4000:]}"
    )
    out = result.stdout
    # Step 1 generated next to the checkout, never inside it.
    assert (tmp_path / "demo" / "package.json").is_file() and not (checkout / "demo").exists()
    assert "Created service demo in ../demo" in out
    assert (tmp_path / "services" / "my-service" / "package-lock.json").is_file(), "npm install ran"
    assert "up to date" in out and "Already at" in out and "would change" in out
    assert "ok: " in out, "doctor on a fresh service"
    assert os.listdir(tmp_path / "services") and not (checkout / "my-service").exists()
