"""Copier's exceptions, as the one-line errors rampart shows (shared by `new` and `update`)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

from generator.errors import RampartError


@contextlib.contextmanager
def copier_errors(*, untrusted_source: str | None = None) -> Iterator[None]:
    """Run a copier call; its expected failures become RampartError, Ctrl-C stays KeyboardInterrupt.

    `untrusted_source`: the template named in the message when copier refuses to run its migrations.
    """
    from copier.errors import CopierAnswersInterrupt, CopierError, InteractiveSessionError, UnsafeTemplateError

    try:
        with warnings.catch_warnings():
            # Rendering from a source checkout with uncommitted template edits is a
            # maintainer's situation, not something a user should be warned about.
            warnings.filterwarnings("ignore", message="Dirty template changes")
            warnings.filterwarnings("ignore", message="No git tags found")
            yield
    except CopierAnswersInterrupt:
        raise KeyboardInterrupt from None
    except InteractiveSessionError:
        raise RampartError("no terminal to ask questions on; pass --defaults and/or --data KEY=VALUE") from None
    except UnsafeTemplateError:
        source = untrusted_source or "this template"
        raise RampartError(f"the template at {source} runs migrations; pass --template {source} to trust it") from None
    except ValueError as err:  # copier's answer parsing and validators
        message = str(err).strip().replace("Validation error for question", "invalid answer for")
        message = message.splitlines()[0] if message else "invalid answer"
        raise RampartError(f"{message} (answer it with --data KEY=VALUE)") from None
    except CopierError as err:
        raise RampartError(str(err).strip().splitlines()[0]) from None
