"""Leaflet.draw is vendored and served as data: URLs; the plan-area tool loads nothing remote."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import folium
import pytest
from folium.elements import JSCSSMixin

from workbench.maps import assets
from workbench.maps.assets import draw_css, draw_data_urls, make_offline, make_offline_for_component
from workbench.maps.draw import COLOUR, add_draw_control

VENDOR = Path(assets.__file__).parent / "vendor" / "leaflet_draw"
SQUARE = {"type": "Polygon",
          "coordinates": [[[18.05, 59.33], [18.07, 59.33], [18.07, 59.34], [18.05, 59.34], [18.05, 59.33]]]}


def _decode(url: str, mime: str) -> bytes:
    prefix = f"data:{mime};base64,"
    assert url.startswith(prefix)
    return base64.b64decode(url[len(prefix):])


def _unescape(html: str) -> str:
    """JSON \\uXXXX escapes decoded, i.e. the strings as the browser gets them."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), html)


def test_the_data_urls_decode_to_the_vendored_files():
    js, css = draw_data_urls()
    assert _decode(js, "text/javascript") == (VENDOR / "leaflet.draw.js").read_bytes()
    decoded = _decode(css, "text/css").decode("utf-8")
    assert decoded == draw_css()
    original = (VENDOR / "leaflet.draw.css").read_text(encoding="utf-8")
    assert re.sub(r"url\([^)]*\)", "url()", decoded) == re.sub(r"url\([^)]*\)", "url()", original)
    embedded = {(mime, base64.b64decode(data))
                for mime, data in re.findall(r"url\(data:([\w/+]+);base64,([A-Za-z0-9+/=]+)\)", decoded)}
    assert embedded == {("image/png", (VENDOR / "images/spritesheet.png").read_bytes()),
                        ("image/png", (VENDOR / "images/spritesheet-2x.png").read_bytes()),
                        ("image/svg+xml", (VENDOR / "images/spritesheet.svg").read_bytes())}


def test_nothing_remote_is_referenced():
    css = draw_css()
    assert "http://" not in css and "https://" not in css
    assert re.findall(r"url\((?!data:)", css) == []
    # the JavaScript names URLs only as text: its credits and the "Leaflet too old" error message
    js = (VENDOR / "leaflet.draw.js").read_text(encoding="utf-8")
    assert set(re.findall(r"https?://[^\s\"')]*", js)) == {
        "https://github.com/Leaflet/Leaflet.draw", "http://leafletjs.com",
        "https://github.com/Leaflet/Leaflet/"}
    # the SVG links only to its own fragments (http:// there are XML namespace names)
    svg = (VENDOR / "images/spritesheet.svg").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]*)"', svg)) <= {"#edit", "#remove"}


def test_a_rendered_map_loads_leaflet_draw_from_data_urls_only():
    m = make_offline(folium.Map(location=[59.33, 18.06], zoom_start=14, tiles=None))
    add_draw_control(m)
    html = m.get_root().render()
    assert "cdnjs" not in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]*)"', html)
    assert sources and all(url.startswith("data:") for url in sources), [u[:40] for u in sources]
    assert draw_data_urls()[0] in sources and draw_data_urls()[1] in sources
    assert not re.search(r"https?://[^\"' ]*leaflet[.-]draw", html)
    # Swedish texts are in place before the control builds its toolbar
    html = _unescape(html)
    assert html.index("Rita en polygon") < html.index("new L.Control.Draw")
    assert html.index("L.drawLocal") < html.index("new L.Control.Draw")


def test_for_st_folium_every_element_links_data_urls():
    """What ``st_folium`` collects from ``default_js``/``default_css`` (walking the map)."""
    m = make_offline_for_component(folium.Map(tiles=None))
    add_draw_control(m, existing=SQUARE)

    def walk(element):
        if isinstance(element, JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    links = [url for e in walk(m) for _, url in [*e.default_js, *e.default_css]]
    assert len(links) == 4 and all(url.startswith("data:") for url in links)


def test_the_st_folium_script_sets_the_texts_first_and_exposes_the_drawn_areas():
    import streamlit_folium  # a dependency of the app: missing is a failure, not a skip
    m = make_offline_for_component(folium.Map(tiles=None))
    add_draw_control(m, existing=SQUARE)
    m.get_root().render()
    script = streamlit_folium.generate_leaflet_string(m)
    assert script.index("L.drawLocal") < script.index("new L.Control.Draw")
    # st_folium renames this variable to ``drawnItems`` and reads the drawings from it
    assert re.search(r"var drawnItems_draw_control_div_\d+ =\s*feature_group_div_\d+;", script)


def test_only_polygon_and_rectangle_can_be_drawn():
    draw = add_draw_control(folium.Map(tiles=None))
    options = draw.draw_options
    assert all(options[kind] is False for kind in ("polyline", "circle", "marker", "circlemarker"))
    assert options["polygon"]["allowIntersection"] is False
    assert options["polygon"]["drawError"]["message"] == "Kanterna får inte korsa varandra!"
    assert options["polygon"]["shapeOptions"]["color"] == options["rectangle"]["shapeOptions"]["color"] == COLOUR
    assert {"edit", "remove"} <= set(draw.edit_options)
    assert draw.export is False and draw.show_geometry_on_click is False


def test_an_existing_area_is_drawn_editable():
    m = folium.Map(tiles=None)
    draw = add_draw_control(m, existing={"type": "Feature", "properties": {}, "geometry": SQUARE})
    assert draw.feature_group is not None
    html = m.get_root().render()
    assert "L.polygon(\n                [[[59.33, 18.05], [59.33, 18.07]" in html
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]]}
    m = folium.Map(tiles=None)
    add_draw_control(m, existing=multi)
    assert m.get_root().render().count("L.polygon(") == 2
    with pytest.raises(ValueError, match="polygon"):
        add_draw_control(folium.Map(tiles=None), existing={"type": "LineString", "coordinates": []})
