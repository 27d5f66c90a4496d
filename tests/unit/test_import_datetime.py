"""Date and time in the shapes Swedish exports use; a date without a time is stored date only."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from workbench.filters import EventFilter
from workbench.hotspots.timeprofile import hour_weekday
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store.db import open_store

ORG = "Hallsbergs kommun"

# A cp1252 export with separate Datum and Tid columns, times written every way people write them.
DATUM_TID = (
    "Händelsenr;Brottstyp;Datum;Tid;X;Y\r\n"
    "5001;Skadegörelse;2026-03-05;14:30;6551600;507300\r\n"
    "5002;Bilbrand;2026-03-06;14.30;6551600;507300\r\n"
    "5003;Misshandel;2026-03-07;1430;6551600;507300\r\n"
    "5004;Cykelstöld;2026-03-08;14:30:00;6551600;507300\r\n"
    "5005;Butiksinbrott;2026-03-09;;6551600;507300\r\n"
    "5006;Klotter;2026-03-10;25:99;6551600;507300\r\n"
    "5007;Snatteri;10/3 2026;9.05;6551600;507300\r\n"
).encode("cp1252")


def _stored(url: str) -> pd.DataFrame:
    store = open_store(url)
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT source_id, occurred_from, occurred_to, date_only FROM incident ORDER BY source_id"
        ).all()
    return pd.DataFrame(rows, columns=["source_id", "occurred_from", "occurred_to", "date_only"])


def test_datum_and_tid_columns_in_a_cp1252_export_keep_their_times(db_url):
    store = open_store(db_url)
    report = imports.import_table(store, "incidents", DATUM_TID, "export.csv", ORG)
    assert report.imported == 7
    stored = _stored(db_url).set_index("source_id")
    times = {k: pd.Timestamp(v) for k, v in stored["occurred_from"].items()}
    for sid, day in (("5001", 5), ("5002", 6), ("5003", 7), ("5004", 8)):
        assert times[sid] == pd.Timestamp(2026, 3, day, 14, 30), sid
    assert times["5007"] == pd.Timestamp(2026, 3, 10, 9, 5)
    flags = stored["date_only"].astype(bool)
    assert flags["5005"] and flags["5006"]  # no time, and an unreadable one: date only
    assert not flags[["5001", "5002", "5003", "5004", "5007"]].any()
    bad = [p for p in report.problems if p.row == 7]
    assert len(bad) == 1 and bad[0].column == "Tid" and "25:99" in bad[0].message


def test_date_only_rows_stay_out_of_hour_figures(db_url):
    store = open_store(db_url)
    imports.import_table(store, "incidents", DATUM_TID, "export.csv", ORG)
    org_id = repo.find_organisation(store.engine, ORG)
    events = repo.load_events(store.engine, [org_id])
    assert int(events["date_only"].sum()) == 2
    profile = hour_weekday(events)
    assert int(profile.to_numpy().sum()) == 5
    assert int(profile[0].sum()) == 0  # nothing piled up at midnight
    assert len(EventFilter(hours=(0, 23)).apply(events)) == 5


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_fran_and_till_date_and_time_cells(db_url):
    data = _xlsx([
        ["Ärendenummer", "Brottstyp", "Från datum", "Från tid", "Till datum", "Till tid", "X", "Y"],
        ["A-1", "Skadegörelse", dt.date(2026, 1, 2), dt.time(22, 15), dt.date(2026, 1, 3), dt.time(1, 40),
         6551600, 507300],
        ["A-2", "Bostadsinbrott", dt.date(2026, 1, 4), dt.time(8, 0), dt.date(2026, 1, 4), None,
         6551600, 507300],
        ["A-3", "Rån", dt.date(2026, 1, 5), None, None, None, 6551600, 507300],
    ])
    store = open_store(db_url)
    report = imports.import_table(store, "incidents", data, "fran_till.xlsx", ORG)
    assert report.imported == 3, report.problems
    stored = _stored(db_url).set_index("source_id")
    assert pd.Timestamp(stored.at["A-1", "occurred_from"]) == pd.Timestamp(2026, 1, 2, 22, 15)
    assert pd.Timestamp(stored.at["A-1", "occurred_to"]) == pd.Timestamp(2026, 1, 3, 1, 40)
    # "till 4 januari" without a time: through that day, not before the start
    assert pd.Timestamp(stored.at["A-2", "occurred_to"]) == pd.Timestamp(2026, 1, 4, 23, 59)
    assert bool(stored.at["A-3", "date_only"]) and not bool(stored.at["A-1", "date_only"])


def test_xlsx_with_excel_datetime_and_klockslag_time_cells(sqlite_url):
    data = _xlsx([
        ["Händelsenummer", "Händelsetyp", "Datum", "Klockslag", "Latitud", "Longitud"],
        ["H1", "Brand", dt.datetime(2026, 2, 1), dt.time(23, 5, 30), 59.066, 15.11],
        ["H2", "Brand", dt.datetime(2026, 2, 2, 6, 45), None, 59.066, 15.11],
        ["H3", "Brand", dt.datetime(2026, 2, 3), "kväll", 59.066, 15.11],
    ])
    store = open_store(sqlite_url)
    report = imports.import_table(store, "incidents", data, "tider.xlsx", ORG)
    assert report.imported == 3
    stored = _stored(sqlite_url).set_index("source_id")
    assert pd.Timestamp(stored.at["H1", "occurred_from"]) == pd.Timestamp(2026, 2, 1, 23, 5, 30)
    assert pd.Timestamp(stored.at["H2", "occurred_from"]) == pd.Timestamp(2026, 2, 2, 6, 45)
    assert bool(stored.at["H3", "date_only"])
    assert [(p.row, p.column) for p in report.problems] == [(4, "Klockslag")]


@pytest.mark.parametrize("text,expected", [
    ("14:30", dt.timedelta(hours=14, minutes=30)), ("14.30", dt.timedelta(hours=14, minutes=30)),
    ("1430", dt.timedelta(hours=14, minutes=30)), ("14:30:00", dt.timedelta(hours=14, minutes=30)),
    ("0,5", dt.timedelta(hours=12)), ("1899-12-30 07:15:00", dt.timedelta(hours=7, minutes=15)),
])
def test_time_forms(text, expected):
    from workbench.io.importers.parse import parse_times
    assert parse_times(pd.Series([text])).iloc[0] == expected
