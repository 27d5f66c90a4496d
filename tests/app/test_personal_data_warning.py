"""Issue 15, item 4: the pages warn before saving text that looks like personal data, name the
kind, and what is saved is the masked text (the gate finds it, the store redacts it)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import ORG, make_org
from workbench.store import loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import open_store


@pytest.fixture
def db(sqlite_url):
    make_org(open_store(sqlite_url))
    return sqlite_url


def _open(app_for, db, page: str):
    at = app_for(db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = "coordinator"
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at, form: str):
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}-")).click().run()
    assert not at.exception, at.exception


def _click(at, key: str):
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def _warnings(at) -> str:
    return " ".join(w.value for w in at.warning if "Texten innehåller" in w.value)


def test_an_action_with_a_personnummer_is_not_saved_until_the_masked_text_is_chosen(app_for, db):
    at = _open(app_for, db, "atgarder")
    at.text_area(key="act_new_text").input("Kontakta anmälaren 811218–9876 om klottret")
    at.text_input(key="act_new_role").input("Fältare, 070.123.45.67")
    _submit(at, "act_new")
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    assert loop.list_actions(store.engine, org).empty  # warned, nothing saved yet
    warning = _warnings(at)
    assert "Texten innehåller något som ser ut som ett personnummer och ett telefonnummer" in warning
    assert "”Åtgärd”" in warning and "”Roll”" in warning
    _click(at, "personal_data_act_new_save")
    actions = loop.list_actions(store.engine, org)
    assert actions["text"].tolist() == ["Kontakta anmälaren [personnummer] om klottret"]
    assert actions["responsible_role"].tolist() == ["Fältare, [telefonnummer]"]


def test_changing_the_text_instead_saves_nothing(app_for, db):
    at = _open(app_for, db, "atgarder")
    at.text_area(key="act_new_text").input("Bil ABC-123 brändes")
    _submit(at, "act_new")
    assert "ett registreringsnummer" in _warnings(at)
    _click(at, "personal_data_act_new_cancel")
    assert _warnings(at) == ""
    store = open_store(db)
    assert loop.list_actions(store.engine, repo.find_organisation(store.engine, ORG)).empty


def test_text_without_personal_data_saves_at_once(app_for, db):
    at = _open(app_for, db, "atgarder")
    at.text_area(key="act_new_text").input("Belysning i gångtunneln 2025-03-05, ärende 5000-K123456-26")
    _submit(at, "act_new")
    assert _warnings(at) == ""
    store = open_store(db)
    actions = loop.list_actions(store.engine, repo.find_organisation(store.engine, ORG))
    assert actions["text"].tolist() == ["Belysning i gångtunneln 2025-03-05, ärende 5000-K123456-26"]


def test_meeting_notes_summary_status_and_decision_are_warned_and_masked(app_for, db):
    at = _open(app_for, db, "est_mote")
    at.selectbox(key="new_kind").set_value("month")
    at.date_input(key="new_end").set_value(date(2026, 10, 31))
    _submit(at, "new_meeting")
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    meeting_id = int(meetings.list_meetings(store.engine, org)["id"].iloc[0])
    area_id = int(repo.load_areas(store.engine, [org]).set_index("name").loc["Norr", "id"])

    at.text_area(key="notes").input("Ring pnr-811218-9876 på 070-123 45 67")
    at.text_area(key="public_summary").input("Frågor till anna.svensson@example.se")
    _submit(at, "meeting_notes")
    assert "Publik sammanfattning" in _warnings(at) and "en e-postadress" in _warnings(at)
    assert meetings.get_meeting(store.engine, org, meeting_id)["notes"] in (None, "")
    _click(at, "personal_data_meeting_notes_save")
    stored = meetings.get_meeting(store.engine, org, meeting_id)
    assert stored["notes"] == "Ring pnr-[personnummer] på [telefonnummer]"
    assert stored["public_summary"] == "Frågor till [e-post]"

    at.radio(key=f"level_{area_id}").set_value("orange")
    at.text_input(key=f"motivation_{area_id}").set_value("Bilen MLB 456 syns varje kväll")
    _submit(at, f"status_{area_id}")
    assert "Motivering" in _warnings(at)
    _click(at, f"personal_data_status_{area_id}_save")
    statuses = meetings.get_meeting(store.engine, org, meeting_id)["area_statuses"]
    assert statuses[str(area_id)]["motivation"] == "Bilen [registreringsnummer] syns varje kväll"

    at.text_area(key=f"decision_text_{area_id}").input("Kontakta 19811218 9876")
    _submit(at, f"decision_{area_id}")
    assert "”Beslut”" in _warnings(at)
    _click(at, f"personal_data_decision_{area_id}_save")
    actions = loop.list_actions(store.engine, org)
    assert actions["text"].tolist() == ["Kontakta [personnummer]"]
