"""The emerging hot-spot map: cells coloured by Esri's pattern, outlines of the areas; aggregates
only (cells with a pattern, capped), small totals hidden on a shared screen."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
from branca.element import Element

from workbench import numbers as nf
from workbench.anonymise.suppress import suppressed_label
from workbench.geo.crs import WGS84, to_wgs84
from workbench.hotspots.emerging import CLASS_LABELS_SV, EmergingResult
from workbench.maps.build import Basemap, base_map, html_text
from workbench.maps.hotspot_map import _cell_layer, _grid_bounds_wgs84, _outlines

MAX_CELLS = 3000
# Hot: reds from the newest to the oldest; cold mirrored in blues (as Esri's legend, simplified).
EMERGING_COLOURS = {
    "hot_new": "#67000d", "hot_consecutive": "#a50f15", "hot_intensifying": "#d7301f",
    "hot_persistent": "#ef6548", "hot_diminishing": "#fc8d59", "hot_sporadic": "#fdbb84",
    "hot_oscillating": "#fdd49e", "hot_historical": "#c7a89b",
    "cold_new": "#08306b", "cold_consecutive": "#08519c", "cold_intensifying": "#2171b5",
    "cold_persistent": "#4292c6", "cold_diminishing": "#6baed6", "cold_sporadic": "#9ecae1",
    "cold_oscillating": "#c6dbef", "cold_historical": "#9fa9b8",
}


def visible_cells(result: EmergingResult, *, min_count: int, suppress: bool) -> np.ndarray:
    """Cells with a pattern that may be drawn: on a shared screen not those with a small total."""
    totals = result.counts.sum(axis=0)
    ids = np.flatnonzero(result.emerging_class != "none")
    if suppress:
        ids = ids[~((totals[ids] > 0) & (totals[ids] < min_count))]
    return ids


def emerging_map(result: EmergingResult, areas: gpd.GeoDataFrame | None, *, min_count: int,
                 suppress: bool, basemap: Basemap) -> folium.Map:
    grid = result.grid
    (south, west), (north, east) = _grid_bounds_wgs84(grid)
    m = base_map((west, south, east, north), basemap, for_component=True)
    totals = result.counts.sum(axis=0)
    ids = visible_cells(result, min_count=min_count, suppress=suppress)
    ids = ids[np.argsort(-np.abs(result.trend_z[ids]), kind="stable")][:MAX_CELLS]
    classes = result.emerging_class[ids]

    def label(n: int) -> str:
        return suppressed_label(n, min_count) if suppress else nf.integer(n)

    _cell_layer(grid, ids, [EMERGING_COLOURS[c] for c in classes],
                [f"{html_text(CLASS_LABELS_SV[c])}: {label(n)} händelser över "
                 f"{len(result.steps)} tidssteg (trend z {z:.1f})".replace(".", ",")
                 for c, n, z in zip(classes, totals[ids], result.trend_z[ids], strict=True)],
                "Hot-spots över tid", m, show=True, opacity=0.8)
    if areas is not None and len(areas):
        _outlines(areas, "Områden", "#222", m, show=True)
    folium.LayerControl(collapsed=True).add_to(m)
    present = [c for c in EMERGING_COLOURS if c in set(classes)]
    rows = "".join(f'<div><i style="background:{EMERGING_COLOURS[c]}"></i>'
                   f'{html_text(CLASS_LABELS_SV[c])}</div>' for c in present)
    m.get_root().html.add_child(Element(  # type: ignore[attr-defined]  # folium types get_root() as Element; a Map's root is a Figure
        f'<div class="wb-legend"><b>Hot-spots över tid</b>{rows or "<div>Inga mönster</div>"}</div>'))
    return m


def attention_map(grid, zones, areas: gpd.GeoDataFrame | None, *, basemap: Basemap) -> folium.Map:
    """Attention zones as cells (never the events), with the last day of attention."""
    (south, west), (north, east) = _grid_bounds_wgs84(grid)
    m = base_map((west, south, east, north), basemap, for_component=True)
    ids = zones["cell_id"].to_numpy()
    _cell_layer(grid, ids, ["#6a3d9a"] * len(ids),
                [f"Uppmärksamhet till {u}: nära {n} färska händelser" for u, n in
                 zip(zones["until"], zones["events"], strict=True)],
                "Uppmärksamhetszoner", m, show=True, opacity=0.55, line="#6a3d9a")
    if areas is not None and len(areas):
        _outlines(areas, "Områden", "#222", m, show=True)
    if len(ids):
        xs, ys = grid.centres(ids)
        lon, lat = to_wgs84(xs, ys)
        m.fit_bounds([[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]])
    return m


def area_emerging_map(result, areas: gpd.GeoDataFrame, *, min_count: int, suppress: bool,
                      basemap: Basemap) -> folium.Map:
    """Areas filled by their pattern (outline only for none), with the total in the tooltip."""
    wgs = areas.to_crs(WGS84)
    west, south, east, north = wgs.total_bounds
    m = base_map((west, south, east, north), basemap, for_component=True)
    frame = result.frame().set_index("area_id")
    tips, fills = [], []
    for area_id, name in zip(areas["id"].astype(int), areas["name"], strict=True):
        row = frame.loc[area_id]
        total = int(row["total"])
        shown = suppressed_label(total, min_count) if suppress else str(total)
        tips.append(f"<b>{html_text(str(name))}</b><br>{html_text(CLASS_LABELS_SV[row['emerging_class']])}"
                    f"<br>{html_text(shown)} händelser")
        fills.append(EMERGING_COLOURS.get(row["emerging_class"], ""))
    data = gpd.GeoDataFrame({"tip": tips, "fill": fills},
                            geometry=wgs.geometry.simplify(0.00002), crs=WGS84)
    folium.GeoJson(data.to_json(), name="Hot-spots över tid (områden)",
                   style_function=lambda f: {"color": "#222", "weight": 1.5,
                                             "fillColor": f["properties"]["fill"] or "#ffffff",
                                             "fillOpacity": 0.7 if f["properties"]["fill"] else 0.0},
                   tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False)).add_to(m)
    return m
