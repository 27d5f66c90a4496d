"""Hot-spot use cases: load the organisation's events once, then filter, grid and test fast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import geopandas as gpd
import pandas as pd
import shapely

from workbench.filters import EventFilter
from workbench.geo.crs import SWEDEN_EXTENT_3006, SWEREF99TM
from workbench.geo.grid import Grid, grid_over
from workbench.hotspots.change import change_by_key
from workbench.hotspots.gistar import HotspotResult, counted_analysis, hotspot_analysis
from workbench.schema import POINT_PRECISIONS
from workbench.situation import Period
from workbench.store import aggregates
from workbench.store import repositories as repo
from workbench.store.db import Store
from workbench.taxonomy import NOT_COUNTED


def load_events(store: Store, organisation_ids: list[int], *, start: datetime | None = None,
                end: datetime | None = None) -> pd.DataFrame:
    """The counted events of the organisations (summaries excluded), optionally in [start, end).
    Every analysis reads events through here."""
    events = repo.load_events(store.engine, organisation_ids, start=start, end=end)
    return events[~events["category"].isin(NOT_COUNTED)].reset_index(drop=True)


def _boundary_extent(store: Store, organisation_id: int) -> tuple[float, float, float, float] | None:
    """The bounds of the organisation's boundary within Sweden (None without one): a database
    from before areas outside Sweden were refused may hold one (a square at Paris made a grid of
    108 million cells)."""
    boundary = repo.organisation_boundary(store.engine, organisation_id)
    if boundary is not None and not boundary.is_empty:
        boundary = boundary.intersection(shapely.box(*SWEDEN_EXTENT_3006))
    if boundary is not None and not boundary.is_empty:
        return tuple(boundary.bounds)
    return None


def study_extent(store: Store, organisation_id: int, events: pd.DataFrame) -> tuple[float, float, float, float]:
    """The organisation's boundary, else the bounding box of the point data."""
    bounds = _boundary_extent(store, organisation_id)
    if bounds is not None:
        return bounds
    points = events[events["precision"].isin(POINT_PRECISIONS)]
    if points.empty:
        raise ValueError("det finns inga punktdata att bygga ett rutnät av")
    return (float(points["x"].min()), float(points["y"].min()),
            float(points["x"].max()), float(points["y"].max()))


def stored_extent(store: Store, organisation_id: int,
                  event_filter: EventFilter | None = None) -> tuple[float, float, float, float]:
    """``study_extent`` without the events in memory: the bounding box of the point data (of the
    events ``event_filter`` keeps, default all) from SQL."""
    bounds = _boundary_extent(store, organisation_id)
    if bounds is None:
        bounds = aggregates.point_bounds(store.engine, selection(organisation_id, event_filter or EventFilter()))
    if bounds is None:
        raise ValueError("det finns inga punktdata att bygga ett rutnät av")
    return bounds


def selection(organisation_id: int, event_filter: EventFilter) -> aggregates.Selection:
    """The stored events an EventFilter keeps (period, categories, sources), counted ones only."""
    start = None if event_filter.start is None else datetime.combine(event_filter.start, time())
    end = (None if event_filter.end is None
           else datetime.combine(event_filter.end + timedelta(days=1), time()))
    return aggregates.Selection((organisation_id,), start, end, event_filter.categories,
                                event_filter.sources, tuple(sorted(NOT_COUNTED)),
                                tuple(event_filter.weekdays), event_filter.hours)


def point_events(events: pd.DataFrame) -> pd.DataFrame:
    """Only rows with a real point: area-precision rows (e.g. police API) never enter a grid."""
    return events[events["precision"].isin(POINT_PRECISIONS) & events["x"].notna()]


@dataclass(frozen=True)
class HotspotRun:
    result: HotspotResult
    points: pd.DataFrame  # the filtered point events (never sent to a browser)


def run(events: pd.DataFrame, extent: tuple[float, float, float, float], event_filter: EventFilter,
        cell: float, *, max_cells: int | None = None) -> HotspotRun:
    """Filter → grid counts → Gi* → FDR. Pure computation on an in-memory frame.

    A grid of more than ``max_cells`` cells (default: the setting WORKBENCH_MAX_GRID_CELLS) is
    refused with a ``GridTooLargeError`` (a WorkbenchError and a ValueError) before it is built."""
    grid = grid_over(extent, cell, max_cells=max_cells)
    points = point_events(event_filter.apply(events))
    result = hotspot_analysis(points["x"].to_numpy(), points["y"].to_numpy(), grid)
    return HotspotRun(result, points)


def run_stored(store: Store, organisation_id: int, event_filter: EventFilter, cell: float, *,
               max_cells: int | None = None) -> HotspotRun:
    """``run`` reading only what it uses: the x/y of the events the filter keeps, selected in SQL
    (a cold ``workbench hotspots`` read every event of the organisation, 3 s at a million),
    weekdays and hours of day too."""
    grid = grid_over(stored_extent(store, organisation_id), cell, max_cells=max_cells)
    x, y = aggregates.point_xy(store.engine, selection(organisation_id, event_filter))
    return HotspotRun(hotspot_analysis(x, y, grid), pd.DataFrame({"x": x, "y": y}))


def cells_stored(store: Store, organisation_id: int, event_filter: EventFilter, cell: float, *,
                 max_cells: int | None = None) -> tuple[HotspotResult, int]:
    """(Gi* result, events with a point) as ``run`` gives them, counted per cell in the database:
    nothing per event reaches Python (memory does not grow with the stored events)."""
    grid = grid_over(stored_extent(store, organisation_id), cell, max_cells=max_cells)
    counts, total = aggregates.cell_counts(store.engine, selection(organisation_id, event_filter),
                                           grid.x0, grid.y0, grid.cell, grid.n_rows, grid.n_cols)
    return counted_analysis(counts, grid), total


def stored_categories(store: Store, organisation_id: int) -> tuple[str, ...]:
    """The categories of the organisation's counted events (what ``load_events`` returns), from
    SQL: no event is read into memory."""
    return aggregates.categories(store.engine, selection(organisation_id, EventFilter()))


def cell_changes(events: pd.DataFrame, grid: Grid, event_filter: EventFilter,
                 period: Period, reference: Period) -> pd.DataFrame:
    """Per cell: this period against the reference, exact test."""
    def keys(p: Period) -> pd.Series:
        f = EventFilter(p.start, p.end, event_filter.categories, event_filter.sources,
                        event_filter.weekdays, event_filter.hours)
        pts = point_events(f.apply(events))
        ids = grid.cell_ids(pts["x"].to_numpy(), pts["y"].to_numpy())
        return pd.Series(ids[ids >= 0])

    return change_by_key(keys(period), keys(reference), period.days / reference.days)


def area_changes(events: pd.DataFrame, areas: gpd.GeoDataFrame, event_filter: EventFilter,
                 period: Period, reference: Period) -> pd.DataFrame:
    def keys(p: Period) -> pd.Series:
        f = EventFilter(p.start, p.end, event_filter.categories, event_filter.sources,
                        event_filter.weekdays, event_filter.hours)
        return f.apply(events)["area_id"].dropna().astype(int)

    frame = change_by_key(keys(period), keys(reference), period.days / reference.days)
    names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    return frame.assign(area=frame["key"].map(names))


def cell_frame(run: HotspotRun) -> gpd.GeoDataFrame:
    """Every cell with its statistics and polygon (EPSG:3006), for export."""
    return result_frame(run.result)


def result_frame(result: HotspotResult) -> gpd.GeoDataFrame:
    """``cell_frame`` of a result alone (e.g. counted in the database, no points in memory)."""
    frame = result.frame()
    return gpd.GeoDataFrame(frame, geometry=result.grid.boxes(frame["cell_id"].to_numpy()),
                            crs=SWEREF99TM)


def events_in_place(run: HotspotRun, places: gpd.GeoDataFrame, place_id: int) -> pd.DataFrame:
    """The run's point events inside one place (its polygon, or its point and radius)."""
    from workbench.geo.assign import assign_points
    from workbench.hotspots.ranking import place_geometries

    chosen = places[places["id"] == place_id]
    if chosen.empty:
        return run.points.iloc[0:0]
    inside = assign_points(run.points["x"].to_numpy(), run.points["y"].to_numpy(),
                           place_geometries(chosen)) >= 0
    return run.points[inside]


def events_in_cell(run: HotspotRun, cell_id: int) -> pd.DataFrame:
    ids = run.result.grid.cell_ids(run.points["x"].to_numpy(), run.points["y"].to_numpy())
    return run.points[ids == cell_id]


__all__ = ["HotspotRun", "area_changes", "cell_changes", "cell_frame",
           "events_in_cell", "events_in_place", "load_events", "point_events", "run", "study_extent"]
