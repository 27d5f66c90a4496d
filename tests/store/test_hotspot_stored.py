"""The Hot-spots page's figures counted in the database (services.hotspot_stored) equal the
in-memory figures on the whole event frame, table by table, for filters with weekdays, hours of
day (over midnight), sources and categories, on the demo town plus edge rows (midnight, a
date-only row, a summary, an area-only row, another organisation), SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import shapely

from tests.store.test_stored_reads import town  # noqa: F401  (the module-scoped demo town)
from workbench.filters import EventFilter
from workbench.geo.assign import assign_points
from workbench.hotspots.kde import kernel_density
from workbench.hotspots.ranking import area_ranking, place_geometries, place_ranking
from workbench.hotspots.timeprofile import critical_dates, date_only_count, hour_weekday
from workbench.services import hotspot_stored as stored
from workbench.services import hotspots as hs
from workbench.situation import Period
from workbench.store import repositories as repo

FILTERS = [
    EventFilter(date(2026, 3, 1), date(2026, 3, 31)),
    EventFilter(date(2026, 3, 1), date(2026, 3, 31), ("skadegorelse",), ("police",)),
    EventFilter(date(2025, 10, 1), date(2026, 9, 30), (), ("police", "municipality", "housing", "walk")),
    EventFilter(date(2026, 1, 1), date(2026, 6, 30), (), ("police",), weekdays=(4, 5), hours=(22, 3)),
    EventFilter(date(2025, 1, 1), date(2026, 12, 31), ("skadegorelse", "klotter"), (), hours=(8, 17)),
    EventFilter(date(2030, 1, 1), date(2030, 1, 31)),  # nothing
]


def _memory(store, org, event_filter):
    events = hs.load_events(store, [org])
    return events, hs.run(events, hs.study_extent(store, org, events), event_filter, 250)


def _frames_equal(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_dtype=False, check_index_type=False)


@pytest.mark.parametrize("event_filter", FILTERS, ids=range(len(FILTERS)))
def test_page_tables_counted_in_sql_equal_the_in_memory_tables(town, event_filter):  # noqa: F811
    store, org = town
    events, expected = _memory(store, org, event_filter)
    period = Period(event_filter.start, event_filter.end)
    reference = period.same_last_year()
    areas = repo.load_areas(store.engine, [org])
    places = repo.load_places(store.engine, [org])
    assert len(places) and len(areas)  # the demo town has both: the place test is not vacuous
    run = stored.run(store, org, event_filter, 250)
    assert run.n_points == len(expected.points)
    np.testing.assert_array_equal(run.result.counts, expected.result.counts)

    got = stored.page_tables(store, org, event_filter, run, period, reference, areas, places)
    chosen = event_filter.apply(events)
    _frames_equal(got["ranking"], place_ranking(expected.points["x"].to_numpy(),
                                                expected.points["y"].to_numpy(), places))
    _frames_equal(got["area_changes"], hs.area_changes(events, areas, event_filter, period, reference))
    _frames_equal(got["area_ranking"], area_ranking(chosen["area_id"].to_numpy(), areas, period.days))
    _frames_equal(got["cell_changes"], hs.cell_changes(events, expected.result.grid, event_filter,
                                                       period, reference))
    _frames_equal(got["profile"], hour_weekday(chosen))
    assert got["date_only"] == date_only_count(chosen)
    same_kind = EventFilter(None, None, event_filter.categories, event_filter.sources,
                            event_filter.weekdays, event_filter.hours)
    _frames_equal(stored.critical(store, org, event_filter), critical_dates(same_kind.apply(events)["time"]))
    assert got["area_only"] == int((chosen["precision"] == "area").sum())
    if event_filter.start.year < 2030:  # the comparisons above were not all empty
        assert got["area_ranking"]["count"].sum() > 0 and got["profile"].to_numpy().sum() > 0


@pytest.mark.parametrize("event_filter", FILTERS[:4], ids=range(4))
def test_density_and_walks_counted_in_sql_equal_the_in_memory_layers(town, event_filter):  # noqa: F811
    store, org = town
    events, expected = _memory(store, org, event_filter)
    bounds = hs.study_extent(store, org, events)
    grid, density = stored.density(store, org, event_filter, bounds)
    want_grid, want = kernel_density(expected.points["x"].to_numpy(), expected.points["y"].to_numpy(), bounds)
    assert grid == want_grid
    np.testing.assert_allclose(density, want, rtol=1e-9, atol=1e-9)
    period = Period(event_filter.start, event_filter.end)
    walks = EventFilter(period.start, period.end).apply(events[events["kind"] == "walk_observation"])
    np.testing.assert_array_equal(stored.walk_counts(store, org, period, expected.result.grid),
                                  expected.result.grid.counts(walks["x"].to_numpy(), walks["y"].to_numpy()).ravel())


def _inside_in_memory(events, event_filter, inside_of):
    kinds = EventFilter(None, None, event_filter.categories, event_filter.sources, event_filter.weekdays,
                        event_filter.hours)
    points = hs.point_events(kinds.apply(events))
    chosen = points[inside_of(points["x"].to_numpy(), points["y"].to_numpy())]
    return chosen[["time", "category", "date_only"]].sort_values(["time", "category"])


@pytest.mark.parametrize("event_filter", FILTERS[:5], ids=range(5))
def test_a_cell_a_place_and_a_drawn_shape_read_by_their_box(town, event_filter):  # noqa: F811
    """The detail panel's events: a hot cell, every place, a drawn polygon and a circle, each read
    from the database by its box, are the events the in-memory test finds."""
    store, org = town
    events, expected = _memory(store, org, event_filter)
    grid = expected.result.grid
    busiest = int(np.argmax(expected.result.counts))
    shapes = [("cell", busiest)]
    places = repo.load_places(store.engine, [org])
    shapes += [("shape", g) for g in place_geometries(places)]
    cx, cy = grid.x0 + (busiest % grid.n_cols + 0.5) * grid.cell, grid.y0 + (busiest // grid.n_cols + 0.5) * grid.cell
    shapes += [("shape", shapely.Point(cx, cy).buffer(400)),
               ("shape", shapely.Polygon([(cx - 600, cy - 300), (cx + 500, cy - 500), (cx, cy + 700)]))]
    found = 0
    for kind, what in shapes:
        if kind == "cell":
            got = stored.events_in_cell(store, org, event_filter, grid, what)
            want = _inside_in_memory(events, event_filter, lambda x, y, c=what: grid.cell_ids(x, y) == c)
        else:
            got = stored.events_inside(store, org, event_filter, what)
            want = _inside_in_memory(events, event_filter, lambda x, y, g=what: assign_points(x, y, [g]) >= 0)
        _frames_equal(got.sort_values(["time", "category"]).astype({"category": str}),
                      want.astype({"category": str}))
        found += len(got)
    assert found > 0


def test_a_places_events_and_a_follow_up_read_by_their_boxes(town):  # noqa: F811
    """Platser: every event with coordinates inside each demo place (all sources and dates), and
    the before/after follow-up around a place against an area, read by their boxes, equal the
    in-memory figures of the whole event frame."""
    from workbench.follow_up import follow_up

    store, org = town
    events = hs.load_events(store, [org])
    points = events[events["x"].notna()]
    places = repo.load_places(store.engine, [org])
    columns = ["kind", "source", "category", "time", "x", "y", "date_only"]
    for geometry in place_geometries(places):
        got = stored.place_events(store, org, geometry)
        want = points[assign_points(points["x"].to_numpy(), points["y"].to_numpy(), [geometry]) >= 0]
        order = ["time", "x", "y", "kind"]
        _frames_equal(got[columns].astype(str).sort_values(order), want[columns].astype(str).sort_values(order))
    place = place_geometries(places[places["name"] == "Resecentrum"])[0]
    control = repo.load_areas(store.engine, [org]).geometry.iloc[0]
    police = stored.police_points_near(store, org, [place.buffer(200), control])
    args = {"start": date(2026, 3, 1), "window_days": 90, "place": place, "buffer_m": 200.0, "control": control}
    got, want = follow_up(police, **args), follow_up(points[points["source"] == "police"], **args)
    assert (got.target, got.buffer, got.control) == (want.target, want.buffer, want.control)
    assert want.target.before + want.target.after > 0
