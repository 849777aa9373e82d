"""The one exception a learner's bad input raises: its message names the file or field at fault."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a file, a field or a command-line option; the message says what and where.

    `field` (e.g. "params", "layers"), `path` and `line` say the same as data, for code that places the problem
    (the lesson checker puts it on the line of that field) without reading the message."""

    def __init__(self, message: str, *, field: str | None = None, path: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.field, self.path, self.line = field, path, line
