"""Reads that filter in SQL give what the in-memory path gives: the same hot-spot cells for every
filter of `workbench hotspots`, on the demo town plus rows at the edges (midnight, summaries,
area-only rows, another organisation), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from workbench.demo.load import load_demo
from workbench.filters import EventFilter
from workbench.schema import conform
from workbench.services import hotspots as hs
from workbench.store import repositories as repo
from workbench.store.db import open_store
from workbench.taxonomy import SUMMARY


def _edge_rows(store, org: int) -> None:
    """Incidents at the period's edges, a summary row, an area-only row and a row without a
    point, a row with only a date (no hour to filter on), and one incident of another
    organisation in the same place."""
    times = pd.to_datetime(["2026-03-01 00:00:00", "2026-03-31 23:59:59", "2026-04-01 00:00:00",
                            "2026-02-28 23:59:59", "2026-03-15 12:00:00", "2026-03-15 12:00:00",
                            "2026-03-15 12:00:00", "2026-03-10 00:00:00"])
    frame = pd.DataFrame({
        "source_id": [f"EDGE-{i}" for i in range(len(times))],
        "category": ["skadegorelse"] * 4 + [SUMMARY, "skadegorelse", "skadegorelse", "skadegorelse"],
        "occurred_from": times,
        "x": [376_480.0] * 5 + [376_480.0, np.nan, 376_730.0],
        "y": [6_400_480.0] * 5 + [6_400_480.0, np.nan, 6_400_480.0],
        "precision": ["exact"] * 5 + ["area", "exact", "exact"],
        "date_only": [False] * 7 + [True],
    })
    rows = conform(frame, "incident").assign(source="police", organisation_id=org)
    other = repo.ensure_organisation
    with store.transaction() as conn:
        repo.insert_rows(conn, "incident", rows)
        neighbour = other(conn, "Grannkommunen")
        repo.insert_rows(conn, "incident", rows.head(1).assign(organisation_id=neighbour,
                                                               source_id="GRANNE-1"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def town(request, tmp_path_factory):
    import os

    from tests.conftest import PG_ENV, _fresh_pg_database
    from workbench.store.db import close_store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('reads') / 'town.sqlite'}"
    else:
        if not os.environ.get(PG_ENV):
            pytest.skip(f"PostgreSQL-test: {PG_ENV} är inte satt (.ci/run sätter den)")
        url = _fresh_pg_database(os.environ[PG_ENV])
    store = open_store(url)
    load_demo(store)
    org = repo.find_organisation(store.engine, "Borås stad")
    _edge_rows(store, org)
    yield store, org
    close_store(url)


FILTERS = [
    EventFilter(),
    EventFilter(date(2026, 3, 1), date(2026, 3, 31)),
    EventFilter(date(2026, 3, 1), date(2026, 3, 31), ("skadegorelse",), ("police",)),
    EventFilter(date(2025, 1, 1), date(2026, 12, 31), (), ("municipality", "housing")),
    EventFilter(None, None, (), ("walk",)),
    EventFilter(date(2025, 6, 1), None, ("skadegorelse", "klotter", "belysning"), ("police", "walk")),
    EventFilter(None, date(2025, 12, 31), (), ("police",), weekdays=(5, 6)),
    EventFilter(date(2030, 1, 1), date(2030, 1, 31)),  # nothing
    # weekdays and hours of day in SQL: a span over midnight, a day span, rows with only a date
    EventFilter(None, None, (), ("police",), hours=(22, 3)),
    EventFilter(date(2026, 3, 1), date(2026, 3, 31), (), (), weekdays=(0, 1), hours=(0, 12)),
    EventFilter(None, None, (), ("municipality", "walk"), weekdays=(6,), hours=(8, 17)),
    EventFilter(date(2025, 1, 1), None, ("skadegorelse",), (), hours=(0, 0)),
]


@pytest.mark.parametrize("event_filter", FILTERS, ids=range(len(FILTERS)))
def test_sql_filtered_run_equals_the_in_memory_run(town, event_filter):
    store, org = town
    events = hs.load_events(store, [org])
    expected = hs.run(events, hs.study_extent(store, org, events), event_filter, 250)
    got = hs.run_stored(store, org, event_filter, 250)
    assert len(got.points) == len(expected.points)
    assert got.result.grid == expected.result.grid
    np.testing.assert_array_equal(got.result.counts, expected.result.counts)
    np.testing.assert_allclose(got.result.z, expected.result.z, atol=1e-12)
    assert list(got.result.hotspot_class) == list(expected.result.hotspot_class)
    assert sorted(zip(got.points["x"], got.points["y"], strict=True)) == sorted(zip(expected.points["x"],
                                                                         expected.points["y"], strict=True))


def test_the_edges_are_counted_as_in_memory(town):
    """March 2026: both midnight rows inside, the next month's midnight and the summary, the
    area-only row and the neighbour's row outside."""
    store, org = town
    march = EventFilter(date(2026, 3, 1), date(2026, 3, 31), ("skadegorelse",), ("police",))
    got = hs.run_stored(store, org, march, 250)
    at_edge = (got.points["x"] == 376_480.0) & (got.points["y"] == 6_400_480.0)
    assert int(at_edge.sum()) == 2


def test_extent_without_a_boundary_is_the_points_bounding_box(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Utan gräns")
    _edge_rows(store, org)
    events = hs.load_events(store, [org])
    assert hs.stored_extent(store, org) == hs.study_extent(store, org, events)
    with pytest.raises(ValueError, match="inga punktdata"):
        with store.transaction() as conn:
            empty = repo.ensure_organisation(conn, "Tom")
        hs.stored_extent(store, empty)


@pytest.mark.parametrize("event_filter", FILTERS, ids=range(len(FILTERS)))
def test_cells_counted_in_sql_equal_the_in_memory_run(town, event_filter):
    """`workbench hotspots` counts per cell in the database: same counts, z and classes, and the
    same number of events with a point (inside the grid or not)."""
    store, org = town
    events = hs.load_events(store, [org])
    expected = hs.run(events, hs.study_extent(store, org, events), event_filter, 250)
    result, n_points = hs.cells_stored(store, org, event_filter, 250)
    assert n_points == len(expected.points)
    np.testing.assert_array_equal(result.counts, expected.result.counts)
    np.testing.assert_allclose(result.z, expected.result.z, atol=1e-12)
    assert list(result.hotspot_class) == list(expected.result.hotspot_class)


def test_cells_counted_in_sql_at_the_grid_edges(db_url):
    """Points on a cell's edge, on the grid's far edge, just outside on every side and west of
    the origin by less than a cell (a truncating cast would put it in column 0)."""
    from workbench.geo.grid import Grid
    from workbench.store import aggregates

    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Kanter")
    grid = Grid(1000.0, 2000.0, 250, 3, 4)
    x = np.array([1000, 1250, 1999.999, 2000, 999.5, 1100, 1100, 1100, 1100, 1000.1])
    y = np.array([2000, 2250, 2749.999, 2100, 2100, 1999.5, 2750, 2749.9, 2000, 2000.1])
    frame = pd.DataFrame({"source_id": [f"K{i}" for i in range(x.size)], "category": "stold",
                          "occurred_from": pd.Timestamp("2026-01-01 10:00:00"), "x": x, "y": y,
                          "precision": "exact"})
    with store.transaction() as conn:
        repo.insert_rows(conn, "incident", conform(frame, "incident").assign(source="police",
                                                                              organisation_id=org))
    counts, total = aggregates.cell_counts(store.engine, aggregates.Selection((org,)), grid.x0,
                                           grid.y0, grid.cell, grid.n_rows, grid.n_cols)
    np.testing.assert_array_equal(counts, grid.counts(x, y))
    assert total == x.size


@pytest.mark.parametrize("end", [date(2026, 10, 31), date(2026, 3, 31), date(2025, 6, 30)])
def test_over_time_line_counted_in_sql_equals_the_in_memory_summary(town, end):
    """The meeting's and the lägesbild's hot-spots över tid: the month × cell cube grouped in the
    database gives the summary the 24 months of loaded incidents gave."""
    from workbench.services import emerging
    from workbench.services.meetings import window_start
    from workbench.situation import Period

    store, org = town
    period = Period(end.replace(day=1), end)
    areas = repo.load_areas(store.engine, [org])
    boundary = repo.organisation_boundary(store.engine, org)
    events = hs.load_events(store, [org], start=window_start(period), end=period.end_dt)
    police = events[events["source"] == "police"]
    expected = emerging.summary(police, hs.study_extent(store, org, police), areas, end, 250, 3,
                                boundary=boundary)
    got = emerging.summary_stored(store, org, areas, end, 250, 3, boundary,
                                  window_start=window_start(period).date())
    assert got == expected
    assert expected.get("counts")  # the demo town has patterns: not two empty summaries


@pytest.mark.parametrize("event_filter", FILTERS[:6], ids=range(6))
def test_category_list_in_sql_equals_the_in_memory_list(town, event_filter):
    """The filters' category list (SELECT DISTINCT) is the categories of the counted events in
    memory: summaries and other organisations left out, rows without a point kept."""
    from workbench.store import aggregates

    store, org = town
    expected = sorted(event_filter.apply(hs.load_events(store, [org]))["category"].dropna().unique())
    got = aggregates.categories(store.engine, hs.selection(org, event_filter))
    assert list(got) == expected and SUMMARY not in got


def test_category_list_of_the_hotspot_page_reads_no_event(town, monkeypatch):
    """gate.event_categories (the Hot-spots and over-time filters' list) does not read the
    events: the full-event loaders raise, and the list is the one in memory; a role without
    point access is refused as before."""
    from workbench.access import gate
    from workbench.access.scope import open_scope, single_user
    from workbench.errors import AccessDenied

    store, org = town
    expected = tuple(sorted(hs.load_events(store, [org])["category"].dropna().unique()))

    def refuse(*_args, **_kwargs):
        raise AssertionError("every event read")

    monkeypatch.setattr(hs, "load_events", refuse)
    monkeypatch.setattr(repo, "load_events", refuse)
    assert gate.event_categories(store, open_scope(store, single_user("coordinator"), org)) == expected
    with pytest.raises(AccessDenied):
        gate.event_categories(store, open_scope(store, single_user("viewer"), org))
