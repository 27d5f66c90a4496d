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
    # in time order (then place): the permutations do not depend on the order rows were read in
    rows = events_for(events, categories, start, end, sources).sort_values(["time", "x", "y"], kind="stable")
    days = (pd.to_datetime(rows["time"]).to_numpy(dtype="datetime64[D]")
            .astype(np.int64))  # whole calendar days
    return knox_table(rows["x"].to_numpy(float), rows["y"].to_numpy(float), days,
                      distance_bands, time_bands, permutations, seed)


def run_stored(store, organisation_id: int, categories: tuple[str, ...], *, start: date | None = None,
               end: date | None = None, distance_bands=DEFAULT_DISTANCE_BANDS,
               time_bands=DEFAULT_TIME_BANDS, permutations: int = DEFAULT_PERMUTATIONS,
               sources: tuple[str, ...] = ("police",), seed: int | None = 0) -> KnoxTable:
    """``run`` reading only the chosen categories' exact points of the period from the database."""
    x, y, days = stored_points(store, organisation_id, categories, start, end, sources)
    return knox_table(x, y, days, distance_bands, time_bands, permutations, seed)


def stored_points(store, organisation_id: int, categories: tuple[str, ...], start: date | None,
                  end: date | None, sources: tuple[str, ...] = ("police",)
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, whole calendar day) of the rows ``events_for`` keeps, read from the database."""
    from workbench.services import hotspots as hs
    from workbench.store import aggregates

    x, y, seconds = aggregates.exact_points(store.engine, hs.selection(
        organisation_id, EventFilter(start, end, categories, sources)))
    order = np.lexsort((y, x, seconds))  # in time order, then place (as ``run``)
    x, y, seconds = x[order], y[order], seconds[order]
    return x, y, seconds.astype("datetime64[s]").astype("datetime64[D]").astype(np.int64)


def attention_stored(store, organisation_id: int, categories: tuple[str, ...], table: KnoxTable, grid,
                     today: date, horizon: int = 14, sources: tuple[str, ...] = ("police",)) -> pd.DataFrame:
    """``attention`` reading the category's exact points up to ``today`` from the database."""
    from workbench.hotspots.attention import attention_zones

    x, y, days = stored_points(store, organisation_id, categories, None, today, sources)
    return attention_zones(table, x, y, days, grid, today, horizon)


def attention(events: pd.DataFrame, categories: tuple[str, ...], table: KnoxTable, grid,
              today: date, horizon: int = 14, sources: tuple[str, ...] = ("police",)) -> pd.DataFrame:
    """Attention zones (cells) for the next ``horizon`` days around the category's recent events,
    when ``table`` shows a significant near-repeat pattern (hotspots/attention.py)."""
    from workbench.hotspots.attention import attention_zones

    rows = events_for(events, categories, None, today, sources)
    days = pd.to_datetime(rows["time"]).to_numpy(dtype="datetime64[D]").astype(np.int64)
    return attention_zones(table, rows["x"].to_numpy(float), rows["y"].to_numpy(float), days, grid,
                           today, horizon)
