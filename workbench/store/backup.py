"""Consistent backup and restore of a SQLite workbench database (PostgreSQL: pg_dump/pg_restore).

Both directions use SQLite's online backup API, so a copy is one consistent snapshot even while
the app is writing (WAL readers never block writers), and a restore is one transaction on the
target: a crash half-way is rolled back by SQLite's own journal.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from workbench.errors import WorkbenchError
from workbench.store import maintenance
from workbench.store.db import MIGRATIONS_DIR, close_store, head_revision, open_store, safe_url
from workbench.store.tables import Base

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables present since the first migration: a file without them is not a workbench database.
CORE_TABLES = frozenset({"organisation", "audit_log", "import_batch", "incident"})
_SIDECARS = ("-journal", "-wal", "-shm")


class BackupError(WorkbenchError):
    """A backup or restore could not be made; nothing was replaced."""


class InvalidBackupError(BackupError):
    """The file given to restore cannot be used; the target database was not touched."""


class UnsupportedDatabaseError(BackupError):
    """The database is not a SQLite file (PostgreSQL has its own tools)."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds."""

    path: Path
    size_bytes: int
    rows: dict[str, int]
    revision: str | None
    taken_at: datetime

    @property
    def audit_entries(self) -> int:
        return self.rows.get("audit_log", 0)


@dataclass(frozen=True)
class RestoreInfo:
    """What a restore did: the backup's revision, the target's revision now, the safety copy."""

    path: Path
    rows: dict[str, int]
    revision_before: str | None  # the backup file's schema revision
    revision_after: str | None  # the target's revision after migrating (head)
    replaced_revision: str | None  # what the target held before (None: it did not exist)
    safety_copy: Path | None


def _sqlite_path(url: str, verb: str) -> Path:
    """The database file of a SQLite URL; a clear error for PostgreSQL and everything else."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise BackupError(f"Databas-URL:en '{safe_url(url)}' går inte att tolka.") from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        libpq = URL.create("postgresql", username=parsed.username, host=parsed.host,
                           port=parsed.port, database=parsed.database, query=parsed.query)
        shown = libpq.render_as_string(hide_password=False)  # no password at all: it was dropped
        raise UnsupportedDatabaseError(
            f"{verb} av PostgreSQL-databasen {safe_url(url)} görs med PostgreSQL:s egna verktyg: "
            f'pg_dump --format=custom --file=est.dump "{shown}" och tillbaka med '
            f'pg_restore --clean --if-exists --dbname="{shown}" est.dump '
            "(lösenordet anges via PGPASSWORD eller ~/.pgpass)."
        )
    database = parsed.database or ""
    if backend != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        raise UnsupportedDatabaseError(
            f"{verb} stöds bara för en SQLite-databasfil, inte för {safe_url(url)}."
        )
    return Path(database).expanduser().resolve()


@contextlib.contextmanager
def _connect(path: Path, mode: str) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection that never creates ``path`` by accident.

    ``mode`` is ``rw``/``rwc``, or ``ro`` for a file to leave untouched: then it is opened
    immutable (no -wal/-shm created beside it) unless it has a -wal file whose pages count.
    """
    if mode == "ro" and not Path(f"{path}-wal").exists():
        mode = "ro&immutable=1"
    conn = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def _copy(source: Path, dest: Path, *, source_mode: str = "rw", standalone: bool = False) -> None:
    """Copy ``source`` into ``dest`` in one backup step (one read snapshot, one write transaction).

    ``standalone`` leaves ``dest`` in rollback-journal mode: one self-contained file, never a -wal.
    """
    with _connect(source, source_mode) as src, _connect(dest, "rwc") as dst:
        src.backup(dst)
        if standalone:
            dst.execute("PRAGMA journal_mode=DELETE")


def _problems(conn: sqlite3.Connection) -> list[str]:
    """``PRAGMA integrity_check`` findings (empty when the file is sound)."""
    found = [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if found == ["ok"] else found


def _tables(conn: sqlite3.Connection) -> set[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return {str(row[0]) for row in conn.execute(query)}


def _revision(conn: sqlite3.Connection) -> str | None:
    if "alembic_version" not in _tables(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {}
    for name in sorted(_tables(conn) - {"alembic_version"}):
        quoted = '"' + name.replace('"', '""') + '"'  # names come from sqlite_master
        counts[name] = int(conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])  # noqa: S608
    return counts


def _temp_beside(path: Path, label: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{label}-", suffix=".tmp")
    os.close(handle)
    return Path(name)


def _remove(path: Path) -> None:
    """A temporary file with its SQLite side files and the lock files an engine made beside it."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _SIDECARS), *maintenance.lock_files(path)):
        candidate.unlink(missing_ok=True)


def backup(url: str, out: Path) -> BackupInfo:
    """Write a consistent, checked copy of the SQLite database at ``url`` to ``out`` (atomically)."""
    source = _sqlite_path(url, "Säkerhetskopiering")
    out = Path(out).expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"Databasen {source} finns inte, så det finns inget att säkerhetskopiera.")
    if out == source or (out.exists() and os.path.samefile(out, source)):
        raise BackupError(f"Säkerhetskopian {out} kan inte skrivas över den levande databasen.")
    try:
        temp = _temp_beside(out, "backup")
    except OSError as exc:
        raise BackupError(f"Säkerhetskopian kan inte skrivas i {out.parent}: {exc.strerror}.") from exc
    try:
        taken_at = datetime.now().astimezone()
        try:
            _copy(source, temp, standalone=True)
            with _connect(temp, "rw") as conn:
                problems = _problems(conn)
                rows, revision = _row_counts(conn), _revision(conn)
        except sqlite3.Error as exc:
            raise BackupError(f"Databasen {source} kunde inte kopieras till {out}: {exc}.") from exc
        if problems:
            raise BackupError(
                f"Kopian av {source} klarade inte integritetskontrollen ({problems[0]}); "
                f"ingenting skrevs till {out}."
            )
        try:
            os.replace(temp, out)
        except OSError as exc:
            raise BackupError(f"Säkerhetskopian kunde inte sparas som {out}: {exc.strerror}.") from exc
    finally:
        _remove(temp)
    return BackupInfo(path=out, size_bytes=out.stat().st_size, rows=rows, revision=revision,
                      taken_at=taken_at)


def _known_revisions() -> set[str]:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}


def _check_backup(file: Path, staged: Path) -> str:
    """Validate the staged copy of ``file``; the backup's revision, or a one-sentence refusal."""
    with _connect(staged, "rw") as conn:
        problems = _problems(conn)
        if problems:
            raise InvalidBackupError(
                f"Filen {file} är en skadad SQLite-databas ({problems[0]}) och kan inte återställas."
            )
        tables, revision = _tables(conn), _revision(conn)
    if revision is None or not CORE_TABLES <= tables:
        raise InvalidBackupError(
            f"Filen {file} är ingen säkerhetskopia av arbetsbänken (tabellerna eller "
            "schemaversionen saknas)."
        )
    if revision not in _known_revisions():
        raise InvalidBackupError(
            f"Filen {file} har schemaversion '{revision}', som den här versionen av programmet "
            f"inte känner till (senast '{head_revision()}'); uppdatera programmet först."
        )
    return revision


def _safety_name(target: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.stem}.fore-aterstallning-{stamp}.sqlite")
    number = 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.fore-aterstallning-{stamp}-{number}.sqlite")
        number += 1
    return candidate


WAIT_FOR_WRITERS = 15.0  # seconds a restore waits for the app's or an import's open transactions


def _replace(target: Path, staged: Path) -> tuple[Path | None, str | None]:
    """Copy the current database aside, then the staged backup into it (the caller holds the
    database); returns the safety copy and the revision it held."""
    safety, replaced_revision = None, None
    if target.exists() and target.stat().st_size > 0:
        safety = _safety_name(target)
        try:
            with _connect(target, "rw") as conn:
                replaced_revision = _revision(conn)
            _copy(target, safety, standalone=True)
        except sqlite3.Error as exc:
            _remove(safety)
            raise BackupError(
                f"Ingen säkerhetskopia kunde göras av {target} ({exc}); ingenting återställdes."
            ) from exc
    try:
        _copy(staged, target, source_mode="rw")
    except sqlite3.Error as exc:
        raise BackupError(f"Återställningen av {target} misslyckades och rullades tillbaka: {exc}.") from exc
    return safety, replaced_revision


def restore(file: Path, url: str, *, wait: float = WAIT_FOR_WRITERS) -> RestoreInfo:
    """Replace the SQLite database at ``url`` with the backup ``file``, after validating it.

    The current database is first copied to ``<name>.fore-aterstallning-<time>.sqlite`` beside it.
    An older backup is migrated to the newest schema before it replaces anything. The safety copy
    and the replacement are made while no transaction is open on the file: open ones are waited
    for up to ``wait`` seconds (else :class:`maintenance.DatabaseInUseError`, nothing replaced),
    and new ones wait until the restore is done (``workbench/store/maintenance.py``).
    """
    target = _sqlite_path(url, "Återställning")
    file = Path(file).expanduser().resolve()
    if not file.is_file():
        raise InvalidBackupError(f"Filen {file} finns inte.")
    with file.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise InvalidBackupError(f"Filen {file} är ingen SQLite-databas.")
    if file == target or (target.exists() and os.path.samefile(file, target)):
        raise InvalidBackupError(f"Filen {file} är själva databasen som skulle återställas.")
    try:
        staged = _temp_beside(target, "restore")
    except OSError as exc:
        raise BackupError(f"Kan inte återställa i katalogen {target.parent}: {exc.strerror}.") from exc
    staged_url = f"sqlite:///{staged}"
    try:
        try:
            _copy(file, staged, source_mode="ro")
            revision_before = _check_backup(file, staged)
        except sqlite3.Error as exc:
            raise InvalidBackupError(
                f"Filen {file} är en skadad SQLite-databas ({exc}) och kan inte återställas."
            ) from exc
        if revision_before != head_revision():
            try:
                open_store(staged_url)  # migrate the staged copy; the target is still untouched
            except WorkbenchError as exc:
                raise BackupError(f"Filen {file} kunde inte uppgraderas: {exc}") from exc
            finally:
                close_store(staged_url)
        with _connect(staged, "rw") as conn:
            rows, revision_after, tables = _row_counts(conn), _revision(conn), _tables(conn)
        if not set(Base.metadata.tables) <= tables:
            missing = ", ".join(sorted(set(Base.metadata.tables) - tables))
            raise InvalidBackupError(f"Filen {file} saknar arbetsbänkens tabeller ({missing}).")
        with maintenance.exclusive(target, wait=wait):
            safety, replaced_revision = _replace(target, staged)
    finally:
        _remove(staged)
        close_store(url)
    return RestoreInfo(path=target, rows=rows, revision_before=revision_before,
                       revision_after=revision_after, replaced_revision=replaced_revision,
                       safety_copy=safety)
