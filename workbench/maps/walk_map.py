"""Maps of a trygghetsvandring (for ``st_folium``, offline): draw the route when planning, and tap
the spot of an observation during the walk — or use the phone's position, which the map hands on
as a tap at that spot (the browser's geolocation needs no internet)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from folium.plugins import Draw
from folium.template import Template

from workbench.geo.crs import SWEDEN_EXTENT_WGS84, SWEREF99TM, WGS84
from workbench.maps.assets import draw_data_urls
from workbench.maps.build import Basemap, base_map, outline_layer, tooltip_text
from workbench.maps.draw import SWEDISH, _SwedishTexts

ROUTE = {"color": "#08306b", "weight": 5, "opacity": 0.85}
AREA = {"color": "#08306b", "weight": 2, "fill": True, "fillOpacity": 0.05, "dashArray": "6 4"}
OTHER_AREAS = {"color": "#666", "weight": 1, "fill": False, "dashArray": "4 4"}
ROUTE_TEXTS: dict[str, Any] = copy.deepcopy(SWEDISH)
ROUTE_TEXTS["draw"]["toolbar"]["buttons"]["polyline"] = "Rita vandringens sträcka"
ROUTE_TEXTS["draw"]["toolbar"]["finish"] = {"title": "Slutför sträckan", "text": "Slutför"}
ROUTE_TEXTS["draw"]["handlers"]["polyline"] = {
    "error": "Linjen får inte korsa sig själv här.",
    "tooltip": {"start": "Klicka där vandringen börjar.", "cont": "Klicka för att fortsätta sträckan.",
                "end": "Klicka på sista punkten igen för att avsluta sträckan."},
}
ROUTE_TEXTS["edit"]["toolbar"]["actions"]["clearAll"] = {"title": "Ta bort sträckan", "text": "Rensa allt"}


class _RouteTexts(_SwedishTexts):
    def __init__(self) -> None:
        super().__init__()
        self.texts = ROUTE_TEXTS


class _LocateButton(MacroElement):
    """A large 'Min position' button: the browser's position becomes a tap on the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var Locate = L.Control.extend({
                options: {position: "topright"},
                onAdd: function () {
                    var button = L.DomUtil.create("button", "walk-locate");
                    button.type = "button";
                    button.textContent = "Min position";
                    button.title = "Använd telefonens position";
                    button.style.cssText = "font-size:17px;padding:10px 16px;min-height:48px;background:#fff;" +
                        "border:2px solid #08306b;border-radius:8px;color:#08306b;font-weight:600;";
                    L.DomEvent.disableClickPropagation(button);
                    L.DomEvent.on(button, "click", function () {
                        button.textContent = "Söker position …";
                        map.locate({setView: true, maxZoom: 17, enableHighAccuracy: true, timeout: 15000});
                    });
                    map.on("locationfound", function (e) {
                        button.textContent = "Min position";
                        map.fire("click", {latlng: e.latlng});
                    });
                    map.on("locationerror", function () {
                        button.textContent = "Positionen gick inte att få – tryck i kartan";
                    });
                    return button;
                }
            });
            new Locate().addTo(map);
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "WalkLocate"


class _TouchRoute(MacroElement):
    """Leaflet.draw on a touch screen: a tap adds the point (touchstart) and then the browser's
    compatibility mouse and click events of the same tap land on that new point, which Leaflet.draw
    reads as 'tap the last point to finish' — a route ended after its second point. Those events
    right after a touch are ignored; tapping the last point again (or Slutför) still finishes."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (P) {
            if (!P || P.__wbTouchFix) { return; }
            P.__wbTouchFix = true;
            var touch = P._onTouch, down = P._onMouseDown, up = P._onMouseUp, finish = P._finishShape;
            function recent(self) { return self._wbTouchAt && Date.now() - self._wbTouchAt < 800; }
            P._onTouch = function (e) { this._wbTouchAt = Date.now(); return touch.call(this, e); };
            P._onMouseDown = function (e) { if (!recent(this)) { return down.call(this, e); } };
            P._onMouseUp = function (e) { if (!recent(this)) { return up.call(this, e); } };
            P._finishShape = function (e) {  // the click of the tap that just added this point
                if (e && e.type === "click" && recent(this)) { return; }
                return finish.apply(this, arguments);
            };
        })(L.Draw && L.Draw.Polyline && L.Draw.Polyline.prototype);
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "WalkTouchRoute"


def _bounds(area: gpd.GeoDataFrame, route: shapely.LineString | None) -> tuple[float, float, float, float]:
    shapes = list(area.geometry) + ([route] if route is not None else [])
    if not shapes:
        return SWEDEN_EXTENT_WGS84
    return tuple(gpd.GeoSeries(shapes, crs=SWEREF99TM).to_crs(WGS84).total_bounds)


def _route_layer(route: shapely.LineString, m: folium.Map) -> None:
    line = gpd.GeoSeries([route], crs=SWEREF99TM).to_crs(WGS84).iloc[0]
    folium.PolyLine([(lat, lon) for lon, lat in line.coords], tooltip="Planerad sträcka", **ROUTE).add_to(m)


def route_map(area: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, basemap: Basemap) -> folium.Map:
    """The chosen area with a tool to draw one route (a line) on it."""
    m = base_map(_bounds(area, None), basemap, for_component=True)
    if len(areas):
        outline_layer(areas, name="Områden", style=OTHER_AREAS).add_to(m)
    if len(area):
        outline_layer(area, name="Området", style=AREA).add_to(m)
    group = folium.FeatureGroup(name="Sträcka", control=False)
    draw = Draw(export=False, feature_group=group, show_geometry_on_click=False,
                draw_options={"polyline": {"shapeOptions": ROUTE, "metric": True, "feet": False},
                              "polygon": False, "rectangle": False, "circle": False, "marker": False,
                              "circlemarker": False},
                edit_options={"edit": {}, "remove": {}})
    draw.default_js = [("leaflet_draw_js", draw_data_urls()[0])]
    draw.default_css = [("leaflet_draw_css", draw_data_urls()[1])]
    m.add_child(_RouteTexts())
    m.add_child(group)
    m.add_child(draw)
    m.add_child(_TouchRoute())
    return m


def record_map(area: gpd.GeoDataFrame, route: shapely.LineString | None, basemap: Basemap, *,
               observations: Sequence[dict[str, Any]] = (), chosen: tuple[float, float] | None = None) -> folium.Map:
    """The walk's area and route, the observations made so far (numbered), the spot just tapped
    (``chosen`` as lat, lon) and the 'Min position' button."""
    m = base_map(_bounds(area, route), basemap, for_component=True)
    if len(area):
        outline_layer(area, name="Området", style=AREA).add_to(m)
    if route is not None:
        _route_layer(route, m)
    placed = [o for o in observations if o.get("x") is not None and o.get("y") is not None]
    if placed:
        points = gpd.GeoSeries(gpd.points_from_xy([o["x"] for o in placed], [o["y"] for o in placed]),
                               crs=SWEREF99TM).to_crs(WGS84)
        for number, (o, p) in enumerate(zip(placed, points, strict=True), start=1):
            folium.CircleMarker([p.y, p.x], radius=9, color="#fff", weight=2, fill=True, fill_color="#b2182b",
                                fill_opacity=0.9, tooltip=tooltip_text(f"{number}. {o['label']}")).add_to(m)
    if chosen is not None:
        folium.CircleMarker(list(chosen), radius=12, color="#08306b", weight=4, fill=True,
                            fill_color="#6baed6", fill_opacity=0.8, tooltip="Iakttagelsens plats").add_to(m)
    m.add_child(_LocateButton())
    return m
