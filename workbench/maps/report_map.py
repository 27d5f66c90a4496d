"""The Rapportera page's map: the organisation's areas (outline and name) and its known places, on
a map the reporter taps to say where something happened. Offline like every map of the workbench
(Leaflet by data: URL); without reachable tiles the outlines and names still show where one is."""

from __future__ import annotations

import folium
import geopandas as gpd

from workbench.geo.crs import SWEDEN_EXTENT_WGS84, WGS84
from workbench.maps.build import Basemap, base_map, html_text, outline_layer, tooltip_text

# Sweden, when the organisation has no areas yet (lon/lat; geo/crs.py's one extent).
SWEDEN = SWEDEN_EXTENT_WGS84


def report_map(outlines: gpd.GeoDataFrame, places: list[tuple[str, float, float]],
               bounds: tuple[float, float, float, float] | None, basemap: Basemap) -> folium.Map:
    """Areas drawn as outlines with their names (not clickable: a tap anywhere is a point) and the
    known places as small named circles, fitted to the areas."""
    m = base_map(bounds or SWEDEN, basemap, for_component=True)
    if len(outlines):
        layer = outline_layer(outlines, name="Områden", style={"color": "#444", "weight": 1.5, "fill": False,
                                                               "interactive": False})
        layer.add_to(m)
        for name, point in zip(outlines["name"], outlines.to_crs(WGS84).geometry.representative_point(),
                               strict=True):
            folium.Marker([point.y, point.x], icon=folium.DivIcon(
                html=f'<div class="wb-label">{html_text(str(name))}</div>', icon_size=(120, 20),
                icon_anchor=(60, 10), class_name="wb-label-icon"), interactive=False).add_to(m)
    for name, lon, lat in places:
        folium.CircleMarker([lat, lon], radius=6, color="#1b7837", weight=2, fill=True, fill_opacity=0.6,
                            tooltip=tooltip_text(name), bubbling_mouse_events=True).add_to(m)
    return m
