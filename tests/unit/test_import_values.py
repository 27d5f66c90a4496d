"""One odd value is one row problem, never a failed file (issue 15, items 8 and 9): dates outside
what a timestamp holds or outside plausibility, a fault fixed before it was reported, `inf` and
1e30 in indicators, texts longer than the store takes (PostgreSQL too), and no SQL on stderr."""

from __future__ import annotations

import io
import json
from datetime import datetime

import openpyxl
import sqlalchemy as sa

from tests.builders import NORR, ORG, SODER
from workbench.cli import main
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store.db import open_store

HEADER = "Händelsenummer;Brottstyp;Från datum;Från tid;Till datum;Till tid;X;Y;Områdeskod;Fritext"


def _areas(store) -> None:
    import geopandas as gpd

    frame = gpd.GeoDataFrame({"name": ["Norr", "Söder"], "code": ["N1", "S1"]}, geometry=[NORR, SODER],
                             crs="EPSG:3006")
    imports.import_layer(store, "areas", frame.to_json().encode(), "omraden.geojson", ORG)


def _police_csv(rows: list[tuple[str, str, str]], encoding: str = "cp1252") -> bytes:
    """Kommunpolis export rows (id, Från datum, Till datum), Windows line ends, cp1252 like Excel."""
    lines = [HEADER] + [f"{rid};Skadegörelse;{start};21:30;{end};;6400500;376500;;Fönster krossat"
                        for rid, start, end in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _stored(store, table: str, column: str = "source_id") -> list:
    with store.engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(sa.text(f"SELECT {column} FROM {table}")))  # noqa: S608


def test_dates_a_timestamp_cannot_hold_are_row_problems(sqlite_url):
    store = open_store(sqlite_url)
    data = _police_csv([("5000-K1-26", "2026-10-01", ""), ("5000-K2-26", "0001-01-01", ""),
                        ("5000-K3-26", "9999-12-31", ""), ("5000-K4-26", "31.12.9999", ""),
                        ("5000-K5-26", "2026-10-02", "9999-12-31")])
    report = imports.import_table(store, "incidents", data, "polisen.csv", ORG)
    assert report.imported == 2 and report.rejected == 3
    problems = {(p.row, p.column): p.message for p in report.problems}
    assert "0001-01-01" in problems[(3, "Från datum")]
    assert "9999-12-31" in problems[(4, "Från datum")]
    assert "31.12.9999" in problems[(5, "Från datum")]
    assert "utan slutdatum" in problems[(6, "Till datum")]
    assert _stored(store, "incident") == ["5000-K1-26", "5000-K5-26"]


def test_a_9999_date_cell_in_excel_is_a_row_problem(sqlite_url):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ärendenummer", "Kategori", "Registrerad", "Åtgärdad", "X", "Y"])
    sheet.append(["F-1", "Klotter", datetime(2026, 10, 5, 9, 15), datetime(9999, 12, 31), 6400500, 376500])
    sheet.append(["F-2", "Belysning", datetime(9999, 12, 31), None, 6400500, 376500])
    buffer = io.BytesIO()
    book.save(buffer)
    store = open_store(sqlite_url)
    report = imports.import_table(store, "fault-reports", buffer.getvalue(), "felanmalan.xlsx", ORG)
    assert report.imported == 1
    problems = {(p.row, p.column): p.message for p in report.problems}
    assert "ej åtgärdad" in problems[(2, "Åtgärdad")]
    assert "9999" in problems[(3, "Registrerad")]


def test_2099_and_1900_are_refused_and_do_not_move_the_report_period(sqlite_url, monkeypatch):
    monkeypatch.delenv("WORKBENCH_EARLIEST_YEAR", raising=False)
    store = open_store(sqlite_url)
    data = _police_csv([("K1", "2026-10-01", ""), ("K2", "2099-05-01", ""), ("K3", "1900-01-01", ""),
                        ("K4", "1999-12-31", ""), ("K5", "2000-01-01", "")])
    report = imports.import_table(store, "incidents", data, "polisen.csv", ORG)
    problems = {p.row: p.message for p in report.problems}
    assert set(problems) == {3, 4, 5}
    assert "framtiden" in problems[3] and "före 2000" in problems[4] and "WORKBENCH_EARLIEST_YEAR" in problems[5]
    assert _stored(store, "incident") == ["K1", "K5"]
    with store.engine.connect() as conn:
        latest = conn.execute(sa.text("SELECT max(occurred_from) FROM incident")).scalar()
    assert str(latest).startswith("2026-10-01")
    monkeypatch.setenv("WORKBENCH_EARLIEST_YEAR", "1990")  # an older archive, on purpose
    again = imports.import_table(store, "incidents", data, "polisen_arkiv.csv", ORG)
    assert {p.row for p in again.problems} == {3, 4}
    assert "K4" in _stored(store, "incident")
    # the edges are plausible: 1 January of the earliest year, and today in the evening
    monkeypatch.delenv("WORKBENCH_EARLIEST_YEAR")
    edges = _police_csv([("E1", "2000-01-01", ""), ("E2", datetime.now().strftime("%Y-%m-%d"), "")])
    assert imports.import_table(store, "incidents", edges, "kanter.csv", ORG).problems == ()


def test_a_fault_fixed_before_it_was_reported_is_imported_as_not_fixed(sqlite_url):
    store = open_store(sqlite_url)
    csv = ("Ärendenummer;Kategori;Registrerad;Åtgärdad;X;Y\r\n"
           "F-1;Klotter;2026-10-05 14:00;2026-10-01;6400500;376500\r\n"
           "F-2;Klotter;2026-10-05 14:00;2026-10-05;6400500;376500\r\n"  # same day, no time: fine
           "F-3;Trasig belysning;2026-10-05;2026-10-07 08:00;6400500;376500\r\n").encode("cp1252")
    report = imports.import_table(store, "fault-reports", csv, "felanmalan.csv", ORG)
    assert report.imported == 3
    assert [(p.row, p.column) for p in report.problems] == [(2, "Åtgärdad")]
    assert "före anmälan" in report.problems[0].message
    with store.engine.connect() as conn:
        fixed = dict(conn.execute(sa.text("SELECT source_id, fixed_at FROM fault_report")).all())
    assert fixed["F-1"] is None and fixed["F-2"] is not None and fixed["F-3"] is not None
    # Open311: a closed request updated before it was requested
    requests = [{"service_request_id": "S-1", "service_name": "Klotter", "status": "closed",
                 "requested_datetime": "2026-10-03T10:00:00+02:00", "updated_datetime": "2026-09-30T09:00:00+02:00",
                 "lat": 57.72, "long": 12.94}]
    report = imports.import_table(store, "fault-reports", json.dumps(requests).encode(), "open311.json", ORG)
    assert report.imported == 1 and [(p.row, p.column) for p in report.problems] == [(1, "updated_datetime")]
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT fixed_at FROM fault_report WHERE source_id = 'S-1'")).scalar() is None


def test_inf_and_a_population_of_1e30_in_indicators_are_row_problems(sqlite_url):
    store = open_store(sqlite_url)
    _areas(store)
    csv = ("Område;År;Befolkning;Andel otrygga (%)\n"
           "Norr;2025;1e30;inf\n"
           "Söder;2025;1 204;31,5\n"
           "Norr;2024;1 180;-inf\n").encode()
    report = imports.import_indicators(store, csv, "indikatorer.csv", ORG)
    assert report.imported == 3  # Söder twice, Norr's population of 2024
    problems = sorted((p.row, p.column) for p in report.problems)
    assert problems == [(2, "Andel otrygga (%)"), (2, "Befolkning"), (4, "Andel otrygga (%)")]
    areas = repo.load_areas(store.engine, [repo.find_organisation(store.engine, ORG)]).set_index("name")
    assert areas.loc["Norr", "population"] == 1180 and areas.loc["Söder", "population"] == 1204


def test_over_long_texts_are_row_problems_on_every_database(db_url):
    store = open_store(db_url)
    _areas(store)
    data = _police_csv([("5000-K1-26", "2026-10-01", ""), ("X" * 300, "2026-10-01", ""),
                        ("5000-K3-26", "2026-10-02", "")])
    lines = data.decode("cp1252").split("\r\n")
    lines[3] = lines[3].replace(";;Fönster", ";" + "N" * 80 + ";Fönster")  # an area code of 80
    report = imports.import_table(store, "incidents", "\r\n".join(lines).encode("cp1252"), "polisen.csv", ORG)
    assert report.imported == 1
    problems = {(p.row, p.column): p.message for p in report.problems}
    assert "300 tecken" in problems[(3, "Händelsenummer")] and "100" in problems[(3, "Händelsenummer")]
    assert "80 tecken" in problems[(4, "Områdeskod")]
    # Open311 JSON: the guard before the store refuses the row, the rest imports
    requests = [{"service_request_id": "S-1", "service_name": "Klotter", "status": "open",
                 "requested_datetime": "2026-10-03T10:00:00+02:00", "lat": 57.72, "long": 12.94},
                {"service_request_id": "S-2", "service_name": "Klotter " + "å" * 250, "status": "open",
                 "requested_datetime": "2026-10-03T11:00:00+02:00", "lat": 57.72, "long": 12.94}]
    report = imports.import_table(store, "fault-reports", json.dumps(requests).encode(), "open311.json", ORG)
    assert report.imported == 1 and report.rejected == 1
    assert [(p.row, p.column) for p in report.problems if "S-2" in p.message and "200" in p.message] == [
        (2, "kategori")]  # the position in the JSON list
    assert _stored(store, "fault_report") == ["S-1"]


def test_an_unexpected_database_error_never_reaches_stderr_with_its_sql(tmp_path, sqlite_url, monkeypatch, capsys):
    def fail(*_args, **_kwargs):
        raise sa.exc.DataError("INSERT INTO incident (source_id, description) VALUES (%(p1)s, %(p2)s)",
                               {"p1": "5000-K1-26", "p2": "Fönster krossat hos 811218-9876"},
                               Exception("value too long for type character varying(100)"))

    monkeypatch.setattr(imports, "import_table", fail)
    monkeypatch.delenv("WORKBENCH_DEBUG", raising=False)
    path = tmp_path / "polisen.csv"
    path.write_bytes(_police_csv([("5000-K1-26", "2026-10-01", "")]))
    code = main(["import", "incidents", str(path), "--db", sqlite_url, "--organisation", ORG])
    err = capsys.readouterr().err
    assert code == 1
    assert "DataError" in err and "WORKBENCH_DEBUG" in err
    for leaked in ("INSERT", "811218", "varying", "site-packages", "/"):
        assert leaked not in err.replace("WORKBENCH_DEBUG=1", ""), err


def test_text_limits_are_the_stores_column_lengths():
    from workbench.schema import TEXT_LIMITS
    from workbench.store import tables

    imported = {"incident", "fault_report", "walk_observation", "area", "place", "safety_walk",
                "area_indicator"}
    renamed = {("safety_walk", "ref"): "walk_ref"}
    # Set by the app (a walk planned on /vandringar is 'planned' or 'done'), never read from a file.
    app_only = {("safety_walk", "status")}
    checked = set()
    for table in tables.Base.metadata.tables.values():
        if table.name not in imported:
            continue
        for column in table.columns:
            if (table.name, column.name) in app_only:
                continue
            key = renamed.get((table.name, column.name), column.name)
            if isinstance(column.type, sa.String) and column.type.length and key in TEXT_LIMITS:
                assert TEXT_LIMITS[key] == column.type.length, (table.name, column.name)
                checked.add(key)
    assert checked == set(TEXT_LIMITS)


def test_walk_dates_out_of_range_are_row_problems(sqlite_url):
    store = open_store(sqlite_url)
    walks = ("Vandring;Datum;Område;Deltagare\n"
             "V1;2026-09-14;Norr;Polisen, bostadsbolaget\n"
             "V2;2099-09-14;Söder;Polisen\n").encode()
    point = {"type": "Point", "coordinates": [12.94, 57.72]}
    observations = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"vandring": "V1", "kategori": "Belysning", "datum": "1900-09-14"},
         "geometry": point},
        {"type": "Feature", "properties": {"vandring": "V1", "kategori": "Klotter", "datum": "2026-09-14"},
         "geometry": point}]}).encode()
    report = imports.import_walks(store, observations, "iakttagelser.geojson", ORG, walks_data=walks,
                                  walks_name="vandringar.csv")
    assert report.imported == 2
    messages = {(p.file, p.row): p.message for p in report.problems}
    assert "framtiden" in messages[("vandringar.csv", 3)]
    assert "före 2000" in messages[("iakttagelser.geojson", 1)] and "vandringens datum" in messages[("iakttagelser.geojson", 1)]
    assert _stored(store, "safety_walk", "ref") == ["V1"]
    assert {str(d)[:10] for d in _stored(store, "walk_observation", "observed_at")} == {"2026-09-14"}


def test_a_police_open_data_month_in_2099_is_a_row_problem(sqlite_url):
    csv = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
           "Crime type,Last outcome category,Context\n"
           "a1,2024-03,Polisen,Polisen,12.94,57.72,On or near Allégatan,,,Vandalism,,\n"
           "a2,2099-03,Polisen,Polisen,12.94,57.72,On or near Allégatan,,,Vandalism,,\n").encode()
    report = imports.import_table(open_store(sqlite_url), "incidents", csv, "oppna_data.csv", ORG)
    assert (report.imported, report.rejected) == (1, 1)
    assert [(p.row, p.column) for p in report.problems] == [(3, "Month")]
