"""AppTest of Åtgärder: create, edit, conflict, export."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.builders import AGREEMENT
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import open_store


@pytest.fixture
def db(sqlite_url):
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
        loop.save_agreement(conn, org, AGREEMENT, source_text=None, actor="test")
    return sqlite_url


def _page(app_for, db):
    at = app_for(db).run()
    at.switch_page("app_pages/atgarder.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at, form: str):
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}-")).click().run()


def test_create_an_action_linked_to_a_commitment(app_for, db):
    at = _page(app_for, db)
    at.text_area(key="act_new_text").input("=Klotterpatrull vid Resecentrum")
    at.selectbox(key="act_new_status").set_value("pågår")
    commitment = at.multiselect(key="act_new_commitments")
    # no "Select all": one slip linked a decision to every commitment (issue 18)
    assert not commitment.proto.select_all
    commitment.set_value([1])
    _submit(at, "act_new")
    assert not at.exception, at.exception
    store = open_store(db)
    org = repo.find_organisation(store.engine, "Borås stad")
    actions = loop.list_actions(store.engine, org)
    assert actions["text"].tolist() == ["=Klotterpatrull vid Resecentrum"]
    assert actions["commitments"].iloc[0] == "sanera klotter inom 24 timmar"
    # the confirmation survives the rerun and says what was saved; the form is empty again
    (confirmation,) = [s.value for s in at.success]
    assert confirmation.startswith(f"Åtgärd {int(actions['id'].iloc[0])} är sparad: ")
    assert "Klotterpatrull vid Resecentrum" in confirmation and "pågår" in confirmation
    assert at.text_area(key="act_new_text").value == ""
    assert at.selectbox(key="act_new_status").value == "planerad"
    follow = loop.agreement_follow_up(store.engine, org)
    assert not follow["without_action"].any()
    # the export neutralises the formula-looking text
    from workbench.reports.plans import actions_xlsx

    book = openpyxl.load_workbook(io.BytesIO(actions_xlsx(actions, title="Åtgärdsplan")))
    cell = book["Åtgärdsplan"]["B4"].value
    assert cell == "'=Klotterpatrull vid Resecentrum"


def test_a_second_click_creates_no_duplicate(app_for, db):
    """Saving clears the form, so a second click saves nothing; and a double click that sends the
    same values twice (before the cleared form reached the browser) is recognised."""
    at = _page(app_for, db)
    at.text_area(key="act_new_text").input("Belysning i gångtunneln")
    _submit(at, "act_new")
    _submit(at, "act_new")  # the cleared form: nothing to save
    assert [e.value for e in at.error] == ["Skriv vad åtgärden är."]
    at.text_area(key="act_new_text").input("Belysning i gångtunneln")  # the same values sent again
    _submit(at, "act_new")
    assert not at.exception, at.exception
    assert any("redan sparad" in i.value for i in at.info), [i.value for i in at.info]
    store = open_store(db)
    org = repo.find_organisation(store.engine, "Borås stad")
    assert loop.list_actions(store.engine, org)["text"].tolist() == ["Belysning i gångtunneln"]


def _editing(app_for, db):
    """One stored action, opened in the edit tab: (store, organisation id, action id, AppTest)."""
    store = open_store(db)
    org = repo.find_organisation(store.engine, "Borås stad")
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "Belysning", "responsible_party": "Kommunen",
                                                "status": "planerad"}, actor="a")
    at = _page(app_for, db)
    at.selectbox(key="act_edit_id").set_value(action).run()
    return store, org, action, at


def test_a_stale_edit_gets_a_conflict_message(app_for, db):
    store, org, action, at = _editing(app_for, db)
    # someone else saves while the form is open
    with store.transaction() as conn:
        loop.update_action(conn, org, action, 1, {"status": "pågår"}, actor="någon annan")
    at.text_area(key=f"act_edit_{action}_text").input("Belysning och röjning")
    _submit(at, f"act_edit_{action}")
    assert not at.exception
    assert any("ändrats av någon annan" in e.value for e in at.error)
    assert loop.list_actions(store.engine, org)["text"].tolist() == ["Belysning"]


def test_edit_saves_a_new_version(app_for, db):
    store, org, action, at = _editing(app_for, db)
    at.selectbox(key=f"act_edit_{action}_status").set_value("genomförd")
    _submit(at, f"act_edit_{action}")
    assert any("version 2" in s.value for s in at.success)
    assert loop.list_actions(store.engine, org)["status"].tolist() == ["genomförd"]



def test_reload_after_a_conflict_shows_the_stored_version_and_keeps_mine_read_only(app_for, db):
    """Issue 15, item 6: after "Ladda om åtgärden" the form kept B's typed text with the new
    version number, so B's next save silently overwrote A's change."""
    store, org, action, at = _editing(app_for, db)  # B has version 1 open
    with store.transaction() as conn:  # A saves in another browser
        loop.update_action(conn, org, action, 1, {"text": "Belysning och röjning av buskar",
                                                  "responsible_role": "Gatuchef"}, actor="anna")
    form = f"act_edit_{action}"
    at.text_area(key=f"{form}_text").input("Belysning, kameror")
    at.text_input(key=f"{form}_method").input("Trygghetsvandring i maj")
    at.selectbox(key=f"{form}_status").set_value("pågår")
    _submit(at, form)
    assert any("ändrats av någon annan" in e.value for e in at.error)

    at.button(key="act_reload").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any(c.value == "Version 2 öppnad." for c in at.caption)
    # the editable fields hold what is stored now (A's text), not what B typed
    assert at.text_area(key=f"{form}_text").value == "Belysning och röjning av buskar"
    assert at.text_input(key=f"{form}_role").value == "Gatuchef"
    assert at.text_input(key=f"{form}_method").value == ""
    assert at.selectbox(key=f"{form}_status").value == "planerad"
    # B's own text is beside it, read-only, to copy from
    (expander,) = [e for e in at.expander if e.label == "Din osparade text"]
    mine = [c.value for c in expander.code]
    assert mine == ["Belysning, kameror", "Trygghetsvandring i maj", "pågår"], mine
    assert [t.value for t in expander.text] == ["Åtgärd", "Hur följs den upp?", "Status"]

    _submit(at, form)  # saving again without re-typing keeps A's change
    assert not at.error, [e.value for e in at.error]
    actions = loop.list_actions(store.engine, org)
    assert actions["text"].tolist() == ["Belysning och röjning av buskar"]
    assert actions["responsible_role"].tolist() == ["Gatuchef"]
    assert actions["version"].tolist() == [3]
    assert not [e for e in at.expander if e.label == "Din osparade text"]  # saved: the copy is gone

    at.text_area(key=f"{form}_text").input("Belysning och röjning av buskar, kameror")  # B re-types
    _submit(at, form)
    assert loop.list_actions(store.engine, org)["text"].tolist() == ["Belysning och röjning av buskar, kameror"]


def test_the_unsaved_text_can_be_thrown_away(app_for, db):
    store, org, action, at = _editing(app_for, db)
    with store.transaction() as conn:
        loop.update_action(conn, org, action, 1, {"status": "pågår"}, actor="anna")
    at.text_area(key=f"act_edit_{action}_text").input("<b>min</b> text")
    _submit(at, f"act_edit_{action}")
    at.button(key="act_reload").click().run()
    (expander,) = [e for e in at.expander if e.label == "Din osparade text"]
    assert [c.value for c in expander.code] == ["<b>min</b> text", "planerad"]  # as typed, not HTML
    at.button(key=f"act_unsaved_drop_{action}").click().run()
    assert not at.exception and not [e for e in at.expander if e.label == "Din osparade text"]
    assert at.selectbox(key=f"act_edit_{action}_status").value == "pågår"


def test_a_link_with_an_action_id_opens_its_edit_form_and_a_bad_one_is_one_sentence(app_for, db):
    """?atgard=ID (the "öppna" of Överenskommelse's follow-up) opens that åtgärd in "Ändra
    åtgärd"; an id that is not the kommun's own gives one Swedish sentence, no form."""
    store = open_store(db)
    org = repo.find_organisation(store.engine, "Borås stad")
    with store.transaction() as conn:
        other = repo.ensure_organisation(conn, "Grannkommunen")
        loop.create_action(conn, org, {"text": "Första åtgärden", "responsible_party": "Kommunen"}, actor="a")
        wanted = loop.create_action(conn, org, {"text": "Klotterjour", "responsible_party": "Kommunen"}, actor="a")
        foreign = loop.create_action(conn, other, {"text": "Grannens åtgärd", "responsible_party": "Polisen"},
                                     actor="a")
    at = app_for(db)
    at.query_params["atgard"] = str(wanted)
    at.run()
    at.switch_page("app_pages/atgarder.py").run()
    assert not at.exception, at.exception
    assert at.session_state["act_tab"] == "Ändra åtgärd"
    assert at.selectbox(key="act_edit_id").value == wanted
    assert at.text_area(key=f"act_edit_{wanted}_text").value == "Klotterjour"
    assert "atgard" not in at.query_params
    at.selectbox(key="act_edit_id").set_value(wanted - 1).run()  # another choice is not undone
    assert at.selectbox(key="act_edit_id").value == wanted - 1
    for bad in (str(foreign), "12abc"):
        again = app_for(db)
        again.query_params["atgard"] = bad
        again.run()
        again.switch_page("app_pages/atgarder.py").run()
        assert not again.exception, again.exception
        assert f"Åtgärd {bad} finns inte (längre) bland kommunens åtgärder." in [w.value for w in again.warning]
        assert "Grannens åtgärd" not in " ".join(str(v) for v in again.text_area.values)


def test_saving_while_a_restore_runs_says_so_and_saves_nothing(app_for, db, monkeypatch):
    """Issue 15, item 13: the page's transactions wait for a restore; after the wait, one Swedish
    sentence instead of a traceback or a confusing conflict."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from workbench.store import maintenance

    store, org, action, at = _editing(app_for, db)
    monkeypatch.setattr(maintenance, "WAIT_FOR_RESTORE", 0.3)
    with maintenance.exclusive(Path(make_url(db).database), wait=1):
        at.text_area(key=f"act_edit_{action}_text").input("Belysning under återställningen")
        _submit(at, f"act_edit_{action}")
    assert not at.exception, at.exception
    assert any(e.value.startswith("Databasen återställs från en säkerhetskopia just nu") for e in at.error), \
        [e.value for e in at.error]
    assert loop.list_actions(store.engine, org)["text"].tolist() == ["Belysning"]
