"""Översikt's figures per area and source counted in the database equal the figures of the
event frame (situation.area_figures / source_totals) on the demo town plus edge rows (midnight,
summaries, area-only rows, rows without an area, walks, fault reports, another organisation),
for a whole kommun and for a reader limited to its own areas, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tests.store.test_stored_reads import town  # noqa: F401  (the module-scoped demo town)
from workbench.services import hotspots as hs
from workbench.services import overview
from workbench.situation import Period, area_figures, source_totals
from workbench.store import repositories as repo

PERIODS = [
    (Period(date(2026, 3, 1), date(2026, 3, 31)), Period(date(2026, 2, 1), date(2026, 2, 28))),
    (Period(date(2026, 10, 1), date(2026, 10, 31)), Period(date(2025, 10, 1), date(2025, 10, 31))),
    (Period(date(2025, 11, 1), date(2026, 10, 31)), Period(date(2024, 11, 1), date(2025, 10, 31))),
    (Period(date(2030, 1, 1), date(2030, 1, 31)), Period(date(2029, 1, 1), date(2029, 1, 31))),
]


@pytest.mark.parametrize("limited", [False, True], ids=["kommun", "egna områden"])
@pytest.mark.parametrize("periods", PERIODS, ids=range(len(PERIODS)))
def test_figures_counted_in_sql_equal_the_frame_figures(town, periods, limited):  # noqa: F811
    store, org = town
    period, reference = periods
    areas = repo.load_areas(store.engine, [org])
    events = hs.load_events(store, [org])
    area_ids = None
    if limited:  # as gate.events cuts it for housing: own areas' rows only, no row without area
        area_ids = tuple(int(a) for a in areas[areas["name"].isin(["Norrby", "Hässleholmen"])]["id"])
        assert len(area_ids) == 2
        areas = areas[areas["id"].isin(area_ids)].reset_index(drop=True)
        events = events[events["area_id"].isin(area_ids)].reset_index(drop=True)
    got_areas, got_totals = overview.figures(store, org, areas, period, reference, area_ids)
    pd.testing.assert_frame_equal(got_areas, area_figures(events, areas, period, reference),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(got_totals, source_totals(events, period, reference), check_dtype=False)
    if period.start.year < 2030:
        assert got_totals["current"].sum() > 0
    if period.start == date(2026, 3, 1):  # the edge rows have no area: a row "outside" for the kommun
        assert ("Utanför områdena" in set(got_areas["area"])) is not limited
