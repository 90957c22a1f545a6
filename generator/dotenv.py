"""Write the service's .env: the .env.example layout with fresh CSPRNG secrets filled in.

Convention shared with the template: every key in .env.example whose name ends
in ``_SECRET`` is a secret that rampart generates. Secret values go to .env only
(mode 0600) and never to the answers file, logs or the console.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_ASSIGNMENT = re.compile(r"^(?P<key>[A-Z][A-Z0-9_]*)=")
SECRET_BYTES = 48  # 64 url-safe characters, well above the 32-byte minimum the service enforces


def is_secret_key(key: str) -> bool:
    return key.endswith("_SECRET")


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def env_from_example(example: str) -> str:
    """Return .env text: the example's lines, each secret's placeholder replaced by a new secret."""
    lines = []
    for line in example.splitlines():
        match = _ASSIGNMENT.match(line)
        if match and is_secret_key(match["key"]):
            line = f"{match['key']}={new_secret()}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def add_missing_secrets(project: Path) -> list[str]:
    """Append a fresh value for each *_SECRET of .env.example that .env lacks (after an update).

    Existing lines are never changed; returns the keys added (names only, never values).
    """
    example, target = project / ".env.example", project / ".env"
    if not example.is_file():
        return []
    present = {m["key"] for line in target.read_text(encoding="utf-8").splitlines() if (m := _ASSIGNMENT.match(line))}
    wanted = [
        m["key"]
        for line in example.read_text(encoding="utf-8").splitlines()
        if (m := _ASSIGNMENT.match(line)) and is_secret_key(m["key"]) and m["key"] not in present
    ]
    if wanted:
        text = target.read_text(encoding="utf-8")
        prefix = "" if text.endswith("\n") or not text else "\n"
        with target.open("a", encoding="utf-8") as handle:
            handle.write(prefix + "".join(f"{key}={new_secret()}\n" for key in wanted))
    return wanted


def write_env(project: Path) -> Path:
    """Create project/.env from project/.env.example; never overwrite an existing .env."""
    example = project / ".env.example"
    target = project / ".env"
    text = env_from_example(example.read_text(encoding="utf-8")) if example.is_file() else ""
    # O_EXCL: an existing .env (a user's) is never replaced; 0600 from the first byte.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return target
