"""The plan-area drawing tool in headless Chromium with every remote request blocked."""

from __future__ import annotations

import folium
import pytest

from workbench.maps.assets import make_offline
from workbench.maps.draw import add_draw_control

pytestmark = pytest.mark.e2e


def test_a_plan_area_is_drawn_offline_with_swedish_tools(browser, tmp_path):
    m = folium.Map(location=[59.3300, 18.0600], zoom_start=15, tiles=None)
    make_offline(m)
    add_draw_control(m)
    page_file = tmp_path / "draw.html"
    page_file.write_text(m.get_root().render(), encoding="utf-8")

    context = browser.new_context(viewport={"width": 1000, "height": 700}, locale="sv-SE")
    blocked: list[str] = []

    def gate(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        tool = page.locator(".leaflet-draw-draw-polygon")
        tool.wait_for(state="visible", timeout=5_000)
        assert tool.get_attribute("title") == "Rita en polygon"
        assert page.locator(".leaflet-draw-draw-rectangle").get_attribute("title") == "Rita en rektangel"
        assert page.locator(".leaflet-draw-draw-polyline, .leaflet-draw-draw-circle, "
                            ".leaflet-draw-draw-marker").count() == 0

        tool.click()
        assert "Klicka för att börja rita ytan." in page.inner_text(".leaflet-draw-tooltip")
        box = page.locator(".leaflet-container").bounding_box()
        assert box is not None
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        corners = [(cx - 150, cy - 100), (cx + 150, cy - 100), (cx + 150, cy + 100), (cx - 150, cy + 100)]
        for x, y in [*corners, corners[0]]:
            page.mouse.click(x, y)
            page.wait_for_timeout(100)

        page.wait_for_function("() => L.toolbar.options.edit.featureGroup.getLayers().length === 1",
                               timeout=3_000)
        assert page.locator("path.leaflet-interactive").count() == 1
        drawn = page.evaluate("() => L.toolbar.options.edit.featureGroup.toGeoJSON().features[0].geometry")
        assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
        assert page.locator("path.leaflet-interactive").get_attribute("stroke") == "#08306b"
    finally:
        context.close()
    assert errors == []
    assert blocked == []
