"""AppTest of Överenskommelse: read a text, correct it, save, follow up per commitment."""

from __future__ import annotations

import pytest

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
    assert len(at.error) == 1 and name in at.error[0].value and says in at.error[0].value, at.error
    with open_store(sqlite_url).engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM agreement").scalar() == 0
