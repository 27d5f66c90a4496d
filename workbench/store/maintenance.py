"""A restore never overlaps the app's or an import's transactions on the same SQLite file.

Two files beside the database (``flock``: it works across processes and between threads, and a
killed process lets go of its locks):

- ``<db>.use-lock``: every transaction of every engine on the file (the app's sessions, an import,
  the CLI) holds it shared, from its BEGIN to its COMMIT or ROLLBACK. Each pooled connection
  keeps one descriptor of it, so a transaction costs two ``flock`` calls and a ``stat``.
- ``<db>.restoring``: exists, locked exclusively, while a restore waits or runs. A transaction
  that begins then lets go and waits (``WAIT_FOR_RESTORE``), then reads and writes the restored
  file; after that long it gets :class:`RestoreRunningError`. A flag left by a killed restore
  is not locked by anyone and is ignored.

The restore creates the flag first and then takes the use lock exclusively, so it starts only
when no transaction is open, and refuses with :class:`DatabaseInUseError` when one stays open
longer than its wait (an import of a large file). Before this, a restore that replaced the file
between an edit's read and its write gave "version 3, du utgick från version 3", and a write
committed during the restore was lost under it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, event

from workbench.errors import DatabaseInUseError, RestoreRunningError

__all__ = ["DatabaseInUseError", "RestoreRunningError", "exclusive", "install", "lock_files"]

WAIT_FOR_RESTORE = 60.0  # seconds a transaction waits for a running restore
POLL = 0.02
_FD, _HELD = "workbench_use_lock_fd", "workbench_use_lock_held"  # in the DB-API connection's info


def lock_files(database: Path) -> tuple[Path, Path]:
    """(restore flag, use lock) of the SQLite file ``database``."""
    database = Path(database).expanduser().resolve()
    return database.with_name(f"{database.name}.restoring"), database.with_name(f"{database.name}.use-lock")


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


def _try(fd: int, mode: int) -> bool:
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _restoring(flag: Path) -> bool:
    """A restore holds the flag (one left by a killed restore is held by nobody)."""
    if not flag.exists():
        return False
    try:
        fd = os.open(flag, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False  # the restore has just finished
    try:
        return not _try(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)


def _hold(fd: int, flag: Path, wait: float) -> None:
    """Hold ``fd`` (the use lock) shared, waiting while a restore (``flag``) runs."""
    deadline = time.monotonic() + wait
    while True:
        if _try(fd, fcntl.LOCK_SH):
            if not _restoring(flag):
                return
            fcntl.flock(fd, fcntl.LOCK_UN)  # step back, so that the restore can start
        if time.monotonic() >= deadline:
            raise RestoreRunningError(
                "Databasen återställs från en säkerhetskopia just nu; ingenting sparades eller "
                "lästes. Ladda om sidan om en stund."
            )
        time.sleep(POLL)


@contextlib.contextmanager
def exclusive(database: Path, *, wait: float) -> Iterator[None]:
    """Hold the database for a restore: new transactions wait, open ones are waited for up to
    ``wait`` seconds; :class:`DatabaseInUseError` when they do not end by then."""
    flag, use = lock_files(database)
    flag.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    flag_fd = _open(flag)
    try:
        while not _try(flag_fd, fcntl.LOCK_EX):  # a transaction may be looking at it this instant
            if time.monotonic() >= deadline:
                raise DatabaseInUseError(f"En annan återställning av {database} pågår redan; "
                                         "ingenting återställdes.")
            time.sleep(POLL)
        use_fd = _open(use)
        try:
            while not _try(use_fd, fcntl.LOCK_EX):
                if time.monotonic() >= deadline:
                    raise DatabaseInUseError(
                        f"Appen eller en import skriver till databasen {database} just nu (en "
                        f"transaktion var öppen i mer än {wait:g} s); ingenting återställdes. "
                        "Vänta tills importen är klar eller stoppa appen, och försök igen."
                    )
                time.sleep(POLL)
            try:
                yield
            finally:
                flag.unlink(missing_ok=True)  # while still held: no transaction sees a stale flag
        finally:
            os.close(use_fd)
    finally:
        os.close(flag_fd)


def install(engine: Engine, database: Path) -> None:
    """Every transaction of ``engine`` (on the SQLite file ``database``) holds the use lock."""
    flag, use = lock_files(database)

    def begin(conn) -> None:  # type: ignore[no-untyped-def]
        info = conn.info
        if _FD not in info:
            info[_FD] = _open(use)
        if not info.get(_HELD):
            _hold(info[_FD], flag, WAIT_FOR_RESTORE)
            info[_HELD] = True

    def release(info: dict) -> None:
        if info.pop(_HELD, False):
            fcntl.flock(info[_FD], fcntl.LOCK_UN)

    def close(_dbapi_conn, record) -> None:  # type: ignore[no-untyped-def]
        release(record.info)
        fd = record.info.pop(_FD, None)
        if fd is not None:
            os.close(fd)

    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", lambda conn: release(conn.info))
    event.listen(engine, "rollback", lambda conn: release(conn.info))
    event.listen(engine.pool, "checkin",  # a connection returned without COMMIT or ROLLBACK
                 lambda _c, record: release(record.info) if record is not None else None)
    event.listen(engine.pool, "close", close)
