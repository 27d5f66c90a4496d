"""Map layers (areas, places, walk points) from GeoJSON, GeoPackage or zipped Shapefile → EPSG:3006."""

from __future__ import annotations

import io
import re
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from workbench.errors import ImportValidationError
from workbench.geo.crs import SWEREF99TM, WGS84
from workbench.io.importers.columns import normalise_header
from workbench.io.uploads import SafeZip, check_content

NAME_FIELDS = ("namn", "name", "omrade", "område", "stadsdel", "basomrade", "basområde",
               "delomrade", "delområde", "kom namn", "kommun", "plats", "title")
CODE_FIELDS = ("kod", "code", "omradeskod", "områdeskod", "nyckelkod", "do kod", "kommun kod", "id")
POPULATION_FIELDS = ("befolkning", "population", "pop", "invanare", "invånare", "folkmangd", "folkmängd")
KIND_FIELDS = ("typ", "type", "kind", "kategori")
RADIUS_FIELDS = ("radie m", "radie", "radius m", "radius")


def read_geofile(data: bytes, file_name: str) -> gpd.GeoDataFrame:
    """Any supported vector file as a GeoDataFrame in EPSG:3006 (CRS from the file, else WGS 84).

    A zipped Shapefile is unpacked by ``io.uploads.SafeZip`` (zip bombs, paths outside the
    folder, links, nested archives refused), never handed to GDAL as a zip."""
    suffix = Path(file_name).suffix.lower()
    if not data:
        raise ImportValidationError(f"{file_name}: filen är tom.")
    check_content(data, file_name)
    try:
        if suffix == ".zip":
            frame = _read_zipped_shapefile(data, file_name)
        else:
            with warnings.catch_warnings():  # in-memory GeoPackages have no file extension
                warnings.filterwarnings("ignore", message=".*non conformant file extension")
                frame = gpd.read_file(io.BytesIO(data))
    except ImportValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds for unusable files
        detail = re.sub(r"'?/vsimem/[^'\s]*'?", "filen", str(exc)).split("; It might help")[0]
        raise ImportValidationError(
            f"{file_name}: kan inte läsas som kartlager (GeoJSON, GeoPackage eller zippad "
            f"Shapefile): {(detail.splitlines() or [type(exc).__name__])[0][:200]}"
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise ImportValidationError(
            f"{file_name}: filen har en tabell men inga geometrier – det är inget kartlager.")
    if frame.empty:
        raise ImportValidationError(f"{file_name}: kartlagret innehåller inga objekt.")
    if frame.crs is None:
        frame = frame.set_crs(WGS84 if _looks_geographic(frame) else SWEREF99TM)
    epsg = frame.crs.to_epsg()
    source_crs = f"EPSG:{epsg}" if epsg else frame.crs.to_string()
    frame = frame.to_crs(SWEREF99TM)
    frame.attrs["source_crs"] = source_crs
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].copy()
    if frame.empty:
        raise ImportValidationError(f"{file_name}: kartlagrets objekt saknar geometri.")
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].to_numpy())
    return frame


def _looks_geographic(frame: gpd.GeoDataFrame) -> bool:
    minx, miny, maxx, maxy = frame.total_bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def _read_zipped_shapefile(data: bytes, file_name: str) -> gpd.GeoDataFrame:
    """The first Shapefile in the zip, its parts unpacked (bytes counted) to a private folder."""
    with SafeZip(data, file_name) as archive, tempfile.TemporaryDirectory(prefix="layer_zip_") as tmp:
        shp = archive.extract_shapefiles(Path(tmp), first_only=True)[0][1]
        try:
            return gpd.read_file(shp)
        except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; never show the temp path
            detail = str(exc).replace(str(shp), file_name).replace(tmp, file_name)
            raise ImportValidationError(
                f"{file_name}: Shapefilen i zip-filen kan inte läsas: "
                f"{(detail.splitlines() or [type(exc).__name__])[0][:200]}"
            ) from exc


def _pick(frame: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    normalised = {normalise_header(c): c for c in frame.columns if c != "geometry"}
    for candidate in candidates:
        if candidate in normalised:
            return normalised[candidate]
    return None


def read_named_layer(data: bytes, file_name: str) -> gpd.GeoDataFrame:
    """Areas or places: columns name, code, population, kind, radius_m, geometry (EPSG:3006)."""
    frame = read_geofile(data, file_name)
    name = _pick(frame, NAME_FIELDS)
    if name is None:
        raise ImportValidationError(
            f"{file_name}: hittar ingen namnkolumn (t.ex. 'namn', 'name'). Kolumner: "
            f"{', '.join(c for c in frame.columns if c != 'geometry')}."
        )
    out = gpd.GeoDataFrame(
        {"name": frame[name].astype("string").str.strip()}, geometry=frame.geometry, crs=SWEREF99TM
    )
    blank = out["name"].isna() | out["name"].eq("")
    if blank.any():
        rows = ", ".join(str(i + 1) for i in list(out.index[blank])[:10])
        raise ImportValidationError(f"{file_name}: objekt utan namn (objekt {rows}).")
    for target, fields, convert in (
        ("code", CODE_FIELDS, lambda s: s.astype("string")),
        ("population", POPULATION_FIELDS, lambda s: pd.to_numeric(s, errors="coerce").astype("Int64")),
        ("kind", KIND_FIELDS, lambda s: s.astype("string")),
        ("radius_m", RADIUS_FIELDS, lambda s: pd.to_numeric(s, errors="coerce")),
    ):
        column = _pick(frame, fields)
        out[target] = convert(frame[column]) if column else pd.NA
    approx = _pick(frame, ("ungefarlig", "ungefärlig", "approximate"))
    out["approximate"] = frame[approx].fillna(False).astype(bool) if approx else False
    out = out.reset_index(drop=True)
    duplicated = out["name"].duplicated()
    if duplicated.any():
        raise ImportValidationError(
            f"{file_name}: namnet '{out['name'][duplicated].iloc[0]}' förekommer flera gånger."
        )
    out.attrs["source_crs"] = frame.attrs.get("source_crs")
    return out
