"""Write the service's .env: the .env.example layout with fresh CSPRNG secrets filled in.

Convention shared with the template: every key in .env.example whose name ends
in ``_SECRET`` or ``_PASSWORD`` is a secret that rampart generates, and a
``${KEY}`` in another value of .env.example stands for that generated value
(e.g. the database password inside DATABASE_URL; compose.yaml reads the same
key). Secret values go to .env only (mode 0600) and never to the answers file,
logs or the console.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_ASSIGNMENT = re.compile(r"^(?P<key>[A-Z][A-Z0-9_]*)=")
_REFERENCE = re.compile(r"\$\{(?P<key>[A-Z][A-Z0-9_]*)\}")
SECRET_BYTES = 48  # 64 url-safe characters, well above the 32-byte minimum the service enforces


def is_secret_key(key: str) -> bool:
    return key.endswith(("_SECRET", "_PASSWORD"))


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def env_from_example(example: str) -> str:
    """Return .env text: the example's lines, each secret's placeholder replaced by a new secret
    and each ${KEY} of a generated secret replaced by its value."""
    generated: dict[str, str] = {}
    lines = []
    for line in example.splitlines():
        match = _ASSIGNMENT.match(line)
        if match and is_secret_key(match["key"]):
            generated[match["key"]] = new_secret()
            line = f"{match['key']}={generated[match['key']]}"
        lines.append(line)
    # Node's --env-file does not expand ${KEY}: the value is written out.
    expand = lambda m: generated.get(m["key"], m[0])  # noqa: E731
    return "\n".join(_REFERENCE.sub(expand, line) if _ASSIGNMENT.match(line) else line for line in lines) + "\n"


def add_missing_secrets(project: Path) -> list[str]:
    """Append a fresh value for each generated secret of .env.example that .env lacks (after an update).

    Existing lines are never changed; returns the keys added (names only, never values).
    A secret that other lines embed (``${KEY}``) is not added: the user's .env already
    has those lines with their own value, which a fresh secret would contradict.
    """
    example, target = project / ".env.example", project / ".env"
    if not example.is_file():
        return []
    example_text = example.read_text(encoding="utf-8")
    present = {m["key"] for line in target.read_text(encoding="utf-8").splitlines() if (m := _ASSIGNMENT.match(line))}
    embedded = {m["key"] for m in _REFERENCE.finditer(example_text)}
    wanted = [
        m["key"]
        for line in example_text.splitlines()
        if (m := _ASSIGNMENT.match(line))
        and is_secret_key(m["key"])
        and m["key"] not in present
        and m["key"] not in embedded
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
