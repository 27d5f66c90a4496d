"""AppTest of the Hot-spots page's time views on the demo database: hot-spots över tid (map +
table), near-repeat and the export, with small counts hidden on the shared screen."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import ORG
from workbench.hotspots.emerging import CLASS_LABELS_SV
from workbench.store.db import open_store


def _open(app_for, demo_db):
    at = app_for(demo_db).run()
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception, at.exception
    return at


def _table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_emerging_view_map_and_table(app_for, demo_db):
    at = _open(app_for, demo_db)
    at.toggle(key="shared_screen").set_value(True).run()  # the wall: small totals hidden
    assert at.radio(key="hs_time_view").value == "Hot-spots över tid"
    classes = _table(at, "Rutor")
    assert set(classes["Mönster"]) <= set(CLASS_LABELS_SV.values()) and len(classes) > 0
    cells = _table(at, "Senaste steget")
    assert len(cells) == classes["Rutor"].sum()  # on the shared screen small totals are left out …
    assert not {"1", "2"} & set(cells["Händelser"])  # … and never shown as numbers
    assert any("24 hela steg (månad)" in c.value for c in at.caption), [c.value for c in at.caption]
    assert any("hot-spot-rut" in m.value for m in at.markdown)  # '2 nya hot-spot-rutor, …'
    assert len(at.get("component_instance")) >= 2  # the page's map and the emerging map
    at.selectbox(key="hs_step").set_value("tertial").run()
    at.number_input(key="hs_steps_tertial").set_value(4).run()
    assert not at.exception, at.exception
    assert any("Bara 4 tidssteg" in i.value and "osäkra" in i.value for i in at.info)
    assert any("4 hela steg (tertial)" in c.value for c in at.caption)


def test_near_repeat_view_and_export(app_for, demo_db):
    at = _open(app_for, demo_db)
    at.radio(key="hs_time_view").set_value("Near-repeat").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="hs_near_categories").value == ["bostadsinbrott"]
    table = _table(at, "Observerade par")
    assert len(table) == 16 and table["Avstånd"].iloc[0] == "0 till under 100 m"
    assert table["Tid"].iloc[0] == "0–6 dagar" and table["Tid"].iloc[3] == "30 dagar eller mer"
    # 23 burglaries in four weeks spread over the town: no pair close in time and space
    assert any("par nära i både tid och rum" in i.value and "mycket osäkert" in i.value for i in at.info)
    zones = [m.value for m in at.markdown if m.value.startswith("**Uppmärksamhetszoner till")]
    none = [c.value for c in at.caption if c.value.startswith("Inga uppmärksamhetszoner")]
    assert len(zones) + len(none) == 1  # zones only where the pattern is significant
    at.text_input(key="hs_near_times").set_value("5,10").run()
    assert any("Första gränsen för tid ska vara 0" in w.value for w in at.warning)
    at.radio(key="hs_time_view").set_value("Export till QGIS och Excel").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="hs_export_format").value == "gpkg"
    assert any("EPSG:3006" in c.value for c in at.caption)
    buttons = at.get("download_button")
    assert len(buttons) == 1 and buttons[0].proto.label == "Ladda ner"


@pytest.fixture
def burglaries(sqlite_url):
    """A kommun with 400 burglaries over 2025 and 12 planted near-repeat series."""
    import geopandas as gpd
    import shapely

    from tests.builders import incidents_csv
    from tests.unit.test_near_repeat import burglary_series
    from workbench.services import imports

    store = open_store(sqlite_url)
    areas = gpd.GeoDataFrame({"name": ["Väster", "Öster"]},
                             geometry=[shapely.box(370000, 6395000, 375000, 6405000),
                                       shapely.box(375000, 6395000, 380000, 6405000)], crs="EPSG:3006")
    imports.import_layer(store, "areas", areas.to_json().encode(), "omraden.geojson", ORG)
    events = burglary_series()
    rows = [("Bostadsinbrott", t.date(), x, y) for x, y, t in zip(events["x"], events["y"], events["time"],
                                                                  strict=True)]
    imports.import_table(store, "incidents", incidents_csv(rows), "polisen.csv", ORG)
    return sqlite_url


def test_attention_zones_where_the_pattern_is_significant(app_for, burglaries):
    at = app_for(burglaries, WORKBENCH_ORGANISATION=ORG).run()
    at.switch_page("app_pages/hotspots.py").run()
    at.selectbox(key="period_preset").set_value("custom").run()
    at.date_input(key="period_custom").set_value((date(2025, 1, 1), date(2025, 12, 31))).run()
    at.radio(key="hs_time_view").set_value("Near-repeat").run()
    at.toggle(key="shared_screen").set_value(True).run()
    assert not at.exception, at.exception
    assert any("near-repeat-mönster. Efter en händelse" in i.value for i in at.info)
    assert any(m.value.startswith("- Inom 0 till under 100 m och 0–6 dagar:") for m in at.markdown)
    zones = next(m.value for m in at.markdown if m.value.startswith("**Uppmärksamhetszoner till"))
    assert "dolda på delad skärm" in zones  # single recent events are not pointed at on the wall
    at.toggle(key="shared_screen").set_value(False).run()
    private = next(m.value for m in at.markdown if m.value.startswith("**Uppmärksamhetszoner till"))
    assert "dolda" not in private and "2026-01-14" in private.replace("\\", "")


def test_emerging_by_area(app_for, demo_db):
    at = _open(app_for, demo_db)
    at.radio(key="hs_emerging_bins").set_value("Områden").run()
    assert not at.exception, at.exception
    table = _table(at, "Trend p")
    assert len(table) == 11 and "Centrum" in set(table["Område"])
    assert set(table["Mönster"]) <= set(CLASS_LABELS_SV.values())
    assert any("Bara 11 områden" in i.value for i in at.info)  # the guardrail on few areas
