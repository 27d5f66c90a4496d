"""Emerging hot-spot use case: the organisation's point events → steps → space-time Gi* → classes.

Pure computation on the in-memory event frame (the hot-spot page's cached copy); no Streamlit.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from workbench.filters import EventFilter
from workbench.geo.grid import grid_over
from workbench.hotspots.emerging import (CLASS_LABELS_SV, EmergingResult, default_span,
                                         emerging_hotspots, time_steps)
from workbench.services.hotspots import point_events

# The meeting's per-area line: which classes it names, in this order (Swedish, plural forms).
_LINE_SV = (("hot_new", "ny hot-spot-ruta", "nya hot-spot-rutor"),
            ("hot_consecutive", "sammanhängande", "sammanhängande"),
            ("hot_intensifying", "intensifierande", "intensifierande"),
            ("hot_persistent", "ihållande", "ihållande"),
            ("hot_diminishing", "avtagande", "avtagande"),
            ("hot_sporadic", "sporadisk", "sporadiska"),
            ("hot_oscillating", "växlande", "växlande"),
            ("hot_historical", "historisk", "historiska"))


def span(events: pd.DataFrame, step: str, start: date | None, end: date | None) -> tuple[date, date]:
    """--from/--to when given, else the default number of whole steps up to the latest event."""
    if start is not None and end is not None:
        return start, end
    if events.empty:
        raise ValueError("det finns inga händelser med punkt i urvalet")
    last = end or pd.Timestamp(events["time"].max()).date()
    return (start, last) if start is not None else default_span(step, last)


def run(events: pd.DataFrame, extent: tuple[float, float, float, float], event_filter: EventFilter,
        cell: float, step: str) -> EmergingResult:
    """Emerging hot spots of the filtered point events. ``event_filter``'s start/end give the span
    (whole steps inside it); without them, the default span up to the latest event."""
    chosen = EventFilter(None, None, event_filter.categories, event_filter.sources,
                         event_filter.weekdays, event_filter.hours)
    points = point_events(chosen.apply(events))
    first, last = span(points, step, event_filter.start, event_filter.end)
    steps = time_steps(step, first, last)
    grid = grid_over(extent, cell)
    return emerging_hotspots(points["x"].to_numpy(), points["y"].to_numpy(), points["time"],
                             grid, step, steps)


def cell_frame(result: EmergingResult) -> gpd.GeoDataFrame:
    """Every cell with its class, trend and per-step counts, and its polygon (EPSG:3006)."""
    frame = result.frame()
    return gpd.GeoDataFrame(frame, geometry=result.grid.boxes(frame["cell_id"].to_numpy()),
                            crs="EPSG:3006")


def by_area(result: EmergingResult, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Cells per area and class (a cell belongs to the area holding its centre): area_id,
    emerging_class, cells. Classes 'none' left out."""
    from workbench.geo.assign import assign_points

    ids = np.flatnonzero(result.emerging_class != "none")
    if ids.size == 0 or areas.empty:
        return pd.DataFrame({"area_id": pd.Series(dtype=int), "emerging_class": pd.Series(dtype=object),
                             "cells": pd.Series(dtype=int)})
    x, y = result.grid.centres(ids)
    which = assign_points(x, y, list(areas.geometry))
    frame = pd.DataFrame({"area_index": which, "emerging_class": result.emerging_class[ids]})
    frame = frame[frame["area_index"] >= 0]
    frame["area_id"] = areas["id"].to_numpy()[frame["area_index"].to_numpy()].astype(int)
    return (frame.groupby(["area_id", "emerging_class"]).size().rename("cells").reset_index())


def line_sv(counts: dict[str, int]) -> str:
    """'2 nya hot-spot-rutor, 1 intensifierande' from cells per class; hot classes only (what the
    group acts on). Empty when there is none.

    >>> line_sv({"hot_new": 2, "hot_intensifying": 1, "cold_new": 4})
    '2 nya hot-spot-rutor, 1 intensifierande'
    >>> line_sv({"hot_persistent": 1})
    '1 ihållande hot-spot-ruta'
    """
    parts = []
    for key, one, many in _LINE_SV:
        n = int(counts.get(key, 0))
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    if not parts:
        return ""
    if "hot-spot-ruta" not in parts[0] and "hot-spot-rutor" not in parts[0]:
        total = sum(int(counts.get(key, 0)) for key, _, _ in _LINE_SV)
        parts[0] += " hot-spot-ruta" if total == 1 else " hot-spot-rutor"
    return ", ".join(parts)


def class_table_sv(result: EmergingResult) -> pd.DataFrame:
    """Cells per class, Swedish labels, for a page or a report (no small-count issue: cells)."""
    summary = result.summary()
    return pd.DataFrame({"Mönster": [CLASS_LABELS_SV[k] for k in summary],
                         "Rutor": list(summary.values()), "emerging_class": list(summary)})
