"""AppTest of Överenskommelse: read a text, correct it, save, follow up per commitment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import shown
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import open_store
from workbench.ui import agreement_editor as editor_view

TEXT = """Samverkansöverenskommelse mellan Testkommun och lokalpolisområde Test 2024–2026

## Trygga miljöer

**Polisen förbinder sig att:**

- arbeta med hot-spots

**Kommunen förbinder sig att:**

- sanera klotter inom 24 timmar
"""


def test_read_correct_save_and_follow_up(app_for, sqlite_url):
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
    at = _open_page(app_for, sqlite_url, TEXT.encode(), "avtal.md", "text/markdown")
    assert not at.exception, at.exception
    assert "Testkommun" in at.text_input(key="agr_title").value
    at.text_input(key="agr_title").input("Överenskommelse Test 2024–2026")
    at.button(key="agr_save").click().run()
    assert not at.exception, at.exception
    assert any("2 åtaganden" in s.value for s in at.success)
    follow = loop.agreement_follow_up(store.engine, org)
    assert set(follow["text"]) == {"arbeta med hot-spots", "sanera klotter inom 24 timmar"}
    assert follow["agreement"].iloc[0] == "Överenskommelse Test 2024–2026"
    assert follow["without_action"].all()
    at.run()
    table = next(d.value for d in at.dataframe if "Utan åtgärd" in d.value.columns)
    assert (table["Utan åtgärd"] == "⚠ ingen åtgärd").all()


def test_unreadable_document_is_one_message(app_for, sqlite_url):
    open_store(sqlite_url)
    with open_store(sqlite_url).transaction() as conn:
        repo.ensure_organisation(conn, "Borås stad")
    at = app_for(sqlite_url).run()
    at.switch_page("app_pages/overenskommelse.py").run()
    at.file_uploader(key="agr_file").upload("trasig.docx", b"PK\x03\x04inte en docx", "application/octet-stream").run()
    assert not at.exception
    assert "trasig.docx" in shown(at.error[0].value)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("avtal.md", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "Windows-program"),
    ("avtal.pdf", b"PK\x03\x04" + b"\x00" * 200, "zip"),
    ("avtal.md", b"x" * (2 * 1024 * 1024), "största tillåtna storlek"),
])
def test_agreement_upload_gets_the_same_checks_as_every_upload(app_for, sqlite_url, name, data, says):
    """Size, type and content are checked before the document is read (as in Importera and the CLI)."""
    with open_store(sqlite_url).transaction() as conn:
        repo.ensure_organisation(conn, "Borås stad")
    at = app_for(sqlite_url, WORKBENCH_MAX_UPLOAD_MB="1").run()
    at.switch_page("app_pages/overenskommelse.py").run()
    at.file_uploader(key="agr_file").upload(name, data, "application/octet-stream").run()
    assert not at.exception
    assert len(at.error) == 1 and name in shown(at.error[0].value) and says in shown(at.error[0].value), at.error
    with open_store(sqlite_url).engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM agreement").scalar() == 0


CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "corpus"


def _corpus_text(name: str) -> bytes:
    path = CORPUS / "medborgarloften" / name
    if not path.exists():
        pytest.skip(f"../shared/seeds/corpus saknas: {path}")
    return path.read_bytes()


def _open_page(app_for, sqlite_url, data: bytes, name: str = "hudiksvall.txt", mime: str = "text/plain"):
    """A new session on Överenskommelse with ``data`` uploaded as ``name``."""
    at = app_for(sqlite_url).run()
    at.switch_page("app_pages/overenskommelse.py").run()
    at.file_uploader(key="agr_file").upload(name, data, mime).run()
    assert not at.exception, at.exception
    return at


def test_fix_a_missed_commitment_from_the_source_save_and_reupload(app_for, sqlite_url):
    """A real medborgarlöfte: the lead sentence the parser reads as a summary is made a
    commitment from its source line, one party is changed, it is saved; a fresh session that
    uploads the same document gets the corrected structure back, not the parser's."""
    data = _corpus_text("hudiksvall_medborgarlofte_2023-2025.txt")
    with open_store(sqlite_url).transaction() as conn:
        org = repo.ensure_organisation(conn, "Hudiksvalls kommun")
    at = _open_page(app_for, sqlite_url, data)
    # the source beside the structure; three joint commitments read, each with its lines
    source = at.dataframe(key="agr_source").value
    assert "Polisen och kommunen ska tillsammans arbeta" in source["Text"].iloc[4]
    assert any("3 åtaganden" in m.value for m in at.markdown)
    # pick a commitment: its source lines are named (and highlighted in the source table)
    at.selectbox(key="agr_pick").set_value(0).run()
    assert "(rad 11–12)" in at.selectbox(key="agr_pick").format_func(0)
    # the missed one: line 5 of the source becomes a joint commitment
    at.number_input(key="agr_from").set_value(5).run()
    at.number_input(key="agr_to").set_value(5).run()
    at.selectbox(key="agr_new_party").set_value("Kommunen och polisen").run()
    at.button(key="agr_make").click().run()
    assert not at.exception, at.exception
    assert any("Nytt åtagande från rad 5–5" in s.value for s in at.success)
    # change the party of the third commitment
    at.selectbox(key="agr_pick").set_value(2).run()
    at.selectbox(key="agr_party_2").set_value("Polisen").run()
    at.selectbox(key="agr_kind_2").set_value("polis").run()
    at.button(key="agr_set_party").click().run()
    at.button(key="agr_save").click().run()
    assert not at.exception, at.exception
    assert any("Sparat: 4 åtaganden" in s.value for s in at.success)
    saved = loop.commitments(open_store(sqlite_url).engine, org)
    assert len(saved) == 4
    assert "Polisen och kommunen ska tillsammans arbeta för att den upplevda tryggheten" in " ".join(saved["text"])
    assert saved.iloc[2]["party_kind"] == "polis"
    first_ids = set(saved["id"])

    again = _open_page(app_for, sqlite_url, data)
    assert any("sparat tidigare" in m.value for m in again.info)
    assert any("4 åtaganden" in m.value for m in again.markdown)
    # the added commitment is found in the source again (its line is named)
    labels = [again.selectbox(key="agr_pick").format_func(i) for i in range(4)]
    assert any("(rad 5–5)" in label for label in labels) and "[Polisen]" in labels[2]
    again.button(key="agr_save").click().run()
    assert any("uppdaterad" in s.value for s in again.success)
    resaved = loop.commitments(open_store(sqlite_url).engine, org)
    assert set(resaved["id"]) == first_ids  # saved over the same agreement, ids (and links) kept
    with open_store(sqlite_url).engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM agreement").scalar() == 1


def test_merge_split_and_move_from_the_page(app_for, sqlite_url):
    with open_store(sqlite_url).transaction() as conn:
        repo.ensure_organisation(conn, "Hudiksvalls kommun")
    at = _open_page(app_for, sqlite_url, _corpus_text("hudiksvall_medborgarlofte_2023-2025.txt"))
    at.selectbox(key="agr_pick").set_value(0).run()
    at.multiselect(key="agr_merge_0").set_value([1]).run()
    at.button(key="agr_merge").click().run()
    assert any("2 åtaganden" in m.value for m in at.markdown)
    at.selectbox(key="agr_pick").set_value(0).run()
    at.button(key="agr_split").click().run()
    assert any("3 åtaganden" in m.value for m in at.markdown)
    at.selectbox(key="agr_pick").set_value(2).run()
    at.selectbox(key="agr_move_2").set_value(editor_view.NEW_AREA).run()
    at.text_input(key="agr_move_2_new").input("Bostadsområden").run()
    at.button(key="agr_move").click().run()
    assert not at.exception, at.exception
    assert any("3 åtaganden i 2 fokusområden" in m.value for m in at.markdown)


def test_follow_up_lists_the_actions_per_commitment_and_opens_one(app_for, sqlite_url):
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
        loop.save_agreement(conn, org, {
            "title": "Medborgarlöfte Test", "kind": "citizen_promise", "parties": [], "period": None,
            "focus_areas": [{"title": "Trygg hamn", "commitments": [
                {"party": "Polisen", "party_kind": "polis", "text": "Patrullera hamnen fredagskvällar"},
                {"party": "Kommunen", "party_kind": "kommun", "text": "Laga belysningen längs kajen"}]}],
            "actions": []}, source_text=None, actor="test")
    ids = loop.commitments(store.engine, org)["id"].tolist()
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "Kvällspatrull i hamnen", "responsible_party": "Polisen",
                                                "status": "pågår", "follow_up_method": "Antal patruller"},
                                    actor="anna", commitment_ids=[ids[0]])
    at = app_for(sqlite_url).run()
    at.switch_page("app_pages/overenskommelse.py").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Åtgärder" in d.value.columns)
    # the status columns come right after the commitment: visible without scrolling sideways
    assert list(table.columns)[:7] == ["Nr", "Åtagande", "Planerad", "Pågår", "Genomförd", "Avbruten",
                                       "Utan åtgärd"]
    assert table["Åtgärder"].iloc[0] == f"{action} Kvällspatrull i hamnen (pågår)"
    assert table["Utan åtgärd"].tolist() == ["", "⚠ ingen åtgärd"]
    at.selectbox(key="agr_follow_pick").set_value(ids[0]).run()
    linked = next(d.value for d in at.dataframe if "Klart senast" in d.value.columns)
    assert linked["Status"].tolist() == ["pågår"]
    at.selectbox(key="agr_follow_pick").set_value(ids[1]).run()
    assert any("Ingen åtgärd svarar mot åtagandet" in i.value for i in at.info)
    # "öppna" opens the åtgärd's edit form in Åtgärder (tab "Ändra åtgärd", that åtgärd chosen)
    at.selectbox(key="agr_follow_pick").set_value(ids[0]).run()
    at.selectbox(key="agr_follow_open").set_value(action).run()
    assert not at.exception, at.exception
    assert at.session_state["act_tab"] == "Ändra åtgärd"
    assert at.selectbox(key="act_edit_id").value == action
    assert at.text_area(key=f"act_edit_{action}_text").value == "Kvällspatrull i hamnen"
    assert at.text_input(key=f"act_edit_{action}_method").value == "Antal patruller"
    assert "atgard" not in at.query_params  # read once: choosing another åtgärd is not undone
    # AppTest reruns the page it was last switched to, not the one the script switched to
    at.switch_page("app_pages/atgarder.py")
    at.text_input(key=f"act_edit_{action}_method").input("Antal patruller per vecka")
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:act_edit_{action}-")).click().run()
    assert not at.exception, at.exception
    assert any("Sparat (version 2)" in s.value for s in at.success), [e.value for e in at.error]
    assert loop.list_actions(store.engine, org).set_index("id").loc[action, "follow_up_method"] == \
        "Antal patruller per vecka"
    # back on Överenskommelse the choice is cleared: the page does not jump to Åtgärder again
    at.switch_page("app_pages/overenskommelse.py").run()
    at.selectbox(key="agr_follow_pick").set_value(ids[0]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="agr_follow_open").value is None
    assert any("Åtgärder som svarar mot ett åtagande" in m.value for m in at.markdown)


def test_a_sentence_in_a_paragraph_becomes_a_commitment(app_for, sqlite_url):
    """Kungsbacka's Syfte paragraph holds one arguable joint commitment in its second sentence:
    the coordinator picks the line, keeps only that sentence and makes it a commitment."""
    path = CORPUS / "agreements" / "kungsbacka_samverkansoverenskommelse_2023-2026_EXCERPT.txt"
    if not path.exists():
        pytest.skip(f"../shared/seeds/corpus saknas: {path}")
    with open_store(sqlite_url).transaction() as conn:
        repo.ensure_organisation(conn, "Kungsbacka kommun")
    at = _open_page(app_for, sqlite_url, path.read_bytes())
    assert any("5 åtaganden" in m.value for m in at.markdown)
    line = next(i for i, t in enumerate(at.dataframe(key="agr_source").value["Text"])
                if "Parterna ska skapa" in t) + 1
    at.number_input(key="agr_from").set_value(line).run()
    at.number_input(key="agr_to").set_value(line).run()
    at.multiselect(key=f"agr_sentences_{line}_{line}").set_value([1]).run()
    at.button(key="agr_make").click().run()
    assert not at.exception, at.exception
    assert any("6 åtaganden" in m.value for m in at.markdown)
    labels = [at.selectbox(key="agr_pick").format_func(i) for i in range(6)]
    assert any("Parterna ska skapa och upprätthålla samverkansstrukturer" in label
               and "Syftet" not in label for label in labels)


def test_edit_the_text_of_a_linked_commitment_and_the_atgard_keeps_the_link(app_for, sqlite_url):
    """Saved, an åtgärd is linked to a commitment, the coordinator rewords that commitment on the
    page and saves again: same commitment, and Åtgärder still shows the åtgärd answering it.
    Removing it instead is refused, naming the åtgärd."""
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
    at = _open_page(app_for, sqlite_url, TEXT.encode(), "avtal.md", "text/markdown")
    at.button(key="agr_save").click().run()
    assert not at.exception, at.exception
    before = loop.commitments(store.engine, org).set_index("text")["id"]
    klotter = int(before["sanera klotter inom 24 timmar"])
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "Klotterjour helger", "responsible_party": "Kommunen",
                                                "status": "pågår"}, actor="anna", commitment_ids=[klotter])
    at.selectbox(key="agr_pick").set_value(1).run()
    assert at.text_area(key="agr_text_1").value == "sanera klotter inom 24 timmar"
    at.text_area(key="agr_text_1").input("sanera klotter inom 24 timmar,\n även på skolor och i tunnlar").run()
    at.button(key="agr_set_text").click().run()
    assert not at.exception, at.exception
    assert any("texten ändrad" in s.value for s in at.success)
    assert "även på skolor" in at.selectbox(key="agr_pick").format_func(1)
    at.button(key="agr_save").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("uppdaterad" in s.value for s in at.success)
    after = loop.commitments(store.engine, org).set_index("id")["text"]
    assert after[klotter] == "sanera klotter inom 24 timmar, även på skolor och i tunnlar"
    assert sorted(after.index) == sorted(before.tolist())
    at.switch_page("app_pages/atgarder.py").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Åtaganden" in d.value.columns).set_index("Id")
    assert "sanera klotter inom 24 timmar, även på skolor och i tunnlar" in table.loc[action, "Åtaganden"]

    # a new session: the saved version, then remove it
    again = _open_page(app_for, sqlite_url, TEXT.encode(), "avtal.md", "text/markdown")
    again.selectbox(key="agr_pick").set_value(1).run()
    assert any(f"Kopplade åtgärder: åtgärd {action} ”Klotterjour helger”" in c.value for c in again.caption)
    again.button(key="agr_remove").click().run()
    assert not again.exception, again.exception
    assert any(f"åtgärd {action} ”Klotterjour helger” är kopplad" in e.value for e in again.error), again.error
    assert any("2 åtaganden" in m.value for m in again.markdown)  # still in the working document
    again.button(key="agr_save").click().run()
    assert klotter in loop.commitments(store.engine, org)["id"].tolist()


def test_a_save_that_would_drop_a_linked_commitment_is_refused_in_swedish(app_for, sqlite_url):
    """An åtgärd linked after the page read the document (another person, another tab): the
    working document has no way to know, the save is refused naming it and nothing is saved."""
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
    at = _open_page(app_for, sqlite_url, TEXT.encode(), "avtal.md", "text/markdown")
    at.button(key="agr_save").click().run()
    at.selectbox(key="agr_pick").set_value(1).run()
    at.button(key="agr_remove").click().run()  # nothing linked yet: removed from the document
    assert any("1 åtagande i" in m.value for m in at.markdown)
    klotter = int(loop.commitments(store.engine, org).set_index("text").loc["sanera klotter inom 24 timmar", "id"])
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "Klotterjour *helger*", "responsible_party": "Kommunen",
                                                "status": "pågår"}, actor="anna", commitment_ids=[klotter])
    at.button(key="agr_save").click().run()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]
    assert f"åtgärd {action}" in error and "Klotterjour \\*helger\\*" in error and "Inget har sparats" in error
    assert klotter in loop.commitments(store.engine, org)["id"].tolist()
    assert not any("Sparat" in s.value for s in at.success)


def test_a_reader_sees_the_opened_atgard_here_not_an_edit_form(app_for, sqlite_url):
    """The shared screen's role may read åtgärder but not change them: "öppna" shows it on the
    page instead of sending it to an edit form it may not use."""
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
        loop.save_agreement(conn, org, {
            "title": "Överenskommelse", "kind": "agreement", "parties": [], "period": None,
            "focus_areas": [{"title": "Trygg hamn", "commitments": [
                {"party": "Polisen", "party_kind": "polis", "text": "Patrullera hamnen fredagskvällar"}]}],
            "actions": []}, source_text=None, actor="test")
    cid = int(loop.commitments(store.engine, org)["id"].iloc[0])
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "Kvällspatrull i hamnen", "responsible_party": "Polisen",
                                                "status": "pågår", "follow_up_method": "Antal patruller"},
                                    actor="anna", commitment_ids=[cid])
    at = app_for(sqlite_url)
    at.session_state["demo_role"] = "viewer"
    at.run()
    at.switch_page("app_pages/overenskommelse.py").run()
    at.selectbox(key="agr_follow_pick").set_value(cid).run()
    at.selectbox(key="agr_follow_open").set_value(action).run()
    assert not at.exception, at.exception
    assert "act_tab" not in at.session_state
    shown = " ".join(m.value for m in at.markdown)
    assert "Kvällspatrull i hamnen" in shown and "Antal patruller" in shown
