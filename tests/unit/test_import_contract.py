"""The contract every point importer keeps, checked on real public files and the demo exports:
canonical columns and dtypes, EPSG:3006, idempotence, atomicity, redaction."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import shared_file
from workbench.anonymise.scan import contains_personal_data
from workbench.schema import COLUMNS_BY_KIND, PRECISION_AREA, PRECISIONS, TIME_COLUMN
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store.db import open_store

REPO = Path(__file__).resolve().parents[2]


def _head_lines(path: Path, lines: int, sep: bytes = b"\n") -> bytes:
    return sep.join(path.read_bytes().split(sep)[:lines]) + sep


def _json_head(path: Path, n: int) -> bytes:
    return json.dumps(json.loads(path.read_bytes())[:n]).encode()


CASES = {
    "kommunpolis-export": lambda: ("incidents", "Borås stad", "polisen_export.csv",
                                   _head_lines(REPO / "sample_incidents" / "polisen_export.csv", 3000, b"\r\n")),
    "polisen-api": lambda: ("incidents", "Borås stad", "events.json",
                            shared_file("polisen_events", "events_target_kommuner_2023-2026.json").read_bytes()),
    "police-uk-city": lambda: ("incidents", "City of London", "2023-06-city-of-london-street.csv",
                               shared_file("uk_police_street_crime", "city_of_london_2023",
                                           "2023-06-city-of-london-street.csv").read_bytes()),
    "police-uk-met": lambda: ("incidents", "Metropolitan", "2025-01-metropolitan-street.csv",
                              shared_file("uk_police_street_crime", "metropolitan_2025-01_burglary_only",
                                          "2025-01-metropolitan-street.csv").read_bytes()),
    "felanmalan": lambda: ("fault-reports", "Borås stad", "felanmalan_kommunen.csv",
                           _head_lines(REPO / "sample_incidents" / "felanmalan_kommunen.csv", 2000)),
    "open311": lambda: ("fault-reports", "Boston", "requests.json",
                        _json_head(shared_file("open311_boston_2019", "boston_open311_requests_2019.json"), 3000)),
    "bostadsbolaget": lambda: ("housing-reports", "Borås stad", "bostadsbolaget.csv",
                               (REPO / "sample_incidents" / "bostadsbolaget.csv").read_bytes()),
}


@pytest.fixture(params=list(CASES))
def case(request):
    return CASES[request.param]()


def test_canonical_frame(case, sqlite_url):
    source, organisation, name, data = case
    store = open_store(sqlite_url)
    parsed = imports.preview_points(store, source, data, name, organisation)
    columns = COLUMNS_BY_KIND[parsed.kind]
    assert list(parsed.frame.columns[:len(columns)]) == list(columns)
    for column, dtype in columns.items():
        assert str(parsed.frame[column].dtype) == dtype, column
    assert len(parsed.frame) > 0
    assert parsed.frame[TIME_COLUMN[parsed.kind]].notna().all()
    assert parsed.frame["source_id"].notna().all()
    assert set(parsed.frame["precision"]) <= set(PRECISIONS)
    area = parsed.frame["precision"] == PRECISION_AREA
    assert parsed.frame.loc[area, "x"].isna().all()
    points = parsed.frame.loc[~area]
    assert np.isfinite(points[["x", "y"]].to_numpy()).all()
    # EPSG:3006 metres (SWEREF 99 TM is defined far beyond Sweden, e.g. London and Boston)
    assert (points["y"].abs() > 1_000_000).all()
    assert parsed.frame["category"].notna().all() and parsed.frame["category_original"].notna().all()


def test_idempotent_and_redacted_when_stored(case, sqlite_url):
    source, organisation, name, data = case
    store = open_store(sqlite_url)
    first = imports.import_table(store, source, data, name, organisation)
    second = imports.import_table(store, source, data, name, organisation)
    assert first.imported > 0
    assert (second.imported, second.duplicates) == (0, first.imported + first.duplicates)
    kind = "incident" if source == "incidents" else "fault_report"
    org = repo.find_organisation(store.engine, organisation)
    stored = repo.load_points(store.engine, kind, [org])
    assert len(stored) == first.imported
    assert not contains_personal_data(stored["description"].dropna().tolist())


def test_planted_personal_data_in_the_demo_export_is_redacted_before_storing(sqlite_url):
    """The whole kommunpolis demo export: its free text has planted personnummer, phone
    numbers, e-mail addresses and registration numbers (the head used above has none)."""
    path = REPO / "sample_incidents" / "polisen_export.csv"
    raw = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")["Fritext"].dropna().tolist()
    assert contains_personal_data(raw)
    store = open_store(sqlite_url)
    report = imports.import_table(store, "incidents", path.read_bytes(), path.name, "Borås stad")
    assert report.redacted > 0
    stored = repo.load_points(store.engine, "incident", [repo.find_organisation(store.engine, "Borås stad")])
    assert not contains_personal_data(stored["description"].dropna().tolist())


def test_atomic_when_storing_fails_half_way(case, sqlite_url, monkeypatch):
    source, organisation, name, data = case
    store = open_store(sqlite_url)
    original = repo.insert_rows
    calls = {"n": 0}

    def fail_after_first_chunk(conn, kind, rows, progress=None):
        original(conn, kind, rows.head(max(1, len(rows) // 2)))
        calls["n"] += 1
        raise OSError("disken tog slut")

    monkeypatch.setattr(repo, "insert_rows", fail_after_first_chunk)
    with pytest.raises(OSError):
        imports.import_table(store, source, data, name, organisation)
    assert calls["n"] == 1
    counts = repo.row_counts(store.engine)
    assert counts["incident"] == counts["fault_report"] == counts["import_batch"] == 0
    assert counts["audit_log"] == 0


def test_police_api_rows_stay_at_area_precision(sqlite_url):
    path = shared_file("polisen_events", "events_target_kommuner_2023-2026.json")
    store = open_store(sqlite_url)
    report = imports.import_table(store, "incidents", path.read_bytes(), path.name, "Borås stad")
    events = json.loads(path.read_bytes())
    assert report.imported == sum(1 for e in events if e["location"]["name"] == "Borås")
    assert report.rejected == len(events) - report.imported
    assert all("inte Borås" in p.message for p in report.problems)
    rows = repo.load_points(store.engine, "incident", [repo.find_organisation(store.engine, "Borås stad")])
    assert (rows["precision"] == "area").all() and rows["x"].isna().all()
    assert set(rows["area_code"]) == {"Borås"}
    # the time of the event is taken from its name, not from when it was published
    sample = next(e for e in events if e["location"]["name"] == "Borås")
    stored = rows.set_index("source_id").loc[f"api:{sample['id']}", "occurred_from"]
    day, hour, minute = (int(v) for v in re.match(r"(\d{1,2}) \w+ (\d{1,2})\.(\d{2})", sample["name"]).groups())
    assert (stored.day, stored.hour, stored.minute) == (day, hour, minute)  # e.g. "19 januari 04.51"
    assert stored < pd.Timestamp(sample["datetime"][:19].replace(" 0:", " 00:"))  # published later


def test_police_api_summaries_are_marked(sqlite_url):
    path = shared_file("polisen_events", "events_2025-01_to_2025-03.json")
    events = json.loads(path.read_bytes())
    county = "Södermanlands län"  # summaries are published per län
    summaries = [e for e in events if e["type"].startswith("Sammanfattning")
                 and e["location"]["name"] == county]
    assert summaries
    store = open_store(sqlite_url)
    imports.import_table(store, "incidents", path.read_bytes(), path.name, county)
    rows = repo.load_points(store.engine, "incident", [repo.find_organisation(store.engine, county)])
    assert (rows["category"] == "sammanfattning").sum() == len(summaries)


def test_uk_rows_without_crime_id_are_kept_apart_and_repeated_ids_are_duplicates(sqlite_url):
    path = shared_file("uk_police_street_crime", "city_of_london_2023", "2023-03-city-of-london-street.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    located = table[(table["Longitude"] != "") | (table["LSOA code"] != "")]
    with_id = located[located["Crime ID"] != ""]
    expected = len(with_id["Crime ID"].unique()) + int((located["Crime ID"] == "").sum())
    store = open_store(sqlite_url)
    report = imports.import_table(store, "incidents", path.read_bytes(), path.name, "City of London")
    assert report.imported == expected
    assert report.duplicates == len(with_id) - len(with_id["Crime ID"].unique())
    rows = repo.load_points(store.engine, "incident", [repo.find_organisation(store.engine, "City of London")])
    assert set(rows["precision"]) <= {"snapped", "area"}
    assert (rows["occurred_to"] > rows["occurred_from"]).all()  # the month is a span


def test_uk_context_text_is_redacted_like_every_other_source(sqlite_url):
    """data.police.uk's Context column is free text too: it goes through the same scanner."""
    path = shared_file("uk_police_street_crime", "city_of_london_2023", "2023-03-city-of-london-street.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["Context"] = ""
    table.loc[table.index[:3], "Context"] = ["Witness on 070-123 45 67", "mail a.b@example.se",
                                             "Vehicle ABC 123 seen"]
    data = table.to_csv(index=False).encode("utf-8")
    store = open_store(sqlite_url)
    report = imports.import_table(store, "incidents", data, path.name, "City of London")
    assert report.redacted >= 3
    stored = repo.load_points(store.engine, "incident", [repo.find_organisation(store.engine, "City of London")])
    text = " ".join(stored["description"].dropna())
    assert "070-123 45 67" not in text and "a.b@example.se" not in text and "ABC 123" not in text
    assert "[telefonnummer]" in text and "[e-post]" in text
