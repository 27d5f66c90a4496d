"""A clickable folium map prepared once and shown on every rerun through st_folium's component.

``st_folium`` renders the whole map to HTML and JavaScript on every rerun of the page: 0.2 s of
held GIL for the hot-spot map (about 350 kB of script), paid by every session on every click
anywhere on the page. ``prepare`` does that work once (keep its result in a cache, keyed by what
the map shows); ``show`` sends the prepared arguments to the very component ``st_folium`` uses,
so the browser gets the same map and clicks come back exactly as from ``st_folium``.
``tests/app/test_folium_map.py`` asserts that the arguments equal ``st_folium``'s own, so a
streamlit-folium release that changes them is caught.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import branca
import folium
import streamlit as st
import streamlit_folium as sf


@dataclass(frozen=True)
class PreparedMap:
    """What ``st_folium`` computes from a map, for one widget key."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: object
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    key: str
    hash_key: str  # the component's own key (a hash of the script and the widget key)


def prepare(m: folium.Map, key: str) -> PreparedMap:
    """Render ``m`` as ``st_folium(m, key=key)`` would (the map cannot be rendered again)."""
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)  # after the two above: it changes the folium structure
    try:
        (south, west), (north, east) = m.get_bounds()
    except AttributeError:
        south = west = north = east = None
    css: list[str] = []
    js: list[str] = []
    for element in _walk(m):
        if isinstance(element, branca.colormap.ColorMap):  # st_folium adds d3 for a legend
            js[:0] = ["https://d3js.org/d3.v4.min.js", "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"]
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return PreparedMap(
        script=script, header=header, html=html, map_id=sf.get_full_id(m),
        bounds={"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        zoom=m.options.get("zoom") if hasattr(m, "options") else {},
        css_links=tuple(dict.fromkeys(css)), js_links=tuple(dict.fromkeys(js)),
        key=key, hash_key=sf.generate_js_hash(script, key, False))


def _walk(element):
    if isinstance(element, branca.colormap.ColorMap | folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def st_folium(fig: Any, **kwargs: Any) -> Any:
    """``streamlit_folium.st_folium`` with its component registered first: every page that shows a
    map it draws on (Platser, Samhällsplanering, Trygghetsvandringar) calls this, so a map still
    draws after the server's warm-up imported the page outside a script run."""
    registered(sf._component_func)
    return sf.st_folium(fig, **kwargs)


def registered(component):
    """``component`` (a custom component) registered with the running server. Streamlit registers
    a component only when it is declared inside a script run; the server's warm-up thread
    (ui/warmup.py) imports the pages' modules outside one, and a module is imported once, so a
    component declared there stayed unknown and its frame got 404 (no map). Checked where it is
    used: a dictionary lookup per call."""
    from streamlit import runtime

    if runtime.exists():
        registry = runtime.get_instance().component_registry
        if registry.get_component_path(component.name) is None:
            registry.register_component(component)
    return component


def show(prepared: PreparedMap, *, height: int, returned_objects: Iterable[str],
         use_container_width: bool = True, width: int = 500) -> dict:
    """The map in the page; returns what ``st_folium`` would (only ``returned_objects``)."""
    wanted = list(returned_objects)
    defaults: dict[str, Any] = {name: None for name in wanted if name not in ("bounds", "zoom")}
    if "bounds" in wanted:
        defaults["bounds"] = prepared.bounds
    if "zoom" in wanted:
        defaults["zoom"] = prepared.zoom

    def on_change() -> None:  # as st_folium: the widget key holds the last value
        st.session_state[prepared.key] = st.session_state.get(prepared.hash_key, {})

    return registered(sf._component_func)(
        script=prepared.script, header=prepared.header, html=prepared.html, id=prepared.map_id,
        key=prepared.hash_key, height=height, width=None if use_container_width else width,
        returned_objects=wanted, default=defaults, zoom=None, center=None, feature_group=None,
        return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(prepared.css_links), js_links=list(prepared.js_links), on_change=on_change,
        wrap_longitude=False)
