"""The plan area a planner uploads (GeoJSON, GeoPackage, zipped Shapefile, DXF) → raw EPSG:3006.

Nothing is repaired, polygonized or unioned here: ``workbench.planning.area`` does that and says
what it did, so invalid polygons stay invalid, closed CAD polylines stay LineStrings and points
stay points (except in DXF, where texts and block symbols are dropped when there are lines).
"""

from __future__ import annotations

import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from workbench.errors import ImportValidationError
from workbench.geo.crs import (
    CRS_LABELS_SV,
    SWEDISH_CRS_NAMES,
    SWEREF99_LOCAL_NAMES,
    SWEREF99TM,
    WGS84,
    detect_crs,
    in_sweden_3006,
    normalise_crs,
)
from workbench.io.uploads import SHAPEFILE_PARTS, SafeZip, check_content


@dataclass(frozen=True)
class PlanFile:
    """The geometries of an uploaded plan file, in EPSG:3006, exactly as drawn."""

    geometries: tuple[BaseGeometry, ...]  # EPSG:3006, 2D, as read (no make_valid, no union)
    source_crs: str  # e.g. "EPSG:3006", "EPSG:3008"
    layer: str | None  # the layer (GPKG/zip) or CAD layer(s) (DXF) used, if chosen among several
    notes: tuple[str, ...]  # Swedish sentences for the user


MAX_PLAN_FILE_BYTES = 50 * 1024 * 1024
PLAN_FILE_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".dxf")

# (code, Swedish label) for a select box: what a file without a CRS may be in.
CRS_CHOICES: tuple[tuple[str, str], ...] = tuple(CRS_LABELS_SV.items())

# Layer names that mean "the plan boundary", best first; matched on _normalise_name().
PLAN_LAYER_KEYWORDS = ("plangrans", "planomr", "detaljplan", "plan")

_KINDS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage",
          ".zip": "zippad Shapefile", ".dxf": "DXF"}
_POINT_TYPES = ("Point", "MultiPoint")
# GDAL config options are process-wide: DXF reads that change one take turns.
_DXF_LOCK = threading.Lock()


@dataclass
class _Read:
    frame: gpd.GeoDataFrame  # geometry only, in the file's CRS
    layer: str | None = None
    notes: tuple[str, ...] = ()
    declared: bool = True  # False when the format carries no CRS (DXF)


def read_plan_file(data: bytes, file_name: str, *, crs: str | None = None) -> PlanFile:
    """The plan area geometries of an uploaded file, in EPSG:3006, unrepaired.

    ``crs`` is what the user says the file is in; it is used only when the file itself declares
    no coordinate system (DXF, a Shapefile without .prj, GeoJSON with metre coordinates and no
    ``crs`` member). Without either, the CRS is guessed from the coordinates (SWEREF 99 TM,
    RT 90 2.5 gon V or WGS 84 over Sweden); local SWEREF 99 zones are never guessed.
    """
    suffix = Path(file_name).suffix.lower()
    if suffix not in PLAN_FILE_SUFFIXES:
        raise ImportValidationError(f"{file_name}: {_unsupported_hint(suffix)}")
    if not data:
        raise ImportValidationError(f"{file_name}: filen är tom.")
    if len(data) > MAX_PLAN_FILE_BYTES:
        raise ImportValidationError(
            f"{file_name}: filen är {_size_text(len(data))} – ett planområde får vara högst "
            f"{_size_text(MAX_PLAN_FILE_BYTES)}.")
    check_content(data, file_name)  # e.g. a program or a PDF renamed to .geojson
    chosen = _chosen_crs(crs, file_name) if crs else None
    with tempfile.TemporaryDirectory(prefix="plan_file_") as tmp:
        try:
            read = _READERS[suffix](data, file_name, Path(tmp))
        except ImportValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - GDAL and zipfile raise many kinds for bad files
            message = re.sub(re.escape(tmp) + r"[^'\"\s:]*", file_name, str(exc))
            message = message.split("; It might help")[0]  # GDAL's advice to programmers
            lines = message.splitlines() or [type(exc).__name__]
            raise ImportValidationError(
                f"{file_name}: kan inte läsas som planområde ({_KINDS[suffix]}): {lines[0][:200]}"
            ) from exc
    frame = read.frame
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        raise ImportValidationError(f"{file_name}: filen innehåller inga geometrier.")
    notes = list(read.notes)
    source = _source_crs(read, suffix, frame, chosen, file_name, notes)
    if frame.crs is None or _crs_code(frame.crs) != source:
        frame = frame.set_crs(source, allow_override=True)
    frame = frame.to_crs(SWEREF99TM)
    geometries = shapely.force_2d(frame.geometry.to_numpy())
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    if not (np.isfinite([minx, miny, maxx, maxy]).all() and in_sweden_3006(minx, miny, maxx, maxy)):
        raise ImportValidationError(
            f"{file_name}: området ligger utanför Sverige när koordinaterna läses som "
            f"{_crs_label(source)} – kontrollera filens koordinatsystem.")
    return PlanFile(tuple(geometries), source, read.layer, tuple(notes))


# --- CRS ----------------------------------------------------------------------------------------


def _crs_label(code: str) -> str:
    name = SWEREF99_LOCAL_NAMES.get(code) or SWEDISH_CRS_NAMES.get(code)
    return f"{name} ({code})" if name else code


def _chosen_crs(value: str, file_name: str) -> str:
    try:
        return normalise_crs(value)
    except Exception as exc:  # noqa: BLE001 - pyproj raises CRSError, normalise_crs ValueError
        raise ImportValidationError(
            f"{file_name}: koordinatsystemet '{value}' är okänt – välj ett i listan "
            "(t.ex. SWEREF 99 TM).") from exc


def _crs_code(crs: CRS) -> str:
    epsg = crs.to_epsg()
    if epsg is not None:
        return f"EPSG:{epsg}"
    if crs.equals(CRS.from_user_input(WGS84), ignore_axis_order=True):  # OGC:CRS84
        return WGS84
    return crs.to_string()


def _source_crs(read: _Read, suffix: str, frame: gpd.GeoDataFrame, chosen: str | None,
                file_name: str, notes: list[str]) -> str:
    """The file's CRS; else the user's choice; else a guess from the coordinates (noted)."""
    minx, miny, maxx, maxy = frame.total_bounds
    declared = _crs_code(frame.crs) if read.declared and frame.crs is not None else None
    if (declared == WGS84 and suffix in (".geojson", ".json")
            and not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90)):
        declared = None  # GDAL says WGS 84 for every GeoJSON without "crs"; metres say otherwise
    if declared is not None:
        if chosen is not None and chosen != declared:
            notes.append(f"Filen anger själv koordinatsystemet {_crs_label(declared)}; det "
                         f"användes i stället för det valda {_crs_label(chosen)}.")
        return declared
    if chosen is not None:
        return chosen
    guess = detect_crs(np.array([minx, maxx]), np.array([miny, maxy]))
    if guess is None or guess.swapped:
        raise ImportValidationError(
            f"{file_name}: filen anger inget koordinatsystem och koordinaterna passar varken "
            "SWEREF 99 TM, RT 90 eller WGS 84 – välj vilket koordinatsystem filen har (t.ex. en "
            "lokal zon som SWEREF 99 13 30).")
    notes.append(f"Filen angav inget koordinatsystem; {SWEDISH_CRS_NAMES[guess.crs]} antogs "
                 "utifrån koordinaterna.")
    return guess.crs


# --- layer choice -------------------------------------------------------------------------------


def _normalise_name(name: str) -> str:
    """'DP_Plangräns' → 'dpplangrans' (lowercase, no accents, no spaces/underscores/hyphens)."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s_\-]+", "", text)


def _keyword_rank(name: str) -> int | None:
    normalised = _normalise_name(name)
    return next((i for i, k in enumerate(PLAN_LAYER_KEYWORDS) if k in normalised), None)


def _choose_layer(layers: list[tuple[str, str | None]]) -> int | None:
    """Index of the plan layer among (name, geometry type) pairs; None when none has geometry.

    A layer named like the plan boundary wins (best keyword first, lines/polygons before points);
    else the first layer with lines or polygons; else the first layer with any geometry.
    """
    spatial = [(i, name, kind) for i, (name, kind) in enumerate(layers) if kind]
    if not spatial:
        return None
    ranked = [(rank, "Point" in kind, i) for i, name, kind in spatial
              if (rank := _keyword_rank(name)) is not None]
    if ranked:
        return min(ranked)[2]
    return min((("Point" in kind, i) for i, _, kind in spatial))[1]


def _layer_note(layers: list[tuple[str, str | None]], index: int) -> tuple[str | None, tuple[str, ...]]:
    count = sum(1 for _, kind in layers if kind)
    if count <= 1:
        return None, ()
    name = layers[index][0]
    return name, (f"Lagret '{name}' användes (filen har {count} lager).",)


# --- readers ------------------------------------------------------------------------------------


def _read_vector(data: bytes, file_name: str, tmp: Path, suffix: str) -> _Read:
    path = tmp / f"plan{suffix}"
    path.write_bytes(data)
    layers = [(str(name), None if kind is None else str(kind))
              for name, kind in pyogrio.list_layers(path)]
    index = _choose_layer(layers)
    if index is None:
        raise ImportValidationError(f"{file_name}: filen innehåller inga geometrier.")
    frame = pyogrio.read_dataframe(path, layer=layers[index][0], columns=[])
    layer, notes = _layer_note(layers, index)
    return _Read(frame, layer, notes)


def _read_geojson(data: bytes, file_name: str, tmp: Path) -> _Read:
    return _read_vector(data, file_name, tmp, ".json")


def _read_gpkg(data: bytes, file_name: str, tmp: Path) -> _Read:
    return _read_vector(data, file_name, tmp, ".gpkg")


def _read_zip(data: bytes, file_name: str, tmp: Path) -> _Read:
    """Every Shapefile in the zip, unpacked by io.uploads.SafeZip (bombs, traversal, links and
    nested archives refused; real bytes counted), then the plan layer chosen among them."""
    with SafeZip(data, file_name) as archive:
        found = archive.extract_shapefiles(tmp, "plan")
    layers = [(name, pyogrio.read_info(path)["geometry_type"]) for name, path in found]
    index = _choose_layer(layers)
    if index is None:
        raise ImportValidationError(f"{file_name}: filen innehåller inga geometrier.")
    frame = pyogrio.read_dataframe(found[index][1], columns=[])
    layer, notes = _layer_note(layers, index)
    return _Read(frame, layer, notes)


def _cad_text(value: object) -> str:
    r"""A CAD layer name as written: '\U+00C4' escapes and UTF-8 read as ANSI_1252 are undone."""
    text = re.sub(r"\\U\+([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), str(value))
    for encoding in ("latin-1", "cp1252"):
        try:
            return text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
    return text


def _read_dxf_entities(path: Path, *, inline_blocks: bool) -> gpd.GeoDataFrame:
    """The model's entities; without inlining, a block reference (INSERT) is one point."""
    if inline_blocks:  # GDAL's default
        return pyogrio.read_dataframe(path, layer="entities", columns=["Layer", "PaperSpace"])
    with _DXF_LOCK:  # DXF_INLINE_BLOCKS is a config option, not an open option, in GDAL 3.12
        previous = pyogrio.get_gdal_config_option("DXF_INLINE_BLOCKS")
        pyogrio.set_gdal_config_options({"DXF_INLINE_BLOCKS": "FALSE"})
        try:
            return pyogrio.read_dataframe(path, layer="entities", columns=["Layer", "PaperSpace"])
        finally:
            pyogrio.set_gdal_config_options({"DXF_INLINE_BLOCKS": previous})


def _read_dxf(data: bytes, file_name: str, tmp: Path) -> _Read:
    path = tmp / "plan.dxf"
    path.write_bytes(data)
    notes: list[str] = []
    frame = _dxf_frame(_read_dxf_entities(path, inline_blocks=False))
    if frame["point"].all() and not frame.empty:
        inlined = _dxf_frame(_read_dxf_entities(path, inline_blocks=True))
        if (~inlined["point"]).any():  # the lines are inside blocks (e.g. a bound xref)
            frame = inlined
            notes.append("Ritningens linjer låg i block; blocken löstes upp.")
    all_layers = sorted(set(frame["cad_layer"]))
    shapes = frame[~frame["point"]]
    if not shapes.empty:
        model = shapes[~shapes["paper"]]
        frame = model if not model.empty else shapes  # a title-block frame is in paper space
    ranks = {name: _keyword_rank(name) for name in set(frame["cad_layer"])}
    best = min((r for r in ranks.values() if r is not None), default=None)
    if best is not None:
        frame = frame[frame["cad_layer"].map(ranks).eq(best)]
    used = sorted(set(frame["cad_layer"]))
    if len(all_layers) <= 1:
        return _Read(frame[["geometry"]], None, tuple(notes), declared=False)
    names = _join_names(used)
    if best is not None:
        notes.append(f"CAD-{'lagret' if len(used) == 1 else 'lagren'} {names} användes "
                     f"(ritningen har {len(all_layers)} lager).")
    else:
        notes.append("Inget CAD-lager heter något med plangräns eller planområde; alla "
                     f"{'punkter' if shapes.empty else 'linjer och ytor'} användes "
                     f"(CAD-lager {names}).")
    return _Read(frame[["geometry"]], ", ".join(used), tuple(notes), declared=False)


def _dxf_frame(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Entities with columns cad_layer, paper, point; collections split into their parts."""
    frame = gpd.GeoDataFrame({
        "cad_layer": raw["Layer"].fillna("0").map(_cad_text),
        "paper": raw["PaperSpace"].fillna(0).astype(bool),
    }, geometry=raw.geometry.to_numpy(), crs=raw.crs)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    collection = frame.geometry.geom_type.eq("GeometryCollection")
    if collection.any():
        frame = pd.concat([frame[~collection],
                               frame[collection].explode(index_parts=False)], ignore_index=True)
    frame = frame.reset_index(drop=True)
    frame["point"] = frame.geometry.geom_type.isin(_POINT_TYPES)
    return frame


def _join_names(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} och {quoted[-1]}"


_READERS = {".geojson": _read_geojson, ".json": _read_geojson, ".gpkg": _read_gpkg,
            ".zip": _read_zip, ".dxf": _read_dxf}


# --- messages -----------------------------------------------------------------------------------


def _unsupported_hint(suffix: str) -> str:
    if suffix == ".dwg":
        return "DWG-filer kan inte läsas – spara ritningen som DXF i CAD-programmet och ladda upp den."
    if suffix in SHAPEFILE_PARTS:
        return ("en Shapefile består av flera filer – zippa .shp, .shx, .dbf och .prj tillsammans "
                "och ladda upp zip-filen.")
    return ("filtypen stöds inte för planområden – använd GeoJSON, GeoPackage, zippad Shapefile "
            "eller DXF.")


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size} byte"
