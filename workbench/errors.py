"""Typed errors with one clear Swedish sentence each; the CLI and UI show ``str(error)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class WorkbenchError(Exception):
    """Base of every error the workbench reports to a person (never shown as a traceback)."""


class ConfigError(WorkbenchError):
    """A setting has a value that cannot be used."""


class DatabaseOpenError(WorkbenchError):
    """The database URL cannot be opened."""


class SchemaTooNewError(WorkbenchError):
    """The database was written by a newer version of the workbench."""


class DemoDataMissingError(WorkbenchError):
    """The demo folders (sample_incidents/, layers/) are not where they should be."""


@dataclass(frozen=True)
class ImportProblem:
    """One problem with one row of an input file. ``row`` is the row number a person sees in Excel."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


# The personal-data scanner for error texts (``anonymise.values.redact_str``). This base module
# may import nothing above it, so the scanner registers itself when it is imported; the store
# imports it (every write is scanned), so it is in place in the app, the CLI and every import.
_redact: Callable[[str], str] | None = None


def register_redactor(redact: Callable[[str], str]) -> None:
    global _redact
    _redact = redact


def _scanned(text: str) -> str:
    return text if _redact is None else _redact(text)


class ImportValidationError(WorkbenchError):
    """The file cannot be used at all; nothing was stored.

    The message and the problems name the file, row and column and often echo a cell, a header
    or the file name: all of it goes through the personal-data scanner here, once for every raise,
    before anything shows, prints or stores it (``Personnr 811218-9876`` → ``Personnr [personnummer]``).
    """

    def __init__(self, message: str, problems: list[ImportProblem] | None = None) -> None:
        super().__init__(_scanned(message))
        self.problems = [ImportProblem(_scanned(p.file), p.row, None if p.column is None else _scanned(p.column),
                                       _scanned(p.message)) for p in problems or []]

    def __str__(self) -> str:
        return _scanned(super().__str__())  # also when the scanner was registered after the raise


class ConflictError(WorkbenchError):
    """Someone else saved the same row first; nothing was overwritten."""


class NotFoundError(WorkbenchError):
    """The row asked for does not exist (or belongs to another organisation)."""


class ClosedError(ConflictError):
    """The meeting is closed: its lägesbild is frozen and can only be read."""


class AccessDenied(WorkbenchError):
    """The signed-in user's role does not allow this (nothing was read or changed)."""


class RestoreRunningError(WorkbenchError):
    """A restore of the database ran for longer than a transaction waits for it."""


class DatabaseInUseError(WorkbenchError):
    """A restore did not start: the app or an import kept a transaction open."""
