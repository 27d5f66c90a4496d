"""Chromium with the network closed (issue 19, done when): a reporter signs in on a phone (390 × 844,
touch) and reports two observations, another reporter sends "inget att rapportera"; the coordinator
sees them in who-has-reported and on the map (Inrapportering), in the EST meeting's per-area view,
turns one into an åtgärd there, and the reporter then sees its status under "Mina rapporter"."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
import shapely
from playwright.sync_api import expect

from tests.builders import ORG, make_org
from tests.e2e.conftest import closed_context, serve
from tests.e2e.test_hostile_text import GRID_TEXT
from workbench.services import imports
from workbench.store import accounts, reporting
from workbench.store import repositories as repo
from workbench.store.db import close_store, open_store

PASSWORD = "korrekt-hast-batteri-klammer"
VARD, FRITID = "Bostadsbolaget – Norr", "Fritidsgården Söder"
WAIT = 90_000
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2, "locale": "sv-SE"}
DESK = {"viewport": {"width": 1500, "height": 1000}, "locale": "sv-SE"}


@pytest.fixture(scope="module")
def reporting_app(tmp_path_factory):
    """`workbench app` with local accounts: two reporters, a coordinator; Norr, Söder, Norrtorget."""
    url = f"sqlite:///{tmp_path_factory.mktemp('inrapportering') / 'inrapportering.sqlite'}"
    store = open_store(url)
    make_org(store)
    place = gpd.GeoDataFrame({"name": ["Norrtorget"], "kind": ["torg"], "radius_m": [100.0]},
                             geometry=[shapely.Point(376500, 6400500)], crs="EPSG:3006")
    imports.import_layer(store, "places", place.to_json().encode(), "platser.geojson", ORG)
    accounts.add_user(store.engine, "vard", organisation=ORG, role="reporter", password=PASSWORD,
                      verksamhet=VARD, actor="test")
    accounts.add_user(store.engine, "fritid", organisation=ORG, role="reporter", password=PASSWORD,
                      verksamhet=FRITID, actor="test")
    accounts.add_user(store.engine, "sara", organisation=ORG, role="coordinator", password=PASSWORD, actor="test")
    close_store(url)
    with serve(url, "inrapportering-server.log", WORKBENCH_AUTH="local", WORKBENCH_BASEMAP="none",
               WORKBENCH_ORGANISATION=ORG) as base:
        yield base, url


def _settled(page) -> None:
    """The app has finished its run (Streamlit's status widget gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=WAIT)


def _sign_in(page, base: str, name: str, path: str = "") -> None:
    page.goto(f"{base}/{path}")
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text(f"Inloggad: {name}").first.wait_for(timeout=WAIT)
    _settled(page)


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox or multiselect labelled ``label`` (by touch or click)."""
    box = page.locator("[data-testid=stSelectbox], [data-testid=stMultiSelect]").filter(
        has=page.get_by_text(label, exact=True)).first
    field = box.locator("input").first
    field.click()
    field.press_sequentially(option)  # the list is long and drawn only where it is scrolled to
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    _settled(page)


def _radio(page, option: str) -> None:
    page.locator("[data-testid=stRadio] label").filter(has_text=option).first.click()
    _settled(page)


def _grid_text(page, *needles: str) -> str:
    """Every cell of the visible data grids (drawn on a canvas; read from their accessible table,
    which a grid fills once drawn): read again for a while until every needle is there."""
    page.locator("[data-testid='stDataFrame']:visible").first.wait_for(timeout=WAIT)
    text = ""
    for _ in range(20):
        text = "\n".join(page.evaluate(GRID_TEXT))
        if all(n in text for n in needles):
            break
        page.wait_for_timeout(500)
    return text


def test_report_on_a_phone_see_decide_and_feed_back(browser, reporting_app):
    base, url = reporting_app
    blocked: list[str] = []

    # 1. the housing company's caretaker, on a phone: two observations in this week's report
    phone = closed_context(browser, blocked, **PHONE)
    page = phone.new_page()
    _sign_in(page, base, "vard")
    page.get_by_role("heading", name="Rapportera").wait_for(timeout=WAIT)
    _choose(page, "Vad har du sett?", "Belysning")
    _radio(page, "Välj en känd plats")
    _choose(page, "Känd plats", "Norrtorget")
    page.get_by_role("textbox", name="Kort beskrivning").fill("Lampan vid torget är trasig")
    _radio(page, "3 – allvarlig")
    page.get_by_role("button", name="Lägg till i veckans rapport").click()
    page.get_by_text("1. Belysning").wait_for(timeout=WAIT)
    _settled(page)
    # the form is empty for the next observation (it once kept the description already added)
    expect(page.get_by_role("textbox", name="Kort beskrivning")).to_have_value("", timeout=WAIT)
    _choose(page, "Vad har du sett?", "Folksamling")
    _radio(page, "Bara område")
    _choose(page, "Område", "Norr")
    _radio(page, "4 – mycket allvarlig")
    page.get_by_role("button", name="Lägg till i veckans rapport").click()
    page.get_by_text("2. Folksamling").wait_for(timeout=WAIT)
    _settled(page)
    send = page.get_by_role("button", name="Skicka rapporten (2 observationer)")
    box = send.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] >= 44  # a large touch target
    send.click()
    page.get_by_text("är skickad: 2 observationer").wait_for(timeout=WAIT)
    phone.close()

    # 2. the youth centre, on a phone: nothing to report this week
    phone = closed_context(browser, blocked, **PHONE)
    page = phone.new_page()
    _sign_in(page, base, "fritid")
    page.get_by_role("button", name="Inget att rapportera denna vecka").click()
    page.get_by_text("det är registrerat").wait_for(timeout=WAIT)
    phone.close()

    store = open_store(url)
    org = repo.find_organisation(store.engine, ORG)
    with store.engine.connect() as conn:
        seen = {o["category"]: o for o in reporting.observations(conn, org)}
    assert set(seen) == {"Belysning", "Folksamling"} and seen["Belysning"]["x"] is not None
    assert seen["Folksamling"]["description"] is None
    light = int(seen["Belysning"]["id"])

    # 3. the coordinator at the desk: who has reported, and the map
    desk = closed_context(browser, blocked, **DESK)
    page = desk.new_page()
    _sign_in(page, base, "sara", "inrapportering")
    page.get_by_role("heading", name="Vem har rapporterat vecka").wait_for(timeout=WAIT)
    text = _grid_text(page, VARD, FRITID, "Inget att rapportera", "Lampan vid torget är trasig")
    assert VARD in text and "Rapporterat" in text and FRITID in text and "Inget att rapportera" in text
    assert "Lampan vid torget är trasig" in text
    frame = page.frame_locator("iframe").first
    frame.locator(".leaflet-container").wait_for(timeout=WAIT)
    srcdoc = page.locator("iframe").first.evaluate("e => e.srcdoc")
    assert f"nr {light} · v. " in srcdoc and "Belysning · Bedömning 3 (allvarlig)" in srcdoc
    assert "Folksamling · Bedömning" not in srcdoc  # only an area: counted, never a point

    # 4. the EST meeting: Norr's new observations, one made an åtgärd there
    page.locator("[data-testid=stSidebarNav] a", has_text="EST-möte").click()  # same session
    _settled(page)
    form = page.locator("[data-testid='stForm']", has_text="Starta ett möte")
    form.get_by_role("button", name="Starta mötet").click()
    page.get_by_text("Inrapporterat: nya observationer i området").wait_for(timeout=WAIT)
    _settled(page)
    heading = page.locator("h3:visible", has_text=re.compile(r"^1/\d+ · ")).first.inner_text()
    if "Norr" not in heading:  # the agenda's first area is Söder: go on to Norr
        page.get_by_role("button", name="Nästa ▶").click()
        page.locator("h3:visible", has_text=re.compile(r"^2/\d+ · Norr")).wait_for(timeout=WAIT)
        _settled(page)
    assert "Lampan vid torget är trasig" in _grid_text(page, "Lampan vid torget är trasig")
    _choose(page, "Observationer att besluta om", f"nr {light} ")
    page.keyboard.press("Escape")  # a multiselect's list stays open over the form below
    action_form = page.locator("[data-testid='stForm']", has_text="Ny åtgärd")
    expect(action_form.get_by_label("Åtgärd (vad ska göras?)")).to_have_value(
        re.compile("^Belysning vid Norrtorget: Lampan vid torget är trasig"), timeout=WAIT)  # prefilled
    action_form.get_by_role("button", name="Skapa åtgärden").click()
    page.get_by_text(re.compile(r"Åtgärd nr \d+ är skapad")).wait_for(timeout=WAIT)
    desk.close()
    with store.engine.connect() as conn:
        decided = {o["category"]: o for o in reporting.observations(conn, org)}["Belysning"]
    assert decided["status"] == "åtgärd beslutad" and len(decided["action_ids"]) == 1
    close_store(url)

    # 5. back on the phone: the caretaker sees what became of the report
    phone = closed_context(browser, blocked, **PHONE)
    page = phone.new_page()
    _sign_in(page, base, "vard")
    page.get_by_role("heading", name="Mina rapporter").wait_for(timeout=WAIT)
    page.get_by_text("Åtgärd beslutad").first.wait_for(timeout=WAIT)
    phone.close()
    assert blocked == []  # nothing was fetched from outside 127.0.0.1
