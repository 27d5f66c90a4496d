"""Access to the Hot-spots page's figures counted in the database (services.hotspot_stored):
roles with point access only, their own organisation's events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import roles as r
from workbench.access.scope import Scope
from workbench.filters import EventFilter
from workbench.geo.grid import Grid
from workbench.services import hotspot_stored as stored
from workbench.services.hotspots import stored_extent
from workbench.situation import Period
from workbench.store.db import Store


def extent(store: Store, scope: Scope) -> tuple[float, float, float, float]:
    """The study area: the organisation's boundary, else the bounding box of its points (SQL)."""
    scope.require(r.READ_POINTS)
    return stored_extent(store, scope.organisation_id)


def run(store: Store, scope: Scope, event_filter: EventFilter, cell: float) -> stored.StoredRun:
    scope.require(r.READ_POINTS)
    return stored.run(store, scope.organisation_id, event_filter, cell)


def tables(store: Store, scope: Scope, event_filter: EventFilter, result: stored.StoredRun,
           period: Period, reference: Period, areas: pd.DataFrame, places: pd.DataFrame) -> dict:
    scope.require(r.READ_POINTS)
    return stored.page_tables(store, scope.organisation_id, event_filter, result, period, reference,
                              areas, places)


def critical(store: Store, scope: Scope, event_filter: EventFilter) -> pd.DataFrame:
    """Critical dates against normal days for the filter's kinds, every stored date."""
    scope.require(r.READ_POINTS)
    return stored.critical(store, scope.organisation_id, event_filter)


def density(store: Store, scope: Scope, event_filter: EventFilter,
            bounds: tuple[float, float, float, float]) -> tuple[Grid, np.ndarray]:
    scope.require(r.READ_POINTS)
    return stored.density(store, scope.organisation_id, event_filter, bounds)


def walk_counts(store: Store, scope: Scope, period: Period, grid: Grid) -> np.ndarray:
    scope.require(r.READ_POINTS)
    return stored.walk_counts(store, scope.organisation_id, period, grid)


def events_inside(store: Store, scope: Scope, event_filter: EventFilter, geometry) -> pd.DataFrame:
    scope.require(r.READ_POINTS)
    return stored.events_inside(store, scope.organisation_id, event_filter, geometry)


def events_in_cell(store: Store, scope: Scope, event_filter: EventFilter, grid: Grid,
                   cell_id: int) -> pd.DataFrame:
    scope.require(r.READ_POINTS)
    return stored.events_in_cell(store, scope.organisation_id, event_filter, grid, cell_id)


def emerging(store: Store, scope: Scope, event_filter: EventFilter, cell: float, step: str):
    """Hot-spots över tid on cells, the step × cell cube counted in the database."""
    from workbench.services import emerging as service
    from workbench.store import repositories as repo

    scope.require(r.READ_POINTS)
    return service.run_stored(store, scope.organisation_id, extent(store, scope), event_filter, cell, step,
                              repo.organisation_boundary(store.engine, scope.organisation_id))


def emerging_areas(store: Store, scope: Scope, areas: pd.DataFrame, event_filter: EventFilter, step: str):
    """Hot-spots över tid with the areas as bins, the step × area counts from the database."""
    from workbench.services import emerging as service

    scope.require(r.READ_POINTS)
    return service.run_areas_stored(store, scope.organisation_id, areas, event_filter, step)


def near_repeat(store: Store, scope: Scope, categories: tuple[str, ...], **options):
    """The Knox table of the categories' exact points in the period (read from the database)."""
    from workbench.services import near_repeat as service

    scope.require(r.READ_POINTS)
    return service.run_stored(store, scope.organisation_id, categories, **options)


def attention(store: Store, scope: Scope, categories: tuple[str, ...], table, grid, today, horizon: int):
    from workbench.services import near_repeat as service

    scope.require(r.READ_POINTS)
    return service.attention_stored(store, scope.organisation_id, categories, table, grid, today, horizon)


def place_events(store: Store, scope: Scope, geometry) -> pd.DataFrame:
    """Every counted event with coordinates inside a place, all dates and sources."""
    scope.require(r.READ_POINTS)
    return stored.place_events(store, scope.organisation_id, geometry)


def police_points_near(store: Store, scope: Scope, geometries) -> pd.DataFrame:
    """The police's events with coordinates in the geometries' boxes (a follow-up's areas)."""
    scope.require(r.READ_POINTS)
    return stored.police_points_near(store, scope.organisation_id, geometries)
