"""Trygghetsvandringar: a table of walks and the observations made on them (points)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.anonymise.scan import redact_series
from workbench.errors import ImportProblem, ImportValidationError
from workbench.io.importers.base import ImportOptions, ParsedFile, content_ids, file_hash
from workbench.io.importers.columns import match_columns, match_coordinates, normalise_header
from workbench.io.importers.locate import locate
from workbench.io.importers.parse import parse_datetimes
from workbench.io.importers.read import read_table
from workbench.io.importers.tabular import excel_rows
from workbench.io.importers.values import implausible_dates, overlong
from workbench.io.layers import read_geofile
from workbench.io.uploads import TABLE_SUFFIXES
from workbench.schema import KIND_WALK_OBSERVATION, PRECISION_EXACT, SOURCE_WALK, conform
from workbench.taxonomy import normalise_categories

WALK_FIELDS = ("walk_ref", "from_datetime", "area_code", "description")
OBSERVATION_FIELDS = ("walk_ref", "source_id", "category", "description", "priority", "photo_ref",
                      "status", "from_datetime")
PARTICIPANT_NAMES = {"deltagare", "participants", "medverkande", "deltagande organisationer"}


def parse_walk_table(data: bytes, file_name: str) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """Walks: ref, walk_date, area_name, participants (roles/organisations only), notes."""
    table, table_format = read_table(data, file_name)
    columns = match_columns(list(table.columns), WALK_FIELDS)
    participants = next((c for c in table.columns if normalise_header(c) in PARTICIPANT_NAMES), None)
    if "walk_ref" not in columns or "from_datetime" not in columns:
        raise ImportValidationError(
            f"{file_name}: vandringstabellen behöver kolumnerna 'Vandring' och 'Datum'."
        )
    dates = parse_datetimes(table[columns["from_datetime"]])
    rows = excel_rows(table.index)
    problems = [*table_format.problems,
                *(ImportProblem(file_name, int(rows[i]), columns["from_datetime"],
                                f"ogiltigt datum '{table[columns['from_datetime']].iat[i]}'")
                  for i in np.flatnonzero(dates.isna().to_numpy()))]
    keep = dates.notna().to_numpy().copy()
    keep &= ~implausible_dates(dates, rows, columns["from_datetime"], file_name, problems, skip=~keep)
    texts = {"walk_ref": columns["walk_ref"], "area_name": columns.get("area_code")}
    keep &= ~overlong(table, {f: h for f, h in texts.items() if h}, rows, file_name, problems,
                      skip=~keep)
    notes = table[columns["description"]] if "description" in columns else pd.Series("", index=table.index)
    notes, _counts, _ = redact_series(notes)
    participants_text, _c, _h = redact_series(table[participants] if participants
                                              else pd.Series("", index=table.index))
    walks = pd.DataFrame({
        "ref": table[columns["walk_ref"]].str.strip(),
        "walk_date": dates.dt.date,
        "area_name": table[columns["area_code"]].str.strip() if "area_code" in columns else pd.NA,
        "participants": participants_text.replace("", pd.NA),
        "notes": notes.replace("", pd.NA),
    })[keep].reset_index(drop=True)
    return walks, problems


def observation_columns(headers: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Field → header of an observation file: detected, then as the user mapped them."""
    columns = match_columns(headers, OBSERVATION_FIELDS)
    for field, header in (mapping or {}).items():
        if field not in OBSERVATION_FIELDS:
            continue
        if header in headers:
            columns[field] = header
        elif header in ("", None):
            columns.pop(field, None)
    return columns


def observation_headers(data: bytes, file_name: str) -> list[str]:
    """The attribute columns of an observation file (coordinates and geometry excluded)."""
    attributes = _read_points(data, file_name, ImportOptions(), [])[0]
    coordinates = match_coordinates(list(attributes.columns)) or ()
    return [c for c in attributes.columns if c not in coordinates]


def _read_points(data: bytes, file_name: str, options: ImportOptions,
                 problems: list[ImportProblem]) -> tuple[pd.DataFrame, pd.Series, pd.Series, str | None, np.ndarray, int]:
    """Attributes (strings), x, y (EPSG:3006), source CRS, row numbers and the number of rows
    dropped for unusable coordinates, of an observation file."""
    if Path(file_name).suffix.lower() in TABLE_SUFFIXES:
        table, table_format = read_table(data, file_name)
        problems.extend(table_format.problems)
        rows = excel_rows(table.index)
        coordinates = match_coordinates(list(table.columns))
        if coordinates is None:
            raise ImportValidationError(f"{file_name}: iakttagelserna saknar koordinatkolumner "
                                        f"(X/Y, N/E eller Latitud/Longitud).")
        located = locate(table, coordinates, rows, file_name, problems, crs=options.crs)
        missing = located.x.isna().to_numpy() & ~located.bad
        for i in np.flatnonzero(missing):
            problems.append(ImportProblem(file_name, int(rows[i]), coordinates[0], "koordinater saknas"))
        keep = ~(located.bad | missing)
        return (table[keep].reset_index(drop=True), located.x[keep].reset_index(drop=True),
                located.y[keep].reset_index(drop=True), located.crs, rows[keep], int((~keep).sum()))
    layer = read_geofile(data, file_name, problems)  # features outside Sweden, NaN: problems
    attributes = pd.DataFrame(layer.drop(columns="geometry")).astype("string").fillna("")
    points = layer.geometry.representative_point()
    return (attributes.reset_index(drop=True), pd.Series(points.x.to_numpy()),
            pd.Series(points.y.to_numpy()), layer.attrs.get("source_crs"),
            layer.index.to_numpy() + 1, int(layer.attrs.get("dropped", 0)))


def parse_walk_observations(data: bytes, file_name: str, walks: pd.DataFrame | None,
                            options: ImportOptions | None = None) -> tuple[ParsedFile, pd.DataFrame]:
    """Observation points (GeoJSON, GeoPackage, zipped Shapefile or a CSV/XLSX with coordinates).

    With no walks table the walks are derived from the observations (walk ref and date columns,
    or one walk named after the file).
    """
    options = options or ImportOptions()
    problems: list[ImportProblem] = []
    attributes, x, y, source_crs, rows, dropped = _read_points(data, file_name, options, problems)
    columns = observation_columns(list(attributes.columns), options.mapping)
    if "category" not in columns:
        raise ImportValidationError(f"{file_name}: iakttagelserna saknar kolumnen 'kategori'. "
                                    f"Kolumner: {', '.join(attributes.columns)}.")

    def text(field: str) -> pd.Series:
        name = columns.get(field)
        return (attributes[name].astype("string").fillna("").str.strip() if name
                else pd.Series("", index=attributes.index, dtype="string"))

    observed = parse_datetimes(text("from_datetime"))
    if "from_datetime" in columns:
        odd = implausible_dates(observed, rows, columns["from_datetime"], file_name, problems,
                                consequence="iakttagelsen får vandringens datum")
        observed = observed.mask(pd.Series(odd, index=observed.index))
    default_ref = Path(file_name).stem
    walk_ref = text("walk_ref").replace("", default_ref if walks is None or len(walks) != 1
                                        else walks["ref"].iloc[0])
    if walks is None:
        if observed.isna().all():
            raise ImportValidationError(
                f"{file_name}: iakttagelserna har inget datum – ange vandringstabellen "
                "(datum, område, deltagare) också."
            )
        walks = (pd.DataFrame({"ref": walk_ref, "date": observed}).dropna()
                 .groupby("ref", as_index=False)["date"].min())
        walks = pd.DataFrame({"ref": walks["ref"], "walk_date": walks["date"].dt.date,
                              "area_name": pd.NA, "participants": pd.NA, "notes": pd.NA})
    known = set(walks["ref"])
    unknown = ~walk_ref.isin(known).to_numpy()
    for i in np.flatnonzero(unknown):
        problems.append(ImportProblem(file_name, int(rows[i]), columns.get("walk_ref", "vandring"),
                                      f"okänd vandring '{walk_ref.iloc[i]}'"))
    original = text("category")
    missing = original.eq("").to_numpy() & ~unknown
    for i in np.flatnonzero(missing):
        problems.append(ImportProblem(file_name, int(rows[i]), columns["category"], "kategori saknas"))
    keep = ~(unknown | missing)
    texts = {"walk_ref": columns.get("walk_ref"), "source_id": columns.get("source_id"),
             "category_original": columns["category"], "photo_ref": columns.get("photo_ref"),
             "status": columns.get("status")}
    keep &= ~overlong(attributes, {f: h for f, h in texts.items() if h}, rows, file_name, problems,
                      skip=~keep)
    dates = dict(zip(walks["ref"], pd.to_datetime(walks["walk_date"]), strict=True))
    observed = observed.fillna(walk_ref.map(dates))
    comment, redacted, _ = redact_series(text("description"))
    frame = pd.DataFrame({
        "walk_ref": walk_ref,
        "category": normalise_categories(original.replace("", pd.NA), KIND_WALK_OBSERVATION,
                                         options.category_overrides),
        "category_original": original,
        "observed_at": observed,
        "priority": pd.to_numeric(text("priority"), errors="coerce").astype("Int64"),
        "comment": comment.replace("", pd.NA),
        "photo_ref": text("photo_ref").replace("", pd.NA),
        "status": text("status").replace("", pd.NA),
        "x": x, "y": y, "precision": PRECISION_EXACT,
    })[keep]
    ids = text("source_id")[keep]
    generated = content_ids(frame, ["walk_ref", "category_original", "x", "y"])
    frame["source_id"] = ids.where(ids.ne(""), generated)
    problems.sort(key=lambda p: p.row or 0)
    parsed = ParsedFile(kind=KIND_WALK_OBSERVATION, source=SOURCE_WALK, file_name=file_name,
                        content_hash=file_hash(data), frame=conform(frame, KIND_WALK_OBSERVATION),
                        problems=problems, redacted=Counter(redacted), crs=source_crs,
                        rejected=int((~keep).sum()) + dropped)
    return parsed, walks
