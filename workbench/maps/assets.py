"""Leaflet's JS/CSS from the installed ``django-js-lib-leaflet`` package, inlined into map HTML.

Police and municipal networks often block CDNs; folium's default CDN links then leave the map
empty. Inlining makes every map self-contained (the Streamlit page, an exported report alike).
Leaflet.draw (the drawing tools) is vendored in ``vendor/leaflet_draw`` for the same reason.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources

import folium
from branca.element import Element

_PACKAGE = "js_lib_leaflet"
_DIR = "static/js_lib_leaflet"
_DRAW_DIR = "vendor/leaflet_draw"
_IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}


def _read(name: str) -> bytes:
    return (resources.files(_PACKAGE) / _DIR / name).read_bytes()


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, with the script-closing sequence made harmless."""
    return _read("leaflet.js").decode("utf-8").replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's CSS with its images embedded as data URIs."""
    css = _read("leaflet.css").decode("utf-8")

    def embed(match: re.Match[str]) -> str:
        name = match.group(1)
        data = base64.b64encode(_read(name)).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", embed, css)


def leaflet_version() -> str:
    match = re.search(r'version\s*=\s*"([\d.]+)"', leaflet_js()) or re.search(
        r"Leaflet ([\d.]+)", leaflet_js())
    return match.group(1) if match else "okänd"


@lru_cache(maxsize=1)
def data_urls() -> tuple[str, str]:
    """(JS, CSS) of Leaflet as data: URLs, for components that load scripts by URL."""
    js = base64.b64encode(_read("leaflet.js")).decode("ascii")
    css = base64.b64encode(leaflet_css().encode("utf-8")).decode("ascii")
    return f"data:text/javascript;base64,{js}", f"data:text/css;base64,{css}"


def _read_draw(name: str) -> bytes:
    return (resources.files("workbench.maps") / _DRAW_DIR / name).read_bytes()


@lru_cache(maxsize=1)
def draw_css() -> str:
    """Leaflet.draw's CSS with its sprite images embedded as data URIs."""
    css = _read_draw("leaflet.draw.css").decode("utf-8")

    def embed(match: re.Match[str]) -> str:
        name = match.group(1)
        mime = _IMAGE_TYPES[name[name.rindex("."):]]
        data = base64.b64encode(_read_draw(name)).decode("ascii")
        return f"url(data:{mime};base64,{data})"

    css = re.sub(r"""url\(['"]?(images/[\w.-]+\.(?:png|svg))['"]?\)""", embed, css)
    if re.search(r"https?://|url\((?!data:)", css):
        raise RuntimeError("leaflet.draw.css refers to a file that is not embedded")
    return css


@lru_cache(maxsize=1)
def draw_data_urls() -> tuple[str, str]:
    """(JS, CSS) of Leaflet.draw as data: URLs, for folium's ``Draw`` plugin and ``st_folium``."""
    js = base64.b64encode(_read_draw("leaflet.draw.js")).decode("ascii")
    css = base64.b64encode(draw_css().encode("utf-8")).decode("ascii")
    return f"data:text/javascript;base64,{js}", f"data:text/css;base64,{css}"


def make_offline_for_component(m: folium.Map) -> folium.Map:
    """For ``st_folium``: it loads each element's ``default_js``/``default_css`` by URL, so give
    *this* map instance data: URLs of Leaflet instead of CDN links (nothing else is needed)."""
    js, css = data_urls()
    m.default_js = [("leaflet", js)]
    m.default_css = [("leaflet_css", css)]
    return m


def make_offline(m: folium.Map) -> folium.Map:
    """Drop folium's CDN links on *this* map instance and inline Leaflet instead."""
    m.default_js = []
    m.default_css = []
    header = m.get_root().header  # type: ignore[attr-defined]  # folium types get_root() as Element; a Map's root is a Figure
    header.add_child(Element(f"<style>{leaflet_css()}</style>"), name="leaflet_css_inline")
    header.add_child(Element(f"<script>{leaflet_js()}</script>"), name="leaflet_js_inline")
    return m
