"""Steps of the inrapportering in Chromium, shared by the reporter's test and the coordinator's
round trip: a town with reporters and a coordinator, signing in, adding observations on the
Rapportera page (by map tap, by the phone's position, by a known place or an area), sending the
week's report, and "Inget att rapportera denna vecka"."""

from __future__ import annotations

import geopandas as gpd
import shapely

from tests.builders import ORG, make_org
from tests.e2e.conftest import ARTIFACTS
from workbench.services import imports
from workbench.store import accounts
from workbench.store.db import close_store, open_store

PASSWORD = "korrekt-hast-batteri-klammer"
HOUSING = "Bostadsbolaget – Hässleholmen"
YOUTH = "Fritidsgården Norrby"
SCHOOL = "Norrskolan"  # a third reporter that does not report (the coordinator sees it missing)
REPORTERS = {"vard1": HOUSING, "fritid1": YOUTH, "skola1": SCHOOL}
COORDINATOR = "sara"
PLACE = "Norrtorget"
# A point in Norr (tests/builders.py: Norr is x 376000–377000, y 6400000–6401000), as a phone gives it.
NORR_POSITION = (57.72963, 12.92606)


def reporting_town(db_url: str) -> None:
    """Testkommun (Norr and Söder, a known place in Norr), three reporters and a coordinator."""
    store = open_store(db_url)
    make_org(store)
    places = gpd.GeoDataFrame({"name": [PLACE], "kind": ["torg"], "radius_m": [60.0]},
                              geometry=[shapely.Point(376500, 6400500)], crs="EPSG:3006")
    imports.import_layer(store, "places", places.to_json().encode(), "platser.geojson", ORG)
    for name, verksamhet in REPORTERS.items():
        accounts.add_user(store.engine, name, organisation=ORG, role="reporter", password=PASSWORD,
                          verksamhet=verksamhet, actor="test")
    accounts.add_user(store.engine, COORDINATOR, organisation=ORG, role="coordinator", password=PASSWORD,
                      actor="test")
    close_store(db_url)


def sign_in(page, base: str, name: str, *, path: str = "") -> None:
    """Sign in through the form at ``base/path`` (the sidebar is folded away on a phone, so
    success is the form going away)."""
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    page.get_by_label("Användarnamn").fill(name, timeout=60_000)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_label("Lösenord").wait_for(state="detached", timeout=60_000)


def wait_for_rapportera(page) -> None:
    page.get_by_role("heading", name="Rapportera", exact=True).wait_for(timeout=60_000)
    page.get_by_role("button", name="Lägg till i veckans rapport").wait_for(timeout=60_000)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``."""
    box = page.get_by_label(label, exact=False).first
    for _ in range(3):  # a rerun that redraws the select box can swallow the first tap
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            return
        except Exception:  # noqa: BLE001 - retried, then the last try raises
            page.keyboard.press("Escape")
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def tap_map(page, *, dx: float = 0.5, dy: float = 0.5) -> None:
    """Tap the Rapportera map at the fraction (dx, dy) of its size, and wait for the chosen point."""
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    container = frame.locator(".leaflet-container")
    container.wait_for(timeout=60_000)
    container.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the frame settles its height and Leaflet its view before the tap
    box = container.bounding_box()
    container.click(position={"x": box["width"] * dx, "y": box["height"] * dy})
    page.get_by_text("Vald punkt i kartan").wait_for(timeout=60_000)
    assert "i Norr" in page.get_by_text("Vald punkt i kartan").inner_text()  # the middle of the map
    page.screenshot(path=str(ARTIFACTS / "rapportera-karta.png"))


def use_position(page) -> None:
    """'Min position': press the component's button (the context grants the position)."""
    page.get_by_text("Min position", exact=True).click()
    frame = page.frame_locator("iframe[title='workbench.ui.geolocation.workbench_geolocation']")
    frame.get_by_role("button", name="Använd min position").click(timeout=60_000)
    page.get_by_text("Vald punkt från din position").wait_for(timeout=60_000)


def add_observation(page, *, category: str, where: str, assessment: str, description: str = "",
                    place: str | None = None, area: str | None = None, warned: str | None = None) -> None:
    """One observation of the form, added to the week's list. ``where``: 'map', 'position',
    'place' or 'area'. ``assessment``: the radio's text, e.g. '3 – allvarlig'. ``warned``: the
    personal data warning expected before it is added (then added with the data masked)."""
    pending = page.get_by_role("button", name="Ta bort").count()
    choose(page, "Vad har du sett?", category)
    if where == "map":
        page.get_by_text("Tryck i kartan", exact=True).click()
        tap_map(page)
    elif where == "position":
        use_position(page)
    elif where == "place":
        page.get_by_text("Välj en känd plats", exact=True).click()
        choose(page, "Känd plats", place or PLACE)
    else:
        page.get_by_text("Bara område", exact=True).click()
    if area:
        choose(page, "Område", area)
    if description:
        page.get_by_role("textbox", name="Kort beskrivning").fill(description)
    page.get_by_text(assessment, exact=True).click()
    page.get_by_role("button", name="Lägg till i veckans rapport").click()
    if warned:
        page.get_by_text(warned).wait_for(timeout=60_000)
        page.get_by_role("button", name="Lägg till med uppgifterna maskerade").click()
    page.get_by_role("button", name="Ta bort").nth(pending).wait_for(timeout=60_000)


def send_report(page, count: int) -> None:
    noun = "observation" if count == 1 else "observationer"
    page.get_by_role("button", name=f"Skicka rapporten ({count} {noun})").click()
    page.get_by_text(f"är skickad: {count} {noun}").wait_for(timeout=60_000)


def nothing_to_report(page) -> None:
    page.get_by_role("button", name="Inget att rapportera denna vecka").click()
    page.get_by_text("det är registrerat").wait_for(timeout=60_000)
