"""Near-repeat use case: one category's events with an exact point → the Knox table.

Only ``exact`` rows: area-precision rows (police API, sensitive categories) have no point, and
``snapped`` rows (data.police.uk) are moved and dated by month only, which would fake same-day pairs.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from workbench.filters import EventFilter
from workbench.hotspots.near_repeat import (
    DEFAULT_DISTANCE_BANDS,
    DEFAULT_PERMUTATIONS,
    DEFAULT_TIME_BANDS,
    KnoxTable,
    knox_table,
)


def events_for(events: pd.DataFrame, categories: tuple[str, ...], start: date | None,
               end: date | None, sources: tuple[str, ...] = ("police",)) -> pd.DataFrame:
    """The rows a near-repeat test may use: chosen categories and period, exact point only."""
    chosen = EventFilter(start, end, categories, sources).apply(events)
    return chosen[(chosen["precision"] == "exact") & chosen["x"].notna() & chosen["y"].notna()]


def run(events: pd.DataFrame, categories: tuple[str, ...], *, start: date | None = None,
        end: date | None = None, distance_bands=DEFAULT_DISTANCE_BANDS,
        time_bands=DEFAULT_TIME_BANDS, permutations: int = DEFAULT_PERMUTATIONS,
        sources: tuple[str, ...] = ("police",), seed: int | None = 0) -> KnoxTable:
    rows = events_for(events, categories, start, end, sources)
    days = (pd.to_datetime(rows["time"]).to_numpy(dtype="datetime64[D]")
            .astype(np.int64))  # whole calendar days
    return knox_table(rows["x"].to_numpy(float), rows["y"].to_numpy(float), days,
                      distance_bands, time_bands, permutations, seed)


def attention(events: pd.DataFrame, categories: tuple[str, ...], table: KnoxTable, grid,
              today: date, horizon: int = 14, sources: tuple[str, ...] = ("police",)) -> pd.DataFrame:
    """Attention zones (cells) for the next ``horizon`` days around the category's recent events,
    when ``table`` shows a significant near-repeat pattern (hotspots/attention.py)."""
    from workbench.hotspots.attention import attention_zones

    rows = events_for(events, categories, None, today, sources)
    days = pd.to_datetime(rows["time"]).to_numpy(dtype="datetime64[D]").astype(np.int64)
    return attention_zones(table, rows["x"].to_numpy(float), rows["y"].to_numpy(float), days, grid,
                           today, horizon)
