"""The kommunpolis' hot-spot map: Gi* classes, heat, outlines and aggregated layers only.

The browser gets cells, outlines and one heat image, never an incident: the payload grows with
the number of non-empty cells (capped at MAX_CELLS), not with the number of incidents.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element

from workbench import numbers as nf
from workbench.anonymise.suppress import suppressed_label
from workbench.geo.crs import SWEREF99TM, WGS84, to_wgs84
from workbench.geo.grid import Grid
from workbench.hotspots.gistar import CLASS_LABELS_SV, NEIGHBOURHOOD_NOTE, HotspotResult, cell_tip
from workbench.hotspots.ranking import place_geometries
from workbench.maps.build import Basemap, base_map, html_text
from workbench.maps.draw import add_draw_control
from workbench.palette import HOTSPOT_COLOURS

MAX_CELLS = 3000  # significant cells drawn (strongest first)
MAX_OTHER_CELLS = 600  # other layers of cells (busiest first)


@dataclass(frozen=True)
class HotspotLayers:
    """Everything the map shows, already aggregated."""

    result: HotspotResult
    density: tuple[Grid, np.ndarray] | None = None
    areas: gpd.GeoDataFrame | None = None
    other_areas: dict[str, gpd.GeoDataFrame] | None = None
    places: pd.DataFrame | None = None  # with geometry, name, count
    fault_counts: np.ndarray | None = None  # per cell of result.grid
    walk_counts: np.ndarray | None = None


def _cells_geojson(grid: Grid, ids: np.ndarray, properties: dict[str, list]) -> dict:
    """Compact GeoJSON of cell squares (5 decimals ≈ 1 m); the feature id is the cell id, so
    folium's style map lists small integers."""
    boxes = grid.boxes(ids)
    coords = shapely.get_coordinates(boxes)
    lon, lat = to_wgs84(coords[:, 0], coords[:, 1])
    lon, lat = np.round(lon, 5).reshape(-1, 5), np.round(lat, 5).reshape(-1, 5)
    features = []
    for i in range(len(ids)):
        ring = [[float(a), float(b)] for a, b in zip(lon[i], lat[i], strict=True)]
        features.append({"type": "Feature", "id": int(ids[i]),
                         "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {k: v[i] for k, v in properties.items()}})
    return {"type": "FeatureCollection", "features": features}


def _cell_layer(grid: Grid, ids: np.ndarray, fills: list[str], tips: list[str], name: str,
                m: folium.Map, *, show: bool, opacity: float, line: str = "#555") -> None:
    if not len(ids):
        return
    one_colour = len(set(fills)) == 1
    properties: dict[str, list] = {"cell_id": [int(i) for i in ids], "tip": tips}
    if not one_colour:
        properties["fill"] = fills
    data = _cells_geojson(grid, ids, properties)
    folium.GeoJson(data, name=name, show=show,
                   style_function=lambda f: {"fillColor": fills[0] if one_colour else f["properties"]["fill"],
                                             "color": line, "weight": 0.4, "fillOpacity": opacity},
                   tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False)).add_to(m)


def _density_png(density: np.ndarray) -> str:
    """Transparent → red PNG (data URL) of a density array (row 0 = south)."""
    from PIL import Image

    top = float(np.quantile(density[density > 0], 0.995)) if (density > 0).any() else 1.0
    scaled = np.clip(density / max(top, 1e-9), 0, 1)[::-1]
    rgba = np.zeros(scaled.shape + (4,), dtype=np.uint8)
    rgba[..., 0] = 220
    rgba[..., 1] = (180 * (1 - scaled)).astype(np.uint8)
    rgba[..., 2] = 30
    rgba[..., 3] = (200 * np.sqrt(scaled)).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")  # optimize=True cost 1–3 s per map
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _grid_bounds_wgs84(grid: Grid) -> list[list[float]]:
    xs = np.array([grid.x0, grid.x0 + grid.n_cols * grid.cell])
    ys = np.array([grid.y0, grid.y0 + grid.n_rows * grid.cell])
    lon, lat = to_wgs84(np.repeat(xs, 2), np.tile(ys, 2))
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def hotspot_map(layers: HotspotLayers, *, min_count: int, suppress: bool, basemap: Basemap,
                area_id: int | None = None, draw: bool = False) -> folium.Map:
    """The hot-spot map for st_folium (Leaflet by data: URL): aggregates only.

    The first view is fitted to the chosen area (``area_id``), else to the hot cells, so a cell
    is large enough to see and click (a whole kommun at once drew 250 m cells 12 px wide).
    ``draw``: tools to draw a new place (polygon, rectangle, or point and radius)."""
    result = layers.result
    grid = result.grid
    m = base_map(focus_bounds(layers, area_id), basemap, for_component=True, max_zoom=FIT_MAX_ZOOM)
    counts = np.asarray(result.counts)
    show = ~((counts > 0) & (counts < min_count)) if suppress else np.ones(grid.n_cells, dtype=bool)

    def label(count: float) -> str:
        return suppressed_label(count, min_count) if suppress else nf.integer(count)

    # Gi* classes: significant cells only, the strongest first.
    significant = np.flatnonzero((result.hotspot_class != "ns") & show)
    significant = significant[np.argsort(-np.abs(result.z[significant]), kind="stable")][:MAX_CELLS]
    _cell_layer(grid, significant, [HOTSPOT_COLOURS[c] for c in result.hotspot_class[significant]],
                [cell_tip(c, label(n), label(nb)) for c, n, nb in
                 zip(result.hotspot_class[significant], result.counts[significant],
                     result.neighbourhood()[significant], strict=True)],
                "Hot-spots (Gi*)", m, show=True, opacity=0.75)
    # Other cells with incidents (clickable for the cell's figures), the busiest first.
    other = np.flatnonzero((result.counts > 0) & show & (result.hotspot_class == "ns"))
    other = other[np.argsort(-result.counts[other], kind="stable")][:MAX_OTHER_CELLS]
    _cell_layer(grid, other, ["#999999"] * len(other),
                [f"{label(n)} händelser" for n in result.counts[other]],
                "Övriga rutor med händelser", m, show=False, opacity=0.25, line="#777")
    if layers.density is not None and not suppress:  # a smoothed single event still marks its spot
        density_grid, density = layers.density
        folium.raster_layers.ImageOverlay(_density_png(density), _grid_bounds_wgs84(density_grid),
                                          name="Täthet (värmekarta)", opacity=0.8, show=False).add_to(m)
    if layers.areas is not None and len(layers.areas):
        _outlines(layers.areas, "Områden", "#222", m, show=True)
        _area_labels(layers.areas, m)
    for name, frame in (layers.other_areas or {}).items():
        if len(frame):
            _outlines(frame, name, "#6a3d9a", m, show=False, dash="6 4")
    if layers.places is not None and len(layers.places):
        places = layers.places
        tips = [f"<b>{html_text(str(n))}</b><br>Händelser: {html_text(label(c))}"
                for n, c in zip(places["name"], places["count"], strict=True)]
        shapes = place_geometries(places)  # a point place is drawn as its circle, never a marker
        _outlines(gpd.GeoDataFrame({"name": places["name"], "tip": tips,
                                    "place_id": places["id"].astype(int)}, geometry=shapes,
                                   crs=SWEREF99TM), "Platser", "#1b7837", m, show=True, tip_field="tip",
                  keep=("place_id",))
    for layer_counts, name, colour in ((layers.fault_counts, "Felanmälningar (per ruta)", "#e66101"),
                                 (layers.walk_counts, "Trygghetsvandringar (per ruta)", "#5e3c99")):
        if layer_counts is not None:
            ids = np.flatnonzero(layer_counts >= (min_count if suppress else 1))
            ids = ids[np.argsort(-layer_counts[ids], kind="stable")][:MAX_OTHER_CELLS]
            _cell_layer(grid, ids, [colour] * len(ids), [f"{name}: {int(n)}" for n in layer_counts[ids]],
                        name, m, show=False, opacity=0.45, line=colour)
    if draw:
        add_draw_control(m, circle=True, name="Ny plats")
    folium.LayerControl(collapsed=True).add_to(m)
    m.get_root().html.add_child(Element(_legend()))  # type: ignore[attr-defined]  # folium types get_root() as Element; a Map's root is a Figure
    return m


FIT_MAX_ZOOM = 16  # a lone hot cell is not blown up to fill the map
MIN_FIT_SPAN_M = 1500.0  # the fitted view shows at least this much around the hot cells
MAX_FIT_SPAN_M = 2500.0  # wider than this, 250 m cells get small: the busiest cluster is shown first


def first_view_cells(result: HotspotResult) -> np.ndarray:
    """The cell ids of the first view: every hot cell when they lie close together, else the
    touching group of hot cells (queen contiguity) with the most events."""
    from scipy import ndimage

    grid = result.grid
    hot = np.char.startswith(np.asarray(result.hotspot_class, dtype=str), "hot")
    ids = np.flatnonzero(hot)
    if not len(ids):
        return ids
    minx, miny, maxx, maxy = shapely.total_bounds(grid.boxes(ids))
    if max(maxx - minx, maxy - miny) <= MAX_FIT_SPAN_M:
        return ids
    labels, n = ndimage.label(hot.reshape(grid.n_rows, grid.n_cols), structure=np.ones((3, 3)))
    labels = labels.ravel()
    totals = np.bincount(labels[ids], weights=np.asarray(result.counts, dtype=float)[ids], minlength=n + 1)
    return np.flatnonzero(labels == int(np.argmax(totals[1:]) + 1))


def focus_bounds(layers: HotspotLayers, area_id: int | None = None) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) in lon/lat of the first view: the chosen area, else the hot cells
    (the busiest cluster of them when they are spread out; with a margin of one cell and at least
    MIN_FIT_SPAN_M across), else the whole grid."""
    grid = layers.result.grid
    areas = layers.areas
    if area_id is not None and areas is not None and len(areas):
        chosen = areas[areas["id"].astype(int) == int(area_id)]
        if len(chosen):
            minx, miny, maxx, maxy = (float(v) for v in chosen.to_crs(WGS84).total_bounds)
            return minx, miny, maxx, maxy
    hot = first_view_cells(layers.result)
    if not len(hot):
        bounds = _grid_bounds_wgs84(grid)
        return bounds[0][1], bounds[0][0], bounds[1][1], bounds[1][0]
    minx, miny, maxx, maxy = shapely.total_bounds(grid.boxes(hot))
    pad_x = max(grid.cell, (MIN_FIT_SPAN_M - (maxx - minx)) / 2)
    pad_y = max(grid.cell, (MIN_FIT_SPAN_M - (maxy - miny)) / 2)
    lon, lat = to_wgs84(np.array([minx - pad_x, maxx + pad_x]), np.array([miny - pad_y, maxy + pad_y]))
    return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())


def _area_labels(areas: gpd.GeoDataFrame, m: folium.Map) -> None:
    """The name of each area at a point inside it (not interactive: clicks reach the cells)."""
    group = folium.FeatureGroup(name="Områdesnamn", show=True)
    points = areas.geometry.representative_point().to_crs(WGS84)
    for name, point in zip(areas["name"], points, strict=True):
        folium.Marker([point.y, point.x], interactive=False, icon=folium.DivIcon(
            html=f'<div class="wb-label">{html_text(str(name))}</div>', icon_size=(160, 18),
            icon_anchor=(80, 9), class_name="wb-label-icon")).add_to(group)
    group.add_to(m)


def _outlines(frame: gpd.GeoDataFrame, name: str, colour: str, m: folium.Map, *, show: bool,
              dash: str | None = None, tip_field: str | None = None, keep: tuple[str, ...] = ()) -> None:
    wgs = frame.to_crs(WGS84)
    tips = wgs[tip_field] if tip_field else [f"<b>{html_text(str(n))}</b>" for n in wgs["name"]]
    data = gpd.GeoDataFrame({"tip": list(tips), **{k: wgs[k].to_numpy() for k in keep}},
                            geometry=wgs.geometry.simplify(0.00002), crs=WGS84)
    folium.GeoJson(data.to_json(), name=name, show=show,
                   style_function=lambda f: {"color": colour, "weight": 2, "fill": False,
                                             "dashArray": dash},
                   tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False)).add_to(m)


def _legend() -> str:
    rows = "".join(f'<div><i style="background:{HOTSPOT_COLOURS[c]}"></i>{html_text(CLASS_LABELS_SV[c])}</div>'
                   for c in HOTSPOT_COLOURS)
    return (f'<div class="wb-legend"><b>Getis-Ord Gi*</b> (FDR-justerat)'
            f'{rows}<div><i style="background:#fff"></i>{html_text(CLASS_LABELS_SV["ns"])}</div>'
            f'<div class="wb-note" style="max-width:16em;font-size:85%">{html_text(NEIGHBOURHOOD_NOTE)}</div></div>')
