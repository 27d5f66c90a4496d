"""AppTest of the Importera page: detect, preview, map columns, import, report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import shown
from workbench.schema import KIND_INCIDENT
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store.db import open_store

REPO = Path(__file__).resolve().parents[2]
ORG = "Borås stad"


@pytest.fixture
def db(sqlite_url):
    store = open_store(sqlite_url)
    areas = (REPO / "layers" / "omraden.geojson").read_bytes()
    imports.import_layer(store, "areas", areas, "omraden.geojson", ORG)
    return sqlite_url


def _police_sample(lines: int = 150) -> bytes:
    raw = (REPO / "sample_incidents" / "polisen_export.csv").read_bytes()
    return b"\r\n".join(raw.split(b"\r\n")[:lines]) + b"\r\n"


def _open(app_for, db):
    at = app_for(db).run()
    assert not at.exception
    return at


def test_page_explains_what_to_do(app_for, db):
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    assert at.title[0].value == "Importera"
    assert any("Välj en fil" in i.value for i in at.info)


def test_upload_preview_and_import_a_police_export(app_for, db):
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.file_uploader(key="import_file_incidents").upload("polis.csv", _police_sample(), "text/csv").run()
    assert not at.exception, at.exception
    assert "teckenkodning utf-8 (med BOM)" in shown(at.markdown[0].value)
    assert at.selectbox(key="map_coord_a").value == "X"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Giltiga rader"] == "149" and metrics["Koordinatsystem"] == "EPSG:3006"
    at.button(key="import_go").click().run()
    assert not at.exception
    assert any("149 importerade" in s.value for s in at.success)
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    assert len(repo.load_points(store.engine, KIND_INCIDENT, [org])) == 149
    # the same file again: all duplicates
    at.button(key="import_go").click().run()
    assert any("0 importerade, 149 dubbletter" in s.value for s in at.success)


def test_remapping_a_column_and_an_unknown_category(app_for, db):
    text = ("Nr;Vad hände;Tidpunkt;Nord;Öst\n"
            "1;Eldning i papperskorg;2025-03-01 22:10;6399510;377300\n"
            "2;Eldning i papperskorg;2025-03-02 21:00;6399520;377310\n")
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.file_uploader(key="import_file_incidents").upload("egen.csv", text.encode(), "text/csv").run()
    # "Vad hände" is no known header: nothing to import until the user maps it
    assert any("kategorikolumn" in e.value for e in at.error)
    at.selectbox(key="map_category").set_value("Vad hände").run()
    assert not at.error
    assert {m.label: m.value for m in at.metric}["Giltiga rader"] == "2"
    at.selectbox(key="catmap_original").set_value("Eldning i papperskorg")
    at.selectbox(key="catmap_key").set_value("brand")
    next(b for b in at.button if b.label == "Spara kategorimappning").click().run()
    assert not at.exception
    at.button(key="import_go").click().run()
    store = open_store(db)
    rows = repo.load_points(store.engine, KIND_INCIDENT, [repo.find_organisation(store.engine, ORG)])
    assert set(rows["category"]) == {"brand"}


def test_an_unusable_file_gives_one_clear_message(app_for, db):
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.file_uploader(key="import_file_incidents").upload("trasig.csv", b"\x00\x01\x02", "text/csv").run()
    assert not at.exception
    assert "trasig.csv" in shown(at.error[0].value)


def test_import_an_area_layer(app_for, db):
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.selectbox(key="import_what").set_value("areas").run()
    layer = (REPO / "layers" / "grannsamverkan.geojson").read_bytes()
    at.file_uploader(key="import_file_areas").upload("gs.geojson", layer, "application/geo+json").run()
    at.selectbox(key="import_layer").set_value("neighbourhood_watch")
    at.button(key="import_go").click().run()
    assert not at.exception
    store = open_store(db)
    watch = repo.load_areas(store.engine, [repo.find_organisation(store.engine, ORG)],
                            layer="neighbourhood_watch")
    assert len(watch) == 4


@pytest.mark.filterwarnings("error::UserWarning")  # no Streamlit warning in the log
def test_an_area_outside_sweden_is_listed_and_left_out(app_for, db):
    """A district file where one square sits at Paris: the page lists it before the import."""
    import json

    def square(lon, lat):
        return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01],
                                                    [lon, lat + 0.01], [lon, lat]]]}

    layer = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"namn": "Nya Hulta"}, "geometry": square(12.93, 57.72)},
        {"type": "Feature", "properties": {"namn": "Paris"}, "geometry": square(2.35, 48.85)}]}).encode()
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.selectbox(key="import_what").set_value("areas").run()
    at.file_uploader(key="import_file_areas").upload("stadsdelar.geojson", layer, "application/geo+json").run()
    assert not at.exception, at.exception
    assert any("1 rader har problem" in w.value for w in at.warning)
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert "utanför Sverige" in problems["Problem"].str.cat(sep=" ")
    at.button(key="import_go").click().run()
    assert not at.exception
    assert any("1 importerade" in s.value and "1 avvisade" in s.value for s in at.success)
    store = open_store(db)
    names = set(repo.load_areas(store.engine, [repo.find_organisation(store.engine, ORG)])["name"])
    assert "Nya Hulta" in names and "Paris" not in names


def test_excel_unicode_text_is_imported_from_the_page(app_for, db):
    lines = ["Händelsenummer\tBrottstyp\tFrån datum\tFrån tid\tX\tY",
             "5000-K1-26\tSkadegörelse\t2026-10-01\t21:30\t6399514\t377301",
             "5000-K2-26\tStöld\t2026-10-02\t08:15\t6399600\t377400"]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-16-le")
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.file_uploader(key="import_file_incidents").upload("polisen.txt", data, "text/plain").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "teckenkodning utf-16" in shown(at.markdown[0].value)
    at.button(key="import_go").click().run()
    assert any("2 importerade" in s.value for s in at.success)


def test_an_unknown_header_is_shown_with_its_best_guess_preselected(app_for, db):
    text = ("Händelsenummer;Brottskategorier;Datum;Tid;Plats/Adress;X;Y\r\n"
            "1;Bilbrand;2025-03-01;22:10;Storgatan 1;6399510;377300\r\n").encode("cp1252")
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.file_uploader(key="import_file_incidents").upload("export.csv", text, "text/csv").run()
    assert not at.exception, at.exception
    assert any("'Brottskategorier' → Kategori/brottstyp" in w.value for w in at.warning)
    chosen = at.selectbox(key="map_category")
    assert chosen.value == "Brottskategorier" and chosen.label.startswith("⚠")
    assert any("Plats/Adress" in c.value and "sparas inte" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Giltiga rader"] == "1"


WALK_OBSERVATIONS = ("Vandring;Nr;Iakttagelse;Datum;Kommentar;Prio;N;E\r\n"
                     "TV-1;1;Trasig belysning;2025-04-08 19:30;Mörk gångväg;1;6399510;377300\r\n"
                     "TV-1;2;Skymd sikt;2025-04-08 19:40;Buskar vid kurvan;2;6399520;377310\r\n"
                     "TV-1;3;Klotter;2025-04-08 19:50;;3;;\r\n").encode("cp1252")


def test_walk_file_gets_columns_preview_and_problems_before_import(app_for, db):
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.selectbox(key="import_what").set_value("walks").run()
    at.file_uploader(key="import_file_walks").upload("vandring.csv", WALK_OBSERVATIONS, "text/csv").run()
    assert not at.exception, at.exception
    # "Iakttagelse" is no known header: the category column must be chosen
    assert any("kategori" in e.value for e in at.error)
    at.selectbox(key="walkmap_category").set_value("Iakttagelse").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Giltiga iakttagelser"] == "2" and metrics["Vandringar"] == "1"
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert list(problems["Rad"]) == [4] and "koordinater saknas" in problems["Problem"].iloc[0]
    at.button(key="import_go").click().run()
    assert not at.exception
    assert any("2 importerade" in s.value for s in at.success)
    store = open_store(db)
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT category_original FROM walk_observation").scalars().all()
    assert sorted(stored) == ["Skymd sikt", "Trasig belysning"]


def test_changed_rows_are_shown_and_can_be_updated_from_the_page(app_for, db):
    first = ("Händelsenummer;Brottstyp;Datum;Tid;X;Y\r\n"
             "A-1;Skadegörelse;2025-03-01;22:10;6399510;377300\r\n"
             "A-2;Stöld;2025-03-02;10:00;6399520;377310\r\n").encode("cp1252")
    second = first.replace(b"2025-03-02;10:00", b"2025-03-02;11:30")
    at = _open(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    at.file_uploader(key="import_file_incidents").upload("v1.csv", first, "text/csv").run()
    at.button(key="import_go").click().run()
    at.file_uploader(key="import_file_incidents").upload("v2.csv", second, "text/csv").run()
    at.button(key="import_go").click().run()  # default: keep the stored row
    assert not at.exception, at.exception
    assert any("1 ändrade (0 uppdaterade)" in s.value for s in at.success)
    assert {m.label: m.value for m in at.metric}["Ändrade"] == "1"
    assert any("Ändrade rader i filen: 3" in c.value for c in at.caption)
    at.radio(key="import_on_change").set_value("update").run()
    at.button(key="import_go").click().run()
    assert any("1 ändrade (1 uppdaterade)" in s.value for s in at.success)
    store = open_store(db)
    with store.engine.connect() as conn:
        when = conn.exec_driver_sql("SELECT occurred_from FROM incident WHERE source_id = 'A-2'").scalar()
        logged = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM audit_log WHERE verb = 'update' AND entity = 'incident'").scalar()
    assert str(when).startswith("2025-03-02 11:30") and logged == 1


def test_police_area_set_up_and_a_routed_import_from_the_pages(app_for, db):
    from tests.conftest import shared_file

    events = shared_file("polisen_events", "events_target_kommuner_2023-2026.json").read_bytes()
    at = app_for(db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = "coordinator"
    at.run()
    at.switch_page("app_pages/polisomrade.py").run()
    assert not at.exception, at.exception
    at.text_input(key="lpo_setup_name").set_value("LPO Borås")
    at.multiselect(key="lpo_setup_kommuner").set_value(["Mark", "Mölndal"])
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:police_area_setup-")).click().run()
    assert not at.exception, at.exception
    assert any("nya organisationer: Mark, Mölndal" in s.value for s in at.success)
    at.session_state["demo_role"] = "police"  # the kommunpolis imports for the whole area
    at.switch_page("app_pages/importera.py").run()
    at.file_uploader(key="import_file_incidents").upload("events.json", events, "application/json").run()
    assert not at.exception, at.exception
    assert at.checkbox(key="import_route").value
    at.button(key="import_go").click().run()
    assert not at.exception, at.exception
    counts = {"Borås stad": 311, "Mark": 80, "Mölndal": 146}
    assert any("Fördelat: Borås stad 311, Mark 80, Mölndal 146" in s.value for s in at.success), \
        [s.value for s in at.success]
    store = open_store(db)
    for name, n in counts.items():
        org = repo.find_organisation(store.engine, name)
        assert len(repo.load_points(store.engine, KIND_INCIDENT, [org])) == n
