"""The Node.js release schedule, for the Docker base image check (baseline 27).

A dated copy of https://github.com/nodejs/Release/blob/main/schedule.json (the project's own
data, no network at audit time). tests/test_doctor.py fails once REVIEWED is older than
STALE_AFTER: then copy the new lines' dates from that file and move REVIEWED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

REVIEWED = date(2026, 12, 4)
STALE_AFTER = timedelta(days=183)


@dataclass(frozen=True)
class Line:
    major: int
    end_of_life: date
    lts: bool  # even majors become LTS; odd ones live ~8 months as "Current"
    codename: str | None = None


LINES = {
    line.major: line
    for line in (
        Line(4, date(2018, 4, 30), True, "argon"),
        Line(6, date(2019, 4, 30), True, "boron"),
        Line(8, date(2019, 12, 31), True, "carbon"),
        Line(10, date(2021, 4, 30), True, "dubnium"),
        Line(11, date(2019, 6, 1), False),
        Line(12, date(2022, 4, 30), True, "erbium"),
        Line(13, date(2020, 6, 1), False),
        Line(14, date(2023, 4, 30), True, "fermium"),
        Line(15, date(2021, 6, 1), False),
        Line(16, date(2023, 9, 11), True, "gallium"),
        Line(17, date(2022, 6, 1), False),
        Line(18, date(2025, 4, 30), True, "hydrogen"),
        Line(19, date(2023, 6, 1), False),
        Line(20, date(2026, 4, 30), True, "iron"),
        Line(21, date(2024, 6, 1), False),
        Line(22, date(2027, 4, 30), True, "jod"),
        Line(23, date(2025, 6, 1), False),
        Line(24, date(2028, 4, 30), True, "krypton"),
        Line(25, date(2026, 6, 1), False),
        Line(26, date(2029, 4, 30), True),
    )
}
CODENAMES = {line.codename: line for line in LINES.values() if line.codename}
# Tags that follow the newest release, whatever its line: not a chosen, supported line.
_FLOATING = {"", "latest", "current", "alpine", "slim", "bookworm", "bookworm-slim", "bullseye", "bullseye-slim"}


@dataclass(frozen=True)
class Base:
    tag: str
    line: Line | None  # None: an LTS alias (`lts`, `lts-alpine`) or a line newer than this table
    floating: bool  # follows the newest release (no tag, `latest`, `alpine`)


def resolve(tag: str) -> Base:
    """What a `node:<tag>` image runs: `12-alpine` -> line 12, `jod` -> 22, `lts-slim` -> an LTS alias."""
    tag = tag.lower()
    first = re.split(r"[-.]", tag, maxsplit=1)[0]
    if first.isdigit():
        return Base(tag, LINES.get(int(first)), False)
    if first in CODENAMES:
        return Base(tag, CODENAMES[first], False)
    if first == "lts":
        return Base(tag, None, False)
    return Base(tag, None, tag in _FLOATING or first in _FLOATING)


def is_stale(today: date) -> bool:
    return today - REVIEWED > STALE_AFTER
