"""The Hot-spots page in real headless Chromium, offline: the map, its layers and the legend."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def _map_frame(app_server, page):
    page.goto(f"{app_server}/hotspots", wait_until="domcontentloaded")
    page.get_by_text("Hot-spots", exact=True).first.wait_for(timeout=60_000)
    frame = None
    for _ in range(120):
        for candidate in page.frames:
            try:
                if candidate.evaluate("() => !!(window.L && document.querySelector('.leaflet-container'))"):
                    frame = candidate
                    break
            except Exception:  # noqa: BLE001 - frames come and go while Streamlit renders
                continue
        if frame:
            break
        page.wait_for_timeout(500)
    assert frame is not None, "Leaflet-kartan laddades inte"
    frame.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length > 20",
                            timeout=60_000)
    return frame


def test_hotspot_map_and_legend_render_offline(app_server, page):
    frame = _map_frame(app_server, page)
    legend = frame.inner_text(".wb-legend")
    assert "Getis-Ord Gi*" in legend and "99 % konfidens" in legend
    frame.hover(".leaflet-control-layers")
    layers = frame.inner_text(".leaflet-control-layers")
    assert "Hot-spots (Gi*)" in layers
    # the shared screen (default) has no density surface: smoothing one event still marks its spot
    assert "Täthet (värmekarta)" not in layers
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hotspots.png"), full_page=True)
    assert frame.evaluate("() => document.querySelectorAll('img.leaflet-marker-icon').length") == 0
    assert all("tile.openstreetmap.org" in url for url in page.blocked), page.blocked


def test_a_second_session_gets_the_map_too(app_server, page):
    """Caches are shared between sessions; the map must still be drawn for the next person."""
    frame = _map_frame(app_server, page)
    assert frame.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length") > 20


def test_clicking_a_hot_spot_cell_shows_its_figures(app_server, page):
    frame = _map_frame(app_server, page)
    # a DOM click on the SVG path (Leaflet handles it as a click on that cell)
    frame.locator("path[fill='#b2182b']").first.dispatch_event("click")
    page.get_by_role("heading", name=re.compile(r"^Ruta \d+")).wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "Hot-spot, 99 % konfidens" in body and "Tidsprofil" in body
    page.screenshot(path=str(ARTIFACTS / "hotspots_cell.png"), full_page=True)
