"""EST-möte in a real browser: start a meeting, set a status, record a decision, walk the agenda,
project it, close it and read the minutes (HTML in the page, PDF as a download), all offline."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

NEW = "➕ Nytt möte …"
HOSTILE = 'Klotter ökar <img src=x onerror="window.__xss=1"> vid torget'
DECISION = "Belysning vid gångtunneln"
LEVEL = "orange"
WAIT = 60_000


def _store(demo_db):
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    store = open_store(demo_db)
    return store, int(repo.find_organisation(store.engine, "Borås stad"))


def _meeting_ids(demo_db) -> set[int]:
    from workbench.store import meetings

    store, org_id = _store(demo_db)
    return {int(i) for i in meetings.list_meetings(store.engine, org_id)["id"]}


def _start_new_meeting(page, app_server) -> None:
    page.goto(f"{app_server}/est-mote", wait_until="domcontentloaded")
    picker = page.locator("[data-testid='stMain'] input[aria-label='Möte']")
    picker.wait_for(timeout=WAIT)
    if picker.input_value() != NEW:  # another (open) meeting is preselected
        picker.click()
        page.get_by_role("option", name=NEW).click()
    page.get_by_text("Starta ett möte").wait_for(timeout=WAIT)
    form = page.locator("[data-testid='stForm']:visible", has_text="Starta ett möte")
    assert form.locator("input[aria-label='Period']").input_value() == "Månad"
    form.get_by_role("button", name="Starta mötet").click()


def _agenda_header(page):
    return page.locator("h3:visible", has_text=re.compile(r"^\d+/\d+ · "))


def _settled(page) -> None:
    """Wait until Streamlit's current run has finished: nothing stale left, no running indicator.

    Call it only after something on the page showed that the new run has started; otherwise it
    can return before the run begins."""
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=true], [data-testid=stStatusWidget]')",
        timeout=WAIT)


METRIC_SIZE = ("() => { const v = document.querySelector('[data-testid=stMetricValue]');"
               " return v ? parseFloat(getComputedStyle(v).fontSize) : 0; }")


def test_a_short_meeting_and_its_minutes(app_server, page, demo_db):
    from pypdf import PdfReader

    from workbench.store import meetings

    ARTIFACTS.mkdir(exist_ok=True)
    store, org_id = _store(demo_db)
    before = _meeting_ids(demo_db)

    # 1. a new meeting: month period, every area on the agenda
    _start_new_meeting(page, app_server)
    header = _agenda_header(page)
    header.wait_for(timeout=WAIT)
    assert header.inner_text().startswith("1/")
    first_area = header.inner_text().split(" · ")[1].strip()
    new_ids = _meeting_ids(demo_db) - before
    assert len(new_ids) == 1, new_ids
    meeting_id = new_ids.pop()
    page.locator("[data-testid='stImage'] img:visible").first.wait_for(timeout=WAIT)  # the area map
    page.get_by_text("Sedan förra mötet").first.wait_for(timeout=WAIT)
    _settled(page)

    # 2. a status with a hostile motivation, then a public decision
    status_form = page.locator("[data-testid='stForm']:visible", has_text="Spara status").first
    status_form.get_by_text(LEVEL, exact=True).click()
    status_form.get_by_label("Motivering").fill(HOSTILE)
    status_form.get_by_role("button", name="Spara status").click()
    header.filter(has_text=LEVEL.upper()).wait_for(timeout=WAIT)
    _settled(page)

    decision_form = page.locator("[data-testid='stForm']:visible", has_text="Lägg till beslutet").first
    decision_form.get_by_label("Beslut (vad ska göras?)").fill(DECISION)
    decision_form.get_by_text("Får visas i återkopplingen till boende").click()
    decision_form.get_by_role("button", name="Lägg till beslutet").click()
    page.get_by_text("Beslut på mötet (1)").wait_for(timeout=WAIT)
    _settled(page)
    # the grid draws on a canvas; its cells are also in an accessible table (text content)
    # it shows both among the area's open actions and in the meeting's decisions (the last table)
    tables = page.locator("[data-testid='stDataFrame']:visible", has_text=DECISION)
    tables.nth(1).wait_for(timeout=WAIT)
    assert "Kommunen" in tables.nth(1).text_content()

    # 3. the next area
    page.get_by_role("button", name="Nästa ▶").click()
    page.locator("h3:visible", has_text=re.compile(r"^2/\d+ · ")).wait_for(timeout=WAIT)
    _settled(page)  # the first area's header may still be on the page until the run ends
    assert header.inner_text().split(" · ")[1].strip() != first_area

    # 4. presentation mode: big type, no sidebar (a projector on the wall)
    toggle = page.locator("[data-testid='stCheckbox']:visible", has_text="Presentationsläge (projektor)")
    toggle.locator("label").click()
    page.wait_for_function(f"() => ({METRIC_SIZE})() >= 40", timeout=WAIT)
    _settled(page)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stImage] img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)", timeout=WAIT)
    page.screenshot(path=str(ARTIFACTS / "meeting-presentation.png"))
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert page.evaluate(METRIC_SIZE) >= 40
    toggle.locator("label").click()
    # toggling shifts the elements below it, so let the whole run finish before going on
    page.wait_for_function(f"() => ({METRIC_SIZE})() < 40", timeout=WAIT)
    _settled(page)
    expect(page.locator("[data-testid='stSidebar']")).to_be_visible(timeout=WAIT)

    # 5. close the meeting
    page.locator("[data-testid='stExpander'] summary", has_text="Avsluta mötet").click()
    confirm = page.locator("[data-testid='stCheckbox']:visible", has_text="Jag vill låsa lägesbilden")
    confirm.locator("label").click()
    expect(confirm.locator("input")).to_be_checked(timeout=WAIT)
    close = page.locator("[data-testid='stButton']:visible", has_text="Avsluta mötet").get_by_role("button")
    expect(close).to_be_enabled(timeout=WAIT)
    close.click()
    page.get_by_text("Mötet avslutades").wait_for(timeout=WAIT)
    _settled(page)

    # 6. the minutes in the page: headings, decision, status; the hostile text stays text
    # st.iframe shows the server-built document through srcdoc
    frame_element = page.wait_for_selector("iframe[srcdoc*='Protokoll']", timeout=WAIT)
    frame = frame_element.content_frame()
    frame.wait_for_selector("h2", timeout=WAIT)
    headings = frame.evaluate("() => [...document.querySelectorAll('h2, h3')].map(h => h.innerText)")
    assert {"Mötet", "Beslut", first_area} <= set(headings), headings
    area_text = frame.evaluate(
        "name => [...document.querySelectorAll('section')]"
        ".find(s => s.querySelector('h3')?.innerText === name)?.innerText", first_area)
    assert f"Status: {LEVEL} – {HOSTILE}" in area_text
    frame.get_by_text("<img src=x", exact=False).first.wait_for(state="visible", timeout=WAIT)
    decisions = frame.locator("section", has=frame.locator("h2", has_text="Beslut")).inner_text()
    assert DECISION in decisions
    assert frame.evaluate("() => document.querySelectorAll('img[src=x], img[onerror]').length") == 0
    assert frame.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    page.get_by_text("Mötet avslutades").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "meeting-minutes.png"))

    with page.expect_download(timeout=WAIT) as download_info:
        page.get_by_role("button", name="Protokoll (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"protokoll-{meeting_id}.pdf"
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    pdf_text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Protokoll" in pdf_text and DECISION in pdf_text

    # 7. the store: closed, with the frozen status and decision
    meeting = meetings.get_meeting(store.engine, org_id, meeting_id)
    assert meeting["closed_at"] is not None
    snapshot = meeting["snapshot"]
    assert [d["text"] for d in snapshot["decisions"]] == [DECISION]
    assert snapshot["decisions"][0]["public"] is True
    first = next(a for a in snapshot["areas"] if a["area"] == first_area)
    assert first["status"] == {"level": LEVEL, "motivation": HOSTILE}

    # 8. nothing left the machine
    assert page.blocked == [], page.blocked


def test_presentation_mode_shows_one_area_per_projector_screen(app_server, page):
    """At 1920 × 1080 the area fits the screen: large figures, tables, radio buttons and map,
    and next/previous reachable without scrolling back up."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    _start_new_meeting(page, app_server)
    header = _agenda_header(page)
    header.wait_for(timeout=WAIT)
    _settled(page)
    toggle = page.locator("[data-testid='stCheckbox']:visible", has_text="Presentationsläge (projektor)")
    toggle.locator("label").click()
    page.wait_for_function(f"() => ({METRIC_SIZE})() >= 40", timeout=WAIT)
    _settled(page)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stImage] img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)", timeout=WAIT)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "meeting-presentation-1920.png"))
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    # the whole area (figures, map, category table) is on the first screen
    image = page.locator("[data-testid='stImage'] img").first.bounding_box()
    assert image["y"] + image["height"] <= 1080 and image["width"] >= 600, image
    table = page.locator("[data-testid='stTable']").first
    assert table.bounding_box()["y"] < 1080
    cell_size = table.evaluate("t => parseFloat(getComputedStyle(t.querySelector('td')).fontSize)")
    assert cell_size >= 20, cell_size
    radio = page.locator("[data-testid='stRadio'] label p").first
    assert radio.evaluate("p => parseFloat(getComputedStyle(p).fontSize)") >= 22
    # scrolled down to the forms, the agenda bar is still on screen: the next area in one click
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(500)
    following = page.get_by_role("button", name="Nästa ▶")
    box = following.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 1080, box
    following.click()
    page.locator("h3:visible", has_text=re.compile(r"^2/\d+ · ")).wait_for(timeout=WAIT)
    _settled(page)
    # the next area is shown from its top: figures and map on the screen again
    page.wait_for_function("() => { const m = document.querySelector('[data-testid=stMetricValue]');"
                           " const r = m && m.getBoundingClientRect(); return r && r.top >= 0 && r.bottom <= 1080; }",
                           timeout=WAIT)
    page.screenshot(path=str(ARTIFACTS / "meeting-presentation-1920-next.png"))
    page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    page.mouse.wheel(0, -5000)
    toggle.locator("label").click()
    page.wait_for_function(f"() => ({METRIC_SIZE})() < 40", timeout=WAIT)
