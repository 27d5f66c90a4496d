"""Emerging hot-spot use case: the organisation's point events → steps → space-time Gi* → classes.

Pure computation on the in-memory event frame (the hot-spot page's cached copy); no Streamlit.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from workbench.filters import EventFilter
from workbench.geo.crs import SWEREF99TM
from workbench.geo.grid import grid_over
from workbench.hotspots.emerging import (
    EmergingResult,
    default_span,
    emerging_from_counts,
    emerging_hotspots,
    time_steps,
)
from workbench.services.hotspots import point_events

NO_POINTS = "Det finns inga punktdata för hot-spots över tid."

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


def study_cells(grid, boundary) -> np.ndarray | None:
    """Cells that touch the study area (the organisation's boundary); None = every cell."""
    import shapely

    if boundary is None or boundary.is_empty:
        return None
    shapely.prepare(boundary)
    inside = shapely.intersects(boundary, grid.boxes(np.arange(grid.n_cells)))
    return inside if inside.any() else None


def run(events: pd.DataFrame, extent: tuple[float, float, float, float], event_filter: EventFilter,
        cell: float, step: str, boundary=None) -> EmergingResult:
    """Emerging hot spots of the filtered point events. ``event_filter``'s start/end give the span
    (whole steps inside it); without them, the default span up to the latest event. With a
    ``boundary`` only the cells touching it are bins (empty ones count, outside ones do not)."""
    chosen = EventFilter(None, None, event_filter.categories, event_filter.sources,
                         event_filter.weekdays, event_filter.hours)
    points = point_events(chosen.apply(events))
    first, last = span(points, step, event_filter.start, event_filter.end)
    steps = time_steps(step, first, last)
    grid = grid_over(extent, cell)
    return emerging_hotspots(points["x"].to_numpy(), points["y"].to_numpy(), points["time"],
                             grid, step, steps, study_cells(grid, boundary))


def run_areas(events: pd.DataFrame, areas: gpd.GeoDataFrame, event_filter: EventFilter, step: str):
    """Emerging hot spots with the areas as bins (hotspots/emerging_areas.py): every filtered event
    with an area counts, also those known only by their area."""
    from workbench.hotspots.emerging_areas import contiguity, emerging_areas

    if areas.empty:
        raise ValueError("det finns inga områden att räkna per")
    chosen = EventFilter(None, None, event_filter.categories, event_filter.sources,
                         event_filter.weekdays, event_filter.hours).apply(events)
    first, last = span(chosen, step, event_filter.start, event_filter.end)
    with_area = chosen[chosen["area_id"].notna()]
    return emerging_areas(with_area["area_id"].to_numpy(), with_area["time"], areas["id"].to_numpy(),
                          [str(n) for n in areas["name"]], contiguity(areas.geometry), step,
                          time_steps(step, first, last))


def _stored_steps(event_filter: EventFilter, step: str) -> tuple[list[tuple[date, date]], EventFilter]:
    """The whole steps of the filter's span and the filter cut to exactly them."""
    from workbench.hotspots.emerging import check_steps

    if event_filter.start is None or event_filter.end is None:
        raise ValueError("hot-spots över tid ur databasen behöver en period")
    steps = time_steps(step, event_filter.start, event_filter.end)
    check_steps(step, steps)
    return steps, EventFilter(steps[0][0], steps[-1][1], event_filter.categories, event_filter.sources,
                              event_filter.weekdays, event_filter.hours)


def run_stored(store, organisation_id: int, extent: tuple[float, float, float, float],
               event_filter: EventFilter, cell: float, step: str, boundary=None) -> EmergingResult:
    """``run`` with the step × cell cube counted in the database (no event read into memory);
    the filter must have a period."""
    from workbench.services import hotspots as hs
    from workbench.store import aggregates

    steps, chosen = _stored_steps(event_filter, step)
    grid = grid_over(extent, cell)
    cube = aggregates.step_cell_counts(store.engine, hs.selection(organisation_id, chosen), step,
                                       steps[0][0], len(steps), grid.x0, grid.y0, grid.cell,
                                       grid.n_rows, grid.n_cols)
    return emerging_from_counts(cube, grid, step, steps, study_cells(grid, boundary))


def run_areas_stored(store, organisation_id: int, areas: gpd.GeoDataFrame, event_filter: EventFilter,
                     step: str):
    """``run_areas`` with the step × area counts grouped in the database."""
    from workbench.hotspots.emerging_areas import contiguity, emerging_areas_from_counts
    from workbench.services import hotspots as hs
    from workbench.store import aggregates

    if areas.empty:
        raise ValueError("det finns inga områden att räkna per")
    steps, chosen = _stored_steps(event_filter, step)
    counted = aggregates.step_area_counts(store.engine, hs.selection(organisation_id, chosen), step,
                                          steps[0][0], len(steps))
    ids = areas["id"].to_numpy().astype(np.int64)
    position = {int(a): i for i, a in enumerate(ids)}
    counts = np.zeros((len(steps), len(ids)), dtype=np.int64)
    for (index, area_id), n in counted.items():
        if area_id in position:
            counts[index, position[area_id]] += n
    return emerging_areas_from_counts(counts, ids, [str(n) for n in areas["name"]],
                                      contiguity(areas.geometry), step, steps)


def cell_frame(result: EmergingResult) -> gpd.GeoDataFrame:
    """Every cell with its class, trend and per-step counts, and its polygon (EPSG:3006)."""
    frame = result.frame()
    return gpd.GeoDataFrame(frame, geometry=result.grid.boxes(frame["cell_id"].to_numpy()),
                            crs=SWEREF99TM)


def by_area(result: EmergingResult, areas: gpd.GeoDataFrame, min_count: int = 0) -> pd.DataFrame:
    """Cells per area and class (a cell belongs to the area holding its centre): area_id,
    emerging_class, cells. Classes 'none' left out, and cells whose total is under ``min_count``
    (but above 0), as on the shared screen's map."""
    from workbench.geo.assign import assign_points

    totals = result.counts.sum(axis=0)
    ids = np.flatnonzero((result.emerging_class != "none") & ~((totals > 0) & (totals < min_count)))
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
    >>> line_sv({"hot_intensifying": 1, "hot_sporadic": 6})
    '1 intensifierande hot-spot-ruta, 6 sporadiska'
    """
    parts: list[str] = []
    for key, one, many in _LINE_SV:
        n = int(counts.get(key, 0))
        if n:
            word = one if n == 1 else many
            if not parts and "hot-spot" not in word:  # the first names what is counted
                word += " hot-spot-ruta" if n == 1 else " hot-spot-rutor"
            parts.append(f"{n} {word}")
    return ", ".join(parts)


def summary(events: pd.DataFrame, extent: tuple[float, float, float, float] | None,
            areas: gpd.GeoDataFrame, end: date, cell: float, min_count: int,
            step: str = "month", boundary=None) -> dict:
    """Hot-spots över tid of the police incidents for a meeting or a lägesbild: the default span
    of whole steps up to ``end``; cells per class for the whole organisation and per area, with
    the Swedish line. JSON-ready (a meeting freezes it). ``note`` says why there is none."""
    from workbench.hotspots.emerging import TooFewSteps

    first, last = default_span(step, end)
    if extent is None:
        return {"note": NO_POINTS}
    try:
        result = run(events, extent, EventFilter(first, last, (), ("police",)), cell, step, boundary)
    except (TooFewSteps, ValueError) as exc:
        return {"note": str(exc)}
    return summarised(result, areas, min_count, step)


def summary_stored(store, organisation_id: int, areas: gpd.GeoDataFrame, end: date, cell: float,
                   min_count: int, boundary=None, *, window_start: date) -> dict:
    """``summary`` (monthly steps) with the police incidents counted per month and cell in the
    database: the meeting and the lägesbild no longer load 24 months of incidents for one line
    (memory grew with the stored incidents). The grid is the one ``summary`` got from
    ``services.hotspots.study_extent``: the boundary, else the police points since
    ``window_start``. Tests compare both on SQLite and PostgreSQL."""
    from workbench.hotspots.emerging import TooFewSteps
    from workbench.services import hotspots as hs
    from workbench.store import aggregates

    step = "month"
    first, last = default_span(step, end)
    try:
        extent = hs.stored_extent(store, organisation_id, EventFilter(window_start, end, (), ("police",)))
    except ValueError:
        return {"note": NO_POINTS}
    try:
        steps = time_steps(step, first, last)
        grid = grid_over(extent, cell)
        cube = aggregates.month_cell_counts(
            store.engine, hs.selection(organisation_id, EventFilter(first, last, (), ("police",))),
            grid.x0, grid.y0, grid.cell, grid.n_rows, grid.n_cols, [f"{a:%Y-%m}" for a, _ in steps])
        result = emerging_from_counts(cube, grid, step, steps, study_cells(grid, boundary))
    except (TooFewSteps, ValueError) as exc:
        return {"note": str(exc)}
    return summarised(result, areas, min_count, step)


def summarised(result: EmergingResult, areas: gpd.GeoDataFrame, min_count: int, step: str) -> dict:
    """The JSON-ready summary of a result: cells per class, per area, the Swedish line."""
    from workbench.hotspots.emerging import STEP_LABELS_SV

    frame = by_area(result, areas, min_count)
    per_area = {}
    for area_id, rows in frame.groupby("area_id"):
        counts = dict(zip(rows["emerging_class"], rows["cells"].astype(int), strict=True))
        per_area[str(int(area_id))] = {"counts": counts, "line": line_sv(counts)}
    totals = result.counts.sum(axis=0)
    visible = (result.emerging_class != "none") & ~((totals > 0) & (totals < min_count))
    values, class_counts = np.unique(result.emerging_class[visible].astype(str), return_counts=True)
    total = {str(v): int(c) for v, c in zip(values, class_counts, strict=True)}
    return {"from": str(result.steps[0][0]), "to": str(result.steps[-1][1]),
            "steps": len(result.steps), "step": STEP_LABELS_SV[step], "counts": total,
            "line": line_sv(total), "areas": per_area, "warnings": result.warnings_sv()}
