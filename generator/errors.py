"""The one error type the CLI turns into a clean message and a non-zero exit."""


class RampartError(Exception):
    """An expected failure: bad input, a missing tool, a failed step.

    The message is shown to the user as one line; no traceback.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
