"""Rankings: incidents per named place and per area, and the top cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from workbench.hotspots.gistar import HotspotResult


def place_geometries(places: pd.DataFrame) -> list:
    """A place is its polygon, or its point buffered by ``radius_m`` (default 50 m)."""
    geometries = []
    for geometry, radius in zip(places.geometry, places.get("radius_m", [None] * len(places)),
                                strict=True):
        if geometry.geom_type == "Point":
            geometries.append(geometry.buffer(float(radius) if radius and not pd.isna(radius) else 50.0))
        else:
            geometries.append(geometry)
    return geometries


def place_ranking(x: np.ndarray, y: np.ndarray, places: pd.DataFrame,
                  total: int | None = None) -> pd.DataFrame:
    """Count per place (a point may lie in several overlapping places), share of all points
    (``total``, default the points given: pass it when only the points near the places are)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    total = int(np.sum(~np.isnan(x))) if total is None else int(total)
    counts = []
    # a place is small: its bounding box cuts the points to a few before the exact test, with no
    # shapely object per point (a tree of a year's points took 0.7 s)
    for geometry in place_geometries(places):
        x0, y0, x1, y1 = geometry.bounds
        near = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        counts.append(int(np.count_nonzero(shapely.intersects_xy(geometry, x[near], y[near]))))
    frame = pd.DataFrame({"place_id": places["id"].to_numpy(), "place": places["name"].to_numpy(),
                          "kind": places.get("kind", pd.Series([None] * len(places))).to_numpy(),
                          "count": counts})
    frame["share"] = frame["count"] / total if total else 0.0
    return frame.sort_values(["count", "place"], ascending=[False, True]).reset_index(drop=True)


def area_ranking(area_ids: np.ndarray, areas: pd.DataFrame, days: int) -> pd.DataFrame:
    """Count per area (by the stored area id, so area-precision rows count too), share, and the
    yearly rate per 1,000 residents where the population is known."""
    return area_ranking_counts(pd.Series(area_ids).dropna().astype(int).value_counts(), areas, days)


def area_ranking_counts(counts: pd.Series, areas: pd.DataFrame, days: int) -> pd.DataFrame:
    """``area_ranking`` of counts per area id (e.g. counted in the database); ids of areas not
    in ``areas`` count towards the shares as before."""
    frame = pd.DataFrame({"area_id": areas["id"].astype(int).to_numpy(),
                          "area": areas["name"].to_numpy(),
                          "population": areas["population"].to_numpy()})
    frame["count"] = frame["area_id"].map(counts).fillna(0).astype(int)
    total = int(counts.sum())
    frame["share"] = frame["count"] / total if total else 0.0
    population = pd.to_numeric(frame["population"], errors="coerce")
    population = population.where(population > 0)  # 0 residents: no rate, not infinity
    frame["per_1000_year"] = frame["count"] / population * 1000 * 365 / max(days, 1)
    return frame.sort_values("count", ascending=False).reset_index(drop=True)


def top_cells(result: HotspotResult, n: int = 10) -> pd.DataFrame:
    frame = result.frame()
    return frame[frame["count"] > 0].sort_values(["count", "z"], ascending=False).head(n)
