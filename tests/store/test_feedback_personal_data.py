"""Issue 15, item 4: the public återkoppling contains none of the planted personal-data variants,
whether the text was saved today (redacted by the store) or sits in a database written before the
store scanned every write (redacted again when the report is made)."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
import sqlalchemy as sa

from tests.builders import make_org
from workbench.config import Settings
from workbench.services import meetings as meeting_service
from workbench.services import reports
from workbench.situation import Period
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
PLANTED = ["811218–9876", "pnr-811218-9876", "811218.9876", "19811218 9876", "811278-9873",
           "070.123.45.67", "+46 70 765 43 21", "0046701234567", "anna.svensson@example.se",
           "anna(at)example.se", "ABC-123", "ABC 12A"]
TEXT = "Kontakt: " + ", ".join(PLANTED) + "."


@pytest.mark.parametrize("written", ["today", "before the store scanned"])
def test_the_public_feedback_report_holds_no_personal_data(sqlite_url, written):
    store = open_store(sqlite_url)
    org = make_org(store)
    settings = Settings.load({}, db_url=sqlite_url)
    norr = int(repo.load_areas(store.engine, [org]).set_index("name").loc["Norr", "id"])
    meeting_id = meeting_service.start(store, org, kind="month", end=OCTOBER.end, area_ids=[norr],
                                       actor="samordnare", meeting_date=date(2026, 11, 5))
    action_id = meeting_service.record_decision(
        store, org, meeting_id, {"text": f"Belysning. {TEXT}", "responsible_party": "Kommunen",
                                 "start_date": date(2026, 10, 10), "status": "pågår", "public": True},
        actor="samordnare")
    meeting_service.update(store, org, meeting_id, 1, {"public_summary": f"Sammanfattning. {TEXT}"},
                           actor="samordnare")
    if written != "today":  # as an older database holds it: raw text, past the hook
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE action SET text = ? WHERE id = ?", (f"Belysning. {TEXT}", action_id))
            conn.exec_driver_sql("UPDATE situation SET public_summary = ? WHERE id = ?",
                                 (f"Sammanfattning. {TEXT}", meeting_id))
        with store.engine.connect() as conn:
            stored = conn.execute(sa.select(t.Action.__table__.c.text)).scalar()
        assert "811218–9876" in stored
    html = reports.build("feedback", "html", store, settings, org, meeting_id=meeting_id, period=OCTOBER).data
    pdf = reports.build("feedback", "pdf", store, settings, org, meeting_id=meeting_id, period=OCTOBER).data
    pdf_text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    body = html.decode("utf-8")
    assert "Belysning" in body and "Sammanfattning" in body
    for shown in (body, pdf_text):
        assert [p for p in PLANTED if p in shown] == []
        assert "811218" not in shown and "9876" not in shown
