"""The server warms what every session needs (issue 21): after the warm-up the first visit to
Översikt reads nothing from the database (and neither reads the frame of every event), a change by another process is warmed again in the
background, and the sidebar sees another process's import at once (no ttl)."""

from __future__ import annotations

import shutil
from datetime import date

import geopandas as gpd
import pytest
import shapely

from tests.builders import incidents_csv
from workbench.services import hotspots as hs
from workbench.services import imports
from workbench.store.db import close_store, open_store
from workbench.ui import warmup

ORG = "Borås stad"


@pytest.fixture
def town(demo_db, tmp_path):
    """A copy of the demo town this test may change."""
    path = tmp_path / "town.sqlite"
    shutil.copy(demo_db.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    yield url
    close_store(url)


@pytest.fixture
def reads(monkeypatch):
    """Every read of the organisation's events: the whole frame (the expensive step: 3 s at a
    million) and each count grouped in the database (store.aggregates)."""
    from workbench.store import aggregates

    seen: list[tuple] = []
    real, real_rows = hs.load_events, aggregates._rows

    def counting(store, organisation_ids, **kwargs):
        seen.append(("frame", tuple(organisation_ids), tuple(sorted(kwargs))))
        return real(store, organisation_ids, **kwargs)

    def counting_rows(engine, select_sql, selection, **kwargs):
        seen.append(("sql", selection.organisation_ids))
        return real_rows(engine, select_sql, selection, **kwargs)

    monkeypatch.setattr(hs, "load_events", counting)
    monkeypatch.setattr(aggregates, "_rows", counting_rows)
    return seen


def _another_process_imports(url: str) -> None:
    """What a second app process or `workbench import` does: straight into the database, no
    cache of this process cleared."""
    rows = [("Skadegörelse", date(2026, 10, 20), 377300.0 + i, 6399500.0) for i in range(5)]
    imports.import_table(open_store(url), "incidents", incidents_csv(rows), "nya.csv", ORG)


def test_after_the_warm_up_the_first_visit_reads_no_events(app_for, town, reads):
    at = app_for(town)  # fresh caches
    steps = warmup.run(town, wait_for_runtime=False, follow=False)
    assert set(steps) == {"imports", "data"}
    warmed = len(reads)
    assert warmed >= 1
    at.run()
    assert not at.exception and at.title[0].value.startswith("Översikt")
    assert len(reads) == warmed  # the page found every figure in the cache
    assert not [r for r in reads if r[0] == "frame"]  # counted in the database, no event frame


def test_a_change_by_another_process_is_warmed_again_in_the_background(app_for, town, reads):
    at = app_for(town)
    warmed = {scope: warmup.warm_scope(town, scope) for scope in warmup.scopes(town)}
    _another_process_imports(town)
    before = len(reads)
    warmup.follow_versions(town, warmed, interval_s=0, rounds=1)
    assert len(reads) > before  # the new version was read by the warm-up
    after_warm = len(reads)
    at.run()
    assert not at.exception
    assert len(reads) == after_warm


def test_the_sidebar_sees_another_process_import_at_once(app_for, town):
    at = app_for(town).run()
    areas = at.selectbox(key="area").options
    assert "Nya Stadsdelen" not in areas
    new = gpd.GeoDataFrame({"name": ["Nya Stadsdelen"]},
                           geometry=[shapely.box(390000, 6390000, 391000, 6391000)], crs="EPSG:3006")
    imports.import_layer(open_store(town), "areas", new.to_json().encode(), "nya.geojson", ORG)
    at.run()
    assert "Nya Stadsdelen" in at.selectbox(key="area").options


def test_a_reporter_account_is_left_out_of_the_warm_up(app_for, town, monkeypatch):
    """A reporter opens no page these caches serve (its scope reads no events or areas): the
    warm-up skips it instead of stopping at its AccessDenied and leaving everyone cold."""
    from workbench.store import accounts

    store = open_store(town)
    accounts.add_user(store.engine, "avard", organisation=ORG, role="reporter", password="ett-langt-losenord-1",
                      verksamhet="Bostadsbolaget – Hässleholmen", actor="test")
    accounts.add_user(store.engine, "sara", organisation=ORG, role="coordinator", password="ett-langt-losenord-1",
                      actor="test")
    app_for(town, WORKBENCH_AUTH="local")  # fresh caches, local accounts
    found = warmup.scopes(town)
    assert [(s.role, s.organisation) for s in found] == [("coordinator", ORG)]
    assert set(warmup.run(town, wait_for_runtime=False, follow=False)) == {"imports", "data"}


def test_the_start_page_modules_come_first_and_are_fewer():
    """The first visitor after a start opens Översikt: the warm-up imports its modules before
    the data and the other pages' (EST-möte's meeting view, the maps of the other pages, the
    agreement follow-up) after, so that visitor does not wait behind them (first visit 3.5 →
    2.6 s)."""
    from workbench.ui import warmup

    first, every = warmup.page_modules(warmup.FIRST_PAGE), warmup.page_modules()
    assert set(first) < set(every)
    assert "workbench.ui.state" in first and "workbench.ui.meeting_view" not in first
    assert {"workbench.ui.meeting_view", "workbench.follow_up", "workbench.maps.build"} <= set(every)
