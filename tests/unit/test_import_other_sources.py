"""Walks (GeoJSON, GeoPackage, CSV), area indicators, profiles, category mapping, declared CRS."""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from workbench.cli import main as cli
from workbench.errors import ImportValidationError
from workbench.schema import KIND_INCIDENT, KIND_WALK_OBSERVATION
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store.db import open_store

REPO = Path(__file__).resolve().parents[2]
ORG = "Borås stad"


@pytest.fixture
def store(sqlite_url):
    store = open_store(sqlite_url)
    imports.import_layer(store, "areas", (REPO / "layers" / "omraden.geojson").read_bytes(),
                         "omraden.geojson", ORG)
    return store


def _org(store):
    return repo.find_organisation(store.engine, ORG)


def test_demo_walks_with_their_table(store):
    folder = REPO / "sample_incidents"
    report = imports.import_walks(
        store, (folder / "trygghetsvandring_observationer.geojson").read_bytes(),
        "obs.geojson", ORG, walks_data=(folder / "trygghetsvandringar.csv").read_bytes(),
        walks_name="trygghetsvandringar.csv")
    assert report.imported == 44 and report.crs == "EPSG:4326"
    again = imports.import_walks(
        store, (folder / "trygghetsvandring_observationer.geojson").read_bytes(),
        "obs.geojson", ORG, walks_data=(folder / "trygghetsvandringar.csv").read_bytes(),
        walks_name="trygghetsvandringar.csv")
    assert (again.imported, again.duplicates) == (0, 44)
    rows = repo.load_points(store.engine, KIND_WALK_OBSERVATION, [_org(store)])
    assert rows["area_id"].notna().all()
    assert set(rows["category"]) <= {"belysning", "skymd_sikt", "nedskrapning", "klotter",
                                     "otrygg_passage", "trafik", "ovrigt"}


def test_each_walk_numbers_its_observations_from_one(store):
    """Protocols number observations 1, 2, … per walk: the same number in two walks is two
    observations, and only a re-import of the same walk is a duplicate."""
    import json

    folder = REPO / "sample_incidents"
    collection = json.loads((folder / "trygghetsvandring_observationer.geojson").read_bytes())
    counters: dict[str, int] = {}
    for feature in collection["features"]:
        walk = feature["properties"]["vandring"]
        counters[walk] = counters.get(walk, 0) + 1
        feature["properties"]["id"] = str(counters[walk])
    data = json.dumps(collection).encode("utf-8")
    walks = (folder / "trygghetsvandringar.csv").read_bytes()
    first = imports.import_walks(store, data, "obs.geojson", ORG, walks_data=walks, walks_name="v.csv")
    assert (first.imported, first.duplicates) == (44, 0) and len(counters) == 3
    again = imports.import_walks(store, data, "obs.geojson", ORG, walks_data=walks, walks_name="v.csv")
    assert (again.imported, again.duplicates) == (0, 44)


def test_walk_points_as_csv_without_a_walks_table(store):
    text = ("Vandring;Datum;Kategori;Kommentar;Prioritet;N;E\n"
            "TV-1;2025-10-14;Belysning;Mörk gångväg, ring 070-123 45 67;1;6401035;376751\n"
            "TV-1;2025-10-14;Klotter;Klotter på tunneln;2;6401040;376760\n"
            "TV-1;2025-10-14;Otrygg passage;;3;;\n")
    report = imports.import_walks(store, text.encode(), "vandring.csv", ORG)
    assert (report.imported, report.rejected, report.redacted) == (2, 1, 1)
    assert report.problems[0].row == 4 and report.problems[0].message == "koordinater saknas"
    rows = repo.load_points(store.engine, KIND_WALK_OBSERVATION, [_org(store)])
    assert "[telefonnummer]" in rows["comment"].dropna().iloc[0]
    with store.engine.connect() as conn:
        walk = conn.exec_driver_sql("select ref, walk_date, area_id from safety_walk").one()
    norrby = repo.load_areas(store.engine, [_org(store)]).set_index("name").loc["Norrby", "id"]
    assert walk[0] == "TV-1" and str(walk[1]) == "2025-10-14" and walk[2] == norrby


def test_walk_points_as_geopackage(store, tmp_path):
    frame = gpd.GeoDataFrame({"kategori": ["belysning", "nedskräpning"], "kommentar": ["a", "b"],
                              "datum": ["2025-04-08", "2025-04-08"]},
                             geometry=[Point(379022, 6401245), Point(379030, 6401250)], crs=3006)
    path = tmp_path / "obs.gpkg"
    frame.to_file(path, driver="GPKG")
    report = imports.import_walks(store, path.read_bytes(), "obs.gpkg", ORG)
    assert report.imported == 2 and report.crs == "EPSG:3006"


def test_area_indicators_wide_and_long(store):
    wide = ("Område;År;Andel otrygga utomhus kvällstid (%);Problemindex (0–6);Befolkning\n"
            "Hässleholmen;2024;34,5 %;3,2;5 612\n"
            "Norrby;2024;28,1;2,5;5 480\n"
            "Atlantis;2024;10;1;100\n"
            "Centrum;tjugotjugofyra;1;1;1\n")
    report = imports.import_indicators(store, wide.encode("cp1252"), "trygghet.csv", ORG)
    assert report.imported == 6
    messages = {(p.row, p.message) for p in report.problems}
    assert (4, "okänt område 'Atlantis' (finns inte bland områdena)") in messages
    assert any(p.row == 5 and "ogiltigt år" in p.message for p in report.problems)
    long = ("Område;År;Indikator;Värde\nHässleholmen;2025;Problemindex (0–6);3,4\n"
            "Hässleholmen;2024;Problemindex (0–6);3,3\n")
    second = imports.import_indicators(store, long.encode(), "index.csv", ORG)
    assert (second.imported, second.duplicates) == (1, 1)  # 2024 updated in place
    values = repo.load_indicators(store.engine, _org(store))
    assert len(values) == 7
    areas = repo.load_areas(store.engine, [_org(store)]).set_index("name")
    assert areas.loc["Hässleholmen", "population"] == 5612  # population indicator sets it
    hass = values[values["area_id"] == areas.loc["Hässleholmen", "id"]].set_index(["year", "indicator"])
    assert hass.loc[(2024, "Problemindex (0–6)"), "value"] == 3.3
    assert hass.loc[(2024, "Andel otrygga utomhus kvällstid (%)"), "value"] == 34.5


def test_profile_remembers_the_column_mapping(store, tmp_path, capsys):
    text = ("Ärende;Vad;När;Nordkoordinat;Östkoordinat\n"
            "A1;Misshandel;2025-01-01 22:00;6399510;377300\n")
    path = tmp_path / "udda.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportValidationError):
        imports.import_table(store, "incidents", text.encode(), "udda.csv", ORG)
    mapping = {"source_id": "Ärende", "category": "Vad", "from_datetime": "När",
               "coord_a": "Nordkoordinat", "coord_b": "Östkoordinat"}
    imports.save_profile(store, ORG, "Udda export", "incidents", mapping)
    assert cli(["import", "incidents", str(path), "--db", store.url, "--profile", "Udda export",
                "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 1
    assert cli(["import", "incidents", str(path), "--db", store.url, "--profile", "Finns inte"]) == 2
    assert "Finns inte" in capsys.readouterr().err


def test_category_mapping_applies_to_later_imports(store):
    text = "Id;Brottstyp;Datum;X;Y\n1;Eldning i papperskorg;2025-01-01;6399510;377300\n"
    imports.map_category(store, ORG, KIND_INCIDENT, "Eldning i papperskorg", "brand")
    imports.import_table(store, "incidents", text.encode(), "a.csv", ORG)
    rows = repo.load_points(store.engine, KIND_INCIDENT, [_org(store)])
    assert rows["category"].tolist() == ["brand"]
    assert rows["category_original"].tolist() == ["Eldning i papperskorg"]


def test_declared_local_sweref_zone(store):
    # Borås in SWEREF 99 12 00 (EPSG:3007): only used when declared
    east, north = Transformer.from_crs(3006, 3007, always_xy=True).transform(377300, 6399510)
    text = f"Id;Brottstyp;Datum;E;N\n1;Stöld;2025-01-01;{east:.1f};{north:.1f}\n"
    report = imports.import_table(store, "incidents", text.encode(), "z.csv", ORG, crs="EPSG:3007")
    assert report.crs == "EPSG:3007"
    rows = repo.load_points(store.engine, KIND_INCIDENT, [_org(store)])
    assert rows["x"].iloc[0] == pytest.approx(377300, abs=0.5)
    with pytest.raises(ImportValidationError, match="okänt koordinatsystem"):
        imports.import_table(store, "incidents", text.encode(), "z.csv", ORG, crs="EPSG:999999")


def test_problem_rows_match_excel_row_numbers_in_xlsx(store):
    frame = pd.DataFrame({"Id": ["1", "2", "3"], "Brottstyp": ["Stöld", "Stöld", "Stöld"],
                          "Datum": ["2025-01-01", "inte ett datum", "2025-01-03"],
                          "X": [6399510, 6399510, 6399510], "Y": [377300, 377300, 377300]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    report = imports.import_table(store, "incidents", buffer.getvalue(), "e.xlsx", ORG)
    assert [(p.row, p.column) for p in report.problems] == [(3, "Datum")]
