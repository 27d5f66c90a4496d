"""AppTest of the Hot-spots page on the demo database."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
from shapely import box

from tests.app.conftest import shown
from tests.builders import ORG, make_org
from workbench.store import repositories as repo
from workbench.store.db import open_store


def _open(app_for, demo_db):
    at = app_for(demo_db).run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception, at.exception
    return at


COLUMNS = {  # AppTest does not expose st.dataframe keys: find each table by a column of its own
    "hs_places": "Plats", "hs_cells": "p (FDR)", "hs_top_cells": "z", "hs_changes": "Område",
    "hs_critical": "Väntat (vanliga dagar)", "hs_fix": "Median (timmar)",
}


def _table(at, key):
    return next(d.value for d in at.dataframe if COLUMNS[key] in d.value.columns)


def _charts(at) -> list[tuple[dict, pd.DataFrame]]:
    """Every Altair chart of the page: its Vega-Lite spec and its data (AppTest has no accessor)."""
    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    found = []
    for node in walk(at._tree):
        if "vega_lite" in str(getattr(node, "type", "")):
            data = pa.ipc.open_stream(node.proto.datasets[0].data.data).read_pandas()
            found.append((json.loads(node.proto.spec), data))
    return found


def _profile(at) -> pd.DataFrame:
    """The weekday × hour heat map's data (168 rows: weekday, hour, count, label, hidden)."""
    return next(data for spec, data in _charts(at) if "Veckodag" in data.columns and len(data) == 168)


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
    assert int(str(top["Händelser"].iloc[0]).replace("\u00a0", "").replace("\u202f", "")) >= int(str(top["Händelser"].iloc[-1]).replace("\u00a0", "").replace("\u202f", ""))
    assert len(_table(at, "hs_changes")) >= 11
    profile = _profile(at)  # a heat map, not a 7 × 24 table of numbers
    assert set(profile["Veckodag"]) == {"mån", "tis", "ons", "tor", "fre", "lör", "sön"}
    assert set(profile["Timme"]) == set(range(24))
    assert not any(d.value.shape == (7, 24) for d in at.dataframe)
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
    profile = _profile(at)
    assert "<3" in set(profile["Antal"]) and "1" not in set(profile["Antal"])
    hidden = profile[profile["dolt"]]
    assert len(hidden) and hidden["Händelser"].isna().all()  # nothing to colour a hidden count by
    at.toggle(key="shared_screen").set_value(False).run()
    private = _table(at, "hs_places").set_index("Plats")
    assert private.loc["Resecentrum", "Händelser"] == "1"
    assert private.loc["Resecentrum", "Andel"].endswith("%")
    assert "<3" not in set(_profile(at)["Antal"]) and not _profile(at)["dolt"].any()


def test_filters_narrow_the_analysis(app_for, demo_db):
    at = _open(app_for, demo_db)
    before = at.caption[0].value
    at.slider(key="hs_hours").set_value((20, 23)).run()
    at.multiselect(key="hs_weekdays").set_value([4, 5]).run()
    assert not at.exception
    after = at.caption[0].value
    n_before = int(before.split("·")[1].split("händelser")[0].replace("\u00a0", "").replace("\u202f", "").strip())
    n_after = int(after.split("·")[1].split("händelser")[0].replace("\u00a0", "").replace("\u202f", "").strip())
    assert 0 < n_after < n_before


def test_hotspot_page_says_the_grid_is_too_large(app_for, sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    with store.transaction() as conn:  # 20 × 20 km: 6 400 cells of 250 m, over a cap of 5 000
        repo.ensure_organisation(conn, ORG, boundary_wkb=box(370000, 6390000, 390000, 6410000).wkb)
    at = app_for(sqlite_url, WORKBENCH_ORGANISATION=ORG, WORKBENCH_MAX_GRID_CELLS="10000").run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception
    assert not any("WORKBENCH_MAX_GRID_CELLS" in shown(w.value) for w in at.warning)
    at.selectbox(key="hs_cell").set_value(100).run()  # 40 000 cells
    assert not at.exception, at.exception
    assert any("WORKBENCH_MAX_GRID_CELLS" in shown(w.value) and "större rutor" in w.value for w in at.warning)


def test_a_database_error_on_a_page_shows_no_sql(app_for, sqlite_url, monkeypatch):
    import sqlalchemy as sa

    from workbench.services import hotspot_stored

    def fail(*_args, **_kwargs):
        raise sa.exc.DataError("SELECT x, y FROM incident WHERE organisation_id = %(org)s",
                               {"org": 1, "secret": "811218-9876"}, Exception("connection lost"))

    monkeypatch.setattr(hotspot_stored, "run", fail)
    store = open_store(sqlite_url)
    make_org(store)
    at = app_for(sqlite_url, WORKBENCH_ORGANISATION=ORG).run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in [*at.error, *at.markdown, *at.warning])
    assert "Databasen kunde inte" in shown and "DataError" in shown
    assert "SELECT" not in shown and "811218" not in shown and "site-packages" not in shown


def _choose(at, selection):
    from workbench.ui.hotspot_detail import SELECTED

    at.session_state[SELECTED] = selection
    at.run()
    assert not at.exception, at.exception


def test_a_clicked_cell_shows_last_year_and_its_trend_and_becomes_a_place(app_for, demo_db, tmp_path):
    import shutil

    from workbench.store import repositories as repo
    from workbench.store.db import open_store
    from workbench.ui.hotspot_detail import Selection

    copy = tmp_path / "demo.sqlite"  # the place is written: keep the shared demo database as it is
    shutil.copy(demo_db.removeprefix("sqlite:///"), copy)
    at = _open(app_for, f"sqlite:///{copy}")
    cell_id = int(_table(at, "hs_top_cells")["Ruta"].iloc[0])
    _choose(at, Selection("cell", cell_id=cell_id))
    assert any(h.value == f"Ruta {cell_id}" for h in at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert {"Perioden", "Perioden före", "Samma period i fjol"} <= set(metrics)
    assert int(metrics["Perioden"]) > 0 and int(metrics["Samma period i fjol"]) >= 0
    assert any("mot samma period i fjol" in c.value for c in at.caption)
    months = next(data for spec, data in _charts(at) if "Månad" in data.columns)
    assert len(months) == 12 and months["Månad"].iloc[-1] == "okt 26"  # the period ends 2026-10-31
    assert any(c.value.startswith("Trend: ") for c in at.caption)
    assert len([1 for spec, data in _charts(at) if "Veckodag" in data.columns]) == 2  # the cell's own too

    at.text_input(key="hs_place_name").input("Hot-spot vid resecentrum")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:hs_new_place-")).click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert any("vid resecentrum" in s.value and "är sparad" in s.value for s in at.success)
    places = repo.load_places(open_store(f"sqlite:///{copy}").engine, [1])
    made = places.set_index("name").loc["Hot-spot vid resecentrum"]
    assert made.geometry.geom_type == "Polygon" and round(made.geometry.area) == 250 * 250
    assert "Hot-spot vid resecentrum" in set(_table(at, "hs_places")["Plats"])


def test_a_drawn_polygon_and_a_map_click_become_places(app_for, demo_db, tmp_path):
    import shutil

    from workbench.geo.crs import to_wgs84
    from workbench.store import repositories as repo
    from workbench.store.db import open_store
    from workbench.ui.hotspot_detail import Selection

    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_db.removeprefix("sqlite:///"), copy)
    at = _open(app_for, f"sqlite:///{copy}")
    places = repo.load_places(open_store(f"sqlite:///{copy}").engine, [1])
    centre = places.set_index("name").loc["Resecentrum"].geometry.centroid
    xs = np.array([-60, 60, 60, -60, -60]) + centre.x
    ys = np.array([-40, -40, 40, 40, -40]) + centre.y
    lon, lat = to_wgs84(xs, ys)
    ring = [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]
    _choose(at, Selection("drawn", geometry={"type": "Polygon", "coordinates": [ring]}))
    assert any(h.value == "Ritad yta" for h in at.subheader)
    assert int({m.label: m.value for m in at.metric}["Perioden"]) > 0  # the bus station's events
    at.text_input(key="hs_place_name").input("Perrongerna")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:hs_new_place-")).click().run()
    assert not at.exception and not at.error
    stored = repo.load_places(open_store(f"sqlite:///{copy}").engine, [1]).set_index("name")
    assert stored.loc["Perrongerna"].geometry.geom_type == "Polygon"
    assert abs(stored.loc["Perrongerna"].geometry.area - 120 * 80) < 50

    _choose(at, Selection("point", lon=float(lon[0]), lat=float(lat[0])))
    at.text_input(key="hs_place_name").input("Busskuren")
    at.number_input(key="hs_place_radius").set_value(30)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:hs_new_place-")).click().run()
    assert not at.exception and not at.error
    stored = repo.load_places(open_store(f"sqlite:///{copy}").engine, [1]).set_index("name")
    assert stored.loc["Busskuren"].geometry.geom_type == "Point" and stored.loc["Busskuren", "radius_m"] == 30


def test_date_only_incidents_are_left_out_of_the_hour_profile_and_the_page_says_so(app_for, sqlite_url):
    from workbench.services import imports

    store = open_store(sqlite_url)
    make_org(store)  # 29 incidents at 21:30
    lines = ["Händelsenummer;Brottstyp;Från datum;Från tid;X;Y"]
    lines += [f"D-{i};Skadegörelse;2026-10-{10 + i};;6400500;376500" for i in range(3)]
    imports.import_table(store, "incidents", ("\n".join(lines) + "\n").encode(), "bara_datum.csv", ORG)
    at = app_for(sqlite_url, WORKBENCH_ORGANISATION=ORG).run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception, at.exception
    assert any("3 händelser har bara datum" in c.value for c in at.caption)
    profile = _profile(at)
    count = next(c for c in profile.columns
                 if c not in ("Veckodag", "Timme") and pd.api.types.is_integer_dtype(profile[c]))
    assert int(profile.loc[profile["Timme"] == 0, count].sum()) == 0  # none piled up at midnight
    assert int(profile.loc[profile["Timme"] == 21, count].sum()) > 0  # the period's 21:30 incidents


def test_the_page_and_its_detail_read_no_event_frame(app_for, demo_db, tmp_path, monkeypatch):
    """Map, tables, hot-spots över tid (cells and areas), near-repeat and the detail of a cell, a
    place and a drawn shape are counted in the database or read by a box: the loader of every
    stored event raises and the page still draws (issue 21: the app's memory does not grow with
    the stored events)."""
    import shutil

    from workbench.geo.crs import to_wgs84
    from workbench.hotspots.ranking import place_geometries
    from workbench.store import events as stored_events
    from workbench.ui.hotspot_detail import Selection

    copy = tmp_path / "demo.sqlite"  # a new database url: no cache of an earlier test is reused
    shutil.copy(demo_db.removeprefix("sqlite:///"), copy)

    def every_event(*_args, **_kwargs):
        raise AssertionError("every stored event read")

    monkeypatch.setattr(stored_events, "load_events", every_event)
    monkeypatch.setattr(repo, "load_events", every_event)
    at = app_for(f"sqlite:///{copy}").run()
    at.switch_page("app_pages/hotspots.py").run()  # hot-spots över tid on cells: the first view
    assert not at.exception, at.exception
    assert any("space-time Gi*" in c.value for c in at.caption)
    at.radio(key="hs_emerging_bins").set_value("Områden").run()
    assert not at.exception, at.exception
    at.radio(key="hs_time_view").set_value("Near-repeat").run()
    assert not at.exception, at.exception
    assert _table(at, "hs_places")["Plats"].iloc[0] == "Resecentrum"
    cell_id = int(_table(at, "hs_top_cells")["Ruta"].iloc[0])
    _choose(at, Selection("cell", cell_id=cell_id))
    assert not at.exception, at.exception
    assert int({m.label: m.value for m in at.metric}["Perioden"]) > 0
    places = repo.load_places(open_store(f"sqlite:///{copy}").engine, [1])
    resecentrum = places[places["name"] == "Resecentrum"]
    _choose(at, Selection("place", place_id=int(resecentrum["id"].iloc[0])))
    assert not at.exception, at.exception
    assert int({m.label: m.value for m in at.metric}["Perioden"]) > 0
    ring = place_geometries(resecentrum)[0].exterior.coords
    lon, lat = to_wgs84(np.array([c[0] for c in ring]), np.array([c[1] for c in ring]))
    _choose(at, Selection("drawn", geometry={"type": "Polygon", "coordinates": [
        [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]]}))
    assert not at.exception, at.exception
    assert int({m.label: m.value for m in at.metric}["Perioden"]) > 0
