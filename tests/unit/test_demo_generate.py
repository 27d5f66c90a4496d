"""Tests of the deterministic demo-data generator: formats, reproducibility and planted patterns."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from workbench.demo.generate import GENERATED_FILES, generate, main

REPO_ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "kör `.venv/bin/python -m workbench.demo.generate` och checka in resultatet"

POLICE_HEADER = ("Händelsenummer;Brottstyp;Från datum;Från tid;Till datum;Till tid;X;Y;"
                 "Områdeskod;Fritext")
FAULT_HEADER = "Ärendenr;Kategori;Registrerad;Åtgärdad;Status;Beskrivning;Latitud;Longitud"
HOUSING_HEADER = "Ärende-ID\tTyp\tAnmäld\tKlar\tFastighet\tN\tE"
WALK_HEADER = "Vandring;Datum;Område;Deltagare;Anteckning"

POLICE_TYPES = {
    "Misshandel, utomhus", "Misshandel, inomhus", "Skadegörelse", "Skadegörelse genom klotter",
    "Stöld ur/från motorfordon", "Stöld", "Butiksstöld/snatteri", "Cykelstöld",
    "Inbrott i bostad", "Rån mot person", "Narkotikabrott, innehav", "Ofredande", "Olaga hot",
    "Ordningsstörning", "Rattfylleri", "Misshandel, närstående",
}
FAKE_PERSONAL_DATA = ("19811218-9876", "070-123 45 67", "anmalare@example.se", "ABC 123")

TO_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo_a")
    generate(root)
    return root


@pytest.fixture(scope="module")
def police(out: Path) -> pd.DataFrame:
    frame = pd.read_csv(out / "sample_incidents/polisen_export.csv", sep=";",
                        encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame["from"] = pd.to_datetime(frame["Från datum"] + " " + frame["Från tid"],
                                   format="%Y-%m-%d %H:%M")
    return frame


@pytest.fixture(scope="module")
def faults(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "sample_incidents/felanmalan_kommunen.csv", sep=";",
                       encoding="utf-8", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def housing(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "sample_incidents/bostadsbolaget.csv", sep="\t", encoding="cp1252",
                       dtype=str, keep_default_na=False)


def _features(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return list(data["features"])


@pytest.fixture(scope="module")
def districts(out: Path) -> dict[str, tuple[str, BaseGeometry]]:
    """District name → (code, polygon), from the generated omraden.geojson."""
    return {f["properties"]["namn"]: (f["properties"]["kod"], shape(f["geometry"]))
            for f in _features(out / "layers/omraden.geojson")}


@pytest.fixture(scope="module")
def outline(districts: dict[str, tuple[str, BaseGeometry]]) -> BaseGeometry:
    return shapely.union_all([poly for _, poly in districts.values()])


def _police_points(police: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rows with coordinates, and their easting (Y) and northing (X)."""
    rows = police[police["X"] != ""]
    return rows, rows["Y"].astype(float).to_numpy(), rows["X"].astype(float).to_numpy()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(digits):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


# ----------------------------------------------------------------------------- reproducibility


def test_two_runs_are_byte_identical(out: Path, tmp_path: Path) -> None:
    assert main(["--out-root", str(tmp_path)]) == 0
    for rel in GENERATED_FILES:
        assert (tmp_path / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_committed_files_equal_a_fresh_generation(out: Path) -> None:
    for rel in GENERATED_FILES:
        committed = REPO_ROOT / rel
        assert committed.is_file(), f"{rel} saknas i repot: {REGENERATE}"
        assert committed.read_bytes() == (out / rel).read_bytes(), \
            f"{rel} skiljer sig från generatorns utdata (handredigerad?): {REGENERATE}"


def test_counts_and_sizes(tmp_path: Path) -> None:
    counts = generate(tmp_path)
    assert sorted(counts) == sorted(Path(rel).name for rel in GENERATED_FILES)
    assert counts["omraden.geojson"] == 11
    assert counts["platser.geojson"] >= 10
    assert 3 <= counts["grannsamverkan.geojson"] <= 4
    assert counts["polisen_export.csv"] >= 22_000
    assert counts["felanmalan_kommunen.csv"] >= 5_000
    assert counts["bostadsbolaget.csv"] >= 1_500
    assert counts["trygghetsvandringar.csv"] == 3
    assert 36 <= counts["trygghetsvandring_observationer.geojson"] <= 60
    sample_bytes = sum(p.stat().st_size for p in (tmp_path / "sample_incidents").iterdir())
    assert sample_bytes < 5_000_000


def test_generator_does_not_import_streamlit() -> None:
    code = ("import sys, workbench.demo.generate; "
            "sys.exit(1 if any(m.startswith('streamlit') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT).returncode == 0


# ----------------------------------------------------------------------------- layers


def test_districts_tile_the_town(out: Path, districts: dict[str, tuple[str, BaseGeometry]],
                                 outline: BaseGeometry) -> None:
    raw = json.loads((out / "layers/omraden.geojson").read_text(encoding="utf-8"))
    assert raw["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}
    props = [f["properties"] for f in raw["features"]]
    assert [p["kod"] for p in props] == [f"BOR{i:02d}" for i in range(1, 12)]
    assert all(p["ungefarlig"] is True and isinstance(p["befolkning"], int) for p in props)
    assert props[0]["namn"] == "Centrum" and props[0]["befolkning"] == 8000
    for f in raw["features"]:
        ring = f["geometry"]["coordinates"][0]
        assert all(isinstance(v, int) for pt in ring for v in pt)
    polys = [poly for _, poly in districts.values()]
    assert all(p.is_valid and p.geom_type == "Polygon" for p in polys)
    assert outline.geom_type == "Polygon" and not list(outline.interiors)
    assert sum(p.area for p in polys) == pytest.approx(outline.area, abs=1.0)  # no overlaps
    assert 25e6 < outline.area < 60e6
    assert districts["Hässleholmen"][1].contains(Point(379022, 6401245))
    assert districts["Centrum"][1].contains(Point(377301, 6399514))


def test_places_lie_in_their_districts(out: Path,
                                       districts: dict[str, tuple[str, BaseGeometry]]) -> None:
    raw = json.loads((out / "layers/platser.geojson").read_text(encoding="utf-8"))
    assert raw["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3006"
    places = {f["properties"]["namn"]: f for f in raw["features"]}
    for name in ("Resecentrum", "Stora torget", "Hässleholmens centrum", "Hässleholmens skolgård",
                 "Gångtunneln vid Norrby", "Stadsparken", "Sjöbo torg", "Hulta torg",
                 "Norrby skolgård"):
        assert name in places
    assert places["Resecentrum"]["geometry"]["coordinates"] == [376881, 6399438]
    assert places["Resecentrum"]["properties"]["radie_m"] == 120
    allowed = {"torg", "busstation", "park", "skolgård", "gångtunnel", "köpcentrum"}
    for name, f in places.items():
        p = f["properties"]
        assert p["typ"] in allowed
        geom = shape(f["geometry"])
        if geom.geom_type == "Point":
            assert isinstance(p["radie_m"], (int, float)) and p["radie_m"] > 0
        else:
            assert p["radie_m"] is None
        assert districts[p["omrade"]][1].contains(geom), name
    torg = shape(places["Stora torget"]["geometry"])
    assert 3_000 < torg.area < 6_500


def test_neighbourhood_watch_areas(out: Path, outline: BaseGeometry) -> None:
    raw = json.loads((out / "layers/grannsamverkan.geojson").read_text(encoding="utf-8"))
    assert raw["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3006"
    assert 3 <= len(raw["features"]) <= 4
    for f in raw["features"]:
        assert set(f["properties"]) == {"namn", "kod"}
        geom = shape(f["geometry"])
        assert outline.contains(geom) and geom.area < 300_000


# ----------------------------------------------------------------------------- police export


def test_police_file_format(out: Path, police: pd.DataFrame) -> None:
    data = (out / "sample_incidents/polisen_export.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") == len(police) + 1
    assert data[3:].decode("utf-8").split("\r\n", 1)[0] == POLICE_HEADER
    assert set(police["Brottstyp"]) == POLICE_TYPES
    assert police["Händelsenummer"].is_unique
    parts = police["Händelsenummer"].str.extract(r"^5000-K(\d{6})-(\d{2})$")
    assert parts.notna().all().all()
    assert (parts[1] == police["Från datum"].str[2:4]).all()
    assert police["from"].min() >= pd.Timestamp("2024-11-01")
    assert police["from"].max() <= pd.Timestamp("2026-10-31 23:59")
    assert police["Från tid"].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d").all()
    has_till = police["Till datum"] != ""
    assert ((police["Till tid"] != "") == has_till).all()
    till = pd.to_datetime(police.loc[has_till, "Till datum"] + " " + police.loc[has_till,
                          "Till tid"], format="%Y-%m-%d %H:%M")
    assert (till > police.loc[has_till, "from"]).all()
    assert (till - police.loc[has_till, "from"]).max() <= pd.Timedelta(hours=49)


def test_police_coordinates_and_area_codes(police: pd.DataFrame, outline: BaseGeometry) -> None:
    domestic = police["Brottstyp"] == "Misshandel, närstående"
    no_point = police["X"] == ""
    assert ((police["Y"] == "") == no_point).all()
    assert no_point[domestic].all()
    assert police.loc[no_point, "Områdeskod"].str.fullmatch(r"BOR(0[1-9]|1[01])").all()
    assert (police.loc[~no_point, "Områdeskod"] == "").all()
    share = no_point[~domestic].mean()
    assert 0.02 < share < 0.045
    rows, east, north = _police_points(police)
    assert (north % 10 == 0).all() and (east % 10 == 0).all()
    assert north.min() > 6_390_000 and north.max() < 6_410_000  # X is the northing
    assert east.min() > 370_000 and east.max() < 386_000  # Y is the easting
    assert shapely.contains_xy(outline, east, north).all()


def test_police_fake_personal_data_is_planted_exactly_once(police: pd.DataFrame) -> None:
    text = police["Fritext"]
    for needle in FAKE_PERSONAL_DATA:
        assert text.str.contains(needle, regex=False).sum() == 1, needle
    assert _luhn_ok("8112189876")
    planted = text.str.contains("|".join(re.escape(s) for s in FAKE_PERSONAL_DATA))
    assert not text[~planted].str.contains(r"\d|@", regex=True).any()
    assert (text == "").mean() > 0.7
    assert (text[police["Brottstyp"] == "Misshandel, närstående"] == "").all()


def test_police_clusters_around_resecentrum(police: pd.DataFrame, outline: BaseGeometry) -> None:
    rows, east, north = _police_points(police)
    near = np.hypot(east - 376881, north - 6399438) <= 150
    uniform_share = np.pi * 150**2 / outline.area
    assert near.mean() > 10 * uniform_share


def test_police_schoolyard_cluster_is_evening_vandalism(police: pd.DataFrame,
                                                        out: Path) -> None:
    places = {f["properties"]["namn"]: shape(f["geometry"])
              for f in _features(out / "layers/platser.geojson")}
    yard = places["Hässleholmens skolgård"].buffer(60)
    rows, east, north = _police_points(police)
    at_yard = rows[shapely.contains_xy(yard, east, north)]
    assert len(at_yard) > 200
    vandal = {"Skadegörelse", "Skadegörelse genom klotter", "Ordningsstörning"}
    assert at_yard["Brottstyp"].isin(vandal).mean() > 0.6
    assert at_yard["from"].dt.hour.between(17, 23).mean() > 0.5


def test_police_violence_peaks_on_weekend_nights(police: pd.DataFrame) -> None:
    night_types = police[police["Brottstyp"].isin({"Misshandel, utomhus", "Ordningsstörning"})]
    hour = night_types["from"].dt.hour
    assert ((hour >= 20) | (hour <= 3)).mean() > 0.55
    # Attribute hours 0–3 to the evening before; a "night" starts on that weekday.
    night_start = (night_types["from"] - pd.Timedelta(hours=4)).dt.day_of_week
    in_night = (hour >= 20) | (hour <= 3)
    per_night = night_start[in_night].value_counts()
    weekend = (per_night.get(4, 0) + per_night.get(5, 0)) / 2  # Fri and Sat nights
    weekday = sum(per_night.get(d, 0) for d in range(4)) / 4  # Mon–Thu nights
    assert weekend > 1.8 * weekday


def test_police_shoplifting_is_daytime(police: pd.DataFrame) -> None:
    hours = police.loc[police["Brottstyp"] == "Butiksstöld/snatteri", "from"].dt.hour
    assert hours.between(9, 19).mean() > 0.75


def test_police_critical_dates_spike(police: pd.DataFrame) -> None:
    per_day = police["from"].dt.strftime("%Y-%m-%d").value_counts()
    median = per_day.median()
    for day in ("2025-04-30", "2026-04-30", "2024-12-31", "2025-01-01", "2025-12-31",
                "2026-01-01"):
        assert per_day[day] > 1.5 * median, day  # valborg, nyårsafton and the night after
    for day in ("2025-06-12", "2026-06-11", "2025-06-20", "2026-06-19", "2025-10-31",
                "2026-10-31"):
        assert per_day[day] > median, day  # skolavslutning, midsommarafton, halloween
    valborg = police[police["from"].dt.strftime("%Y-%m-%d") == "2025-04-30"]
    assert (valborg["from"].dt.hour >= 18).mean() > 0.5


def test_police_seasonality_and_spans(police: pd.DataFrame) -> None:
    bikes = police.loc[police["Brottstyp"] == "Cykelstöld", "from"].dt.month
    assert bikes.isin([6, 7, 8]).sum() > 2.5 * bikes.isin([12, 1, 2]).sum()
    has_till = police["Till datum"] != ""
    by_type = has_till.groupby(police["Brottstyp"]).mean()
    assert by_type["Inbrott i bostad"] > 0.6
    assert by_type["Stöld ur/från motorfordon"] > 0.6
    assert by_type["Misshandel, utomhus"] < 0.1


def test_police_centrum_has_most_incidents(police: pd.DataFrame,
                                           districts: dict[str, tuple[str, BaseGeometry]]) -> None:
    rows, east, north = _police_points(police)
    counts = {name: int(shapely.contains_xy(poly, east, north).sum())
              for name, (_, poly) in districts.items()}
    assert max(counts, key=lambda k: counts[k]) == "Centrum"
    assert min(counts.values()) > 300  # the rest is spread over every district


# ----------------------------------------------------------------------------- fault reports


def _fault_points(faults: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lat = faults["Latitud"].str.replace(",", ".").astype(float).to_numpy()
    lon = faults["Longitud"].str.replace(",", ".").astype(float).to_numpy()
    x, y = TO_3006.transform(lon, lat)
    return np.asarray(x), np.asarray(y)


def test_fault_report_file_format(out: Path, faults: pd.DataFrame,
                                  outline: BaseGeometry) -> None:
    data = (out / "sample_incidents/felanmalan_kommunen.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.decode("utf-8").split("\n", 1)[0] == FAULT_HEADER
    assert faults["Ärendenr"].is_unique
    assert faults["Ärendenr"].str.fullmatch(r"FA-20(24|25|26)-\d{6}").all()
    assert (faults["Ärendenr"].str[3:7] == faults["Registrerad"].str[:4]).all()
    assert set(faults["Kategori"]) == {"Klotter", "Skadegörelse", "Trasig belysning",
                                       "Nedskräpning", "Vegetation/skymd sikt"}
    assert set(faults["Status"]) == {"Mottagen", "Pågående", "Åtgärdad"}
    stamp = r"20\d\d-[01]\d-[0-3]\d ([01]\d|2[0-3])\.[0-5]\d"
    assert faults["Registrerad"].str.fullmatch(stamp).all()
    done = faults["Status"] == "Åtgärdad"
    assert faults.loc[done, "Åtgärdad"].str.fullmatch(stamp).all()
    assert (faults.loc[~done, "Åtgärdad"] == "").all()
    assert faults["Latitud"].str.fullmatch(r"57,\d{5}").all()
    assert faults["Longitud"].str.fullmatch(r"1[23],\d{5}").all()
    reg = pd.to_datetime(faults["Registrerad"], format="%Y-%m-%d %H.%M")
    fixed = pd.to_datetime(faults.loc[done, "Åtgärdad"], format="%Y-%m-%d %H.%M")
    assert (fixed > reg[done]).all()
    assert reg.min() >= pd.Timestamp("2024-11-01")
    assert fixed.max() <= pd.Timestamp("2026-10-31 23:59")
    x, y = _fault_points(faults)
    assert shapely.contains_xy(outline, x, y).all()


def test_klotter_is_removed_fast_and_lamps_slowly(faults: pd.DataFrame) -> None:
    done = faults[faults["Status"] == "Åtgärdad"]
    hours = (pd.to_datetime(done["Åtgärdad"], format="%Y-%m-%d %H.%M")
             - pd.to_datetime(done["Registrerad"], format="%Y-%m-%d %H.%M")).dt.total_seconds() / 3600
    assert (hours[done["Kategori"] == "Klotter"] <= 48).mean() > 0.7
    assert (hours[done["Kategori"] == "Klotter"] > 48).any()
    assert hours[done["Kategori"] == "Trasig belysning"].median() > 48


def test_klotter_returns_to_the_same_walls(faults: pd.DataFrame) -> None:
    klotter = faults[faults["Kategori"] == "Klotter"].reset_index(drop=True)
    x, y = _fault_points(klotter)
    reg = pd.to_datetime(klotter["Registrerad"], format="%Y-%m-%d %H.%M").to_numpy()
    fixed = pd.to_datetime(klotter["Åtgärdad"].replace("", None),
                           format="%Y-%m-%d %H.%M").to_numpy()
    tree = cKDTree(np.column_stack([x, y]))
    taken = np.zeros(len(klotter), dtype=bool)
    spots_with_returns = 0
    for i, near in enumerate(tree.query_ball_point(np.column_stack([x, y]), r=4.0)):
        if taken[i] or len(near) < 6:
            continue
        taken[near] = True
        order = np.array(sorted(near, key=lambda k: reg[k]))
        # A return: a new report after the previous report at the spot was removed.
        returns = sum(
            1 for a, b in zip(order[:-1], order[1:], strict=True)
            if not pd.isna(fixed[a]) and reg[b] > fixed[a]
        )
        if returns >= 3:
            spots_with_returns += 1
    assert spots_with_returns >= 30


# ----------------------------------------------------------------------------- housing company


def test_housing_file_format(out: Path, housing: pd.DataFrame,
                             districts: dict[str, tuple[str, BaseGeometry]]) -> None:
    data = (out / "sample_incidents/bostadsbolaget.csv").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") == len(housing) + 1
    assert data.decode("cp1252").split("\r\n", 1)[0] == HOUSING_HEADER
    assert "Hässleholmen".encode("cp1252") in data  # not UTF-8
    assert housing["Ärende-ID"].is_unique
    assert set(housing["Typ"]) == {"Skadegörelse", "Klotter", "Belysning ur funktion",
                                   "Nedskräpning/grovsopor", "Inbrott förråd"}
    day = r"([1-9]|[12]\d|3[01])/([1-9]|1[0-2]) 20(24|25|26)"
    assert housing["Anmäld"].str.fullmatch(day).all()
    has_klar = housing["Klar"] != ""
    assert housing.loc[has_klar, "Klar"].str.fullmatch(day).all()
    assert 0.02 < (~has_klar).mean() < 0.3
    anmald = pd.to_datetime(housing["Anmäld"], format="%d/%m %Y")
    klar = pd.to_datetime(housing.loc[has_klar, "Klar"], format="%d/%m %Y")
    assert (klar >= anmald[has_klar]).all()
    assert housing["Fastighet"].str.fullmatch(r"(Hässleholmen|Hulta|Sjöbo|Norrby) \d:\d{1,2}").all()
    assert housing["N"].str.fullmatch(r"64\d{5},\d").all()
    assert housing["E"].str.fullmatch(r"3\d{5},\d").all()
    east = housing["E"].str.replace(",", ".").astype(float).to_numpy()
    north = housing["N"].str.replace(",", ".").astype(float).to_numpy()
    focus = shapely.union_all([districts[n][1] for n in ("Hässleholmen", "Hulta", "Sjöbo",
                                                          "Norrby")])
    assert shapely.contains_xy(focus, east, north).all()
    in_hass = shapely.contains_xy(districts["Hässleholmen"][1], east, north).mean()
    assert in_hass > 0.3


# ----------------------------------------------------------------------------- walks


def test_walks_file(out: Path) -> None:
    text = (out / "sample_incidents/trygghetsvandringar.csv").read_bytes().decode("utf-8")
    assert not text.startswith("\ufeff") and "\r" not in text
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == WALK_HEADER
    rows = [line.split(";") for line in lines[1:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("TV-2025-04-HASS", "2025-04-08", "Hässleholmen"),
        ("TV-2025-10-NORRBY", "2025-10-14", "Norrby"),
        ("TV-2026-03-CENTRUM", "2026-03-17", "Centrum"),
    ]
    roles = re.compile(r"(Kommunen|Polisen|Bostadsbolaget|Boende|Fritidsgården|"
                       r"Fastighetsägare i centrum|Citysamverkan)( \([a-zåäö ]+\)| \(\d+\))?")
    for row in rows:
        for participant in row[3].split(", "):
            assert roles.fullmatch(participant), participant


def test_walk_observations(out: Path, districts: dict[str, tuple[str, BaseGeometry]]) -> None:
    raw = json.loads(
        (out / "sample_incidents/trygghetsvandring_observationer.geojson").read_text("utf-8"))
    assert "crs" not in raw
    walk_district = {"TV-2025-04-HASS": "Hässleholmen", "TV-2025-10-NORRBY": "Norrby",
                     "TV-2026-03-CENTRUM": "Centrum"}
    ids = [f["properties"]["id"] for f in raw["features"]]
    assert len(ids) == len(set(ids))
    per_walk: dict[str, int] = {}
    for f in raw["features"]:
        p = f["properties"]
        assert list(p) == ["vandring", "id", "kategori", "kommentar", "prioritet", "foto",
                           "status"]
        per_walk[p["vandring"]] = per_walk.get(p["vandring"], 0) + 1
        assert re.fullmatch(re.escape(p["vandring"]) + r"-\d{2}", p["id"])
        assert p["kategori"] in {"belysning", "skymd sikt/vegetation", "nedskräpning", "klotter",
                                 "otrygg passage", "trafik", "annat"}
        assert p["prioritet"] in (1, 2, 3)
        assert p["foto"] is None or re.fullmatch(r"IMG_\d{4}\.jpg", p["foto"])
        assert p["status"] in {"ny", "åtgärdad", "pågår"}
        assert p["kommentar"] and not re.search(r"\d", p["kommentar"])
        lon, lat = f["geometry"]["coordinates"]
        assert 12.8 < lon < 13.1 and 57.6 < lat < 57.8  # RFC 7946 order: lon, lat
        x, y = TO_3006.transform(lon, lat)
        assert districts[walk_district[p["vandring"]]][1].contains(Point(x, y)), p["id"]
    assert set(per_walk) == set(walk_district)
    assert all(12 <= n <= 20 for n in per_walk.values())
