"""Benchmark hot-spots over time and near-repeat on in-memory frames (the pages' cached copy).

    .venv/bin/python benchmarks/emerging_benchmark.py [--incidents 1000000] [--near 5000] [--permutations 999]

emerging: 1,000,000 synthetic clustered incidents over a kommun-sized extent (40 × 30 km, the
same generator as hotspot_benchmark.py) over 24 months; warm = filter + cube + space-time Gi* +
FDR + Mann-Kendall + categories (services.emerging.run, with the extent as the boundary), 250 m
cells, median of 5; map = build and render the emerging map (bytes sent to the browser).
near-repeat: 5,000 burglaries in a 10 × 10 km town (half in 60 clusters of σ = 300 m, dates over
two years); Knox table 4 × 4 bands with 999 permutations (services.near_repeat.run), median of 3;
and the dense case: the same number uniformly over 3 × 3 km (about 620,000 pairs within 400 m).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hotspot_benchmark import EXTENT, synthetic  # noqa: E402

from workbench.filters import EventFilter  # noqa: E402
from workbench.maps.build import Basemap  # noqa: E402
from workbench.maps.emerging_map import emerging_map  # noqa: E402
from workbench.services import emerging, near_repeat  # noqa: E402


def timed(function, repeat: int):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return float(np.median(times)), value


def town(n: int, seed: int = 5, side: float = 10_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(370_000, 370_000 + side, n)
    y = rng.uniform(6_395_000, 6_395_000 + side, n)
    half = n // 2 if side >= 10_000 else 0  # the dense case: uniform over a small town
    centres = rng.uniform((370_000, 6_395_000), (380_000, 6_405_000), (60, 2))
    which = rng.integers(0, 60, half)
    x[:half] = centres[which, 0] + rng.normal(0, 300, half)
    y[:half] = centres[which, 1] + rng.normal(0, 300, half)
    return pd.DataFrame({"x": x, "y": y, "category": "bostadsinbrott", "source": "police",
                         "precision": "exact",
                         "time": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--near", type=int, default=5_000)
    parser.add_argument("--permutations", type=int, default=999)
    args = parser.parse_args()
    events = synthetic(args.incidents).rename(columns={"occurred_from": "time"})
    event_filter = EventFilter(date(2024, 1, 1), date(2025, 12, 31))
    boundary = shapely.box(*EXTENT)  # the kommun's boundary: cells touching it are the study area
    emerging.run(events, EXTENT, event_filter, 250, "month", boundary)  # warm-up (imports, caches)
    warm, result = timed(lambda: emerging.run(events, EXTENT, event_filter, 250, "month", boundary), 5)
    map_s, html = timed(lambda: emerging_map(result, None, min_count=3, suppress=True,
                                             basemap=Basemap("osm", "©")).get_root().render(), 3)
    burglaries = town(args.near)
    near_s, table = timed(lambda: near_repeat.run(burglaries, ("bostadsinbrott",),
                                                  permutations=args.permutations), 3)
    close_pairs = int(table.observed[:-1].sum())
    dense = town(args.near, side=3_000)
    dense_s, dense_table = timed(lambda: near_repeat.run(dense, ("bostadsinbrott",),
                                                         permutations=args.permutations), 3)
    print(json.dumps({"incidents": args.incidents, "steps": len(result.steps),
                      "cells": result.grid.n_cells, "bins": result.grid.n_cells * len(result.steps), "events_in_cube": result.n_events,
                      "emerging_warm_s": round(warm, 3), "emerging_map_s": round(map_s, 3),
                      "emerging_map_bytes": len(html.encode()), "classes": result.summary(),
                      "near_repeat_events": table.n_events, "pairs_within_400m": close_pairs,
                      "permutations": table.permutations, "near_repeat_s": round(near_s, 3),
                      "dense_pairs_within_400m": int(dense_table.observed[:-1].sum()),
                      "near_repeat_dense_s": round(dense_s, 3)}))


if __name__ == "__main__":
    main()
