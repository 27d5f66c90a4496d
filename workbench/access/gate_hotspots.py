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
