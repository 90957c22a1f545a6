"""The shell blocks of a README (rampart's own and a generated service's), read with a CommonMark parser.

markdown-it-py (already installed as a dependency of rich, which copier uses) finds
fenced blocks exactly as GitHub renders them: fences inside lists, longer or tilde
fences and HTML comments are its job, not a regex's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

SHELL = {"bash", "sh", "shell"}
# Written on the line right before a block that the tests do not run, with the reason.
NOT_EXECUTED = re.compile(r"^<!-- not executed by rampart's[^>]*: (?P<reason>[^>]+) -->$")
# Commands that keep running (the service itself): started in the background.
SERVER_COMMANDS = {"npm run dev", "npm start"}
_STATUS_COMMENT = re.compile(r"\s#\s*(?P<status>[1-5]\d\d)\b[^'\"]*$")


@dataclass(frozen=True)
class ShellBlock:
    text: str
    line: int  # 1-based line of the opening fence, for messages
    skip_reason: str | None  # set when marked as not executed

    @property
    def commands(self) -> list[str]:
        """The block's commands, continuation lines joined, comment-only and blank lines left out."""
        joined = re.sub(r"\\\n\s*", " ", self.text)
        heredoc_free = re.sub(r"<<'(\w+)'\n.*?\n\1$", "<<heredoc", joined, flags=re.S | re.M)
        return [line for line in heredoc_free.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    @property
    def bare_commands(self) -> list[str]:
        """The commands without their trailing comments."""
        return [command.split(" #", 1)[0].strip() for command in self.commands]

    @property
    def server_command(self) -> str | None:
        """The command if this block starts the service (it must be alone in its block)."""
        bare = self.bare_commands
        starts = [command for command in bare if command in SERVER_COMMANDS]
        if not starts:
            return None
        assert bare == starts[:1], f"README line {self.line}: `{starts[0]}` keeps running; give it a block of its own"
        return starts[0]

    def expected_statuses(self) -> list[int]:
        """The documented status of each `curl -i` (its trailing `# 201 …` comment), in order."""
        statuses = []
        for command in self.commands:
            if re.search(r"\bcurl\b.*\s-i\b", command):
                match = _STATUS_COMMENT.search(command)
                assert match, f"README line {self.line}: `curl -i` without its status as a `# NNN` comment: {command}"
                statuses.append(int(match["status"]))
        return statuses


def shell_blocks(markdown: str) -> list[ShellBlock]:
    blocks, previous = [], None
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "fence" and token.info.strip().split(" ")[0] in SHELL:
            comment = previous.content.strip() if previous is not None and previous.type == "html_block" else ""
            marker = NOT_EXECUTED.match(comment)
            blocks.append(ShellBlock(token.content, token.map[0] + 1, marker["reason"] if marker else None))
        previous = token
    return blocks


def statuses_in(output: str) -> list[int]:
    """The status line of every response `curl -i` printed, in order (a body without a final newline runs
    into the next status line, so they are found anywhere)."""
    return [int(status) for status in re.findall(r"HTTP/\d(?:\.\d)? (\d{3})\b", output)]
