"""A restore and the app's or an import's writes never overlap (issue 15, item 13: a restore
while the app wrote gave "version 3, du utgick från version 3", and a write committed during the
restore was lost). The restore waits for open transactions and refuses after its wait; a
transaction that begins during the restore waits for it and then works on the restored file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from workbench.cli import main
from workbench.errors import DatabaseInUseError, RestoreRunningError
from workbench.store import backup as backup_module
from workbench.store import loop, maintenance
from workbench.store import repositories as repo
from workbench.store.backup import backup, restore
from workbench.store.db import close_store, open_store

ORG = "Borås stad"


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _texts(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT text FROM action ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def two_states(tmp_path):
    """A live database with one action (version 1) and a backup taken then; the live action is
    then edited to version 2 (so the backup is older than the live file)."""
    live = tmp_path / "live" / "est.sqlite"
    store = open_store(_url(live))
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, ORG)
        action = loop.create_action(conn, org, {"text": "Belysning", "responsible_party": "Kommunen",
                                                "status": "planerad"}, actor="anna")
    copy = backup(_url(live), tmp_path / "kopia.sqlite").path
    with store.transaction() as conn:
        loop.update_action(conn, org, action, 1, {"text": "Belysning och röjning"}, actor="anna")
    yield live, copy, org, action
    close_store(_url(live))


def test_restore_refuses_while_a_transaction_stays_open_and_changes_nothing(two_states):
    live, copy, org, action = two_states
    store = open_store(_url(live))
    opened, done, outcome = threading.Event(), threading.Event(), {}

    def edit() -> None:  # an edit as the page does it: read the version, then save on it
        try:
            with store.transaction() as conn:
                version = conn.exec_driver_sql("SELECT version FROM action WHERE id = ?",
                                               (action,)).scalar_one()
                opened.set()
                done.wait(10)
                outcome["version"] = loop.update_action(conn, org, action, version,
                                                        {"text": "Belysning, röjning, kameror"}, actor="bertil")
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc

    writer = threading.Thread(target=edit)
    writer.start()
    assert opened.wait(10)
    started = time.monotonic()
    with pytest.raises(DatabaseInUseError) as refused:
        restore(copy, _url(live), wait=0.5)
    waited = time.monotonic() - started
    done.set()
    writer.join(10)
    message = str(refused.value)
    assert "Appen eller en import skriver till databasen" in message and "ingenting återställdes" in message
    assert "Traceback" not in message and "sqlite3" not in message
    assert 0.5 <= waited < 5
    assert outcome == {"version": 3}  # the edit went through, with no confusing conflict
    assert _texts(live) == ["Belysning, röjning, kameror"]
    assert not list(live.parent.glob("*fore-aterstallning*"))  # not even a safety copy was made


def test_a_write_during_a_restore_waits_and_lands_in_the_restored_database(two_states, monkeypatch):
    live, copy, org, action = two_states
    store = open_store(_url(live))
    replacing, outcome = threading.Event(), {}
    original = backup_module._copy

    def slow_copy(source, dest, **kwargs):  # the copy into the live file takes a second
        if Path(dest) == live.resolve():
            replacing.set()
            time.sleep(1.0)
        return original(source, dest, **kwargs)

    monkeypatch.setattr(backup_module, "_copy", slow_copy)

    def add_action() -> None:
        replacing.wait(10)
        try:
            with store.transaction() as conn:
                loop.create_action(conn, org, {"text": "Klotterpatrull", "responsible_party": "Polisen",
                                               "status": "planerad"}, actor="cecilia")
            outcome["finished"] = time.monotonic()
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc

    writer = threading.Thread(target=add_action)
    writer.start()
    info = restore(copy, _url(live), wait=5)
    restored_at = time.monotonic()
    writer.join(30)
    assert "error" not in outcome, outcome
    assert outcome["finished"] >= restored_at - 0.05  # it waited for the restore …
    # … and was written to the restored database, not lost under it
    assert _texts(live) == ["Belysning", "Klotterpatrull"]
    assert info.safety_copy is not None and _texts(info.safety_copy) == ["Belysning och röjning"]


def test_a_transaction_that_waits_too_long_for_a_restore_gets_a_swedish_message(two_states, monkeypatch):
    live, copy, org, action = two_states
    store = open_store(_url(live))
    monkeypatch.setattr(maintenance, "WAIT_FOR_RESTORE", 0.3)
    with maintenance.exclusive(live, wait=1), pytest.raises(RestoreRunningError) as waited:
        with store.transaction() as conn:
            loop.update_action(conn, org, action, 2, {"text": "under återställningen"}, actor="bertil")
    assert str(waited.value).startswith("Databasen återställs från en säkerhetskopia just nu")
    with store.transaction() as conn:  # afterwards the same engine works again
        loop.update_action(conn, org, action, 2, {"text": "efter återställningen"}, actor="bertil")
    assert _texts(live) == ["efter återställningen"]


HOLDER = textwrap.dedent("""
    import sys
    from workbench.store import loop
    from workbench.store import repositories as repo
    from workbench.store.db import open_store
    store = open_store(sys.argv[1])
    org = repo.find_organisation(store.engine, "Borås stad")
    with store.transaction() as conn:  # an import in another process, in the middle of its work
        loop.create_action(conn, org, {"text": "Importerad", "responsible_party": "Kommunen",
                                       "status": "planerad"}, actor="import")
        print("@@WRITING", flush=True)
        sys.stdin.readline()
    print("@@DONE", flush=True)
""")


def test_cli_restore_refuses_while_another_process_writes(two_states, capsys):
    live, copy, _, _ = two_states
    process = subprocess.Popen([sys.executable, "-c", HOLDER, _url(live)], cwd=REPO, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout.readline().strip() == "@@WRITING", process.stderr.read()
        code = main(["restore", str(copy), "--db", _url(live), "--wait", "0.5"])
        err = capsys.readouterr().err
        assert code == 2
        assert err.startswith("Fel: Appen eller en import skriver till databasen")
        assert "Traceback" not in err
        process.stdin.write("\n")
        process.stdin.flush()
        out, err_child = process.communicate(timeout=60)
        assert process.returncode == 0, err_child
        assert "@@DONE" in out
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert _texts(live) == ["Belysning och röjning", "Importerad"]  # the import was not disturbed
    assert main(["restore", str(copy), "--db", _url(live), "--wait", "0.5"]) == 0  # now it may
    assert _texts(live) == ["Belysning"]
