"""Errors that re300 reports to the user as one clear line (never a deep traceback)."""
from __future__ import annotations


class Re300Error(Exception):
    """Base class: anything the CLI catches and prints as a one-line message."""


class ConfigError(Re300Error):
    """A scenario file is wrong: names the file, the key, the value and what was expected."""

    def __init__(self, file, key, message):
        self.file, self.key, self.message = str(file), key, message
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


class InputError(Re300Error):
    """An input table is wrong: names the file, the row, the column, the value and what was expected."""

    def __init__(self, file, message, row=None, column=None, value=None, expected=None):
        self.file, self.row, self.column, self.value, self.expected = str(file), row, column, value, expected
        where = str(file)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        text = f"{where}: {message}"
        if value is not None:
            text += f" (got {value!r}"
            text += f"; expected {expected})" if expected else ")"
        elif expected:
            text += f" (expected {expected})"
        super().__init__(text)


class SolveError(Re300Error):
    """The solver failed or returned no usable solution."""
