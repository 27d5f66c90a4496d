"""Geometries outside Sweden, broken polygons, odd radii and populations in map layers, and the
grid cap (issue 15, items 5 and 12): each odd feature is a problem naming its number, the rest
imports, and no grid can grow past WORKBENCH_MAX_GRID_CELLS."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely import box

from tests.builders import ORG, make_org
from tests.conftest import shared_file
from workbench.cli import main
from workbench.errors import ImportValidationError
from workbench.filters import EventFilter
from workbench.geo import crs
from workbench.geo.grid import GridTooLargeError, grid_over
from workbench.io.importers import locate
from workbench.io.layers import read_named_layer
from workbench.services import emerging, imports, meetings, places
from workbench.services import hotspots as hs
from workbench.situation import Period
from workbench.store import repositories as repo
from workbench.store.db import open_store

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"


def _square(lon: float, lat: float, size: float = 0.01) -> list:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def _geojson(features: list[tuple[dict, dict | None]]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features
    ]}).encode()


def _polygon(coordinates) -> dict:
    return {"type": "Polygon", "coordinates": coordinates}


# Hulta (Borås), a small square at Paris, Hulta again with latitude and longitude swapped.
HULTA = _square(12.93, 57.72)
PARIS = _square(2.35, 48.85)
SWAPPED = [[[lat, lon] for lon, lat in HULTA[0]]]


def test_an_area_at_paris_and_a_swapped_one_are_refused_per_feature(sqlite_url):
    store = open_store(sqlite_url)
    data = _geojson([({"namn": "Hulta"}, _polygon(HULTA)), ({"namn": "Paris"}, _polygon(PARIS)),
                     ({"namn": "Bytt"}, _polygon(SWAPPED))])
    report = imports.import_layer(store, "areas", data, "stadsdelar.geojson", ORG)
    assert (report.imported, report.rejected) == (1, 2)
    problems = {p.row: p.message for p in report.problems}
    assert "utanför Sverige" in problems[2] and "koordinatsystem" in problems[2]
    assert "latitud och longitud" in problems[3] and "bytt plats" in problems[3]
    areas = repo.load_areas(store.engine, [repo.find_organisation(store.engine, ORG)])
    assert list(areas["name"]) == ["Hulta"]
    boundary = repo.organisation_boundary(store.engine, repo.find_organisation(store.engine, ORG))
    assert crs.in_sweden_3006(*boundary.bounds)  # the boundary did not grow to France


def test_a_geopackage_in_sweref_with_a_feature_far_away(tmp_path, sqlite_url):
    frame = gpd.GeoDataFrame({"namn": ["Norrby", "Långt bort", "N och E omkastade"]},
                             geometry=[box(376000, 6400000, 377000, 6401000),
                                       box(-420000, 5420000, -419000, 5421000),
                                       box(6400000, 376000, 6401000, 377000)], crs="EPSG:3006")
    path = tmp_path / "omraden.gpkg"
    frame.to_file(path, driver="GPKG")
    layer = read_named_layer(path.read_bytes(), "omraden.gpkg")
    assert list(layer["name"]) == ["Norrby"]
    problems = layer.attrs["problems"]
    assert [(p.row, "utanför Sverige" in p.message) for p in problems] == [(2, True), (3, True)]
    assert "nordlig och östlig koordinat" in problems[1].message
    with pytest.raises(ImportValidationError, match="inget objekt"):
        read_named_layer(_geojson([({"namn": "Paris"}, _polygon(PARIS))]), "paris.geojson")


def test_sweden_extent_is_defined_once():
    assert locate.inside_sweden is crs.inside_sweden
    spelled = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "crs.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"7_?[67]00_?000|6_?1[02]0_?000|\b69\.1\b|\(11\.0, 55\.3", text):
            spelled.append(str(path.relative_to(PACKAGE)))
    assert spelled == []
    # a point near the western edge: the point rows and the plan files agree about it now
    assert crs.inside_sweden([230_000.0], [6_500_000.0])[0]
    assert crs.in_sweden_3006(230_000.0, 6_500_000.0, 231_000.0, 6_501_000.0)
    # and it holds the whole country: all 290 kommuner (Koster to Haparanda, Smygehuk to
    # Treriksröset, Gotland) and the city districts in their local SWEREF zones, none refused
    for name in ("kommuner_lan/okfse_swedish_municipalities.geojson",
                 "city_districts_goteborg_malmo_stockholm/goteborg_basomraden_epsg3007.geojson",
                 "city_districts_goteborg_malmo_stockholm/stockholm_basomraden_epsg3011.geojson"):
        path = shared_file("sweden_geography", *name.split("/"))
        layer = read_named_layer(path.read_bytes(), path.name)
        assert (layer.attrs["problems"], layer.attrs["rejected"]) == ([], 0), name
    assert len(layer) == 419


def test_a_bow_tie_is_repaired_and_said_and_a_flat_polygon_is_refused():
    bow_tie = [[[12.90, 57.70], [12.91, 57.71], [12.91, 57.70], [12.90, 57.71], [12.90, 57.70]]]
    flat = [[[12.90, 57.70], [12.91, 57.70], [12.92, 57.70], [12.91, 57.70], [12.90, 57.70]]]
    layer = read_named_layer(_geojson([({"namn": "Fluga"}, _polygon(bow_tie)),
                                       ({"namn": "Platt"}, _polygon(flat)),
                                       ({"namn": "Hulta"}, _polygon(HULTA))]), "omraden.geojson")
    assert list(layer["name"]) == ["Fluga", "Hulta"]
    assert layer.geometry.is_valid.all() and layer.geometry.area.gt(0).all()
    problems = {p.row: p.message for p in layer.attrs["problems"]}
    assert "lagades" in problems[1]
    assert "utan yta" in problems[2] and "importeras inte" in problems[2]
    assert layer.attrs["rejected"] == 1


def test_place_radius_out_of_bounds_is_refused_from_a_file_and_the_cli(tmp_path, sqlite_url, capsys):
    point = {"type": "Point", "coordinates": [12.94, 57.72]}
    data = _geojson([({"namn": "Torget", "radie": -50}, point), ({"namn": "Parken", "radie": 1e308}, point),
                     ({"namn": "Skolan", "radie": 80}, point), ({"namn": "Busstorget", "radie": None}, point)])
    path = tmp_path / "platser.geojson"
    path.write_bytes(data)
    code = main(["import", "places", str(path), "--db", sqlite_url, "--organisation", ORG, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["imported"] == 2 and result["rejected"] == 2
    messages = {p["row"]: p["message"] for p in result["problems"]}
    assert "5–5\u202f000 meter" in messages[1] and "-50" in messages[1]
    assert "1e+308" in messages[2]
    store = open_store(sqlite_url)
    stored = repo.load_places(store.engine, [repo.find_organisation(store.engine, ORG)])
    assert sorted(stored["name"]) == ["Busstorget", "Skolan"]
    assert stored.set_index("name").loc["Skolan", "radius_m"] == 80.0
    with pytest.raises(Exception, match="utanför Sverige"):  # drawn in the app, far away
        places.create_place(store, repo.find_organisation(store.engine, ORG), "Eiffeltornet", "annat",
                            50.0, 2.29, 48.86, actor="test")
    with pytest.raises(Exception, match="utanför Sverige"):  # or drawn as a polygon
        places.create_polygon_place(store, repo.find_organisation(store.engine, ORG), "Seinekajen", "annat",
                                    _polygon(_square(2.35, 48.85)), actor="test")


def test_population_1e30_imports_the_area_without_population(sqlite_url):
    store = open_store(sqlite_url)
    data = _geojson([({"namn": "Hulta", "befolkning": 1e30}, _polygon(HULTA)),
                     ({"namn": "Norrby", "befolkning": "4 512"}, _polygon(_square(12.96, 57.73))),
                     ({"namn": "Sjöbo", "befolkning": -3}, _polygon(_square(12.99, 57.74)))])
    report = imports.import_layer(store, "areas", data, "omraden.geojson", ORG)
    assert report.imported == 3
    assert [(p.row, p.column) for p in report.problems] == [(1, "befolkning"), (3, "befolkning")]
    areas = repo.load_areas(store.engine, [repo.find_organisation(store.engine, ORG)]).set_index("name")
    assert areas.loc["Norrby", "population"] == 4512
    assert areas["population"].isna().sum() == 2


def test_walk_points_outside_sweden_or_nan_are_problems_and_the_rest_imports(sqlite_url):
    store = open_store(sqlite_url)
    features = [({"kategori": "Belysning", "datum": "2026-09-01"}, {"type": "Point", "coordinates": [12.94, 57.72]}),
                ({"kategori": "Klotter", "datum": "2026-09-01"}, {"type": "Point", "coordinates": [float("nan"), 57.72]}),
                ({"kategori": "Skräp", "datum": "2026-09-01"}, {"type": "Point", "coordinates": [2.35, 48.85]}),
                ({"kategori": "Buskage", "datum": "2026-09-01"}, None)]
    report = imports.import_walks(store, _geojson(features), "vandring.geojson", ORG)
    assert (report.imported, report.rejected) == (1, 3)
    messages = {p.row: p.message for p in report.problems}
    assert "ogiltiga koordinater" in messages[2]
    assert "utanför Sverige" in messages[3]
    assert "saknar geometri" in messages[4]


def test_grid_larger_than_the_cap_is_refused_before_it_is_built():
    with pytest.raises(GridTooLargeError, match="WORKBENCH_MAX_GRID_CELLS") as error:
        grid_over((-426968, 1923425, 5574170, 6401000), 100, max_cells=1_000_000)
    assert re.search(r"\b2\u202f687\u202f\d{3}\u202f\d{3} rutor", str(error.value))  # 60 012 × 44 777
    assert isinstance(error.value, ValueError)
    assert grid_over((376000, 6399000, 377000, 6401000), 100, max_cells=1_000).n_cells == 11 * 21


def _legacy_boundary(store, far: shapely.Polygon) -> None:
    """A database from before the check: the boundary reaches ``far``."""
    with store.transaction() as conn:
        grown = shapely.union(box(376000, 6399000, 377000, 6401000), far)
        repo.ensure_organisation(conn, ORG, boundary_wkb=grown.wkb)


def test_a_legacy_boundary_reaching_paris_is_cut_to_sweden(sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    _legacy_boundary(store, box(-426968, 5420000, -420000, 5430000))
    org = repo.find_organisation(store.engine, ORG)
    events = hs.load_events(store, [org])
    extent = hs.study_extent(store, org, events)
    assert extent == (376000.0, 6399000.0, 377000.0, 6401000.0)
    assert hs.run(events, extent, EventFilter(None, None), 250).result.grid.n_cells == 5 * 9


def test_a_grid_over_the_cap_is_refused_by_the_service_and_the_cli(sqlite_url, capsys, monkeypatch):
    store = open_store(sqlite_url)
    make_org(store)
    _legacy_boundary(store, box(900000, 7300000, 901000, 7301000))  # Borås and Haparanda
    org = repo.find_organisation(store.engine, ORG)
    events = hs.load_events(store, [org])
    extent = hs.study_extent(store, org, events)
    with pytest.raises(GridTooLargeError):
        hs.run(events, extent, EventFilter(None, None), 250)
    with pytest.raises(GridTooLargeError):  # hot-spots över tid: the same cap, before the cube
        emerging.run(events, extent, EventFilter(None, None), 250, "month")
    october = Period(date(2026, 10, 1), date(2026, 11, 1))
    assert meetings.hot_cells(events, store, org, october, 250) == []  # the meeting still opens
    monkeypatch.delenv("WORKBENCH_DEBUG", raising=False)
    code = main(["hotspots", "--db", sqlite_url, "--organisation", ORG, "--format", "csv"])
    err = capsys.readouterr().err
    assert code == 2
    assert "WORKBENCH_MAX_GRID_CELLS" in err and "Traceback" not in err and "MemoryError" not in err
