"""AppTest of Överenskommelse: read a text, correct it, save, follow up per commitment."""

from __future__ import annotations

from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import open_store

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
    at = app_for(sqlite_url).run()
    at.switch_page("app_pages/overenskommelse.py").run()
    at.file_uploader(key="agr_file").upload("avtal.md", TEXT.encode(), "text/markdown").run()
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
    assert "trasig.docx" in at.error[0].value
