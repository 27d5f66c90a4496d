"""Åtgärder that fulfil a medborgarlöfte: the promise links through the service, the action list,
the follow-up (a medborgarlöfte's items count the åtgärder linked to their promise) and the
documents that list åtgärder with what they answer (lägesbild, åtgärdsplan, återkoppling)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from tests.builders import save_demo_promise
from tests.store.test_reports import OCTOBER, PUBLIC_ACTION, build, parse, world  # noqa: F401
from workbench.errors import ConflictError
from workbench.services import loop as loop_service
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

ENDED = {"title": "Medborgarlöfte 2018–2019 Centrum", "kind": "citizen_promise", "parties": [],
         "period": {"start": "2018-01-01", "end": "2019-12-31"},
         "focus_areas": [{"title": "Centrum", "commitments": [
             {"party": "Polisen", "party_kind": "polis", "text": "sanera klotter i Norrby inom 24 timmar"}]}],
         "actions": []}


@pytest.fixture
def town(db_url):
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Testkommun")
        # the same text in an ended medborgarlöfte: paired within its own document only
        loop.save_agreement(conn, org, ENDED, source_text=None, actor="test")
        pledge = save_demo_promise(conn, org)
    return store, org, pledge


def test_promises_of_the_current_medborgarlofte_and_their_rows_in_the_document(town):
    store, org, pledge = town
    promises = loop.citizen_promises(store.engine, org, today=date(2026, 12, 4))
    current = promises[promises["current"]]
    assert set(current["agreement_id"]) == {pledge}
    assert current["agreement"].iloc[0] == "Medborgarlöfte 2026 – Norrby (DEMO)"
    assert current["party"].tolist() == ["Polisen", "Kommunen", "Kommunen", "Polisen och kommunen",
                                         "Polisen och kommunen"]
    ended = promises[~promises["current"]]
    assert ended["agreement"].tolist() == ["Medborgarlöfte 2018–2019 Centrum"]
    commitments = loop.commitments(store.engine, org).set_index("id")
    for row in promises.itertuples():  # each promise's row in its own document, same text
        twin = commitments.loc[row.commitment_id]
        assert twin["text"] == row.text and twin["agreement_id"] == row.agreement_id
    assert len(set(promises["commitment_id"])) == len(promises)


def test_an_action_keeps_a_promise_through_create_and_update_and_the_follow_up_counts_it(town):
    store, org, pledge = town
    promises = loop.citizen_promises(store.engine, org)
    walk = int(promises[promises["text"].str.startswith("genomföra en trygghetsvandring")]["id"].iloc[0])
    meeting = int(promises[promises["text"].str.startswith("berätta för de boende")]["id"].iloc[0])
    action = loop_service.create_action(store, org, {"text": "Trygghetsvandring i Norrby 14 oktober",
                                                     "responsible_party": "Kommunen", "status": "planerad"},
                                        actor="anna", promise_ids=[walk])
    listed = loop.list_actions(store.engine, org).set_index("id").loc[action]
    assert listed["promise_ids"] == [walk] and listed["commitment_ids"] == []
    assert listed["promises"] == ("Medborgarlöfte 2026 – Norrby (DEMO): genomföra en trygghetsvandring i "
                                  "Norrby varje höst tillsammans med boende")
    assert listed["answers"] == listed["promises"]
    follow = loop.agreement_follow_up(store.engine, org, pledge).set_index("text")
    walk_row = follow.loc["genomföra en trygghetsvandring i Norrby varje höst tillsammans med boende"]
    assert walk_row["planerad"] == 1 and not walk_row["without_action"]
    assert follow["without_action"].sum() == 4
    # an update that does not name the links keeps them; one that names them replaces them
    version = loop_service.update_action(store, org, action, 1, {"status": "pågår"}, actor="anna")
    assert loop.list_actions(store.engine, org).set_index("id").loc[action, "promise_ids"] == [walk]
    version = loop_service.update_action(store, org, action, version, {}, actor="anna",
                                         commitment_ids=[], promise_ids=[walk, meeting])
    assert version == 3
    assert loop.list_actions(store.engine, org).set_index("id").loc[action, "promise_ids"] == sorted([walk, meeting])
    with pytest.raises(ConflictError):  # the version check holds for promise links too
        loop_service.update_action(store, org, action, 2, {}, actor="bo", promise_ids=[])
    with store.engine.connect() as conn:
        audit = t.AuditLog.__table__
        last = conn.execute(sa.select(audit.c.before, audit.c.after).where(
            (audit.c.entity == "action") & (audit.c.verb == "update")).order_by(audit.c.id.desc())).first()
    assert last.before["promises"] == [walk] and last.after["promises"] == sorted([walk, meeting])


def test_a_link_to_the_medborgarlofte_row_itself_still_counts_once(town):
    """An åtgärd linked (before promises were offered) to a medborgarlöfte's row as a commitment,
    and to its promise too, is one åtgärd under that item."""
    store, org, pledge = town
    promise = loop.citizen_promises(store.engine, org).iloc[0]
    loop_service.create_action(store, org, {"text": "Helgpatrull Norrby", "responsible_party": "Polisen",
                                            "status": "pågår"}, actor="anna",
                               commitment_ids=[int(promise["commitment_id"])], promise_ids=[int(promise["id"])])
    follow = loop.agreement_follow_up(store.engine, org, pledge).set_index("id")
    assert follow.loc[int(promise["commitment_id"]), "pågår"] == 1


def _promise_of(store, org, words: str) -> int:
    promises = loop.citizen_promises(store.engine, org)
    return int(promises[promises["text"].str.contains(words)]["id"].iloc[0])


def test_documents_list_the_promise_an_action_keeps(world):  # noqa: F811
    store, _, org, _ = world
    with store.transaction() as conn:
        save_demo_promise(conn, org)
    promise = _promise_of(store, org, "buskage som skymmer sikten")
    public = int(loop.list_actions(store.engine, org).set_index("text").loc[PUBLIC_ACTION, "id"])
    version = int(loop.list_actions(store.engine, org).set_index("id").loc[public, "version"])
    loop_service.update_action(store, org, public, version, {}, actor="t", promise_ids=[promise])
    label = "Medborgarlöfte 2026 – Norrby (DEMO): se till att gångtunneln i Norrby är upplyst"
    situation = parse(build(world, "situation", "html", period=OCTOBER))
    row = next(r for r in situation.rows if r and r[0] == PUBLIC_ACTION)
    assert "åtgärda trasig belysning inom 48 timmar" in row[-1] and label in row[-1]  # both
    assert any("Åtagande/medborgarlöfte" in cell for r in situation.rows for cell in r)
    plan = parse(build(world, "action-plan", "html"))
    assert label in next(r for r in plan.rows if r and r[0] == PUBLIC_ACTION)[-1]
    book = openpyxl.load_workbook(io.BytesIO(build(world, "action-plan", "xlsx", period=OCTOBER)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    header = rows[2]
    assert "Medborgarlöften" in header
    mine = next(r for r in rows if PUBLIC_ACTION in r)
    assert mine[header.index("Medborgarlöften")].startswith(label)
    # the public återkoppling names the medborgarlöfte (a public text), never the agreement
    feedback = parse(build(world, "feedback", "html", period=OCTOBER))
    row = next(r for r in feedback.rows if r and r[0] == PUBLIC_ACTION)
    assert label in row[-1] and "48 timmar" not in "".join(feedback.text)
    assert ["Åtgärd", "Område", "Status", "Medborgarlöfte"] in feedback.rows
