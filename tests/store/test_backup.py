"""Backup and restore of a SQLite workbench database: round trip, snapshots under load, refusals."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from workbench.store import repositories as repo
from workbench.store.backup import (
    BackupError,
    InvalidBackupError,
    UnsupportedDatabaseError,
    backup,
    restore,
)
from workbench.store.db import MIGRATIONS_DIR, close_store, head_revision, open_store
from workbench.store.tables import Base


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (all columns), sorted, read through SQLAlchemy reflection."""
    engine = sa.create_engine(_url(path))
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as conn:
            return {name: sorted((tuple(row) for row in conn.execute(sa.select(table))), key=repr)
                    for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


def _sql(path: Path, query: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        with conn:
            return conn.execute(query, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_backup(demo_db: str, tmp_path_factory) -> Path:
    """One backup of the session demo database (which is only ever read)."""
    return backup(demo_db, tmp_path_factory.mktemp("backup") / "demo-backup.sqlite").path


@pytest.fixture(scope="module")
def demo_dump(demo_db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the session demo database, read once."""
    return _dump(Path(sa.engine.make_url(demo_db).database or ""))


@pytest.fixture
def live_copy(demo_backup: Path, tmp_path: Path):
    """A private working copy of the demo database (open_store puts it in WAL mode on first use)."""
    path = tmp_path / "live" / "workbench.sqlite"
    restore(demo_backup, _url(path))
    yield path
    close_store(_url(path))


def test_round_trip_keeps_every_row_audit_entry_and_revision(demo_dump, demo_backup, tmp_path):
    target = tmp_path / "ny" / "aterstalld.sqlite"

    info = restore(demo_backup, _url(target))

    original, restored = demo_dump, _dump(target)
    assert set(original) == set(restored) and set(Base.metadata.tables) <= set(restored)
    for name in original:
        assert restored[name] == original[name], name
    assert len(restored["audit_log"]) > 0 and len(restored["incident"]) > 1000
    assert restored["alembic_version"] == [(head_revision(),)]
    assert info.revision_before == info.revision_after == head_revision()
    assert info.rows == {name: len(rows) for name, rows in original.items() if name != "alembic_version"}
    assert info.safety_copy is None and info.replaced_revision is None


def test_backup_info_and_file_are_self_contained(demo_db, demo_dump, demo_backup):
    info = backup(demo_db, demo_backup.with_name("again.sqlite"))
    assert info.size_bytes == info.path.stat().st_size > 0
    assert info.revision == head_revision()
    assert info.audit_entries == info.rows["audit_log"] == len(demo_dump["audit_log"])
    assert _sql(info.path, "PRAGMA journal_mode") == [("delete",)]
    assert not [p for p in info.path.parent.iterdir() if p.name.endswith((".tmp", "-wal", "-journal"))]


def _audited_insert(url: str, name: str) -> None:
    """One user action as the app does it: a row and its audit entry in one transaction."""
    with open_store(url).transaction() as conn:
        org_id = repo.ensure_organisation(conn, name)
        repo.audit(conn, actor="skrivtest", verb="create", entity="organisation",
                   entity_id=org_id, after={"name": name})


def _pairs(path: Path) -> tuple[set[str], set[str]]:
    orgs = {str(i) for (i,) in _sql(path, "SELECT id FROM organisation WHERE name LIKE 'Skrivtest %'")}
    audits = {e for (e,) in _sql(path, "SELECT entity_id FROM audit_log WHERE actor = 'skrivtest'")}
    return orgs, audits


def test_backups_while_a_writer_commits_are_consistent_snapshots(live_copy, tmp_path):
    url = _url(live_copy)
    committed, stop, failures = [0], threading.Event(), []
    progress = threading.Condition()

    def writer() -> None:
        try:
            while not stop.is_set():
                _audited_insert(url, f"Skrivtest {committed[0]}")
                with progress:
                    committed[0] += 1
                    progress.notify_all()
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    seen, after = [], 0
    try:
        for k in range(5):
            with progress:  # wait for fresh commits, so every copy must differ from the last
                assert progress.wait_for(lambda floor=after + 2: committed[0] >= floor, timeout=15)
                before = committed[0]
            info = backup(url, tmp_path / "copies" / f"kopia-{k}.sqlite")
            after = committed[0]
            assert _sql(info.path, "PRAGMA integrity_check") == [("ok",)]
            orgs, audits = _pairs(info.path)
            assert orgs == audits  # no row without its audit entry and vice versa
            assert before <= len(orgs) <= after + 1
            seen.append(len(orgs))
    finally:
        stop.set()
        thread.join(timeout=15)
    assert not failures, failures
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


def test_backup_leaves_out_an_uncommitted_transaction(live_copy, tmp_path):
    engine = open_store(_url(live_copy)).engine
    with engine.connect() as conn:
        transaction = conn.begin()
        org_id = repo.ensure_organisation(conn, "Skrivtest halvfärdig")
        during = backup(_url(live_copy), tmp_path / "under.sqlite")
        repo.audit(conn, actor="skrivtest", verb="create", entity="organisation", entity_id=org_id)
        transaction.commit()
    done = backup(_url(live_copy), tmp_path / "efter.sqlite")
    assert _pairs(during.path) == (set(), set())
    assert _pairs(done.path) == ({str(org_id)}, {str(org_id)})
    assert done.audit_entries == during.audit_entries + 1


def _text_file(folder: Path, _backup: Path) -> Path:
    path = folder / "anteckningar.sqlite"
    path.write_text("Det här är ingen databas, bara text.\n" * 20, encoding="utf-8")
    return path


def _truncated(folder: Path, demo_backup: Path) -> Path:
    data = demo_backup.read_bytes()
    path = folder / "avbruten.sqlite"
    path.write_bytes(data[: len(data) // 2])
    return path


def _other_application(folder: Path, _backup: Path) -> Path:
    path = folder / "kassaregister.sqlite"
    _sql(path, "CREATE TABLE kvitto (id INTEGER PRIMARY KEY, belopp REAL)")
    _sql(path, "INSERT INTO kvitto (belopp) VALUES (12.5)")
    return path


def _future_revision(folder: Path, demo_backup: Path) -> Path:
    path = backup(_url(demo_backup), folder / "framtid.sqlite").path
    _sql(path, "UPDATE alembic_version SET version_num = '9999_framtid'")
    return path


def _missing(folder: Path, _backup: Path) -> Path:
    return folder / "finns-inte.sqlite"


@pytest.mark.parametrize(("make", "words"), [
    (_text_file, "ingen SQLite-databas"),
    (_truncated, "skadad"),
    (_other_application, "ingen säkerhetskopia av arbetsbänken"),
    (_future_revision, "'9999_framtid'"),
    (_missing, "finns inte"),
])
def test_restore_refuses_unusable_files_and_leaves_target_untouched(make, words, demo_backup,
                                                                   tmp_path):
    target = backup(_url(demo_backup), tmp_path / "mål" / "workbench.sqlite").path
    _sql(target, "INSERT INTO organisation (name, kind) VALUES ('Orörd', 'kommun')")
    before, listing = target.read_bytes(), sorted(target.parent.iterdir())
    bad = make(tmp_path, demo_backup)

    with pytest.raises(InvalidBackupError) as caught:
        restore(bad, _url(target))

    message = str(caught.value)
    assert str(bad) in message and words in message
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence
    assert target.read_bytes() == before
    assert sorted(target.parent.iterdir()) == listing  # no safety copy, no leftovers


def test_restore_keeps_a_safety_copy_of_the_previous_content(live_copy, demo_backup, demo_dump):
    _audited_insert(_url(live_copy), "Skrivtest före återställning")
    close_store(_url(live_copy))
    previous = _dump(live_copy)

    info = restore(demo_backup, _url(live_copy))

    assert info.safety_copy is not None and info.safety_copy.parent == live_copy.parent
    assert re.fullmatch(r"workbench\.fore-aterstallning-\d{8}-\d{6}(-\d+)?\.sqlite",
                        info.safety_copy.name)
    assert _dump(info.safety_copy) == previous
    assert _pairs(info.safety_copy)[0] and not _pairs(live_copy)[0]
    assert _dump(live_copy) == demo_dump
    assert _sql(info.safety_copy, "PRAGMA journal_mode") == [("delete",)]
    assert info.replaced_revision == head_revision()
    again = restore(demo_backup, _url(live_copy))  # a second restore in the same second
    assert again.safety_copy is not None and again.safety_copy != info.safety_copy


def test_restore_of_an_older_backup_migrates_it_to_head(tmp_path):
    script = ScriptDirectory.from_config(_alembic_config())
    base = script.get_bases()[0]
    if base == head_revision():
        pytest.skip("Bara en migrering finns; ingen äldre schemaversion att återställa från.")
    old = tmp_path / "gammal.sqlite"
    engine = sa.create_engine(_url(old))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), base)
        conn.execute(sa.text("INSERT INTO organisation (name, kind) VALUES ('Gamla kommunen', 'kommun')"))
    engine.dispose()

    target = tmp_path / "ny.sqlite"
    info = restore(old, _url(target))

    assert (info.revision_before, info.revision_after) == (base, head_revision())
    dump = _dump(target)
    assert set(Base.metadata.tables) <= set(dump)
    assert dump["alembic_version"] == [(head_revision(),)]
    assert [row[1] for row in dump["organisation"]] == ["Gamla kommunen"]
    assert _sql(old, "SELECT version_num FROM alembic_version") == [(base,)]  # file untouched


def _alembic_config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@pytest.mark.parametrize("call", [
    lambda url, tmp: backup(url, tmp / "est.sqlite"),
    lambda url, tmp: restore(tmp / "est.sqlite", url),
])
def test_postgresql_gets_pg_dump_advice_without_the_password(call, tmp_path):
    url = "postgresql+psycopg://anna:hemligt-lösen@db.kommun.se:5432/est"
    with pytest.raises(UnsupportedDatabaseError) as caught:
        call(url, tmp_path)
    message = str(caught.value)
    assert 'pg_dump --format=custom --file=est.dump "postgresql://anna@db.kommun.se:5432/est"' in message
    assert 'pg_restore --clean --if-exists --dbname="postgresql://anna@db.kommun.se:5432/est" est.dump' in message
    assert "hemligt" not in message
    assert not list(tmp_path.iterdir())


def test_backup_refuses_to_overwrite_the_live_database_and_writes_nothing_on_failure(live_copy, tmp_path):
    before = live_copy.read_bytes()
    with pytest.raises(BackupError, match="levande databasen"):
        backup(_url(live_copy), live_copy)
    assert live_copy.read_bytes() == before
    out = tmp_path / "ut" / "kopia.sqlite"
    with pytest.raises(BackupError, match="finns inte"):
        backup(_url(tmp_path / "saknas.sqlite"), out)
    assert not out.exists() and not (tmp_path / "saknas.sqlite").exists()
