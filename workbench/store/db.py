"""Engine, migrations and transactions. Every command opens the database through :func:`open_store`."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, CursorResult, Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from workbench.errors import DatabaseOpenError, SchemaTooNewError
from workbench.store import maintenance, privacy

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as given, minus credentials
        return url.split("@")[-1]


def new_id(result: CursorResult) -> int:
    """The primary key of the row an INSERT just added (every table here has an integer id)."""
    key = result.inserted_primary_key
    if key is None:  # only an INSERT of exactly one row has one
        raise ValueError("no primary key: not a single-row INSERT")
    return int(key[0])


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of the program knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None  # the package always ships its migrations
    return head


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise DatabaseOpenError(f"Databas-URL:en '{url}' går inte att tolka.") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                folder = Path(database).expanduser().resolve().parent
                if not folder.exists():
                    try:
                        folder.mkdir(parents=True, exist_ok=True)
                    except OSError as exc:
                        raise DatabaseOpenError(
                            f"Kan inte skapa katalogen {folder} för databasen {safe_url(url)}: "
                            f"{exc.strerror}."
                        ) from exc
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            if database and database != ":memory:" and not database.startswith("file:"):
                maintenance.install(engine, Path(database))  # a restore waits for, and blocks, its transactions
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (sa_exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseOpenError(
            f"Databastypen i '{safe_url(url)}' stöds inte (saknar drivrutin)."
        ) from exc
    privacy.install(engine)  # every INSERT and UPDATE is scanned for personal data
    return engine


@dataclass(frozen=True)
class Store:
    """An opened, migrated database."""

    engine: Engine
    url: str

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self.engine.begin() as connection:
            yield connection

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@dataclass(frozen=True)
class BoundStore:
    """A store bound to an open transaction: several use cases then commit (or fail) together."""

    connection: Connection

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        yield self.connection


_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


def declared_head() -> str | None:
    """The head revision as the migration files declare it (their ``revision`` and
    ``down_revision`` lines), without importing Alembic; None unless they form one chain."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((m.group(1), m.group(2)) for m in _REVISION.finditer(path.read_text("utf-8")))
        if "revision" not in found:
            continue
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def _is_current(engine: Engine) -> bool:
    """The schema is at the head already (one small query; Alembic and its migration scripts
    cost a cold command 0.3–0.5 s to import and parse, every time it opened the database)."""
    head = declared_head()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except sa_exc.SQLAlchemyError:
        return False  # no such table, not a database, …: Alembic's path below says what is wrong
    return [tuple(row) for row in rows] == [(head,)]


def migrate(engine: Engine, url: str) -> None:
    """Bring the schema to the newest revision; refuse a database from a newer program."""
    if _is_current(engine):
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current is not None and current not in known:
                raise SchemaTooNewError(
                    f"Databasen {safe_url(url)} har schemaversion '{current}', som är nyare än "
                    f"den här versionen av programmet känner till (senast '{script.get_current_head()}'). "
                    "Uppdatera programmet; databasen har inte ändrats."
                )
            if current != script.get_current_head():
                command.upgrade(_alembic_config(connection), "head")
    except sa_exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseOpenError(f"Kan inte öppna databasen {safe_url(url)}: {reason}.") from exc
    except sa_exc.DatabaseError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseOpenError(
            f"{safe_url(url)} är ingen användbar databas: {reason}."
        ) from exc


_stores: dict[str, Store] = {}
_lock = threading.Lock()


def open_store(url: str) -> Store:
    """Open (and migrate, once per process) the database at ``url``."""
    with _lock:
        store = _stores.get(url)
        if store is None:
            engine = _create_engine(url)
            try:
                migrate(engine, url)
            except Exception:
                engine.dispose()
                raise
            store = Store(engine=engine, url=url)
            _stores[url] = store
        return store


def close_store(url: str) -> None:
    """Dispose the engine of ``url`` (tests and the demo rebuild use it)."""
    with _lock:
        store = _stores.pop(url, None)
    if store is not None:
        store.engine.dispose()
