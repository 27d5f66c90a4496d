"""AppTest: an åtgärd that keeps a promise of the demo medborgarlöfte, created and edited in
Åtgärder and seen in Överenskommelse's follow-up; an åtgärd that answers nothing is saved with a
warning."""

from __future__ import annotations

import pytest

from tests.builders import AGREEMENT, save_demo_promise
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import open_store

ENDED = {"title": "Medborgarlöfte 2019 – Hulta", "kind": "citizen_promise", "parties": [],
         "period": {"start": "2019-01-01", "end": "2019-12-31"},
         "focus_areas": [{"title": "Hulta", "commitments": [
             {"party": "Polisen", "party_kind": "polis", "text": "patrullera Hulta torg"}]}], "actions": []}
TITLE = "Medborgarlöfte 2026 – Norrby (DEMO)"
WALK = "genomföra en trygghetsvandring i Norrby varje höst tillsammans med boende"
UNLINKED = "Varje åtgärd bör svara mot ett åtagande i samverkansöverenskommelsen eller ett löfte"


@pytest.fixture
def db(sqlite_url):
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
        loop.save_agreement(conn, org, AGREEMENT, source_text=None, actor="test")
        loop.save_agreement(conn, org, ENDED, source_text=None, actor="test")
        save_demo_promise(conn, org)
    return store, org


def _submit(at, form: str):
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}-")).click().run()


def _promise(store, org, text: str) -> int:
    promises = loop.citizen_promises(store.engine, org)
    return int(promises[promises["text"] == text]["id"].iloc[0])


def test_create_edit_and_follow_up_an_action_that_keeps_a_medborgarlofte_promise(app_for, db, sqlite_url):
    store, org = db
    walk = _promise(store, org, WALK)
    at = app_for(sqlite_url).run()
    at.switch_page("app_pages/atgarder.py").run()
    assert not at.exception, at.exception
    # the promises of the current medborgarlöfte, each named by its document; the ended one is not
    # offered, and the medborgarlöfte's items are not offered a second time as commitments
    picker = at.multiselect(key="act_new_promises")
    assert picker.label == "Svarar mot medborgarlöften" and not picker.proto.select_all
    labels = list(picker.options)  # as shown
    assert len(labels) == 5 and not any("Hulta" in label for label in labels), labels
    assert f"{TITLE}: Polisen och kommunen lovar att {WALK}" in labels
    assert f"{TITLE}: Polisen lovar att finnas synligt i Norrby centrum och vid gångtunneln " \
           "fredags- och lördagskvällar" in labels
    commitments = at.multiselect(key="act_new_commitments")
    assert list(commitments.options) == [
        "Trygga miljöer – Kommunen: sanera klotter inom 24 timmar"]

    at.text_area(key="act_new_text").input("Trygghetsvandring i Norrby med boende, 14 oktober")
    at.multiselect(key="act_new_promises").set_value([walk])
    _submit(at, "act_new")
    assert not at.exception, at.exception
    assert not [w.value for w in at.warning if UNLINKED in w.value]
    (action,) = loop.list_actions(store.engine, org).itertuples()
    assert action.promise_ids == [walk] and action.commitment_ids == []
    # the list shows the promise beside the commitments
    table = next(d.value for d in at.dataframe if "Medborgarlöften" in d.value.columns)
    assert table["Medborgarlöften"].tolist() == [f"{TITLE}: {WALK}"]

    # edit: the form opens with the promise chosen; another promise and a commitment are added
    at.selectbox(key="act_edit_id").set_value(action.id).run()
    form = f"act_edit_{action.id}"
    assert at.multiselect(key=f"{form}_promises").value == [walk]
    klotter = _promise(store, org, "sanera klotter i Norrby inom 24 timmar")
    at.multiselect(key=f"{form}_promises").set_value([walk, klotter])
    agreed = loop.commitments(store.engine, org)
    at.multiselect(key=f"{form}_commitments").set_value([int(agreed[agreed["kind"] == "agreement"]["id"].iloc[0])])
    _submit(at, form)
    assert not at.exception, at.exception
    assert any("Sparat (version 2)" in s.value for s in at.success), [e.value for e in at.error]
    stored = loop.list_actions(store.engine, org).set_index("id").loc[action.id]
    assert stored["promise_ids"] == sorted([walk, klotter]) and len(stored["commitment_ids"]) == 1

    # Överenskommelse's follow-up: the promise's row lists the åtgärd, and opens it
    at.switch_page("app_pages/overenskommelse.py").run()
    assert not at.exception, at.exception
    assert any("Varav 6 löften i medborgarlöften" in m.value for m in at.markdown)
    follow = next(d.value for d in at.dataframe if "Utan åtgärd" in d.value.columns).set_index("Åtagande")
    walk_row = follow.loc[f"Polisen och kommunen lovar att {WALK}"]
    assert walk_row["Åtgärder"] == f"{action.id} Trygghetsvandring i Norrby med boende, 14 oktober (planerad)"
    assert walk_row["Planerad"] == 1 and walk_row["Utan åtgärd"] == ""
    assert walk_row["Överenskommelse"] == TITLE
    row_id = loop.citizen_promises(store.engine, org).set_index("id").loc[walk, "commitment_id"]
    at.selectbox(key="agr_follow_pick").set_value(int(row_id)).run()
    linked = next(d.value for d in at.dataframe if "Klart senast" in d.value.columns)
    assert linked["Id"].tolist() == [action.id]


def test_an_action_that_answers_nothing_is_saved_with_a_warning(app_for, db, sqlite_url):
    store, org = db
    at = app_for(sqlite_url).run()
    at.switch_page("app_pages/atgarder.py").run()
    at.text_area(key="act_new_text").input("Städdag i Norrby")
    _submit(at, "act_new")
    assert not at.exception, at.exception
    (action,) = loop.list_actions(store.engine, org).itertuples()  # saved: a warning, not a block
    warnings = [w.value for w in at.warning if UNLINKED in w.value]
    assert warnings and warnings[0].startswith(f"Åtgärd {action.id} är sparad."), warnings
    # the edit form says it too, until the åtgärd answers a promise
    at.selectbox(key="act_edit_id").set_value(action.id).run()
    assert any(UNLINKED in w.value for w in at.warning)
    at.multiselect(key=f"act_edit_{action.id}_promises").set_value([_promise(store, org, WALK)])
    _submit(at, f"act_edit_{action.id}")
    assert any("Sparat (version 2)" in s.value for s in at.success)
    assert not any(UNLINKED in w.value for w in at.warning)


def test_the_correction_view_names_the_actions_that_keep_a_promise(db):
    """Correcting the medborgarlöfte on Överenskommelse, its item names the åtgärd that keeps the
    promise (as for a commitment), so the coordinator sees what a removal would cut."""
    from workbench.services import loop as loop_service
    from workbench.ui.agreement_editor import linked_actions

    store, org = db
    walk = _promise(store, org, WALK)
    action = loop_service.create_action(store, org, {"text": "Höstvandring Norrby", "responsible_party": "Kommunen"},
                                        actor="anna", promise_ids=[walk])
    row = int(loop.citizen_promises(store.engine, org).set_index("id").loc[walk, "commitment_id"])
    assert linked_actions(loop.list_actions(store.engine, org)) == {row: [f"åtgärd {action} ”Höstvandring Norrby”"]}


def test_an_est_meeting_decision_keeps_a_promise(app_for, sqlite_url):
    """The EST meeting's decision form offers the same promises; the decision (an åtgärd) keeps one
    and the meeting's decision list says which."""
    from datetime import date

    from tests.builders import ORG, make_org

    store = open_store(sqlite_url)
    org = make_org(store)
    with store.transaction() as conn:
        save_demo_promise(conn, org)
    at = app_for(sqlite_url, WORKBENCH_ORGANISATION=ORG).run()
    at.switch_page("app_pages/est_mote.py").run()
    at.selectbox(key="new_kind").set_value("month")
    at.date_input(key="new_end").set_value(date(2026, 10, 31))
    _submit(at, "new_meeting")
    area_id = int(repo.load_areas(store.engine, [org]).set_index("name").loc["Norr", "id"])
    picker = at.multiselect(key=f"decision_promises_{area_id}")
    assert f"{TITLE}: Polisen och kommunen lovar att {WALK}" in picker.options and not picker.proto.select_all
    assert not any("Norrby" in o for o in at.multiselect(key=f"decision_commitments_{area_id}").options)
    at.text_area(key=f"decision_text_{area_id}").set_value("Trygghetsvandring med boende i oktober")
    picker.set_value([_promise(store, org, WALK)])
    _submit(at, f"decision_{area_id}")
    assert not at.exception, at.exception
    (action,) = loop.list_actions(store.engine, org).itertuples()
    assert action.promise_ids == [_promise(store, org, WALK)] and action.situation_id is not None
    decisions = next(d.value for d in at.dataframe if "Beslut" in d.value.columns)
    assert decisions["Svarar mot"].tolist() == [f"{TITLE}: {WALK}"]
