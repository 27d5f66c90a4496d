"""Översikt's figures per area and source counted in the database (one GROUP BY per period), so
the start page neither reads nor holds the organisation's events; the same figures as
``situation.area_figures`` / ``source_totals`` on the event frame (tests compare both ways)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from workbench.filters import EventFilter
from workbench.services.hotspots import selection
from workbench.situation import Period, area_figures_counted, source_totals_counted
from workbench.store import aggregates
from workbench.store.db import Store


def counts(store: Store, organisation_id: int, period: Period,
           area_ids: tuple[int, ...] | None = None) -> dict[tuple[int | None, str], int]:
    """Counted events of the period per (area id, source); only ``area_ids``' rows when given."""
    chosen = replace(selection(organisation_id, EventFilter(period.start, period.end)), area_ids=area_ids)
    return aggregates.area_source_counts(store.engine, chosen)


def figures(store: Store, organisation_id: int, areas: pd.DataFrame, period: Period, reference: Period,
            area_ids: tuple[int, ...] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-area figures, per-source totals) of the period against the reference."""
    current = counts(store, organisation_id, period, area_ids)
    previous = counts(store, organisation_id, reference, area_ids)

    def per_source(by_area: dict[tuple[int | None, str], int]) -> dict[str, int]:
        out: dict[str, int] = {}
        for (_area, source), n in by_area.items():
            out[source] = out.get(source, 0) + n
        return out

    return (area_figures_counted(current, previous, areas, period, reference),
            source_totals_counted(per_source(current), per_source(previous), period, reference))
