"""A trygghetsvandring on a phone-sized Chromium (390 × 844, touch) with the network closed: the
walk is planned with a route drawn on the map, five observations are recorded at the spot (taps
on the map, one with the phone's position), and after the walk the observations are decided on
and the follow-up document is downloaded."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from tests.e2e.conftest import ARTIFACTS, closed_context

pytestmark = pytest.mark.e2e

WAIT = 60_000
MAP = "iframe[title='streamlit_folium.st_folium']"
OBSERVATIONS = [  # tap offset on the map (px), category, comment
    ((-60, -50), "Belysning", "Mörk gångväg mot parkeringen, två armaturer släckta"),
    ((50, -30), "Skymd sikt/vegetation", "Höga buskar skymmer sikten vid busshållplatsen"),
    ((-40, 40), "Klotter", "Klotter på tunnelväggen, ring 070-123 45 67"),
    (None, "Otrygg passage", "Gångtunneln under vägen känns otrygg på kvällen"),  # Min position
    ((70, 60), "Nedskräpning", "Nedskräpning vid återvinningsstationen"),
]


def _settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=true], [data-testid=stStatusWidget]')",
        timeout=WAIT)


def _hassleholmen(demo_db) -> tuple[float, float]:
    """(lat, lon) of a spot inside Hässleholmen in the demo town."""
    from workbench.geo.crs import to_wgs84
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    store = open_store(demo_db)
    areas = repo.load_areas(store.engine, [repo.find_organisation(store.engine, "Borås stad")])
    point = areas[areas["name"] == "Hässleholmen"].geometry.iloc[0].representative_point()
    lon, lat = to_wgs84(np.array([point.x]), np.array([point.y]))
    return float(lat[0]), float(lon[0])


@pytest.fixture
def phone(browser, demo_db):
    lat, lon = _hassleholmen(demo_db)
    context = closed_context(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                             is_mobile=True, has_touch=True, locale="sv-SE",
                             geolocation={"latitude": lat, "longitude": lon, "accuracy": 10},
                             permissions=["geolocation"])
    page = context.new_page()
    page.blocked = context.blocked  # type: ignore[attr-defined]
    yield page
    context.close()


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the visible selectbox labelled ``label`` (again if a rerun closed the list)."""
    label_element = page.locator("[data-testid='stWidgetLabel']", has_text=re.compile(f"^{re.escape(label)}$"))
    box = page.locator("[data-testid='stSelectbox']:visible").filter(has=label_element).first
    for attempt in range(3):
        _settled(page)
        box.click()
        try:
            page.get_by_role("option", name=option).first.click(timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    _settled(page)


def _pick(page, label: str, option: str) -> None:
    """Add ``option`` to the multiselect labelled ``label`` (again if a rerun redrew it)."""
    for attempt in range(3):
        _settled(page)
        page.locator(f"input[aria-label='{label}']").click()
        page.keyboard.type(option)
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            page.keyboard.press("Escape")
            page.locator("[data-testid='stMultiSelectTagsContainer']", has_text=option).wait_for(timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def _tap_map(page, dx: int, dy: int) -> None:
    frame = page.locator(MAP).last
    frame.scroll_into_view_if_needed()
    page.frame_locator(MAP).last.locator(".leaflet-container").wait_for(timeout=WAIT)
    page.wait_for_timeout(800)  # the map fits its bounds first; a tap during the zoom is lost
    box = frame.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)


def test_a_walk_planned_recorded_on_a_phone_and_followed_up(app_server, phone, demo_db):
    from pypdf import PdfReader

    from workbench.services import walks as walk_service
    from workbench.store import repositories as repo
    from workbench.store import walks
    from workbench.store.db import open_store

    page = phone
    page.goto(f"{app_server}/vandringar", wait_until="domcontentloaded")
    page.get_by_text("Vad vill du göra?").wait_for(timeout=WAIT)
    _settled(page)

    # --- plan: area, a route drawn on the map, participating organisations as roles
    _choose(page, "Vandringens område", "Hässleholmen")
    page.wait_for_timeout(3000)  # the map of the chosen area replaces the first one
    map_frame = page.frame_locator(MAP).last
    tool = map_frame.locator(".leaflet-draw-draw-polyline")
    tool.wait_for(timeout=WAIT)
    assert tool.get_attribute("title") == "Rita vandringens sträcka"
    page.locator(MAP).last.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    tool.tap()
    map_frame.locator(".leaflet-draw-actions a", has_text="Slutför").wait_for(timeout=WAIT)
    box = page.locator(MAP).last.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-80, 50), (0, 0), (70, -40)):
        page.touchscreen.tap(cx + dx, cy + dy)
        page.wait_for_timeout(600)
    map_frame.locator(".leaflet-draw-actions a", has_text="Slutför").tap()
    page.get_by_text(re.compile(r"Sträcka ritad \(3 punkter\)")).wait_for(timeout=WAIT)
    for role in ("kommunen", "polisen", "bostadsbolaget", "fritid"):
        _pick(page, "Deltagande organisationer (roller, aldrig namn)", role)
    page.get_by_role("button", name="Planera vandringen").click()
    page.get_by_text(re.compile("Vandringen .* i Hässleholmen är planerad")).wait_for(timeout=WAIT)
    _settled(page)

    # --- during the walk: five observations at the spot, on the phone
    save = page.get_by_role("button", name="Spara iakttagelsen")
    save.wait_for(timeout=WAIT)
    assert save.bounding_box()["height"] >= 44  # a target for a thumb
    for number, (offset, category, comment) in enumerate(OBSERVATIONS, start=1):
        if offset is None:
            page.frame_locator(MAP).last.get_by_role("button", name="Min position").click()
        else:
            _tap_map(page, *offset)
        page.get_by_text("Plats vald").wait_for(timeout=WAIT)
        _settled(page)
        page.wait_for_timeout(1500)  # the map redraws with the chosen spot
        page.locator("[data-testid='stRadio']", has_text="Vad ser du?").get_by_text(category, exact=True).click()
        page.get_by_label("Kommentar (inga namn på personer)").fill(comment)
        page.get_by_role("button", name="Spara iakttagelsen").click()
        if "070-" in comment:  # the Swedish warning, then saved with the number masked
            page.get_by_text(re.compile("telefonnummer")).first.wait_for(timeout=WAIT)
            page.get_by_role("button", name="Spara med uppgifterna maskerade").click()
        page.get_by_text(f"Iakttagelse {number} sparad").wait_for(timeout=WAIT)
        _settled(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "walk-phone-record.png"), full_page=True)
    # nothing wider than the phone's screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    with store.engine.connect() as conn:
        walk = next(w for w in walks.walks(conn, org) if w["status"] == walks.PLANNED and w["area"] == "Hässleholmen")
    _, observations = walk_service.agenda(store, org, walk["id"])
    assert [o["label"] for o in observations] == [c for _, c, _ in OBSERVATIONS]
    assert walk["participants"] == "kommunen, polisen, bostadsbolaget, fritid"
    assert walk["route"] is not None and walk["route"].length > 50
    assert all(o["area"] == "Hässleholmen" for o in observations[3:4])  # the phone's position
    assert observations[2]["comment"] == "Klotter på tunnelväggen, ring [telefonnummer]"

    # --- after the walk: the observations are the agenda
    page.get_by_role("button", name="Vandringen är klar").click()
    page.get_by_text("Dagordning: vandringens iakttagelser").wait_for(timeout=WAIT)
    _settled(page)
    _pick(page, "Svarar också på iakttagelse", "Nr 2")
    page.get_by_role("button", name="Skapa åtgärden").click()
    page.get_by_text(re.compile(r"Åtgärd \d+ skapad för nr 1, nr 2")).wait_for(timeout=WAIT)
    _settled(page)
    _choose(page, "Iakttagelse att besluta om", "Nr 3: Klotter (ny)")
    reason = page.get_by_label("Skäl (syns i uppföljningen)")
    for attempt in range(3):  # a click while the page redraws is lost: click until the form shows
        _settled(page)
        page.locator("[data-testid='stRadio']", has_text="Beslut").get_by_text("Avsluta utan åtgärd").click()
        try:
            reason.wait_for(timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
    _settled(page)
    reason.fill("Sanerat av fastighetsägaren dagen efter")
    page.get_by_role("button", name="Avsluta utan åtgärd").click()
    page.get_by_text("Iakttagelse nr 3 är avslutad utan åtgärd.").wait_for(timeout=WAIT)
    _settled(page)
    statuses = [o["status"] for o in walk_service.agenda(store, org, walk["id"])[1]]
    assert statuses == ["åtgärd beslutad", "åtgärd beslutad", "avslutad utan åtgärd", "ny", "ny"]

    # --- the follow-up document, on the page and as files
    doc = page.frame_locator("iframe").last
    doc.get_by_role("heading", name="Uppföljning av trygghetsvandringen i Hässleholmen").wait_for(timeout=WAIT)
    button = page.get_by_role("button", name="Ladda ner uppföljningen (HTML)")
    with page.expect_download(timeout=WAIT) as info:
        button.click()
    html = info.value.path().read_text(encoding="utf-8")
    assert info.value.suggested_filename.endswith("-uppfoljning.html")
    for text in ("Höga buskar skymmer sikten", "avslutad utan åtgärd: Sanerat av fastighetsägaren dagen efter",
                 "kommunen, polisen, bostadsbolaget, fritid", "Inför nästa vandring", "nr 1, nr 2"):
        assert text in html, text
    assert "070-123" not in html
    page.locator("[data-testid='stRadio']", has_text="Format").get_by_text("PDF").click()
    _settled(page)
    with page.expect_download(timeout=WAIT) as info:
        page.get_by_role("button", name="Ladda ner uppföljningen (PDF)").click()
    pdf = info.value.path().read_bytes()
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Uppföljning av trygghetsvandringen" in text and "Hässleholmen" in text
    page.screenshot(path=str(ARTIFACTS / "walk-phone-follow-up.png"), full_page=True)
    assert all("tile.openstreetmap.org" in url for url in page.blocked), page.blocked[:5]
