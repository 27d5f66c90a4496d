"""Build folium maps from aggregated figures; every user text goes through html_text()."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

import folium
import geopandas as gpd
import numpy as np
from branca.element import Element, MacroElement
from folium.template import Template

from workbench import numbers as nf
from workbench.anonymise.suppress import is_suppressed, suppressed_label
from workbench.geo.crs import SWEREF99TM, WGS84
from workbench.maps.assets import make_offline, make_offline_for_component
from workbench.palette import OUTLINE, SEQUENTIAL, SUPPRESSED, class_breaks, colour_for

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def html_text(text: object) -> str:
    """User text for HTML anywhere in a folium map (labels, GeoJSON tooltip fields, legends).

    Besides HTML escaping, no ``{`` or ``}`` may survive: folium renders the output of every
    map element once more as a Jinja template, so ``{{7*7}}`` in a place name would be shown
    as 49 and ``{{ … }}`` could reach Python on the server. As entities they read the same.

    >>> html_text('<b>"{{7*7}}"</b>')
    '&lt;b&gt;&quot;&#123;&#123;7*7&#125;&#125;&quot;&lt;/b&gt;'
    """
    return escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


def tooltip_text(text: object) -> str:
    """User text for ``tooltip=``/``popup=`` strings: folium puts those inside a JavaScript
    template literal (`` `…` ``), so besides :func:`html_text`, backtick, ``$`` and backslash
    must not survive either (``${…}`` would run as script).

    >>> tooltip_text("Kv. `Eken` ${alert(1)} <b>")
    'Kv. &#96;Eken&#96; &#36;&#123;alert(1)&#125; &lt;b&gt;'
    """
    return (html_text(text).replace("`", "&#96;").replace("$", "&#36;")
            .replace("\\", "&#92;"))


@dataclass(frozen=True)
class Basemap:
    """'osm', 'none' or an XYZ/WMTS template URL, with its attribution."""

    setting: str
    attribution: str

    def add_to(self, m: folium.Map) -> None:
        """The tile layer, and one line on the map when there is no base map: configured as
        'none', or (found in the browser) its tiles cannot be fetched."""
        if self.setting == "none":
            m.get_root().html.add_child(Element(  # type: ignore[attr-defined]  # folium types get_root() as Element; a Map's root is a Figure
                f'<div class="wb-basemap-note">{html_text(NO_BASEMAP)}</div>'))
            return
        url = OSM_URL if self.setting == "osm" else self.setting
        layer = folium.TileLayer(tiles=url, attr=html_text(self.attribution), name="Bakgrundskarta",
                                 max_zoom=19, control=False)
        layer.add_to(m)
        m.add_child(_TileErrorNote(layer))


NO_BASEMAP = "Ingen bakgrundskarta (WORKBENCH_BASEMAP=none): områden och data ritas på ljus bakgrund."
UNREACHABLE_BASEMAP = "Bakgrundskartan kan inte hämtas – områden och data visas ändå."


class _MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's also shows feet and miles),
    at the bottom right, clear of the legend."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, position: "bottomright"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        """No options: the same scale bar on every map."""
        super().__init__()
        self._name = "MetricScale"


class _TileErrorNote(MacroElement):
    """One line on the map the first time a base-map tile fails to load (no network, a blocked
    tile server), instead of a silently blank background."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (layer, map) {
            var shown = false;
            layer.on("tileerror", function () {
                if (shown) { return; }
                shown = true;
                var note = L.DomUtil.create("div", "wb-basemap-note", map.getContainer());
                note.textContent = {{ this.text|tojson }};
            });
        })({{ this.layer.get_name() }}, {{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, layer: folium.TileLayer) -> None:
        """The tile layer to watch."""
        super().__init__()
        self._name = "TileErrorNote"
        self.layer = layer
        self.text = UNREACHABLE_BASEMAP


def base_map(bounds_wgs84: tuple[float, float, float, float], basemap: Basemap,
             *, for_component: bool = False, max_zoom: int | None = None) -> folium.Map:
    """An offline-capable map fitted to (minx, miny, maxx, maxy) in lon/lat.

    ``for_component``: the map goes to ``st_folium`` (Leaflet by data: URL) rather than into a
    self-contained HTML document (Leaflet inline)."""
    minx, miny, maxx, maxy = bounds_wgs84
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13, tiles=None,
                   control_scale=False, prefer_canvas=False)
    m.add_child(_MetricScale())  # metres and kilometres, bottom right (the legend is bottom left)
    if for_component:
        make_offline_for_component(m)
    else:
        make_offline(m)
    basemap.add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=max_zoom)
    if for_component:  # the component's frame gets its height after Leaflet fitted the view
        m.add_child(_RefitOnFirstResize([[miny, minx], [maxy, maxx]], max_zoom))
    m.get_root().header.add_child(Element(  # type: ignore[attr-defined]  # folium types get_root() as Element; a Map's root is a Figure
        "<style>.leaflet-container{background:#f4f4f1;font-family:system-ui,sans-serif}"
        ".wb-label{font:600 12px system-ui,sans-serif;color:#111;text-shadow:0 0 3px #fff,0 0 3px #fff;"
        "white-space:nowrap;text-align:center}.wb-label-icon{pointer-events:none}"
        ".wb-legend{position:absolute;z-index:1000;bottom:18px;left:10px;background:#fff;"
        "padding:8px 10px;border:1px solid #888;border-radius:4px;font:13px system-ui,sans-serif}"
        ".wb-legend i{display:inline-block;width:14px;height:14px;margin-right:6px;"
        "vertical-align:middle;border:1px solid #666}"
        ".wb-basemap-note{position:absolute;z-index:1000;top:8px;left:50%;transform:translateX(-50%);"
        "max-width:92%;background:#fff8e1;border:1px solid #c9a227;border-radius:4px;padding:3px 8px;"
        "font:13px system-ui,sans-serif;color:#333;white-space:nowrap;overflow:hidden;"
        "text-overflow:ellipsis;pointer-events:none}</style>"), name="workbench_css")
    return m


class _RefitOnFirstResize(MacroElement):
    """Fit the bounds again when the map's frame first changes size (within a few seconds of
    loading, before a person has moved the map): st_folium's frame starts short and grows, so
    the first fit chose a zoom for a strip of map (250 m cells 12 px wide)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var started = Date.now(), moved = false;
            map.once("dragstart", function () { moved = true; });
            function refit() {
                if (moved || Date.now() - started > 5000) { return; }
                map.fitBounds({{ this.bounds|tojson }}, {{ this.options|tojson }});
                map.once("resize", refit);
            }
            map.once("resize", refit);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], max_zoom: int | None) -> None:
        """The bounds and options of the first fit."""
        super().__init__()
        self._name = "RefitOnFirstResize"
        self.bounds = bounds
        self.options = {"maxZoom": max_zoom} if max_zoom else {}


def area_count_map(areas: gpd.GeoDataFrame, counts: dict[int, int], *, min_count: int,
                   suppress: bool, basemap: Basemap, title: str = "Polisens händelser") -> folium.Map:
    """Areas coloured by count, with a name label, a tooltip and a legend.

    ``counts`` maps area id → count. With ``suppress`` counts below ``min_count`` are shown as
    '<N' and drawn grey. No point data is ever placed on this map.
    """
    frame = areas.to_crs(WGS84)
    values = np.array([counts.get(int(i), 0) for i in frame["id"]], dtype=float)
    hidden = np.array([suppress and is_suppressed(v, min_count) for v in values], dtype=bool)
    breaks = class_breaks(values[~hidden])
    m = base_map(tuple(frame.total_bounds), basemap)
    features = []
    for (_, row), value, hide in zip(frame.iterrows(), values, hidden, strict=True):
        label = suppressed_label(value, min_count) if suppress else nf.integer(value)
        name = html_text(str(row["name"]))
        features.append({
            "type": "Feature",
            "geometry": json.loads(gpd.GeoSeries([row.geometry]).to_json())["features"][0]["geometry"],
            "properties": {
                "tooltip": f"<b>{name}</b><br>{html_text(title)}: {html_text(label)}",
                "fill": SUPPRESSED if hide else colour_for(value, breaks),
            },
        })
        point = row.geometry.representative_point()
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div class="wb-label">{name}<br>{html_text(label)}</div>',
                                icon_size=(120, 32), icon_anchor=(60, 16), class_name="wb-label-icon"),
        ).add_to(m)
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Områden",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": OUTLINE,
                                  "weight": 1.5, "fillOpacity": 0.65},
        highlight_function=lambda f: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    )
    layer.add_to(m)
    m.get_root().html.add_child(Element(_legend_html(breaks, min_count, suppress, title)))  # type: ignore[attr-defined]  # folium types get_root() as Element; a Map's root is a Figure
    return m


def _legend_html(breaks: list[float], min_count: int, suppress: bool, title: str) -> str:
    offset = len(SEQUENTIAL) - len(breaks)
    lower = 1 if not suppress else min_count
    rows = []
    for i, upper in enumerate(breaks):
        if upper < lower:
            continue
        span = f"{int(lower)}" if int(lower) == int(upper) else f"{int(lower)}–{int(upper)}"
        rows.append(f'<div><i style="background:{SEQUENTIAL[i + offset]}"></i>{span}</div>')
        lower = int(upper) + 1
    if suppress:
        rows.append(f'<div><i style="background:{SUPPRESSED}"></i>färre än {min_count} (dolt)</div>')
    return (f'<div class="wb-legend"><b>{html_text(title)}</b>{"".join(rows)}</div>')


def outline_layer(areas: gpd.GeoDataFrame, *, name: str, style: dict, label: str = "name") -> folium.GeoJson:
    """Polygons (any CRS) as a GeoJSON layer in WGS 84 with the ``label`` column, escaped, as
    tooltip. The styling is fixed per layer."""
    data = gpd.GeoDataFrame({"tip": [html_text(str(v)) for v in areas[label]]},
                            geometry=areas.geometry, crs=areas.crs).to_crs(WGS84)
    return folium.GeoJson(data.to_json(), name=name, style_function=lambda f: style,
                          tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False))


def map_html(m: folium.Map) -> str:
    """The complete, self-contained HTML document of a map."""
    return m.get_root().render()


PREVIEW_MAX_POINTS = 500


def points_preview_map(x, y, labels, basemap: Basemap) -> folium.Map | None:
    """The first points of a file being imported (at most PREVIEW_MAX_POINTS), for checking
    that coordinates landed where expected. Only for the person importing their own file."""
    import numpy as np

    from workbench.geo.crs import to_wgs84

    xs = np.asarray(x, dtype=float)[:PREVIEW_MAX_POINTS]
    ys = np.asarray(y, dtype=float)[:PREVIEW_MAX_POINTS]
    texts = list(labels)[:PREVIEW_MAX_POINTS]
    known = ~(np.isnan(xs) | np.isnan(ys))
    if not known.any():
        return None
    lon, lat = to_wgs84(xs[known], ys[known])
    pad = 0.002
    m = base_map((float(lon.min()) - pad, float(lat.min()) - pad, float(lon.max()) + pad,
                  float(lat.max()) + pad), basemap)
    group = folium.FeatureGroup(name="Förhandsvisning")
    for lo, la, text in zip(lon, lat, [t for t, k in zip(texts, known, strict=True) if k], strict=True):
        folium.CircleMarker([la, lo], radius=4, weight=1, color="#08519c", fill=True,
                            fill_opacity=0.7, tooltip=tooltip_text(text)).add_to(group)
    group.add_to(m)
    return m


def layer_preview_map(layer: gpd.GeoDataFrame, basemap: Basemap, *, label: str = "name") -> folium.Map:
    """Outlines of an area/place layer being imported, with escaped name tooltips."""
    m = base_map(tuple(layer.to_crs(WGS84).total_bounds), basemap)
    outline_layer(layer, name="Lager", label=label,
                  style={"color": "#08519c", "weight": 2, "fillOpacity": 0.15}).add_to(m)
    return m


def places_map(places: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, basemap: Basemap,
               *, selected: int | None = None) -> folium.Map:
    """Areas and places (point places drawn as their circle) for picking or adding a place."""
    from workbench.hotspots.ranking import place_geometries

    shapes = gpd.GeoDataFrame({"place_id": places["id"].astype(int).to_numpy(),
                               "tip": [f"<b>{html_text(str(n))}</b>" for n in places["name"]]},
                              geometry=place_geometries(places), crs=SWEREF99TM).to_crs(WGS84)
    frame = areas.to_crs(WGS84) if len(areas) else shapes
    m = base_map(tuple(frame.total_bounds), basemap, for_component=True)
    if len(areas):
        outline_layer(areas, name="Områden", style={"color": "#444", "weight": 1, "fill": False}).add_to(m)
    folium.GeoJson(shapes.to_json(), name="Platser",
                   style_function=lambda f: {
                       "color": "#b2182b" if f["properties"]["place_id"] == selected else "#1b7837",
                       "weight": 3, "fillOpacity": 0.25},
                   tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False)).add_to(m)
    return m
