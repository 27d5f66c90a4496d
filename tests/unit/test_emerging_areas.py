"""Emerging hot spots with areas as bins: Gi* against esda on the areas' queen contiguity, and a
planted new hot area recovered."""

from __future__ import annotations

import warnings
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from workbench.hotspots.emerging import time_steps
from workbench.hotspots.emerging_areas import contiguity, emerging_areas, space_time_gi_star_graph


def lattice(n: int = 6) -> gpd.GeoDataFrame:
    boxes = [shapely.box(c * 1000, r * 1000, (c + 1) * 1000, (r + 1) * 1000)
             for r in range(n) for c in range(n)]
    return gpd.GeoDataFrame({"id": np.arange(n * n) + 100, "name": [f"A{i}" for i in range(n * n)]},
                            geometry=boxes, crs="EPSG:3006")


def test_single_step_equals_esda_on_queen_contiguity():
    import esda
    from libpysal.graph import Graph

    areas = lattice()
    counts = np.random.default_rng(2).poisson(4, len(areas)).astype(float)
    counts[14] = 30
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = Graph.build_contiguity(areas, rook=False)
        expected = esda.G_Local(counts, graph, transform="B", star=True, permutations=0).Zs
    z = space_time_gi_star_graph(counts[None], contiguity(areas.geometry))[0]
    np.testing.assert_allclose(z, expected, rtol=1e-10, atol=1e-12)


def test_planted_new_hot_area():
    areas = lattice()
    steps = time_steps("month", date(2024, 1, 1), date(2025, 12, 31))
    rng = np.random.default_rng(4)
    ids, times = [], []
    for month, (first, _) in enumerate(steps):
        n = 36 * 8
        ids.extend(rng.choice(areas["id"].to_numpy(), n))
        times.extend(pd.Timestamp(first) + pd.to_timedelta(rng.integers(0, 27, n), unit="D"))
        if month == 23:  # a burst in the last month in area A21 (row 3, col 3)
            ids.extend([121] * 60)
            times.extend([pd.Timestamp(first) + pd.Timedelta(days=3)] * 60)
    result = emerging_areas(np.array(ids), pd.Series(times), areas["id"].to_numpy(), list(areas["name"]),
                            contiguity(areas.geometry), "month", steps)
    frame = result.frame().set_index("area")
    assert frame.loc["A21", "emerging_class"] == "hot_new"
    assert frame.loc["A0", "emerging_class"] == "none"  # a far corner
    assert frame["total"].sum() == len(ids) and frame.loc["A21", "2025-12"] >= 60
