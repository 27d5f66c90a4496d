"""Places made in the app: a point and a radius, or a polygon drawn on the map (or a hot-spot
cell), stored like imported places."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from workbench import numbers as nf
from workbench.errors import WorkbenchError
from workbench.geo.assign import assign_points
from workbench.geo.crs import SWEREF99TM, WGS84, in_sweden_3006, transform
from workbench.schema import PLACE_RADIUS_M
from workbench.store import privacy
from workbench.store import repositories as repo
from workbench.store.db import Store

MIN_AREA_M2 = 25.0  # a polygon smaller than 5 × 5 m is a slip of the mouse
MAX_AREA_M2 = 5_000_000.0  # a place is a spot, not a district (5 km²)


def create_place(store: Store, organisation_id: int, name: str, kind: str, radius_m: float,
                 lon: float, lat: float, *, actor: str) -> int:
    """A new named place at (lon, lat) with a radius; the name must be new in the organisation."""
    low, high = PLACE_RADIUS_M
    if not low <= radius_m <= high:
        raise WorkbenchError(f"Radien ska vara {low:.0f}–{high:.0f} meter.")
    x, y = transform(np.array([lon]), np.array([lat]), WGS84, SWEREF99TM)
    return _store(store, organisation_id, name, kind, Point(float(x[0]), float(y[0])), radius_m,
                  actor=actor)


def create_polygon_place(store: Store, organisation_id: int, name: str, kind: str,
                         geometry: dict[str, Any], *, actor: str) -> int:
    """A new named place from a GeoJSON Polygon in WGS 84 (drawn on the map or a grid cell)."""
    polygon = polygon_sweref(geometry)
    return _store(store, organisation_id, name, kind, polygon, None, actor=actor)


def polygon_sweref(geometry: dict[str, Any]) -> BaseGeometry:
    """A GeoJSON (Feature or) Polygon in lon/lat as a valid polygon in SWEREF 99 TM, or a clear
    Swedish refusal."""
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise WorkbenchError("En plats ritas som en yta (polygon eller rektangel) eller som punkt och radie.")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise WorkbenchError("Ytan gick inte att läsa; rita den igen.") from exc
    coords = shapely.get_coordinates(polygon)
    x, y = transform(coords[:, 0], coords[:, 1], WGS84, SWEREF99TM)
    polygon = shapely.set_coordinates(polygon, np.column_stack([x, y]))
    if not polygon.is_valid:
        raise WorkbenchError("Ytans kanter korsar varandra; rita den igen.")
    if not MIN_AREA_M2 <= polygon.area <= MAX_AREA_M2:
        raise WorkbenchError(f"En plats ska vara mellan {MIN_AREA_M2:.0f} m² och "
                             f"{MAX_AREA_M2 / 1e6:.0f} km²; ytan är {nf.integer(polygon.area)} m².")
    return polygon


def _store(store: Store, organisation_id: int, name: str, kind: str, geometry: BaseGeometry,
           radius_m: float | None, *, actor: str) -> int:
    name = name.strip()
    if not name:
        raise WorkbenchError("Platsen behöver ett namn.")
    if not in_sweden_3006(*geometry.bounds):
        raise WorkbenchError("Platsen ligger utanför Sverige – välj en punkt eller yta i kommunen.")
    stored = privacy.redact_key(name)  # the name as the store keeps it
    with store.transaction() as conn:
        existing = repo.load_places(conn, [organisation_id])
        if stored in set(existing["name"]):
            raise WorkbenchError(f"Det finns redan en plats som heter '{name}'.")
        areas = repo.load_areas(conn, [organisation_id])
        point = geometry.representative_point()
        index = assign_points(np.array([point.x]), np.array([point.y]), list(areas.geometry))
        area_id = int(areas["id"].iloc[index[0]]) if len(areas) and index[0] >= 0 else None
        frame = gpd.GeoDataFrame({"name": [name], "kind": [kind], "radius_m": [radius_m]},
                                 geometry=[geometry], crs=SWEREF99TM)
        repo.upsert_places(conn, organisation_id, frame, [area_id])
        place_id = int(repo.load_places(conn, [organisation_id]).set_index("name").loc[stored, "id"])
        after = {"name": name, "kind": kind, "radius_m": radius_m, "x": point.x, "y": point.y}
        if geometry.geom_type != "Point":
            after["area_m2"] = round(geometry.area)
        repo.audit(conn, actor=actor, verb="insert", entity="place", entity_id=place_id,
                   organisation_id=organisation_id, after=after)
    return place_id
