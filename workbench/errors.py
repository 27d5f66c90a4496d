"""Typed errors with one clear Swedish sentence each; the CLI and UI show ``str(error)``."""

from __future__ import annotations

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


class ImportValidationError(WorkbenchError):
    """The file cannot be used at all; nothing was stored."""

    def __init__(self, message: str, problems: list[ImportProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


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
