"""Attention zones after near-repeat: grid cells near recent events of a category whose Knox table
shows a significant near-repeat pattern, for patrols and bovärd rounds the next days.

An event on day e raises the risk within the pattern's distance d until day e + t − 1 (d and t:
the outer edges of the significant finite cells). A zone is the cells whose centre lies within
d + half a cell of such an event, valid until the last day any of its events reaches, at most
``horizon`` days ahead. Cells, never points; capped; no Streamlit here.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from workbench.geo.grid import Grid
from workbench.hotspots.near_repeat import KnoxTable

MAX_CELLS = 2000
EPOCH = date(1970, 1, 1)


def pattern_reach(table: KnoxTable) -> tuple[float, int] | None:
    """(distance in m, days) of the significant near-repeat cells with finite bands, or None."""
    cells = [c for c in table.significant() if c["distance_to"] is not None and c["time_to"] is not None]
    if not cells:
        return None
    return max(c["distance_to"] for c in cells), int(np.ceil(max(c["time_to"] for c in cells)))


def attention_zones(table: KnoxTable, x: np.ndarray, y: np.ndarray, days: np.ndarray, grid: Grid,
                    today: date, horizon: int = 14) -> pd.DataFrame:
    """Per cell: cell_id, events (recent events it is near), until (last day of attention).
    Empty when the table has no significant finite pattern or no recent event reaches ahead."""
    empty = pd.DataFrame({"cell_id": pd.Series(dtype=int), "events": pd.Series(dtype=int),
                          "until": pd.Series(dtype=object)})
    reach = pattern_reach(table)
    if reach is None:
        return empty
    distance, window = reach
    today_n = (today - EPOCH).days
    days = np.asarray(days, dtype=np.int64)
    last = days + window - 1  # the last day the event raises the risk
    recent = (days <= today_n) & (last > today_n)
    if not recent.any():
        return empty
    ex, ey, elast = np.asarray(x, float)[recent], np.asarray(y, float)[recent], last[recent]
    span = int(np.ceil((distance + grid.cell) / grid.cell))
    rows, cols, inside = grid.locate(ex, ey)
    cell_ids, untils, sources = [], [], []
    for k in np.flatnonzero(inside):
        r0, c0 = rows[k], cols[k]
        rr, cc = np.meshgrid(np.arange(max(0, r0 - span), min(grid.n_rows, r0 + span + 1)),
                             np.arange(max(0, c0 - span), min(grid.n_cols, c0 + span + 1)), indexing="ij")
        ids = (rr * grid.n_cols + cc).ravel()
        cx, cy = grid.centres(ids)
        near = np.hypot(cx - ex[k], cy - ey[k]) <= distance + grid.cell / 2
        cell_ids.append(ids[near])
        untils.append(np.full(int(near.sum()), min(int(elast[k]), today_n + horizon)))
        sources.append(np.full(int(near.sum()), k))
    if not cell_ids:
        return empty
    frame = pd.DataFrame({"cell_id": np.concatenate(cell_ids), "until": np.concatenate(untils),
                          "event": np.concatenate(sources)})
    zones = frame.groupby("cell_id").agg(events=("event", "nunique"), until=("until", "max")).reset_index()
    zones = zones.sort_values(["events", "until"], ascending=False).head(MAX_CELLS)
    zones["until"] = [EPOCH + timedelta(days=int(d)) for d in zones["until"]]
    return zones.reset_index(drop=True)
