"""Two people editing the same action: a conflict for one of them, never a lost update.

(a) Two connections read the same action at version v and save at the same moment (threads
    released together by a barrier, 15 rounds): exactly one save succeeds, the other gets
    ConflictError, the winner's text is stored and the version rises by exactly one.
(b) Two processes each add 1 to a counter kept in the action's text 30 times (read, think,
    write with the version read, retry on ConflictError): the counter ends at 60, with 60 update
    entries in the audit log carrying 1…60 once each, 30 per process.
(c) Two AppTest sessions of the Åtgärder page open the same action; the first saves; the
    second save shows the Swedish conflict message and overwrites nothing; (d) the message's
    advice – "Ladda om och gör ändringen igen" – then works: the reload button opens the new
    version and the redone save succeeds.

(a) and (b) run on SQLite and, with ``WORKBENCH_TEST_PG_URL``, on PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.app.conftest import app_for  # noqa: F401 - the AppTest fixture of tests/app
from tests.conftest import REPO
from workbench.errors import ConflictError
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

pytestmark = pytest.mark.slow

VICTIM = Path(__file__).with_name("victim.py")
ORG = "Borås stad"
A, LOG = t.Action.__table__, t.AuditLog.__table__


def _one_action(url: str, text: str) -> tuple[object, int, int]:
    store = open_store(url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, ORG)
        action = loop.create_action(conn, org, {"text": text, "responsible_party": "Kommunen",
                                                "status": "planerad"}, actor="test")
    return store, org, action


def _stored(store, action: int) -> tuple[int, str]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(sa.select(A.c.version, A.c.text).where(A.c.id == action)).one())


def _updates(store, action: int) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(LOG.c.actor, LOG.c.before, LOG.c.after).where(
            (LOG.c.entity == "action") & (LOG.c.entity_id == str(action)) & (LOG.c.verb == "update")
        ).order_by(LOG.c.id)).mappings().all()
    return [dict(r) for r in rows]


def test_two_connections_saving_the_same_version_one_wins(db_url):
    store, org, action = _one_action(db_url, "Belysning i gångtunneln")
    rounds = 15
    for round_no in range(rounds):
        barrier = threading.Barrier(2, timeout=30)
        outcome: dict[str, object] = {}

        def save(name: str, round_no: int = round_no, barrier=barrier, outcome=outcome) -> None:
            try:
                with store.transaction() as conn:
                    version = conn.execute(sa.select(A.c.version).where(A.c.id == action)).scalar_one()
                    barrier.wait()  # both have read version v; now both save
                    loop.update_action(conn, org, action, version,
                                       {"text": f"{name} sparade i runda {round_no}"}, actor=name)
                outcome[name] = "saved"
            except ConflictError as exc:
                outcome[name] = exc
            except Exception as exc:  # noqa: BLE001 - anything else is a failure, reported below
                outcome[name] = repr(exc)

        threads = [threading.Thread(target=save, args=(name,)) for name in ("anna", "bertil")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        winners = [n for n, o in outcome.items() if o == "saved"]
        losers = [n for n, o in outcome.items() if isinstance(o, ConflictError)]
        assert len(winners) == 1 and len(losers) == 1, f"round {round_no}: {outcome}"
        assert "ändrats av någon annan" in str(outcome[losers[0]])
        version, text = _stored(store, action)
        assert (version, text) == (round_no + 2, f"{winners[0]} sparade i runda {round_no}")
    updates = _updates(store, action)
    assert len(updates) == rounds  # one entry per round: the loser left no trace
    assert [u["after"]["version"] for u in updates] == list(range(2, rounds + 2))


def test_two_processes_incrementing_lose_no_update(db_url, capsys):
    store, org, action = _one_action(db_url, "Räknare: 0")
    count = 30
    processes = [subprocess.Popen([sys.executable, str(VICTIM), "increment", db_url, str(org),
                                   str(action), str(count), name], cwd=REPO, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for name in ("process-a", "process-b")]
    try:
        for process in processes:  # both have opened the database …
            line = process.stderr.readline()
            assert line.startswith("@@READY"), line + process.stderr.read()
        for process in processes:  # … and start together
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [process.communicate(timeout=120) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    for process, (_, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    conflicts = sum(json.loads(out)["conflicts"] for out, _ in results)
    version, text = _stored(store, action)
    assert text == f"Räknare: {2 * count}"
    assert version == 1 + 2 * count
    updates = _updates(store, action)
    assert sorted(int(u["after"]["text"].split()[-1]) for u in updates) == list(range(1, 2 * count + 1))
    assert all(int(u["after"]["text"].split()[-1]) == int(u["before"]["text"].split()[-1]) + 1
               for u in updates)
    assert {a: sum(u["actor"] == a for u in updates) for a in ("process-a", "process-b")} == {
        "process-a": count, "process-b": count}
    # the two really ran against each other (else this test proved nothing)
    assert conflicts > 0
    with capsys.disabled():
        print(f"\n[increments, {store.dialect}] 2 × {count} increments, {conflicts} conflicts retried")


# --- the page --------------------------------------------------------------------------------

def _edit_session(make_app, url: str, action: int):
    at = make_app(url).run()
    at.switch_page("app_pages/atgarder.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="act_edit_id").set_value(action).run()
    assert not at.exception, at.exception
    return at


def _save(at, action: int, text: str):
    at.text_area(key=f"act_edit_{action}_text").input(text)
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:act_edit_{action}-")
         ).click().run()
    assert not at.exception, at.exception


def test_two_app_sessions_editing_the_same_action(app_for, sqlite_url):  # noqa: F811
    store, org, action = _one_action(sqlite_url, "Belysning")
    first = _edit_session(app_for, sqlite_url, action)
    second = _edit_session(app_for, sqlite_url, action)  # both have version 1 open
    _save(first, action, "Belysning och röjning")
    assert any("version 2" in s.value for s in first.success)
    _save(second, action, "Belysning, kameror")
    assert not second.success
    assert any("ändrats av någon annan" in e.value and "Ladda om" in e.value for e in second.error)
    assert _stored(store, action) == (2, "Belysning och röjning")  # the second overwrote nothing
    assert len(_updates(store, action)) == 1


def test_after_a_conflict_the_second_session_can_reload_and_save(app_for, sqlite_url):  # noqa: F811
    """The conflict message says "Ladda om och gör ändringen igen"; doing so must work."""
    store, org, action = _one_action(sqlite_url, "Belysning")
    first = _edit_session(app_for, sqlite_url, action)
    second = _edit_session(app_for, sqlite_url, action)
    _save(first, action, "Belysning och röjning")
    _save(second, action, "Belysning, kameror")
    assert any("ändrats av någon annan" in e.value for e in second.error)
    second.button(key="act_reload").click().run()
    assert not second.exception, second.exception
    assert any(c.value == "Version 2 öppnad." for c in second.caption), [c.value for c in second.caption]
    _save(second, action, "Belysning, röjning och kameror")
    assert not second.error, [e.value for e in second.error]
    assert _stored(store, action) == (3, "Belysning, röjning och kameror")
