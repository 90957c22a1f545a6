"""Copier's exceptions, as the one-line errors rampart shows (shared by `new` and `update`)."""

from __future__ import annotations

import contextlib
import re
import sys
import warnings
from collections.abc import Iterator

from generator.errors import RampartError

# copier's messages for a rejected answer: its validators, and its choice check
_ANSWER = re.compile(r"^(?:Validation error for question|Invalid choice for) '(?P<name>[^']+)': (?P<reason>.*)", re.S)
# What copier prints to stderr (not a warning, since copier 9.x) when a template repository has no
# version tag and it renders HEAD.
_UNTAGGED = "No git tags found in template"


class AnswerError(RampartError):
    """An answer copier refused; callers that know where the answer came from say so."""

    def __init__(self, question: str, reason: str) -> None:
        super().__init__(f"invalid answer for {question!r}: {reason} (answer it with --data {question}=VALUE)")
        self.question = question
        self.reason = reason


@contextlib.contextmanager
def copier_errors(*, untrusted_source: str | None = None, template: str | None = None) -> Iterator[None]:
    """Run a copier call; its expected failures become RampartError, Ctrl-C stays KeyboardInterrupt.

    `untrusted_source`: the template named in the message when copier refuses to run its migrations.
    `template`: the template named when git cannot read it.
    """
    from copier.errors import CopierAnswersInterrupt, CopierError, InteractiveSessionError, UnsafeTemplateError
    from plumbum import ProcessExecutionError  # copier runs git through plumbum

    named = f"the template at {template}" if template else "the template"
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(_CopierStderr(sys.stderr, named)):
            # Rendering from a source checkout with uncommitted template edits is a
            # maintainer's situation, not something a user should be warned about.
            warnings.filterwarnings("ignore", message="Dirty template changes")
            warnings.filterwarnings("ignore", message=_UNTAGGED)  # older copier: a warning
            yield
    except CopierAnswersInterrupt:
        raise KeyboardInterrupt from None
    except InteractiveSessionError:
        raise RampartError("no terminal to ask questions on; pass --defaults and/or --data KEY=VALUE") from None
    except UnsafeTemplateError:
        source = untrusted_source or "this template"
        raise RampartError(f"the template at {source} runs migrations; pass --template {source} to trust it") from None
    except ProcessExecutionError as err:  # git: an unreachable URL, an unknown ref
        raise RampartError(f"git could not read {named}: {git_error_line(err.stderr)}") from None
    except ValueError as err:  # copier's answer parsing and validators, and its checks of the template
        message = str(err).strip()
        answer = _ANSWER.match(message)
        if answer:
            raise AnswerError(answer["name"], answer["reason"].strip().splitlines()[0]) from None
        raise RampartError(f"cannot use {named}: {message.splitlines()[0]}") from None
    except CopierError as err:
        raise RampartError(str(err).strip().splitlines()[0]) from None


class _CopierStderr:
    """sys.stderr during a copier call: copier's own note on an untagged template comes out in
    rampart's words (what it means for the user), everything else passes through unchanged."""

    def __init__(self, stream, named: str) -> None:
        self._stream = stream
        self._named = named
        self._swallow_newline = False

    def write(self, text: str) -> int:
        if _UNTAGGED in text:  # print() writes the message, then its newline
            self._swallow_newline = True
            self._stream.write(
                f"rampart: {self._named} has no version tags (such as v1.0.0): using its latest commit\n"
            )
            return len(text)
        if self._swallow_newline and text == "\n":
            self._swallow_newline = False
            return len(text)
        self._swallow_newline = False
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def git_error_line(stderr: str) -> str:
    """The line of git's error output that says what went wrong (its `fatal:` line, without the prefix)."""
    lines = [line.strip().lstrip("|").strip() for line in (stderr or "").splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    chosen = (fatal or lines or ["git failed"])[-1]
    return re.sub(r"^(fatal|error):\s*", "", chosen)
