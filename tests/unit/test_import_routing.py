"""One police area, several kommuner: rows routed to their kommun's organisation."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import sqlalchemy as sa

from tests.conftest import shared_file
from workbench.cli import main as cli
from workbench.services import police_area, routing
from workbench.store.db import open_store

EVENTS = ("polisen_events", "events_target_kommuner_2023-2026.json")
HALLSBERG = ["Askersund", "Hallsberg", "Kumla", "Laxå"]
BORAS = ["Borås", "Mark", "Mölndal", "Skara"]  # the file's other four, as a second area here


def _per_org(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT o.name, o.municipality_code, COUNT(i.id) FROM organisation o "
            "LEFT JOIN incident i ON i.organisation_id = o.id GROUP BY o.name, o.municipality_code").all()
    engine.dispose()
    return {f"{name} {code}": n for name, code, n in rows}


def _expected() -> Counter:
    events = json.loads(shared_file(*EVENTS).read_text(encoding="utf-8"))
    events = events if isinstance(events, list) else events["events"]
    return Counter(e["location"]["name"] for e in events)


def test_the_police_events_file_with_two_police_areas_set_up(db_url):
    store = open_store(db_url)
    police_area.set_up(store, "LPO Hallsberg", HALLSBERG, actor="test")
    police_area.set_up(store, "LPO Borås", BORAS, actor="test")
    data = shared_file(*EVENTS).read_bytes()
    report = routing.import_routed(store, "incidents", data, EVENTS[1],
                                   police_areas=("LPO Hallsberg", "LPO Borås"))
    expected = _expected()
    assert report.imported + report.rejected == sum(expected.values())
    assert report.routed == dict(expected)  # each kommun's events in its own organisation
    codes = {"Askersund": "1882", "Hallsberg": "1861", "Kumla": "1881", "Laxå": "1860",
             "Borås": "1490", "Mark": "1463", "Mölndal": "1481", "Skara": "1495"}
    stored = _per_org(db_url)
    assert stored == {f"{k} {codes[k]}": n for k, n in expected.items()}
    # the same file again: all duplicates, nothing changed
    again = routing.import_routed(store, "incidents", data, EVENTS[1],
                                  police_areas=("LPO Hallsberg", "LPO Borås"))
    assert again.imported == 0 and again.changed == 0 and again.duplicates == report.imported


def test_one_police_area_reports_the_other_kommuner_per_row(sqlite_url):
    store = open_store(sqlite_url)
    police_area.set_up(store, "LPO Hallsberg", ["1882", "Hallsbergs kommun", "Kumla", "Laxå"], actor="test")
    report = routing.import_routed(store, "incidents", shared_file(*EVENTS).read_bytes(), EVENTS[1],
                                   police_areas=("LPO Hallsberg",))
    expected = _expected()
    assert sum(report.routed.values()) == sum(expected[k] for k in HALLSBERG)
    outside = [p for p in report.problems if "inte hör till LPO Hallsberg" in p.message]
    assert len(outside) == sum(expected[k] for k in BORAS)
    assert all(p.row and p.column == "location.name" for p in outside)


def test_a_fresh_database_gets_one_organisation_per_kommun_and_no_made_up_one(sqlite_url, capsys):
    path = shared_file(*EVENTS)
    assert cli(["import", "incidents", str(path), "--db", sqlite_url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = _expected()
    assert sorted(out["created"]) == sorted(expected)
    assert out["routed"] == dict(expected) and out["imported"] == sum(expected.values())
    names = {k.rsplit(" ", 1)[0] for k in _per_org(sqlite_url)}
    assert names == set(expected)  # no "Borås stad" or other invented organisation


def test_cli_sets_up_a_police_area_and_routes_a_kommun_column(sqlite_url, tmp_path, capsys):
    assert cli(["police-area", "LPO Hallsberg", "Askersund", "Hallsberg", "Kumla", "Laxå",
                "--db", sqlite_url]) == 0
    export = tmp_path / "lpo.csv"
    export.write_bytes((
        "Händelsenr;Brottstyp;Datum;Tid;Kommun\r\n"
        "1;Bilbrand;2026-01-02;22:15;Kumla\r\n"
        "2;Skadegörelse;2026-01-03;01:10;1861\r\n"
        "3;Stöld;2026-01-03;12:00;Laxå kommun\r\n"
        "4;Rån;2026-01-04;20:00;Örebro\r\n"
        "5;Rån;2026-01-04;21:00;Örebro län\r\n").encode("cp1252"))
    capsys.readouterr()
    assert cli(["import", "incidents", str(export), "--db", sqlite_url, "--police-area", "LPO Hallsberg",
                "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["routed"] == {"Kumla": 1, "Hallsberg": 1, "Laxå": 1}
    problems = {p["row"]: p["message"] for p in out["problems"]}
    assert "Örebro, som inte hör till LPO Hallsberg" in problems[5]
    assert "ingen kommun" in problems[6]


def test_unknown_kommun_in_set_up_is_refused(sqlite_url):
    from workbench.errors import ImportValidationError
    with pytest.raises(ImportValidationError, match="ingen svensk kommun"):
        police_area.set_up(open_store(sqlite_url), "LPO X", ["Kumla", "Atlantis"], actor="test")


def test_rows_without_a_kommun_are_routed_by_the_boundary_their_point_lies_in(sqlite_url):
    import geopandas as gpd
    import shapely

    from workbench.services import imports

    store = open_store(sqlite_url)
    police_area.set_up(store, "LPO Hallsberg", ["Kumla", "Hallsberg"], actor="test")
    for name, box in (("Kumla", (505000, 6555000, 515000, 6565000)),
                      ("Hallsberg", (495000, 6545000, 505000, 6555000))):
        layer = gpd.GeoDataFrame({"name": [f"{name} centrum"]}, geometry=[shapely.box(*box)], crs="EPSG:3006")
        imports.import_layer(store, "areas", layer.to_json().encode(), "omraden.geojson", name)
    export = ("Händelsenr;Brottstyp;Datum;Tid;X;Y\r\n"
              "1;Bilbrand;2026-01-02;22:15;6560000;510000\r\n"
              "2;Skadegörelse;2026-01-03;01:10;6550000;500000\r\n"
              "3;Stöld;2026-01-03;12:00;6400000;380000\r\n").encode("cp1252")
    report = routing.import_routed(store, "incidents", export, "lpo.csv", police_areas=("LPO Hallsberg",))
    assert report.routed == {"Kumla": 1, "Hallsberg": 1}
    assert [(p.row, "kommunen går inte att avgöra" in p.message) for p in report.problems] == [(4, True)]


def test_a_fresh_database_and_a_file_without_kommun_asks_for_the_organisation(sqlite_url, tmp_path, capsys):
    export = tmp_path / "x.csv"
    export.write_bytes("Händelsenr;Brottstyp;Datum;X;Y\r\n1;Stöld;2026-01-03;6400000;380000\r\n".encode())
    assert cli(["import", "incidents", str(export), "--db", sqlite_url]) != 0
    assert "--organisation" in capsys.readouterr().err
    assert _per_org(sqlite_url) == {}


def test_organisation_restricts_a_file_with_a_kommun_column_and_reports_the_rest(sqlite_url, tmp_path, capsys):
    export = tmp_path / "lpo.csv"
    export.write_bytes(("Händelsenr;Brottstyp;Datum;Tid;Kommun\r\n"
                        "1;Bilbrand;2026-01-02;22:15;Kumla\r\n"
                        "2;Skadegörelse;2026-01-03;01:10;1861\r\n"
                        "3;Stöld;2026-01-03;12:00;Kumla kommun\r\n").encode("cp1252"))
    assert cli(["import", "incidents", str(export), "--db", sqlite_url, "--organisation", "Kumla kommun",
                "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and out["rejected"] == 1
    assert [(p["row"], p["column"]) for p in out["problems"]] == [(3, "kommun")]
    assert "1861, inte Kumla kommun" in out["problems"][0]["message"]
