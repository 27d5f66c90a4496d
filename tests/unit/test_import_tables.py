"""Point-table import: Swedish file realities, privacy, idempotence and atomicity."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from pyproj import Transformer

from tests.conftest import shared_file
from workbench.cli import main as cli
from workbench.errors import ImportValidationError
from workbench.geo.crs import RT90_25GON_V, SWEREF99TM, WGS84, detect_crs
from workbench.schema import KIND_FAULT_REPORT, KIND_INCIDENT
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store.db import open_store

AREAS = {
    "type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
    "features": [
        {"type": "Feature", "properties": {"namn": "Centrum", "kod": "C1", "befolkning": 5000},
         "geometry": {"type": "Polygon", "coordinates": [[[377000, 6399000], [378000, 6399000],
                                                          [378000, 6400000], [377000, 6400000],
                                                          [377000, 6399000]]]}},
        {"type": "Feature", "properties": {"namn": "Norrby", "kod": "N1", "befolkning": 3000},
         "geometry": {"type": "Polygon", "coordinates": [[[377000, 6400000], [378000, 6400000],
                                                          [378000, 6401000], [377000, 6401000],
                                                          [377000, 6400000]]]}},
    ],
}

POLICE = (
    "\ufeffHändelsenummer;Brottstyp;Från datum;Från tid;Till datum;Till tid;X;Y;Områdeskod;Fritext;;\r\n"
    "K1;Misshandel, utomhus;2025-03-01;22:10;;;6399510;377300;;Anmälare 19811218-9876 hördes.;;\r\n"
    "K2;Misshandel, närstående;2025-03-02;01.10;;;6400500;377500;;;;\r\n"
    "K3;Cykelstöld;2025-03-02;;2025-03-03;08:00;6399610;377400;;ring 070-123 45 67;;\r\n"
    "K4;Stöld;13/13 2025;;;;6399610;377400;;;;\r\n"
    "K5;Skadegörelse;2025-03-04;12:00;;;;;N1;;;\r\n"
    "K6;Rån mot person;2025-03-05;23:00;;;;;;;;\r\n"
    "K7;;2025-03-05;23:00;;;6399610;377400;;;;\r\n"
)


@pytest.fixture
def store(sqlite_url):
    store = open_store(sqlite_url)
    imports.import_layer(store, "areas", json.dumps(AREAS).encode(), "omraden.geojson", "Testkommun")
    return store


def _org(store):
    return repo.find_organisation(store.engine, "Testkommun")


def test_kommunpolis_export_with_swedish_quirks(store):
    report = imports.import_table(store, "incidents", POLICE.encode("utf-8"), "polis.csv", "Testkommun")
    assert (report.imported, report.rejected, report.redacted) == (4, 3, 2)
    assert report.crs == SWEREF99TM
    problems = {(p.row, p.column): p.message for p in report.problems}
    assert problems[(5, "Från datum")] == "ogiltigt datum '13/13 2025'"
    assert "plats saknas" in problems[(7, "X")]
    assert problems[(8, "Brottstyp")] == "kategori saknas"
    rows = repo.load_points(store.engine, KIND_INCIDENT, [_org(store)]).set_index("source_id")
    assert rows.loc["K1", "x"] == 377300 and rows.loc["K1", "y"] == 6399510  # X was northing
    assert rows.loc["K1", "description"] == "Anmälare [personnummer] hördes."
    assert rows.loc["K3", "occurred_to"] == pd.Timestamp("2025-03-03 08:00")
    assert rows.loc["K2", "occurred_from"] == pd.Timestamp("2025-03-02 01:10")
    # sensitive category: stored without coordinates, but in the right area
    assert rows.loc["K2", "precision"] == "area" and pd.isna(rows.loc["K2", "x"])
    areas = repo.load_areas(store.engine, [_org(store)]).set_index("name")
    assert rows.loc["K2", "area_id"] == areas.loc["Norrby", "id"]
    assert rows.loc["K5", "area_id"] == areas.loc["Norrby", "id"]  # by area code
    with store.engine.connect() as conn:
        stored = " ".join(str(v) for v in conn.execute(sa.text("select * from incident")).all())
        assert "19811218" not in stored and "070-123" not in stored


def test_reimport_is_idempotent_and_counts_duplicates(store):
    first = imports.import_table(store, "incidents", POLICE.encode(), "polis.csv", "Testkommun")
    second = imports.import_table(store, "incidents", POLICE.encode(), "polis.csv", "Testkommun")
    assert second.imported == 0 and second.duplicates == first.imported
    assert repo.row_counts(store.engine)["incident"] == first.imported


def test_wgs84_decimal_comma_and_dotted_times(store):
    text = ("Ärendenr;Kategori;Registrerad;Åtgärdad;Status;Beskrivning;Latitud;Longitud\n"
            "FA-1;Klotter;2025-03-05 14.30;2025-03-06 09.15;Åtgärdad;Klotter på vägg;57,72104;12,94012\n"
            "FA-2;Trasig belysning;2025-03-06 08.00;;Mottagen;;57,72104;12,94012\n")
    report = imports.import_table(store, "fault-reports", text.encode(), "fel.csv", "Testkommun")
    assert report.imported == 2 and report.crs == WGS84
    rows = repo.load_points(store.engine, KIND_FAULT_REPORT, [_org(store)]).set_index("source_id")
    east, north = Transformer.from_crs(WGS84, SWEREF99TM, always_xy=True).transform(12.94012, 57.72104)
    assert rows.loc["FA-1", "x"] == pytest.approx(east) and rows.loc["FA-1", "y"] == pytest.approx(north)
    assert rows.loc["FA-1", "fixed_at"] == pd.Timestamp("2025-03-06 09:15")
    assert pd.isna(rows.loc["FA-2", "fixed_at"])
    assert rows.loc["FA-1", "category"] == "klotter" and rows.loc["FA-2", "category"] == "belysning"


def test_windows_1252_tab_separated_day_month_dates(store):
    text = ("Ärende-ID\tTyp\tAnmäld\tKlar\tFastighet\tN\tE\r\n"
            "B1\tSkadegörelse\t5/3 2025\t7/3 2025\tNorrby 3:12\t6400500,5\t377500,3\r\n")
    report = imports.import_table(store, "housing-reports", text.encode("cp1252"), "bb.csv", "Testkommun")
    assert report.imported == 1
    rows = repo.load_points(store.engine, KIND_FAULT_REPORT, [_org(store)])
    assert rows["source"].tolist() == ["housing"]
    assert rows["reported_at"].iloc[0] == pd.Timestamp("2025-03-05")
    assert rows["x"].iloc[0] == pytest.approx(377500.3)


def test_a_crash_mid_import_leaves_the_database_as_before(store, monkeypatch):
    before = repo.row_counts(store.engine)

    def explode(*_args, **_kwargs):
        raise RuntimeError("strömavbrott")

    monkeypatch.setattr(repo, "finish_batch", explode)
    with pytest.raises(RuntimeError):
        imports.import_table(store, "incidents", POLICE.encode(), "polis.csv", "Testkommun")
    assert repo.row_counts(store.engine) == before


@pytest.mark.parametrize("data,name,fragment", [
    (b"\x00\x01\x02binary", "x.csv", "binär"),
    (b"bara en kolumn\nrad", "x.csv", "kolumn"),
    ("Id;Kategori;X;Y\n1;Stöld;6399510;377300\n".encode(), "x.csv", "datum/tid"),
    ("Id;Kategori;Datum\n1;Stöld;2025-01-01\n".encode(), "x.csv", "koordinat"),
    ("Id;Kategori;Datum;X;Y\n1;Stöld;2025-01-01;1;2\n".encode(), "x.csv", "koordinatsystemet"),
    (b"PK\x03\x04broken", "x.xlsx", "Excel"),
])
def test_unusable_files_raise_one_clear_error_and_change_nothing(store, data, name, fragment):
    before = repo.row_counts(store.engine)
    with pytest.raises(ImportValidationError) as info:
        imports.import_table(store, "incidents", data, name, "Testkommun")
    assert fragment in str(info.value) and name in str(info.value)
    assert repo.row_counts(store.engine) == before


def test_xlsx_with_excel_dates(store):
    frame = pd.DataFrame({"Händelsenummer": ["X1"], "Brottstyp": ["Stöld"],
                          "Datum": [pd.Timestamp("2025-05-01 13:45")],
                          "N": [6399510], "E": [377300]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    report = imports.import_table(store, "incidents", buffer.getvalue(), "export.xlsx", "Testkommun")
    assert report.imported == 1
    rows = repo.load_points(store.engine, KIND_INCIDENT, [_org(store)])
    assert rows["occurred_from"].iloc[0] == pd.Timestamp("2025-05-01 13:45")


def test_crs_detection_by_value_ranges():
    assert detect_crs(np.array([6399514.0]), np.array([377301.0])).swapped is True
    assert detect_crs(np.array([377301.0]), np.array([6399514.0])).crs == SWEREF99TM
    assert detect_crs(np.array([57.72]), np.array([12.94])).swapped is True
    rt90 = detect_crs(np.array([6401600.0]), np.array([1325000.0]))
    assert rt90.crs == RT90_25GON_V and rt90.swapped
    assert detect_crs(np.array([1.0]), np.array([2.0])) is None


def test_cli_import_json_contract_and_errors(store, tmp_path, capsys):
    path = tmp_path / "polis.csv"
    path.write_bytes(POLICE.encode())
    assert cli(["import", "incidents", str(path), "--db", store.url, "--organisation",
                "Testkommun", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"imported", "duplicates", "rejected", "redacted", "crs", "problems", "changed",
                        "changed_rows", "updated", "routed", "created"}
    assert out["imported"] == 4 and out["problems"][0] == {
        "row": 5, "column": "Från datum", "message": "ogiltigt datum '13/13 2025'"}
    bad = tmp_path / "trasig.csv"
    bad.write_bytes(b"\x00\x00")
    assert cli(["import", "incidents", str(bad), "--db", store.url, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "trasig.csv" in captured.err and "Traceback" not in captured.err
    assert cli(["import", "incidents", str(tmp_path / "finns-inte.csv"), "--db", store.url]) == 2
    assert "finns inte" in capsys.readouterr().err


@pytest.mark.parametrize("parts,count,crs", [
    (("sweden_geography", "city_districts_goteborg_malmo_stockholm", "goteborg_basomraden_epsg3007.geojson"), 1012, "EPSG:3007"),
    (("sweden_geography", "city_districts_goteborg_malmo_stockholm", "malmo_delomraden_epsg3008.geojson"), 136, "EPSG:3008"),
    (("sweden_geography", "stockholm_stadsdelar_kth", "stadsdelar.geo.json"), 117, "EPSG:4326"),
    (("bra_goteborg_crime_counts", "stadsomrade_2021.geojson"), 4, "EPSG:4326"),
])
def test_real_area_layers_in_several_crs(sqlite_url, parts, count, crs):
    path = shared_file(*parts)
    store = open_store(sqlite_url)
    report = imports.import_layer(store, "areas", path.read_bytes(), path.name, "K")
    assert report.imported == count and report.crs == crs
    areas = repo.load_areas(store.engine, [repo.find_organisation(store.engine, "K")])
    minx, miny, maxx, maxy = areas.total_bounds
    assert 250_000 < minx < maxx < 930_000 and 6_120_000 < miny < maxy < 7_700_000


def test_real_zipped_shapefile_in_sweref_18_00(sqlite_url):
    folder = shared_file("sweden_geography", "stockholm_stadsdelar_kth")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for suffix in ("shp", "shx", "dbf", "prj"):
            archive.write(folder / f"stadsdelar.{suffix}", f"stadsdelar.{suffix}")
    store = open_store(sqlite_url)
    report = imports.import_layer(store, "areas", buffer.getvalue(), "stadsdelar.zip", "Stockholm")
    assert report.imported == 117 and report.crs == "EPSG:3011"
    areas = repo.load_areas(store.engine, [repo.find_organisation(store.engine, "Stockholm")])
    assert 650_000 < areas.total_bounds[0] < 700_000  # Stockholm in SWEREF 99 TM


def test_comma_delimited_quoted_rt90_with_excel_serial_dates(store):
    # RT 90 2.5 gon V (X = northing, Y = easting) and dates as Excel serial numbers
    east, north = Transformer.from_crs(SWEREF99TM, RT90_25GON_V, always_xy=True).transform(377300, 6399510)
    text = ('Id,Brottstyp,Datum,X,Y\n'
            f'1,"Stöld, ur bil",45717,"{north:.0f}","{east:.0f}"\n'
            f'2,Stöld,45717.5,"{north:.0f}","{east:.0f}"\n')
    report = imports.import_table(store, "incidents", text.encode(), "rt90.csv", "Testkommun")
    assert report.imported == 2 and report.crs == RT90_25GON_V
    rows = repo.load_points(store.engine, KIND_INCIDENT, [_org(store)]).set_index("source_id")
    assert rows.loc["1", "x"] == pytest.approx(377300, abs=2)
    assert rows.loc["1", "category_original"] == "Stöld, ur bil"
    assert rows.loc["1", "occurred_from"] == pd.Timestamp("2025-03-01")
    assert rows.loc["2", "occurred_from"] == pd.Timestamp("2025-03-01 12:00")


@pytest.mark.parametrize("source,data,name,fragment", [
    ("incidents", b'[{"id": 1, "datetime": "2025-01-01 0:49:20 +01:00", "na', "api.json", "avkortad JSON"),
    ("incidents", b'{"type": "FeatureCollection", "features": []}', "omr.geojson", "lista"),
    ("fault-reports", b'[{"id": 1, "datetime": "x", "type": "Brand", "location": {}}]', "api.json",
     "Open311"),
    ("incidents", b'[{"service_request_id": "1", "requested_datetime": "2019-01-01"}]', "o.json",
     "händelse-API"),
])
def test_wrong_kind_or_truncated_json_changes_nothing(store, source, data, name, fragment):
    before = repo.row_counts(store.engine)
    with pytest.raises(ImportValidationError, match=fragment):
        imports.import_table(store, source, data, name, "Testkommun")
    assert repo.row_counts(store.engine) == before
