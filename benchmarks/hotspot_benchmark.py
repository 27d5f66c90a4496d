"""Benchmark the hot-spot pipeline at 100,000 and 1,000,000 stored incidents.

    .venv/bin/python benchmarks/hotspot_benchmark.py [--sizes 100000 1000000] [--slow]

For each size: synthetic clustered incidents over a kommun-sized extent (40 × 30 km) are stored
in a fresh SQLite database, then it measures
  cold  = read every event from the database (repositories.load_events)
  warm  = filter + grid + Gi* + FDR on the in-memory frame (services.hotspots.run), 250 m cells
  map   = build and render the folium map (bytes sent to the browser)
and with --slow the obvious slow path for comparison: geopandas sjoin of points to a polygon
grid, esda G_Local with default weights and 999 permutations, one folium marker per incident
(markers timed on 20,000 incidents and scaled linearly). Prints one JSON line per size.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.filters import EventFilter
from workbench.geo.grid import grid_over
from workbench.maps.build import Basemap
from workbench.maps.hotspot_map import HotspotLayers, hotspot_map
from workbench.services import hotspots as hs
from workbench.store import repositories as repo
from workbench.store.db import open_store

EXTENT = (360_000.0, 6_385_000.0, 400_000.0, 6_415_000.0)


def synthetic(n: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(EXTENT[:2], EXTENT[2:], (80, 2))
    clustered = rng.random(n) < 0.7
    which = rng.integers(0, len(centres), n)
    x = np.where(clustered, centres[which, 0] + rng.normal(0, 500, n), rng.uniform(EXTENT[0], EXTENT[2], n))
    y = np.where(clustered, centres[which, 1] + rng.normal(0, 500, n), rng.uniform(EXTENT[1], EXTENT[3], n))
    start = pd.Timestamp("2024-01-01")
    return pd.DataFrame({
        "source": "police", "source_id": [f"B{i}" for i in range(n)],
        "category": rng.choice(["stold", "skadegorelse", "misshandel", "klotter"], n),
        "category_original": "syntetisk",
        "occurred_from": start + pd.to_timedelta(rng.integers(0, 730 * 1440, n), unit="min"),
        "occurred_to": pd.NaT, "x": x.round(), "y": y.round(), "precision": "exact",
        "area_code": None, "description": None, "area_id": pd.array([None] * n, dtype="Int64"),
    })


def timed(function, repeat: int = 3):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return float(np.median(times)), value


def measure(n: int, slow: bool, folder: Path) -> dict:
    url = f"sqlite:///{folder / f'hot_{n}.sqlite'}"
    store = open_store(url)
    import shapely

    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Benchmark", boundary_wkb=shapely.box(*EXTENT).wkb)
        repo.insert_rows(conn, "incident", synthetic(n).assign(organisation_id=org))
    cold, events = timed(lambda: hs.load_events(store, [org]), repeat=3)
    extent = hs.study_extent(store, org, events)
    event_filter = EventFilter(pd.Timestamp("2024-01-01").date(), pd.Timestamp("2025-12-31").date())
    warm, run = timed(lambda: hs.run(events, extent, event_filter, 250), repeat=5)
    build, html = timed(lambda: hotspot_map(HotspotLayers(result=run.result), min_count=3, suppress=True,
                                            basemap=Basemap("osm", "©")).get_root().render(), repeat=3)
    result = {"incidents": n, "cells": run.result.grid.n_cells, "cold_read_s": round(cold, 3),
              "warm_filter_grid_gistar_fdr_s": round(warm, 3), "map_build_s": round(build, 3),
              "map_bytes": len(html.encode()),
              "hot_cells": int(np.char.startswith(run.result.hotspot_class.astype(str), "hot").sum())}
    if slow:
        result.update(slow_path(run.points, extent))
        result["slow_over_fast"] = round(result["slow_total_s"] / (warm + build), 1)
    return result


def slow_path(points: pd.DataFrame, extent) -> dict:
    import esda
    import folium
    import geopandas as gpd
    from libpysal.weights import Queen

    grid = grid_over(extent, 250)
    started = time.perf_counter()
    cells = gpd.GeoDataFrame({"cell": np.arange(grid.n_cells)}, geometry=grid.boxes(np.arange(grid.n_cells)),
                             crs=3006)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(points["x"], points["y"]), crs=3006)
    joined = gpd.sjoin(pts, cells, predicate="within")
    counts = joined.groupby("cell").size().reindex(cells["cell"], fill_value=0).to_numpy(float)
    sjoin_s = time.perf_counter() - started
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = Queen.from_dataframe(cells, use_index=False)
        esda.G_Local(counts, w, transform="B", star=True, permutations=999, seed=1)
    esda_s = time.perf_counter() - started
    sample = points.head(20_000)
    started = time.perf_counter()
    m = folium.Map(location=[57.7, 12.9])
    from workbench.geo.crs import to_wgs84

    lon, lat = to_wgs84(sample["x"].to_numpy(), sample["y"].to_numpy())
    for a, b in zip(lat, lon, strict=True):
        folium.Marker([a, b]).add_to(m)
    m.get_root().render()
    markers_s = (time.perf_counter() - started) * len(points) / max(len(sample), 1)
    return {"slow_sjoin_s": round(sjoin_s, 2), "slow_esda_999_s": round(esda_s, 2),
            "slow_markers_s_scaled": round(markers_s, 1),
            "slow_total_s": round(sjoin_s + esda_s + markers_s, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--slow", action="store_true", help="also time the slow path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            print(json.dumps(measure(n, args.slow, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
