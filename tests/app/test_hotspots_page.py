"""AppTest of the Hot-spots page on the demo database."""

from __future__ import annotations

from shapely import box

from tests.builders import ORG, make_org
from workbench.store import repositories as repo
from workbench.store.db import open_store


def _open(app_for, demo_db):
    at = app_for(demo_db).run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception, at.exception
    return at


COLUMNS = {  # AppTest does not expose st.dataframe keys: find each table by a column of its own
    "hs_places": "Plats", "hs_cells": "p (FDR)", "hs_top_cells": "z", "hs_changes": "Område", "hs_profile": 23,
    "hs_critical": "Väntat (vanliga dagar)", "hs_fix": "Median (timmar)",
}


def _table(at, key):
    return next(d.value for d in at.dataframe if COLUMNS[key] in d.value.columns)


def test_hotspot_page_shows_map_places_cells_and_changes(app_for, demo_db):
    at = _open(app_for, demo_db)
    assert at.title[0].value == "Hot-spots"
    assert "händelser med punkt" in at.caption[0].value
    places = _table(at, "hs_places")
    assert places["Plats"].iloc[0] == "Resecentrum"  # the planted bus-station cluster
    cells = _table(at, "hs_cells")
    assert len(cells) > 0 and cells["Klass"].str.startswith("Hot-spot").all()
    top = _table(at, "hs_top_cells")
    assert "Klass" in top.columns and len(top) == 10
    assert int(str(top["Händelser"].iloc[0]).replace("\u00a0", "")) >= int(str(top["Händelser"].iloc[-1]).replace("\u00a0", ""))
    assert len(_table(at, "hs_changes")) >= 11
    assert set(_table(at, "hs_profile").index) == {"mån", "tis", "ons", "tor", "fre", "lör", "sön"}
    assert "Valborg" in set(_table(at, "hs_critical")["Datum"])
    fix = _table(at, "hs_fix")
    assert "Klotter" in set(fix["Kategori"])
    components = at.get("component_instance")
    assert components, "the map is an st_folium component"


def test_shared_screen_hides_small_counts_and_what_gives_them_away(app_for, demo_db):
    at = _open(app_for, demo_db)
    # one burglary at Resecentrum in the default period (the 4 weeks to 2026-10-31)
    at.multiselect(key="hs_categories").set_value(["bostadsinbrott"]).run()
    assert at.toggle(key="shared_screen").value is False  # the kommunpolis's own desk
    at.toggle(key="shared_screen").set_value(True).run()
    shared = _table(at, "hs_places").set_index("Plats")
    assert (shared.loc["Resecentrum", "Händelser"], shared.loc["Resecentrum", "Andel"]) == ("<3", "–")
    profile = _table(at, "hs_profile")
    assert "<3" in set(profile.to_numpy().ravel()) and "1" not in set(profile.to_numpy().ravel())
    at.toggle(key="shared_screen").set_value(False).run()
    private = _table(at, "hs_places").set_index("Plats")
    assert private.loc["Resecentrum", "Händelser"] == "1"
    assert private.loc["Resecentrum", "Andel"].endswith("%")
    assert "<3" not in set(_table(at, "hs_profile").astype(str).to_numpy().ravel())


def test_filters_narrow_the_analysis(app_for, demo_db):
    at = _open(app_for, demo_db)
    before = at.caption[0].value
    at.slider(key="hs_hours").set_value((20, 23)).run()
    at.multiselect(key="hs_weekdays").set_value([4, 5]).run()
    assert not at.exception
    after = at.caption[0].value
    n_before = int(before.split("·")[1].split("händelser")[0].replace("\u00a0", "").strip())
    n_after = int(after.split("·")[1].split("händelser")[0].replace("\u00a0", "").strip())
    assert 0 < n_after < n_before


def test_hotspot_page_says_the_grid_is_too_large(app_for, sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    with store.transaction() as conn:  # 20 × 20 km: 6 400 cells of 250 m, over a cap of 5 000
        repo.ensure_organisation(conn, ORG, boundary_wkb=box(370000, 6390000, 390000, 6410000).wkb)
    at = app_for(sqlite_url, WORKBENCH_ORGANISATION=ORG, WORKBENCH_MAX_GRID_CELLS="10000").run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception
    assert not any("WORKBENCH_MAX_GRID_CELLS" in w.value for w in at.warning)
    at.selectbox(key="hs_cell").set_value(100).run()  # 40 000 cells
    assert not at.exception, at.exception
    assert any("WORKBENCH_MAX_GRID_CELLS" in w.value and "större rutor" in w.value for w in at.warning)


def test_a_database_error_on_a_page_shows_no_sql(app_for, sqlite_url, monkeypatch):
    import sqlalchemy as sa

    from workbench.services import hotspots

    def fail(*_args, **_kwargs):
        raise sa.exc.DataError("SELECT x, y FROM incident WHERE organisation_id = %(org)s",
                               {"org": 1, "secret": "811218-9876"}, Exception("connection lost"))

    monkeypatch.setattr(hotspots, "run", fail)
    store = open_store(sqlite_url)
    make_org(store)
    at = app_for(sqlite_url, WORKBENCH_ORGANISATION=ORG).run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in [*at.error, *at.markdown, *at.warning])
    assert "Databasen kunde inte" in shown and "DataError" in shown
    assert "SELECT" not in shown and "811218" not in shown and "site-packages" not in shown
