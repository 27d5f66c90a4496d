"""Places drawn in the app: a point and a radius, stored like imported places."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from workbench.errors import WorkbenchError
from workbench.geo.assign import assign_points
from workbench.geo.crs import SWEREF99TM, WGS84, inside_sweden, transform
from workbench.schema import PLACE_RADIUS_M
from workbench.store import privacy
from workbench.store import repositories as repo
from workbench.store.db import Store


def create_place(store: Store, organisation_id: int, name: str, kind: str, radius_m: float,
                 lon: float, lat: float, *, actor: str) -> int:
    """A new named place at (lon, lat) with a radius; the name must be new in the organisation."""
    name = name.strip()
    if not name:
        raise WorkbenchError("Platsen behöver ett namn.")
    low, high = PLACE_RADIUS_M
    if not low <= radius_m <= high:
        raise WorkbenchError(f"Radien ska vara {low:.0f}–{high:.0f} meter.")
    x, y = transform(np.array([lon]), np.array([lat]), WGS84, SWEREF99TM)
    if not inside_sweden(x, y)[0]:
        raise WorkbenchError("Platsen ligger utanför Sverige – välj en punkt i kommunen.")
    point = Point(float(x[0]), float(y[0]))
    with store.transaction() as conn:
        existing = repo.load_places(conn, [organisation_id])
        stored = privacy.redact_key(name)  # the name as the store keeps it
        if stored in set(existing["name"]):
            raise WorkbenchError(f"Det finns redan en plats som heter '{name}'.")
        areas = repo.load_areas(conn, [organisation_id])
        index = assign_points(np.array([point.x]), np.array([point.y]), list(areas.geometry))
        area_id = int(areas["id"].iloc[index[0]]) if len(areas) and index[0] >= 0 else None
        frame = gpd.GeoDataFrame({"name": [name], "kind": [kind], "radius_m": [radius_m]},
                                 geometry=[point], crs=SWEREF99TM)
        repo.upsert_places(conn, organisation_id, frame, [area_id])
        place_id = int(repo.load_places(conn, [organisation_id]).set_index("name").loc[stored, "id"])
        repo.audit(conn, actor=actor, verb="insert", entity="place", entity_id=place_id,
                   organisation_id=organisation_id,
                   after={"name": name, "kind": kind, "radius_m": radius_m, "x": point.x, "y": point.y})
    return place_id
