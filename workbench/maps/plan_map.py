"""Web maps of the planning check: draw a plan area, or see it with its surroundings,
the districts, significant hot-spot cells and named places. Never a point of an incident."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import shapely
from branca.element import Element
from shapely.geometry.base import BaseGeometry

from workbench.geo.crs import SWEDEN_EXTENT_WGS84, SWEREF99TM, WGS84
from workbench.hotspots.gistar import CLASS_LABELS_SV
from workbench.maps.build import Basemap, base_map, html_text, outline_layer, tooltip_text
from workbench.maps.draw import add_draw_control
from workbench.palette import HOTSPOT_COLOURS, PLAN_FILL, PLAN_OUTLINE, RING_FILL, RING_OUTLINE

DISTRICTS = {"color": "#666", "weight": 1, "fill": False, "dashArray": "4 4"}  # orientation only


def _wgs84(geometry: BaseGeometry) -> BaseGeometry:
    return gpd.GeoSeries([geometry], crs=SWEREF99TM).to_crs(WGS84).iloc[0]


def draw_map(areas: gpd.GeoDataFrame, basemap: Basemap, *,
             existing: dict[str, Any] | None = None) -> folium.Map:
    """A map to draw one plan area on (for ``st_folium``), with the districts as orientation."""
    frame = areas.to_crs(WGS84) if len(areas) else None
    bounds = tuple(frame.total_bounds) if frame is not None else SWEDEN_EXTENT_WGS84
    m = base_map(bounds, basemap, for_component=True)
    if frame is not None:
        outline_layer(areas, name="Områden", style=DISTRICTS).add_to(m)
    add_draw_control(m, existing=existing)
    return m


def plan_check_map(plan: BaseGeometry, buffer_m: float, *, districts: gpd.GeoDataFrame,
                   cells: list[dict[str, Any]], places: gpd.GeoDataFrame, basemap: Basemap,
                   title: str) -> folium.Map:
    """The plan area (EPSG:3006) and what lies around it, as a self-contained map."""
    reach = plan.buffer(buffer_m, quad_segs=16) if buffer_m > 0 else plan
    minx, miny, maxx, maxy = _wgs84(reach).bounds
    m = base_map((minx, miny, maxx, maxy), basemap)
    if len(districts):
        outline_layer(districts, name="Områden", style=DISTRICTS).add_to(m)
    if cells:
        boxes = [shapely.box(c["x0"], c["y0"], c["x0"] + c["cell"], c["y0"] + c["cell"]) for c in cells]
        frame = gpd.GeoDataFrame(
            {"cls": [str(c["class"]) for c in cells],
             "tip": [html_text(CLASS_LABELS_SV.get(str(c["class"]), str(c["class"]))) for c in cells]},
            geometry=boxes, crs=SWEREF99TM).to_crs(WGS84)
        folium.GeoJson(frame.to_json(), name="Hot-spots",
                       style_function=lambda f: {"color": HOTSPOT_COLOURS.get(f["properties"]["cls"], "#999"),
                                                 "weight": 0.5, "fillOpacity": 0.5,
                                                 "fillColor": HOTSPOT_COLOURS.get(f["properties"]["cls"], "#999")},
                       tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False)).add_to(m)
    if buffer_m > 0:
        ring = gpd.GeoSeries([reach.difference(plan)], crs=SWEREF99TM).to_crs(WGS84)
        folium.GeoJson(ring.to_json(), name="Omgivning",
                       style_function=lambda f: {"color": RING_OUTLINE, "weight": 1.5, "dashArray": "6 4",
                                                 "fillColor": RING_FILL, "fillOpacity": 0.25},
                       tooltip=tooltip_text(f"Omgivning {buffer_m:.0f} m")).add_to(m)
    area = gpd.GeoSeries([plan], crs=SWEREF99TM).to_crs(WGS84)
    folium.GeoJson(area.to_json(), name="Planområdet",
                   style_function=lambda f: {"color": PLAN_OUTLINE, "weight": 3, "fillColor": PLAN_FILL,
                                             "fillOpacity": 0.3},
                   tooltip=tooltip_text(title)).add_to(m)
    if len(places):
        frame = places.to_crs(WGS84)
        for name, kind, geom in zip(frame["name"], frame["kind"], frame.geometry, strict=True):
            point = geom.representative_point()
            folium.CircleMarker([point.y, point.x], radius=5, color="#111", weight=1, fill=True,
                                fill_color="#fff", fill_opacity=1,
                                tooltip=tooltip_text(f"{name} ({kind})" if kind else name)).add_to(m)
    legend = [f'<div><i style="background:{PLAN_FILL};border-color:{PLAN_OUTLINE}"></i>Planområdet</div>']
    if buffer_m > 0:
        legend.append(f'<div><i style="background:{RING_FILL};border:1px dashed {RING_OUTLINE}"></i>'
                      f"Omgivning {buffer_m:.0f} m</div>")
    for cls in dict.fromkeys(str(c["class"]) for c in cells):
        legend.append(f'<div><i style="background:{HOTSPOT_COLOURS.get(cls, "#999")}"></i>'
                      f"{html_text(CLASS_LABELS_SV.get(cls, cls))}</div>")
    if len(places):
        legend.append('<div><i style="background:#fff;border-radius:50%"></i>EST-gruppens platser</div>')
    m.get_root().html.add_child(Element(f'<div class="wb-legend">{"".join(legend)}</div>'))  # type: ignore[attr-defined]  # folium types get_root() as Element; a Map's root is a Figure
    return m
