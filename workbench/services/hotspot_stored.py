"""The Hot-spots page's figures read from the database: counts grouped in SQL (per cell, area,
day, weekday × hour) and rows bounded by a place's, cell's or drawn shape's box, so the page's
memory and time do not grow with the organisation's stored events. Each function gives what its
in-memory twin in ``services.hotspots`` / ``hotspots.*`` gives on the full event frame (tests
compare both ways on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from workbench.filters import EventFilter
from workbench.geo.grid import Grid
from workbench.hotspots.change import change_by_counts
from workbench.hotspots.gistar import HotspotResult
from workbench.hotspots.kde import density_grid, smoothed
from workbench.hotspots.ranking import area_ranking_counts, place_geometries, place_ranking
from workbench.hotspots.timeprofile import critical_dates_per_day, hour_weekday_counts
from workbench.schema import PRECISION_AREA
from workbench.services.hotspots import cells_stored, selection
from workbench.situation import Period
from workbench.store import aggregates
from workbench.store.db import Store


@dataclass(frozen=True)
class StoredRun:
    """Gi* of the filtered events counted per cell in the database, and how many had a point."""

    result: HotspotResult
    n_points: int


def run(store: Store, organisation_id: int, event_filter: EventFilter, cell: float) -> StoredRun:
    result, n_points = cells_stored(store, organisation_id, event_filter, cell)
    return StoredRun(result, n_points)


def _within(event_filter: EventFilter, period: Period | None) -> EventFilter:
    """The filter's kinds (categories, sources, weekdays, hours) within ``period`` (None: all)."""
    return EventFilter(None if period is None else period.start, None if period is None else period.end,
                       event_filter.categories, event_filter.sources, event_filter.weekdays,
                       event_filter.hours)


def _series(counts: dict) -> pd.Series:
    keys = [k for k in counts if k is not None]
    return pd.Series([counts[k] for k in keys], index=pd.Index([int(k) for k in keys]), dtype=np.int64)


def area_counts(store: Store, organisation_id: int, event_filter: EventFilter) -> pd.Series:
    """Filtered events per stored area id (every precision: area-only rows count; rows without
    an area left out)."""
    return _series(aggregates.counts_by(store.engine, selection(organisation_id, event_filter),
                                        lambda _sqlite, _time: "area_id"))


def area_changes(store: Store, organisation_id: int, areas: pd.DataFrame, event_filter: EventFilter,
                 period: Period, reference: Period) -> pd.DataFrame:
    """``services.hotspots.area_changes``."""
    frame = change_by_counts(area_counts(store, organisation_id, _within(event_filter, period)),
                             area_counts(store, organisation_id, _within(event_filter, reference)),
                             period.days / reference.days)
    names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    return frame.assign(area=frame["key"].map(names))


def area_ranking(store: Store, organisation_id: int, areas: pd.DataFrame, event_filter: EventFilter,
                 days: int) -> pd.DataFrame:
    """``hotspots.ranking.area_ranking`` of the filtered events."""
    return area_ranking_counts(area_counts(store, organisation_id, event_filter), areas, days)


def cell_changes(store: Store, organisation_id: int, grid: Grid, event_filter: EventFilter,
                 period: Period, reference: Period) -> pd.DataFrame:
    """``services.hotspots.cell_changes``: per cell, this period against the reference."""
    def counts(p: Period) -> pd.Series:
        cells, _ = aggregates.cell_counts(store.engine, selection(organisation_id, _within(event_filter, p)),
                                          grid.x0, grid.y0, grid.cell, grid.n_rows, grid.n_cols)
        flat = cells.ravel()
        ids = np.flatnonzero(flat)
        return pd.Series(flat[ids], index=pd.Index(ids), dtype=np.int64)

    return change_by_counts(counts(period), counts(reference), period.days / reference.days)


def profile(store: Store, organisation_id: int, event_filter: EventFilter) -> tuple[pd.DataFrame, int]:
    """(weekday × hour table, events with only a date) of the filtered events
    (``hour_weekday``, ``date_only_count``)."""
    counts = aggregates.counts_by(store.engine, selection(organisation_id, event_filter),
                                  aggregates.weekday_hour_sql)
    date_only = sum(n for key, n in counts.items() if key is not None and int(key) < 0)
    return hour_weekday_counts(counts), int(date_only)


def critical(store: Store, organisation_id: int, event_filter: EventFilter) -> pd.DataFrame:
    """``critical_dates`` of the filter's kinds over every stored date (the filter's period is
    not used: one scan of the organisation's events per kind of selection)."""
    per_day = aggregates.counts_by(store.engine, selection(organisation_id, _within(event_filter, None)),
                                   aggregates.day_sql)
    days = pd.Series({pd.Timestamp(str(day)).date(): int(n) for day, n in per_day.items()
                      if day is not None}, dtype=np.int64)
    return critical_dates_per_day(days)


def area_only(store: Store, organisation_id: int, event_filter: EventFilter) -> int:
    """Filtered events with only an area (sensitive categories, the police events API)."""
    counts = aggregates.counts_by(store.engine, selection(organisation_id, event_filter),
                                  lambda _sqlite, _time: "precision")
    return int(counts.get(PRECISION_AREA, 0))


def place_counts(store: Store, organisation_id: int, event_filter: EventFilter, places: pd.DataFrame,
                 n_points: int) -> pd.DataFrame:
    """``place_ranking`` reading only the events in the places' boxes; shares of ``n_points``."""
    near = aggregates.rows_in_boxes(store.engine, selection(organisation_id, event_filter),
                                    [g.bounds for g in place_geometries(places)])
    return place_ranking(near["x"].to_numpy(), near["y"].to_numpy(), places, total=n_points)


def page_tables(store: Store, organisation_id: int, event_filter: EventFilter, stored: StoredRun,
                period: Period, reference: Period, areas: pd.DataFrame,
                places: pd.DataFrame) -> dict:
    """The Hot-spots page's tables for one selection (the keys ``ui.cached.hotspot_tables``
    gives): places, areas, changes, time profile, area-only events (critical dates, which do not
    depend on the period, come from ``critical``)."""
    table, date_only = profile(store, organisation_id, event_filter)
    return {
        "ranking": place_counts(store, organisation_id, event_filter, places, stored.n_points)
        if len(places) else None,
        "area_changes": area_changes(store, organisation_id, areas, event_filter, period, reference),
        "area_ranking": area_ranking(store, organisation_id, areas, event_filter, period.days),
        "cell_changes": cell_changes(store, organisation_id, stored.result.grid, event_filter, period,
                                     reference),
        "profile": table,
        "date_only": date_only,
        "area_only": area_only(store, organisation_id, event_filter),
    }


def density(store: Store, organisation_id: int, event_filter: EventFilter,
            bounds: tuple[float, float, float, float]) -> tuple[Grid, np.ndarray]:
    """``kernel_density`` of the filtered points: binned in the database, smoothed here."""
    grid = density_grid(bounds)
    counts, _ = aggregates.cell_counts(store.engine, selection(organisation_id, event_filter),
                                       grid.x0, grid.y0, grid.cell, grid.n_rows, grid.n_cols)
    return grid, smoothed(counts, grid)


def walk_counts(store: Store, organisation_id: int, period: Period, grid: Grid) -> np.ndarray:
    """Walk observations of the period per cell (flat)."""
    walks = EventFilter(period.start, period.end, (), ("walk",))
    counts, _ = aggregates.cell_counts(store.engine, selection(organisation_id, walks), grid.x0,
                                       grid.y0, grid.cell, grid.n_rows, grid.n_cols)
    return counts.ravel()


def events_inside(store: Store, organisation_id: int, event_filter: EventFilter,
                  geometry) -> pd.DataFrame:
    """Time, category and date-only flag of the filter's kinds (all dates) with a point inside
    ``geometry`` (EPSG:3006; its edge included, as ``geo.assign``), read by its box."""
    near = aggregates.rows_in_boxes(store.engine, selection(organisation_id, _within(event_filter, None)),
                                    [geometry.bounds])
    inside = shapely.intersects_xy(geometry, near["x"].to_numpy(), near["y"].to_numpy())
    return near.loc[inside, ["time", "category", "date_only"]].reset_index(drop=True)


def events_in_cell(store: Store, organisation_id: int, event_filter: EventFilter, grid: Grid,
                   cell_id: int) -> pd.DataFrame:
    """``events_inside`` one grid cell, by the grid's own arithmetic (a point on the cell's
    east or north edge belongs to the next cell)."""
    x0, y0, x1, y1 = grid.boxes(np.array([cell_id]))[0].bounds
    pad = 1e-3  # a millimetre: the exact test below decides, the box only bounds the read
    near = aggregates.rows_in_boxes(store.engine, selection(organisation_id, _within(event_filter, None)),
                                    [(x0 - pad, y0 - pad, x1 + pad, y1 + pad)])
    inside = grid.cell_ids(near["x"].to_numpy(), near["y"].to_numpy()) == cell_id
    return near.loc[inside, ["time", "category", "date_only"]].reset_index(drop=True)


def place_events(store: Store, organisation_id: int, geometry) -> pd.DataFrame:
    """Every counted event with coordinates inside ``geometry`` (a place: its polygon or its point
    and radius), all dates and sources, read by its box (the Platser page's figures)."""
    near = aggregates.rows_in_boxes(store.engine, selection(organisation_id, EventFilter()), [geometry.bounds],
                                    points_only=False)
    if near.empty:
        return near
    return near[shapely.intersects_xy(geometry, near["x"].to_numpy(), near["y"].to_numpy())].reset_index(drop=True)


def police_points_near(store: Store, organisation_id: int, geometries) -> pd.DataFrame:
    """The police's events with coordinates in the geometries' boxes (all dates): what a
    before/after follow-up around a place, its surroundings and a comparison area counts."""
    return aggregates.rows_in_boxes(store.engine, selection(organisation_id, EventFilter(None, None, (), ("police",))),
                                    [g.bounds for g in geometries], points_only=False)
