"""Copier migration: rename a question in a project's .copier-answers.yml.

Used from copier.yml `_migrations` as a "before" step when a template version
renames a question, so the project's old answer carries over under the new name:

    - version: v0.3.0
      command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/migrations/rename_answer.py", "old", "new"]
      when: "{{ _stage == 'before' }}"

Runs in the project directory with copier's own Python (which has PyYAML).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ANSWERS = Path(".copier-answers.yml")


def rename(old: str, new: str, path: Path = ANSWERS) -> bool:
    answers = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if old not in answers or new in answers:
        return False
    answers = {(new if key == old else key): value for key, value in answers.items()}
    header = "".join(
        line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#")
    )
    path.write_text(header + yaml.safe_dump(answers, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return True


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: rename_answer.py OLD NEW")
    rename(sys.argv[1], sys.argv[2])
