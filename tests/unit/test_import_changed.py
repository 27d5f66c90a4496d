"""Re-imports with changed content, files with no usable row, and organisations made only on request."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from workbench.cli import main as cli
from workbench.errors import ImportValidationError
from workbench.services import imports
from workbench.store.db import open_store

ORG = "Kumla kommun"
HEADER = "Händelsenummer;Brottstyp;Datum;Tid;X;Y;Fritext\r\n"
FIRST = (HEADER
         + "K-1;Skadegörelse;2026-03-05;14:30;6555000;505000;Krossad ruta\r\n"
         + "K-2;Cykelstöld;2026-03-06;08:10;6555100;505100;\r\n"
         + "K-3;Misshandel;2026-03-07;23:45;6555200;505200;\r\n").encode("cp1252")
# K-1 unchanged, K-2 now has another time and category text, K-3 another point, K-4 new.
SECOND = (HEADER
          + "K-1;Skadegörelse;2026-03-05;14:30;6555000;505000;Krossad ruta\r\n"
          + "K-2;Cykelstöld (elcykel);2026-03-06;09:10;6555100;505100;\r\n"
          + "K-3;Misshandel;2026-03-07;23:45;6555900;505200;\r\n"
          + "K-4;Rån;2026-03-08;02:00;6555300;505300;\r\n").encode("cp1252")


def _rows(url: str) -> dict[str, tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT source_id, category_original, occurred_from, y FROM incident").all()
    engine.dispose()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_changed_rows_are_reported_and_kept_by_default(db_url):
    store = open_store(db_url)
    imports.import_table(store, "incidents", FIRST, "vecka10.csv", ORG)
    report = imports.import_table(store, "incidents", SECOND, "vecka10_ny.csv", ORG)
    assert (report.imported, report.duplicates, report.changed) == (1, 1, 2)
    assert report.changed_rows == (3, 4) and report.updated == 0
    assert report.to_json()["changed"] == 2 and report.to_json()["changed_rows"] == [3, 4]
    assert _rows(db_url)["K-2"][0] == "Cykelstöld"  # kept


def test_on_change_update_writes_new_content_and_the_audit_log(db_url):
    store = open_store(db_url)
    imports.import_table(store, "incidents", FIRST, "vecka10.csv", ORG)
    report = imports.import_table(store, "incidents", SECOND, "vecka10_ny.csv", ORG, on_change="update")
    assert (report.changed, report.updated) == (2, 2)
    rows = _rows(db_url)
    assert rows["K-2"][0] == "Cykelstöld (elcykel)" and str(rows["K-2"][1]).startswith("2026-03-06 09:10")
    assert rows["K-3"][2] == pytest.approx(6555900)  # the moved point (northing)
    with store.engine.connect() as conn:
        log = conn.exec_driver_sql(
            "SELECT before, after FROM audit_log WHERE verb = 'update' AND entity = 'incident'").all()
    assert len(log) == 2
    entries = [(json.loads(b) if isinstance(b, str) else b, json.loads(a) if isinstance(a, str) else a)
               for b, a in log]
    k2 = next(e for e in entries if "category_original" in e[0])
    assert k2[0]["category_original"] == "Cykelstöld" and k2[1]["category_original"] == "Cykelstöld (elcykel)"
    assert k2[0]["occurred_from"].startswith("2026-03-06 08:10") and k2[1]["occurred_from"].startswith("2026-03-06 09:10")
    # the same file again: nothing changed any more
    again = imports.import_table(store, "incidents", SECOND, "vecka10_ny.csv", ORG, on_change="update")
    assert (again.imported, again.changed, again.duplicates) == (0, 0, 4)


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar()  # noqa: S608 - table names are the test's own constants
    engine.dispose()
    return int(n)


def test_a_file_with_no_usable_row_is_an_error_and_writes_nothing(sqlite_url, capsys):
    bad = (HEADER + "K-9;Skadegörelse;inte ett datum;;6555000;505000;\r\n"
           + "K-10;;2026-03-05;;;;\r\n").encode("cp1252")
    store = open_store(sqlite_url)
    with pytest.raises(ImportValidationError, match="ingen rad kunde importeras"):
        imports.import_table(store, "incidents", bad, "trasig.csv", ORG)
    assert _count(sqlite_url, "import_batch") == 0 and _count(sqlite_url, "audit_log") == 0


def test_cli_all_rejected_exits_non_zero_and_leaves_no_organisation(sqlite_url, tmp_path, capsys):
    path = tmp_path / "trasig.csv"
    path.write_bytes((HEADER + "K-9;Skadegörelse;inte ett datum;;6555000;505000;\r\n").encode("cp1252"))
    code = cli(["import", "incidents", str(path), "--db", sqlite_url, "--organisation", ORG])
    assert code != 0
    assert "ingen rad kunde importeras" in capsys.readouterr().err
    for table in ("organisation", "import_batch", "audit_log", "incident"):
        assert _count(sqlite_url, table) == 0, table


def test_cli_mistyped_organisation_is_refused_unless_asked_to_create(sqlite_url, tmp_path, capsys):
    path = tmp_path / "vecka10.csv"
    path.write_bytes(FIRST)
    assert cli(["import", "incidents", str(path), "--db", sqlite_url, "--organisation", ORG]) == 0
    capsys.readouterr()
    code = cli(["import", "incidents", str(path), "--db", sqlite_url, "--organisation", "Kumla kommmun"])
    assert code != 0
    err = capsys.readouterr().err
    assert "Kumla kommmun" in err and "--create-organisation" in err and "Kumla kommun" in err
    assert _count(sqlite_url, "organisation") == 1
    assert cli(["import", "incidents", str(path), "--db", sqlite_url, "--organisation", "Askersunds kommun",
                "--create-organisation", "--json"]) == 0
    assert _count(sqlite_url, "organisation") == 2


def test_cli_on_change_update(sqlite_url, tmp_path, capsys):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(FIRST)
    second.write_bytes(SECOND)
    assert cli(["import", "incidents", str(first), "--db", sqlite_url, "--organisation", ORG]) == 0
    capsys.readouterr()
    assert cli(["import", "incidents", str(second), "--db", sqlite_url, "--organisation", ORG,
                "--on-change", "update", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["changed"] == 2 and out["updated"] == 2 and out["changed_rows"] == [3, 4]
    assert out["routed"] == {ORG: 3}


def test_indicators_for_no_known_area_are_an_error_that_writes_nothing(sqlite_url):
    store = open_store(sqlite_url)
    imports.import_table(store, "incidents", FIRST, "vecka10.csv", ORG)
    batches = _count(sqlite_url, "import_batch")
    data = "Område;År;Befolkning\r\nAtlantis;2025;1200\r\nLemuria;2025;800\r\n".encode("cp1252")
    with pytest.raises(ImportValidationError, match="ingen rad kunde importeras"):
        imports.import_indicators(store, data, "indikatorer.csv", ORG)
    assert _count(sqlite_url, "import_batch") == batches


def test_agreement_import_with_a_mistyped_organisation_creates_none(sqlite_url, tmp_path, capsys):
    path = tmp_path / "vecka10.csv"
    path.write_bytes(FIRST)
    assert cli(["import", "incidents", str(path), "--db", sqlite_url, "--organisation", ORG]) == 0
    text = tmp_path / "avtal.md"
    text.write_text("# Samverkansöverenskommelse\n\n## Fokusområde: Trygg stadskärna\n\n"
                    "- Polisen ska genomföra trygghetsvandringar.\n", encoding="utf-8")
    capsys.readouterr()
    assert cli(["agreement", "import", str(text), "--db", sqlite_url, "--organisation", "Kumla kommmun"]) != 0
    assert "--create-organisation" in capsys.readouterr().err
    assert _count(sqlite_url, "organisation") == 1
