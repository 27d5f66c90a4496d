"""No English and no decimal point reach a user: a sample of pages in Chromium (as the browser
draws them, Streamlit's own texts included) and one PDF, checked against a deny-list."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdf
import pytest

from workbench.config import Settings
from workbench.services import reports
from workbench.situation import Period
from workbench.store import repositories as repo
from workbench.store.db import open_store

pytestmark = pytest.mark.e2e

# Streamlit's own English, raw values and code names that must never reach a user
DENY = ["Choose an option", "Choose options", "Select all", "Drag and drop", "Browse files", "Upload",
        "per file", "No results", "No options", "None", "NaN", "nan", "null", "empty", "Traceback",
        "safety_walk", "cause_analysis", "fault_report", "walk_observation", "True", "False"]
DECIMAL_POINT = re.compile(r"(?<![\w.,/:-])\d+\.\d+(?![\w.])")  # 3.9 or 0.03, not a date or a file
PAGES = ["", "est-mote", "hotspots", "platser", "atgarder", "importera", "rapporter", "logg"]


def findings(text: str) -> list[str]:
    found = [word for word in DENY if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
    return found + [f"decimalpunkt: {m}" for m in DECIMAL_POINT.findall(text)]


def test_findings_catch_what_they_should():
    assert findings("p = 0.03 · Choose an option · 200MB per file") == [
        "Choose an option", "per file", "decimalpunkt: 0.03"]
    assert findings("p = 0,03 · 2026-10-01 · lagesbild.pdf · 3,9 % · 1\u202f126") == []


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)
    page.wait_for_timeout(1500)


def test_pages_speak_swedish_in_the_browser(app_server, page):
    problems = {}
    for path in PAGES:
        page.goto(f"{app_server}/{path}", wait_until="domcontentloaded")
        page.locator("h1").first.wait_for(timeout=90_000)
        _settle(page)
        text = page.inner_text("body") + "\n" + "\n".join(page.eval_on_selector_all(
            "[placeholder], [aria-label]",
            "els => els.map(e => (e.getAttribute('placeholder') || '') + ' ' + (e.getAttribute('aria-label') || ''))"))
        if found := findings(text):
            problems[path or "oversikt"] = found
    assert problems == {}


def test_the_file_uploader_is_swedish(app_server, page):
    page.goto(f"{app_server}/importera", wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=90_000)
    _settle(page)
    uploader = page.locator('[data-testid="stFileUploader"]').first.inner_text()
    assert "Välj fil" in uploader and "MB per fil" in uploader, uploader


def test_a_situation_pdf_speaks_swedish(demo_db):
    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    latest = store.engine.connect().exec_driver_sql("select max(occurred_from) from incident").scalar()
    end = date.fromisoformat(str(latest)[:10])
    month = Period(end.replace(day=1), end)
    data = reports.build("situation", "pdf", store, Settings.load({}, db_url=demo_db), org, period=month).data
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Lägesbild" in text
    assert findings(text) == []
