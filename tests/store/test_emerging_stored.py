"""Hot-spots över tid and near-repeat read from the database (step × cell and step × area counts
grouped in SQL, exact points of the chosen categories) equal the in-memory analyses of the whole
event frame: weeks, months and tertials, filters with weekdays and hours, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tests.store.test_stored_reads import town  # noqa: F401  (the module-scoped demo town)
from workbench.filters import EventFilter
from workbench.hotspots.emerging import default_span
from workbench.services import emerging, near_repeat
from workbench.services import hotspots as hs
from workbench.store import repositories as repo

CASES = [
    ("month", EventFilter(None, None, (), ("police",))),
    ("week", EventFilter(None, None, ("skadegorelse", "klotter"), ())),
    ("tertial", EventFilter(None, None, (), ("police", "walk"))),
    ("month", EventFilter(None, None, (), ("police",), weekdays=(4, 5), hours=(22, 3))),
]


def _span(step, event_filter, n_steps=None):
    first, last = default_span(step, date(2026, 10, 31), n_steps)
    return EventFilter(first, last, event_filter.categories, event_filter.sources, event_filter.weekdays,
                       event_filter.hours)


@pytest.mark.parametrize(("step", "event_filter"), CASES, ids=range(len(CASES)))
def test_cells_over_time_counted_in_sql_equal_the_in_memory_run(town, step, event_filter):  # noqa: F811
    store, org = town
    chosen = _span(step, event_filter)
    events = hs.load_events(store, [org])
    extent = hs.study_extent(store, org, events)
    boundary = repo.organisation_boundary(store.engine, org)
    expected = emerging.run(events, extent, chosen, 250, step, boundary)
    got = emerging.run_stored(store, org, extent, chosen, 250, step, boundary)
    assert got.steps == expected.steps
    np.testing.assert_array_equal(got.counts, expected.counts)
    assert got.n_events == expected.n_events > 0
    np.testing.assert_allclose(got.z, expected.z, atol=1e-12)
    assert list(got.emerging_class) == list(expected.emerging_class)


def test_too_few_steps_are_refused_in_sql_as_in_memory(town):  # noqa: F811
    from workbench.hotspots.emerging import TooFewSteps

    store, org = town
    chosen = _span("month", CASES[0][1], 3)
    events = hs.load_events(store, [org])
    extent = hs.study_extent(store, org, events)
    with pytest.raises(TooFewSteps) as in_memory:
        emerging.run(events, extent, chosen, 250, "month")
    with pytest.raises(TooFewSteps) as in_sql:
        emerging.run_stored(store, org, extent, chosen, 250, "month")
    assert str(in_sql.value) == str(in_memory.value)


@pytest.mark.parametrize(("step", "event_filter"), CASES, ids=range(len(CASES)))
def test_areas_over_time_counted_in_sql_equal_the_in_memory_run(town, step, event_filter):  # noqa: F811
    store, org = town
    chosen = _span(step, event_filter)
    events = hs.load_events(store, [org])
    areas = repo.load_areas(store.engine, [org])
    expected = emerging.run_areas(events, areas, chosen, step)
    got = emerging.run_areas_stored(store, org, areas, chosen, step)
    np.testing.assert_array_equal(got.counts, expected.counts)
    assert got.counts.sum() > 0
    assert list(got.emerging_class) == list(expected.emerging_class)


@pytest.mark.parametrize("categories", [("skadegorelse",), ("bostadsinbrott", "inbrott")])
def test_near_repeat_reads_the_same_points_from_the_database(town, categories):  # noqa: F811
    store, org = town
    events = hs.load_events(store, [org])
    start, end = date(2025, 11, 1), date(2026, 10, 31)
    expected = near_repeat.run(events, categories, start=start, end=end, permutations=99)
    got = near_repeat.run_stored(store, org, categories, start=start, end=end, permutations=99)
    np.testing.assert_array_equal(got.observed, expected.observed)
    np.testing.assert_allclose(got.p, expected.p)
    x, y, days = near_repeat.stored_points(store, org, categories, start, end)
    rows = near_repeat.events_for(events, categories, start, end)
    assert len(x) == len(rows) > 0
    assert sorted(days.tolist()) == sorted(rows["time"].to_numpy(dtype="datetime64[D]").astype(np.int64).tolist())
