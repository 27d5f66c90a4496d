"""Map layers (areas, places, walk points) from GeoJSON, GeoPackage or zipped Shapefile → EPSG:3006."""

from __future__ import annotations

import io
import re
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from workbench.errors import ImportProblem, ImportValidationError
from workbench.geo.crs import SWEREF99TM, WGS84, in_sweden_3006
from workbench.io.importers.columns import normalise_header
from workbench.io.importers.parse import bad_where_given, parse_numbers
from workbench.io.importers.values import out_of_range, overlong, sv_number
from workbench.io.uploads import SafeZip, check_content
from workbench.schema import MAX_POPULATION, PLACE_RADIUS_M

NAME_FIELDS = ("namn", "name", "omrade", "område", "stadsdel", "basomrade", "basområde",
               "delomrade", "delområde", "kom namn", "kommun", "plats", "title")
CODE_FIELDS = ("kod", "code", "omradeskod", "områdeskod", "nyckelkod", "do kod", "kommun kod", "id")
POPULATION_FIELDS = ("befolkning", "population", "pop", "invanare", "invånare", "folkmangd", "folkmängd")
KIND_FIELDS = ("typ", "type", "kind", "kategori")
RADIUS_FIELDS = ("radie m", "radie", "radius m", "radius")


def read_geofile(data: bytes, file_name: str,
                 problems: list[ImportProblem] | None = None) -> gpd.GeoDataFrame:
    """Any supported vector file as a GeoDataFrame in EPSG:3006 (CRS from the file, else WGS 84).

    A zipped Shapefile is unpacked by ``io.uploads.SafeZip`` (zip bombs, paths outside the
    folder, links, nested archives refused), never handed to GDAL as a zip.

    Each feature is checked (``check_features``): one without geometry, with NaN or infinite
    coordinates, or outside Sweden (latitude and longitude swapped, or the wrong CRS) is left
    out with a problem naming its number (the frame's index + 1); an invalid polygon is repaired
    with ``make_valid`` and that is said too. GDAL's and the libraries' warnings become problems
    (without paths) instead of reaching stderr."""
    problems = [] if problems is None else problems
    suffix = Path(file_name).suffix.lower()
    if not data:
        raise ImportValidationError(f"{file_name}: filen är tom.")
    check_content(data, file_name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if suffix == ".zip":
                frame = _read_zipped_shapefile(data, file_name)
            else:
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
        frame = frame.reset_index(drop=True)
        if frame.crs is None:
            frame = frame.set_crs(WGS84 if _looks_geographic(frame) else SWEREF99TM)
        epsg = frame.crs.to_epsg()
        source_crs = f"EPSG:{epsg}" if epsg else frame.crs.to_string()
        source = frame.geometry
        frame = frame.to_crs(SWEREF99TM)
        n_features = len(frame)
        frame = check_features(frame, source, file_name, problems)
    problems.extend(_warning_problems(caught, file_name))
    frame.attrs["source_crs"] = source_crs
    frame.attrs["dropped"] = n_features - len(frame)
    return frame


# Warnings that say nothing a person can act on (an in-memory GeoPackage has no file extension).
_NOISE = re.compile(r"non conformant file extension|invalid value encountered|could not parse column .* as JSON",
                    re.I)
_PATHS = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s'\"]*[\\/][^\s'\"]*")


def _warning_problems(caught: list[warnings.WarningMessage], file_name: str) -> list[ImportProblem]:
    """GDAL's and the libraries' warnings as problems: one line each, paths removed, no repeats."""
    seen: dict[str, None] = {}
    for warning in caught:
        text = (str(warning.message).splitlines() or [""])[0]
        if not text.strip() or _NOISE.search(text):
            continue
        seen.setdefault(_PATHS.sub("…", text)[:200], None)
    return [ImportProblem(file_name, None, None, f"varning när filen lästes: {text}") for text in seen]


def check_features(frame: gpd.GeoDataFrame, source: gpd.GeoSeries, file_name: str,
                   problems: list[ImportProblem]) -> gpd.GeoDataFrame:
    """The usable features of ``frame`` (EPSG:3006); ``source`` holds the same features as they
    were in the file, to tell swapped latitude/longitude from a wrong CRS."""
    geometry = frame.geometry.to_numpy()
    number = frame.index.to_numpy() + 1
    missing = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    bounds = shapely.bounds(geometry)
    finite = np.isfinite(bounds).all(axis=1)
    bad_coordinates = ~missing & ~finite
    outside = ~missing & finite & ~in_sweden_3006(*bounds.T)
    swapped = np.zeros(len(frame), dtype=bool)
    if outside.any():
        flipped = shapely.transform(source.to_numpy()[outside], lambda c: c[:, ::-1])
        moved = gpd.GeoSeries(flipped, crs=source.crs).to_crs(SWEREF99TM).to_numpy()
        swapped[outside] = in_sweden_3006(*shapely.bounds(moved).T)
    drop = missing | bad_coordinates | outside
    geographic = source.crs is not None and source.crs.is_geographic
    for i in np.flatnonzero(drop):
        if missing[i]:
            message = "objektet saknar geometri och importeras inte"
        elif bad_coordinates[i]:
            message = "objektet har ogiltiga koordinater (NaN eller oändliga) och importeras inte"
        elif swapped[i]:
            axes = "latitud och longitud" if geographic else "nordlig och östlig koordinat"
            message = (f"objektet ligger utanför Sverige och importeras inte – {axes} verkar ha "
                       "bytt plats; rätta koordinaternas ordning i filen")
        else:
            message = ("objektet ligger utanför Sverige och importeras inte – kontrollera "
                       "koordinaterna och filens koordinatsystem")
        problems.append(ImportProblem(file_name, int(number[i]), None, message))
    invalid = ~drop & ~shapely.is_valid(np.where(drop, None, geometry))
    repaired = geometry.copy()
    if invalid.any():
        repaired[invalid] = shapely.make_valid(geometry[invalid])
        polygonal = np.isin(shapely.get_type_id(geometry), (3, 6))  # Polygon, MultiPolygon
        for i in np.flatnonzero(invalid):
            if polygonal[i] and shapely.area(repaired[i]) <= 0:
                drop[i] = True
                problems.append(ImportProblem(file_name, int(number[i]), None,
                                              "ogiltig polygon utan yta (alla hörn på en linje "
                                              "eller för få hörn) – importeras inte"))
            else:
                problems.append(ImportProblem(file_name, int(number[i]), None,
                                              "ogiltig polygon (t.ex. kanter som korsar varandra) "
                                              "– lagades automatiskt; kontrollera den på kartan"))
    frame = frame.set_geometry(gpd.GeoSeries(repaired, index=frame.index, crs=frame.crs))[~drop]
    if frame.empty:
        first = "; ".join(str(p) for p in problems[:3])
        raise ImportValidationError(f"{file_name}: inget objekt i kartlagret kan användas ({first}).",
                                    problems)
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
    """Areas or places: columns name, code, population, kind, radius_m, geometry (EPSG:3006).

    Problems per feature (outside Sweden, repaired polygons, a radius or population out of
    range, a text longer than the store takes) are in ``attrs["problems"]``; the features they
    refuse are left out, ``attrs["rejected"]`` counts them."""
    problems: list[ImportProblem] = []
    frame = read_geofile(data, file_name, problems)
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
    rows = out.index.to_numpy() + 1  # the feature's number in the file
    attributes = pd.DataFrame(frame.drop(columns="geometry")).astype("string")
    found = {"name": name}
    for target, fields in (("code", CODE_FIELDS), ("population", POPULATION_FIELDS),
                           ("kind", KIND_FIELDS), ("radius_m", RADIUS_FIELDS)):
        column = _pick(frame, fields)
        if column:
            found[target] = column
    refuse = overlong(attributes, found, rows, file_name, problems)
    out["code"] = frame[found["code"]].astype("string") if "code" in found else pd.NA
    out["kind"] = frame[found["kind"]].astype("string") if "kind" in found else pd.NA
    radius = pd.Series(np.nan, index=out.index)
    if "radius_m" in found:
        radius = parse_numbers(attributes[found["radius_m"]])
        low, high = PLACE_RADIUS_M
        bad = (bad_where_given(attributes[found["radius_m"]], radius)
               | out_of_range(radius, low, high)) & ~refuse
        for i in np.flatnonzero(bad):
            problems.append(ImportProblem(
                file_name, int(rows[i]), found["radius_m"],
                f"radien '{attributes[found['radius_m']].iat[i]}' ska vara {sv_number(low)}–"
                f"{sv_number(high)} meter – platsen importeras inte"))
        refuse |= bad
    out["radius_m"] = radius.where(~refuse)
    population = pd.Series(np.nan, index=out.index)
    if "population" in found:
        raw = attributes[found["population"]]
        population = parse_numbers(raw)
        bad = (bad_where_given(raw, population) | out_of_range(population, 0, MAX_POPULATION)
               | (population.round() != population).fillna(False).to_numpy()) & ~refuse
        for i in np.flatnonzero(bad):
            problems.append(ImportProblem(
                file_name, int(rows[i]), found["population"],
                f"befolkningen '{raw.iat[i]}' är inget heltal mellan 0 och "
                f"{sv_number(MAX_POPULATION)} – området importeras utan befolkning"))
        population = population.mask(pd.Series(bad, index=population.index))
    out["population"] = population.astype("Int64")
    approx = _pick(frame, ("ungefarlig", "ungefärlig", "approximate"))
    out["approximate"] = frame[approx].fillna(False).astype(bool) if approx else False
    out = out[~refuse]
    if out.empty:
        first = "; ".join(str(p) for p in problems[:3])
        raise ImportValidationError(f"{file_name}: inget objekt i kartlagret kan användas ({first}).",
                                    problems)
    out = out.reset_index(drop=True)
    duplicated = out["name"].duplicated()
    if duplicated.any():
        raise ImportValidationError(
            f"{file_name}: namnet '{out['name'][duplicated].iloc[0]}' förekommer flera gånger."
        )
    problems.sort(key=lambda p: p.row or 0)
    out.attrs["source_crs"] = frame.attrs.get("source_crs")
    out.attrs["problems"] = problems
    out.attrs["rejected"] = int(refuse.sum()) + frame.attrs.get("dropped", 0)
    return out
