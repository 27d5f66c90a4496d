"""read_plan_file: the plan area a planner uploads → raw geometries in EPSG:3006 (nothing repaired)."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import CRS, Transformer

from workbench.errors import ImportValidationError
from workbench.geo.crs import SWEREF99_LOCAL
from workbench.io import plan_file
from workbench.io.plan_file import CRS_CHOICES, PlanFile, read_plan_file

# A block in central Borås: WGS 84 and the same corner in SWEREF 99 TM / SWEREF 99 13 30.
LON, LAT = 12.94, 57.72
TM = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
TM_TO_1330 = Transformer.from_crs("EPSG:3006", "EPSG:3008", always_xy=True)
E0, N0 = (round(v) for v in TM.transform(LON, LAT))


def _square(x: float, y: float, size: float) -> list[tuple[float, float]]:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size)]


def _geojson(coords: list[tuple[float, float]], crs: str | None = None) -> bytes:
    ring = [list(c) for c in [*coords, coords[0]]]
    collection: dict = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"namn": "Centrum"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(collection).encode()


def _dxf_r12(coords: list[tuple[float, float]], layer: str = "PLANGRÄNS") -> bytes:
    """A minimal AutoCAD R12 drawing: a closed POLYLINE on ``layer``, a TEXT and a LINE on '0'."""
    x0, y0 = coords[0]
    codes = ["0", "SECTION", "2", "HEADER", "9", "$ACADVER", "1", "AC1009",
             "9", "$DWGCODEPAGE", "3", "ANSI_1252", "0", "ENDSEC",
             "0", "SECTION", "2", "TABLES", "0", "TABLE", "2", "LAYER", "70", "2",
             "0", "LAYER", "2", "0", "70", "0", "62", "7", "6", "CONTINUOUS",
             "0", "LAYER", "2", layer, "70", "0", "62", "1", "6", "CONTINUOUS",
             "0", "ENDTAB", "0", "ENDSEC",
             "0", "SECTION", "2", "ENTITIES",
             "0", "POLYLINE", "8", layer, "66", "1", "70", "1", "10", "0.0", "20", "0.0", "30", "0.0"]
    for x, y in coords:
        codes += ["0", "VERTEX", "8", layer, "10", f"{x:.3f}", "20", f"{y:.3f}", "30", "0.0"]
    codes += ["0", "SEQEND", "8", layer,
              "0", "TEXT", "8", layer, "10", f"{x0 + 10:.3f}", "20", f"{y0 + 10:.3f}", "30", "0.0",
              "40", "2.5", "1", "Detaljplan för kv. Bryggaren",
              "0", "LINE", "8", "0", "10", f"{x0 - 50:.3f}", "20", f"{y0 - 50:.3f}", "30", "0.0",
              "11", f"{x0 - 20:.3f}", "21", f"{y0 - 50:.3f}", "31", "0.0",
              "0", "ENDSEC", "0", "EOF"]
    return ("\r\n".join(codes) + "\r\n").encode("cp1252")


def _dxf_r2000(coords: list[tuple[float, float]], layer: str = "DP_Plangräns") -> bytes:
    """A minimal R2000 drawing: a closed LWPOLYLINE on ``layer``, a HATCH-free TEXT and a LINE."""
    x0, y0 = coords[0]
    codes = ["0", "SECTION", "2", "HEADER", "9", "$ACADVER", "1", "AC1015",
             "9", "$DWGCODEPAGE", "3", "ANSI_1252", "0", "ENDSEC",
             "0", "SECTION", "2", "ENTITIES",
             "0", "LWPOLYLINE", "5", "2A", "100", "AcDbEntity", "8", layer, "100", "AcDbPolyline",
             "90", str(len(coords)), "70", "1"]
    for x, y in coords:
        codes += ["10", f"{x:.3f}", "20", f"{y:.3f}"]
    codes += ["0", "TEXT", "5", "2B", "100", "AcDbEntity", "8", "0", "100", "AcDbText",
              "10", f"{x0:.3f}", "20", f"{y0:.3f}", "30", "0.0", "40", "2.5", "1", "Plankarta",
              "100", "AcDbText",
              "0", "LINE", "5", "2C", "100", "AcDbEntity", "8", "0", "100", "AcDbLine",
              "10", f"{x0 - 50:.3f}", "20", f"{y0 - 50:.3f}", "30", "0.0",
              "11", f"{x0 - 20:.3f}", "21", f"{y0 - 50:.3f}", "31", "0.0",
              "0", "ENDSEC", "0", "EOF"]
    return ("\r\n".join(codes) + "\r\n").encode("cp1252")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _shapefile_parts(tmp_path: Path, name: str, geometries, crs: str | None) -> dict[str, bytes]:
    folder = tmp_path / name
    folder.mkdir()
    with warnings.catch_warnings():  # "'crs' was not provided": the point of a file without .prj
        warnings.simplefilter("ignore", UserWarning)
        gpd.GeoDataFrame({"id": range(len(geometries))}, geometry=geometries, crs=crs).to_file(
            folder / f"{name}.shp")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _error(data: bytes, file_name: str, **kwargs) -> str:
    with pytest.raises(ImportValidationError) as info:
        read_plan_file(data, file_name, **kwargs)
    message = str(info.value)
    assert file_name in message
    return message


# --- GeoJSON ------------------------------------------------------------------------------------


def test_geojson_in_wgs84_near_boras():
    result = read_plan_file(_geojson(_square(LON, LAT, 0.005)), "plan.geojson")
    assert isinstance(result, PlanFile)
    assert result.source_crs == "EPSG:4326"
    assert result.layer is None and result.notes == ()
    (polygon,) = result.geometries
    assert polygon.geom_type == "Polygon"
    assert polygon.exterior.coords[0] == pytest.approx(TM.transform(LON, LAT))  # metres


def test_geojson_with_legacy_crs_member_in_sweref99tm():
    data = _geojson(_square(E0, N0, 300), crs="urn:ogc:def:crs:EPSG::3006")
    result = read_plan_file(data, "plan.json", crs="EPSG:3008")  # the file's own CRS wins
    assert result.source_crs == "EPSG:3006"
    assert result.geometries[0].bounds == pytest.approx((E0, N0, E0 + 300, N0 + 300))
    assert any("SWEREF 99 TM" in n and "SWEREF 99 13 30" in n for n in result.notes)


def test_geojson_with_metres_and_no_crs_member_is_guessed_as_sweref99tm():
    result = read_plan_file(_geojson(_square(E0, N0, 300)), "plan.geojson")
    assert result.source_crs == "EPSG:3006"
    assert result.notes == ("Filen angav inget koordinatsystem; SWEREF 99 TM antogs utifrån "
                            "koordinaterna.",)


def test_bow_tie_polygon_comes_back_unrepaired():
    bow_tie = [(E0, N0), (E0 + 200, N0 + 200), (E0 + 200, N0), (E0, N0 + 200)]
    result = read_plan_file(_geojson(bow_tie, crs="EPSG:3006"), "rosett.geojson")
    (polygon,) = result.geometries
    assert polygon.geom_type == "Polygon" and not polygon.is_valid


def test_points_are_kept_for_the_domain_to_judge():
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "Point", "coordinates": [LON, LAT]}}]}).encode()
    assert read_plan_file(data, "punkt.geojson").geometries[0].geom_type == "Point"


def test_area_in_africa_is_outside_sweden():
    message = _error(_geojson(_square(18.42, -33.92, 0.01)), "kapstaden.geojson")
    assert "utanför Sverige" in message and "WGS 84" in message


# --- GeoPackage ---------------------------------------------------------------------------------


def test_geopackage_prefers_the_plan_boundary_layer(tmp_path):
    path = tmp_path / "detaljplan.gpkg"
    for layer, size in (("fastigheter", 50), ("plangrans", 400), ("anvandningsgrans", 100)):
        gpd.GeoDataFrame(geometry=[shapely.box(E0, N0, E0 + size, N0 + size)],
                         crs="EPSG:3006").to_file(path, layer=layer)
    result = read_plan_file(path.read_bytes(), "detaljplan.gpkg")
    assert result.layer == "plangrans"
    assert result.notes == ("Lagret 'plangrans' användes (filen har 3 lager).",)
    assert result.geometries[0].bounds == pytest.approx((E0, N0, E0 + 400, N0 + 400))


def test_geopackage_without_a_plan_name_uses_the_first_polygon_or_line_layer(tmp_path):
    path = tmp_path / "ritning.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(E0, N0)], crs="EPSG:3006").to_file(path, layer="text")
    gpd.GeoDataFrame(geometry=[shapely.LineString(_square(E0, N0, 100) + [(E0, N0)])],
                     crs="EPSG:3006").to_file(path, layer="Gräns område")
    result = read_plan_file(path.read_bytes(), "ritning.gpkg")
    assert result.layer == "Gräns område"
    assert result.geometries[0].geom_type == "LineString"


# --- zipped Shapefile ---------------------------------------------------------------------------


def test_zipped_shapefile_with_prj(tmp_path):
    parts = _shapefile_parts(tmp_path, "plangrans", [shapely.box(E0, N0, E0 + 300, N0 + 300)],
                             "EPSG:3006")
    assert "plangrans.prj" in parts
    result = read_plan_file(_zip({f"export/{n}": b for n, b in parts.items()}), "plan.zip")
    assert result.source_crs == "EPSG:3006" and result.notes == () and result.layer is None
    assert result.geometries[0].bounds == pytest.approx((E0, N0, E0 + 300, N0 + 300))


def test_zipped_shapefile_parts_match_whatever_the_case(tmp_path):
    """Windows tools write PLANGRANS.SHP beside plangrans.dbf: the parts belong together (as for
    the area layers, which share the unpacking)."""
    from workbench.io.layers import read_geofile

    parts = _shapefile_parts(tmp_path, "plangrans", [shapely.box(E0, N0, E0 + 300, N0 + 300)], "EPSG:3006")
    names = {".shp": "PLANGRANS.SHP", ".shx": "PLANGRANS.SHX", ".dbf": "PlanGrans.dbf",
             ".prj": "plangrans.PRJ", ".cpg": "Plangrans.cpg"}
    renamed = {names[Path(n).suffix]: b for n, b in parts.items()}
    result = read_plan_file(_zip(renamed), "plan.zip")
    assert result.source_crs == "EPSG:3006" and result.notes == ()
    assert result.geometries[0].bounds == pytest.approx((E0, N0, E0 + 300, N0 + 300))
    assert read_geofile(_zip(renamed), "omraden.zip").crs.to_epsg() == 3006


def test_zipped_shapefile_without_prj_is_guessed(tmp_path):
    parts = _shapefile_parts(tmp_path, "plan", [shapely.box(E0, N0, E0 + 300, N0 + 300)], None)
    parts.pop("plan.prj", None)
    result = read_plan_file(_zip(parts), "plan_utan_prj.zip")
    assert result.source_crs == "EPSG:3006"
    assert "antogs utifrån koordinaterna" in result.notes[0]


def test_zip_with_several_shapefiles_prefers_the_plan_one(tmp_path):
    files = {
        **_shapefile_parts(tmp_path, "byggnader", [shapely.box(E0, N0, E0 + 10, N0 + 10)],
                           "EPSG:3006"),
        **_shapefile_parts(tmp_path, "Planområde", [shapely.box(E0, N0, E0 + 500, N0 + 500)],
                           "EPSG:3006"),
        "__MACOSX/._byggnader.shp": b"\x00\x05\x16\x07",
    }
    result = read_plan_file(_zip(files), "plan.zip")
    assert result.layer == "Planområde"
    assert result.notes == ("Lagret 'Planområde' användes (filen har 2 lager).",)


def test_zip_with_path_traversal_is_refused(tmp_path):
    parts = _shapefile_parts(tmp_path, "evil", [shapely.box(E0, N0, E0 + 300, N0 + 300)],
                             "EPSG:3006")
    data = _zip({f"../{n}": b for n, b in parts.items()})
    assert "otillåtna sökvägar" in _error(data, "elak.zip")


def test_zip_without_shapefile_is_refused():
    assert ".shp" in _error(_zip({"readme.txt": b"hej"}), "tom.zip")


# --- DXF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("build", "layer"), [(_dxf_r12, "PLANGRÄNS"), (_dxf_r2000, "DP_Plangräns")])
def test_dxf_closed_polyline_on_the_plan_layer_comes_back_as_a_line(build, layer):
    result = read_plan_file(build(_square(E0, N0, 300)), "plankarta.dxf")
    assert result.layer == layer
    (line,) = result.geometries  # the TEXT and the LINE on layer '0' are not used
    assert line.geom_type == "LineString" and line.is_closed and not line.has_z
    assert line.bounds == pytest.approx((E0, N0, E0 + 300, N0 + 300))
    assert result.source_crs == "EPSG:3006"
    assert f"CAD-lagret '{layer}' användes (ritningen har 2 lager)." in result.notes
    assert any("SWEREF 99 TM antogs" in n for n in result.notes)


def test_dxf_in_a_local_zone_without_crs_asks_for_the_crs():
    corners = [TM_TO_1330.transform(x, y) for x, y in _square(E0, N0, 300)]
    message = _error(_dxf_r12(corners), "plankarta_1330.dxf")
    assert "inget koordinatsystem" in message and "SWEREF 99 13 30" in message


def test_dxf_in_a_local_zone_with_the_users_crs_lands_near_boras():
    corners = [TM_TO_1330.transform(x, y) for x, y in _square(E0, N0, 300)]
    result = read_plan_file(_dxf_r12(corners), "plankarta_1330.dxf", crs="3008")
    assert result.source_crs == "EPSG:3008"
    assert not any("antogs" in n for n in result.notes)
    back = Transformer.from_crs("EPSG:3008", "EPSG:3006", always_xy=True)
    xs, ys = zip(*(back.transform(x, y) for x, y in corners), strict=True)
    assert result.geometries[0].bounds == pytest.approx((min(xs), min(ys), max(xs), max(ys)),
                                                        abs=0.01)
    assert result.geometries[0].bounds == pytest.approx((E0, N0, E0 + 300, N0 + 300), abs=0.01)


def test_dxf_hatch_is_a_polygon_and_block_symbols_are_dropped():
    codes = ["0", "SECTION", "2", "HEADER", "9", "$ACADVER", "1", "AC1015", "0", "ENDSEC",
             "0", "SECTION", "2", "BLOCKS",
             "0", "BLOCK", "8", "0", "2", "NORRPIL", "70", "0", "10", "0", "20", "0", "30", "0",
             "0", "LINE", "8", "0", "10", "0", "20", "0", "30", "0", "11", "0", "21", "10", "31", "0",
             "0", "ENDBLK", "8", "0", "0", "ENDSEC",
             "0", "SECTION", "2", "ENTITIES",
             "0", "INSERT", "8", "PLANGRÄNS", "2", "NORRPIL", "10", str(E0), "20", str(N0), "30", "0",
             "0", "HATCH", "5", "A1", "100", "AcDbEntity", "8", "Planområde", "100", "AcDbHatch",
             "10", "0", "20", "0", "30", "0", "210", "0", "220", "0", "230", "1", "2", "SOLID",
             "70", "1", "71", "0", "91", "1", "92", "2", "72", "0", "73", "1", "93", "4",
             "10", str(E0), "20", str(N0), "10", str(E0 + 100), "20", str(N0),
             "10", str(E0 + 100), "20", str(N0 + 100), "10", str(E0), "20", str(N0 + 100),
             "97", "0", "75", "0", "76", "1", "98", "0",
             "0", "ENDSEC", "0", "EOF"]
    data = ("\n".join(codes) + "\n").encode("cp1252")
    result = read_plan_file(data, "hatch.dxf")
    assert [g.geom_type for g in result.geometries] == ["Polygon"]
    assert result.layer == "Planområde"


def test_dxf_without_plan_layer_uses_all_lines():
    data = _dxf_r12(_square(E0, N0, 300), layer="Ritning")
    result = read_plan_file(data, "ritning.dxf")
    assert sorted(g.geom_type for g in result.geometries) == ["LineString", "LineString"]
    assert result.layer == "0, Ritning"
    assert any("alla linjer och ytor" in n for n in result.notes)


# --- refusals -----------------------------------------------------------------------------------


def test_unsupported_type_is_refused():
    assert "filtypen stöds inte" in _error(b"PK\x03\x04", "plan.docx")


def test_dwg_gets_a_hint_to_save_as_dxf():
    assert "DXF" in _error(b"AC1032", "plan.dwg")


def test_too_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(plan_file, "MAX_PLAN_FILE_BYTES", 100)
    assert "högst" in _error(_geojson(_square(LON, LAT, 0.005)), "stor.geojson")


def test_empty_file_is_refused():
    assert "tom" in _error(b"", "tom.geojson")


def test_unreadable_file_is_refused_without_temporary_paths():
    message = _error("det här är ingen karta".encode(), "trasig.geojson")
    assert "kan inte läsas som planområde (GeoJSON)" in message
    assert "It might help" not in message
    assert "/tmp" not in message and "plan_file_" not in message


def test_file_without_geometries_is_refused():
    data = b'{"type": "FeatureCollection", "features": []}'
    assert "inga geometrier" in _error(data, "tom_samling.geojson")


def test_unknown_user_crs_is_refused():
    assert "okänt" in _error(_dxf_r12(_square(E0, N0, 300)), "plan.dxf", crs="EPSG:999999")


# --- CRS choices --------------------------------------------------------------------------------


def test_crs_choices_name_the_swedish_systems_like_pyproj_does():
    codes = [code for code, _ in CRS_CHOICES]
    assert codes == ["EPSG:3006", *SWEREF99_LOCAL, "EPSG:3021", "EPSG:4326"]
    labels = dict(CRS_CHOICES)
    assert labels["EPSG:3008"] == "SWEREF 99 13 30 (EPSG:3008)"
    for code in SWEREF99_LOCAL:
        official = CRS.from_user_input(code).name.replace("SWEREF99", "SWEREF 99")
        assert labels[code] == f"{official} ({code})"
