"""Samhällsplanering in a real browser: upload a plan area, read the check, download the
trygghetsbedömning as PDF and HTML, and draw a plan area with the offline drawing tool."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

WAIT = 60_000
HOSTILE = 'Dp Hässleholmen <img src=x onerror="window.__xss=1">'


def _settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=true], [data-testid=stStatusWidget]')",
        timeout=WAIT)


def _plan_file(tmp_path, demo_db) -> str:
    """A plan area in Hässleholmen as a planner's GeoJSON (WGS 84, as exported from a GIS)."""
    import geopandas as gpd
    import shapely

    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    areas = repo.load_areas(store.engine, [org])
    c = areas[areas["name"] == "Hässleholmen"].geometry.iloc[0].centroid
    plan = shapely.box(c.x - 250, c.y - 150, c.x + 250, c.y + 150)
    path = tmp_path / "dp_hassleholmen.geojson"
    path.write_text(gpd.GeoDataFrame({"namn": ["Plangräns"]}, geometry=[plan], crs="EPSG:3006")
                    .to_crs("EPSG:4326").to_json())
    return str(path)


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text()


def test_upload_a_plan_area_and_download_the_report(app_server, page, demo_db, tmp_path):
    from pypdf import PdfReader

    page.goto(f"{app_server}/samhallsplanering", wait_until="domcontentloaded")
    source = page.locator("[data-testid='stRadio']", has_text="Planområde")
    source.get_by_text("Ladda upp fil").click()  # the demo's saved plan opens first
    page.get_by_text("Välj en fil med planområdets gräns").wait_for(timeout=WAIT)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(_plan_file(tmp_path, demo_db))
    page.locator("[data-testid='stMetric']", has_text="Polisanmälda händelser").wait_for(timeout=WAIT)
    _settled(page)
    assert int(_metric(page, "Polisanmälda händelser").replace("\u00a0", "").replace("\u202f", "")) > 50
    assert _metric(page, "Planområdets yta") == "15,0 ha"
    name = page.locator("input[aria-label='Planens namn']")
    expect(name).to_have_value("dp_hassleholmen")
    name.fill(HOSTILE)
    name.press("Enter")
    _settled(page)
    page.get_by_role("button", name="Skapa trygghetsbedömningen").click()
    download_button = page.get_by_role("button", name="Ladda ner trygghetsbedömningen (PDF")
    download_button.wait_for(timeout=WAIT)
    with page.expect_download(timeout=WAIT) as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename == "trygghetsbedomning-dp-hassleholmen-img-src-x-onerror-window-xss-1.pdf"
    pdf = download.path().read_bytes()
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Trygghetsbedömning" in text and "BoTryggt 2030" in text and "onerror" in text

    page.locator("[data-testid='stRadio']", has_text="Format").get_by_text("HTML").click()
    _settled(page)
    page.get_by_role("button", name="Skapa trygghetsbedömningen").click()
    page.get_by_role("button", name="Ladda ner trygghetsbedömningen (HTML").wait_for(timeout=WAIT)
    frame = page.frame_locator("iframe[title='st.iframe'], iframe").last
    frame.get_by_role("heading", name="Checklista enligt BoTryggt 2030").wait_for(timeout=WAIT)
    frame.get_by_text("<img src=x", exact=False).first.wait_for(state="visible", timeout=WAIT)
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    page.screenshot(path=str(ARTIFACTS / "planning-upload.png"), full_page=True)
    assert all("tile.openstreetmap.org" in url for url in page.blocked), page.blocked[:5]


def test_draw_a_plan_area_offline(app_server, page):
    page.goto(f"{app_server}/samhallsplanering", wait_until="domcontentloaded")
    page.locator("[data-testid='stRadio']", has_text="Planområde").get_by_text("Rita i kartan").click()
    map_frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    tool = map_frame.locator(".leaflet-draw-draw-polygon")
    tool.wait_for(timeout=WAIT)
    assert tool.get_attribute("title") == "Rita en polygon"
    page.wait_for_timeout(1000)  # let the map finish fitting its bounds: clicks during the zoom are lost
    tool.click()
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-60, -40), (60, -40), (60, 40), (-60, 40)):
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(400)  # apart, so two clicks are never read as a double-click
    map_frame.locator(".leaflet-draw-actions a", has_text="Slutför").click()
    map_frame.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT)
    page.locator("[data-testid='stMetric']", has_text="Polisanmälda händelser").wait_for(timeout=WAIT)
    _settled(page)
    assert _metric(page, "Planområdets yta").endswith("ha")
    assert page.locator("input[aria-label='Planens namn']").input_value() == "Ritat planområde"
    assert all("tile.openstreetmap.org" in url for url in page.blocked), page.blocked[:5]
    page.screenshot(path=str(ARTIFACTS / "planning-draw.png"), full_page=True)
