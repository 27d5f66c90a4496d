"""Point tables (kommunpolis exports, felanmälan, housing-company reports) → canonical frames."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from workbench.anonymise.scan import redact_series
from workbench.errors import ImportProblem, ImportValidationError
from workbench.geo.crs import SWEREF99TM, detect_crs, normalise_crs, transform
from workbench.io.importers.base import ParsedFile, content_ids, file_hash
from workbench.io.importers.columns import match_columns, match_coordinates
from workbench.io.importers.parse import bad_where_given, parse_datetimes, parse_numbers
from workbench.io.importers.read import read_table
from workbench.schema import (
    KIND_FAULT_REPORT,
    KIND_INCIDENT,
    PRECISION_AREA,
    PRECISION_EXACT,
    conform,
)
from workbench.taxonomy import SENSITIVE_CATEGORIES, normalise_categories

FIELDS = (
    "source_id", "category", "from_date", "from_time", "to_date", "to_time", "from_datetime",
    "to_datetime", "fixed_at", "status", "description", "area_code",
)
EXCEL_FIRST_DATA_ROW = 2  # header on row 1


def _excel_rows(index: pd.Index) -> np.ndarray:
    return np.asarray(index, dtype=np.int64) + EXCEL_FIRST_DATA_ROW


def parse_point_table(
    data: bytes,
    file_name: str,
    *,
    kind: str,
    source: str,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ParsedFile:
    """Read, map, validate, reproject and redact one point table. Raises only ImportValidationError."""
    table, _fmt = read_table(data, file_name)
    headers = list(table.columns)
    columns = match_columns(headers, FIELDS)
    if mapping:
        columns.update({k: v for k, v in mapping.items() if v in headers})
    coordinates = match_coordinates(headers)
    if mapping and mapping.get("coord_a") in headers and mapping.get("coord_b") in headers:
        coordinates = (mapping["coord_a"], mapping["coord_b"])

    time_col = columns.get("from_date") or columns.get("from_datetime")
    if time_col is None:
        raise ImportValidationError(
            f"{file_name}: hittar ingen kolumn med datum/tid (t.ex. 'Från datum', 'Datum', "
            f"'Registrerad'). Kolumner i filen: {', '.join(headers)}."
        )
    if coordinates is None and "area_code" not in columns:
        raise ImportValidationError(
            f"{file_name}: hittar varken koordinatkolumner (X/Y, N/E, Latitud/Longitud) eller "
            f"en områdeskod. Kolumner i filen: {', '.join(headers)}."
        )
    if "category" not in columns:
        raise ImportValidationError(
            f"{file_name}: hittar ingen kategorikolumn (t.ex. 'Brottstyp', 'Kategori', 'Typ'). "
            f"Kolumner i filen: {', '.join(headers)}."
        )

    problems: list[ImportProblem] = []
    rows = _excel_rows(table.index)
    reject = np.zeros(len(table), dtype=bool)

    def col(field: str) -> pd.Series | None:
        name = columns.get(field)
        return table[name] if name else None

    # Time (a single datetime or a span).
    if "from_date" in columns:
        start = parse_datetimes(table[columns["from_date"]], col("from_time"))
    else:
        start = parse_datetimes(table[columns["from_datetime"]])
    bad = start.isna().to_numpy()
    for i in np.flatnonzero(bad):
        raw = str(table.iloc[i][time_col]).strip()
        message = f"ogiltigt datum '{raw}'" if raw else "datum saknas"
        problems.append(ImportProblem(file_name, int(rows[i]), time_col, message))
    reject |= bad

    end = None
    end_col = columns.get("to_date") or columns.get("to_datetime")
    if end_col:
        end = (parse_datetimes(table[columns["to_date"]], col("to_time"))
               if "to_date" in columns else parse_datetimes(table[columns["to_datetime"]]))
        unusable = bad_where_given(table[end_col], end) & ~reject
        for i in np.flatnonzero(unusable):
            problems.append(ImportProblem(file_name, int(rows[i]), end_col,
                                          f"ogiltigt slutdatum '{table.iloc[i][end_col]}' – raden "
                                          "importeras utan slutdatum"))
        backwards = (end < start).to_numpy() & ~reject
        for i in np.flatnonzero(backwards):
            problems.append(ImportProblem(file_name, int(rows[i]), end_col,
                                          "slutdatum före startdatum – raden importeras utan slutdatum"))
        end = end.mask(pd.Series(backwards, index=end.index))

    # Location.
    x = pd.Series(np.nan, index=table.index)
    y = pd.Series(np.nan, index=table.index)
    used_crs: str | None = None
    if coordinates:
        a_name, b_name = coordinates
        a, b = parse_numbers(table[a_name]), parse_numbers(table[b_name])
        for name, values in ((a_name, a), (b_name, b)):
            unusable = bad_where_given(table[name], values) & ~reject
            for i in np.flatnonzero(unusable):
                problems.append(ImportProblem(file_name, int(rows[i]), name,
                                              f"ogiltig koordinat '{table.iloc[i][name]}'"))
                reject[i] = True
        both = (a.notna() & b.notna()).to_numpy()
        if both.any():
            used_crs, first_is_north = _resolve_crs(a[both], b[both], crs, file_name, a_name, b_name)
            east, north = (b, a) if first_is_north else (a, b)
            ex, ny = transform(east[both].to_numpy(), north[both].to_numpy(), used_crs, SWEREF99TM)
            x[both], y[both] = ex, ny
            outside = both & ~_inside_sweden(x.to_numpy(), y.to_numpy())
            for i in np.flatnonzero(outside & ~reject):
                problems.append(ImportProblem(file_name, int(rows[i]), a_name,
                                              "koordinaten ligger utanför Sverige"))
            reject |= outside
    area_code = col("area_code")
    area_code = (area_code.astype("string").str.strip().replace("", pd.NA)
                 if area_code is not None else pd.Series(pd.NA, index=table.index, dtype="string"))
    no_place = (x.isna() & area_code.isna()).to_numpy() & ~reject
    for i in np.flatnonzero(no_place):
        where = coordinates[0] if coordinates else columns.get("area_code")
        problems.append(ImportProblem(file_name, int(rows[i]), where,
                                      "plats saknas (varken koordinater eller områdeskod)"))
    reject |= no_place

    original = table[columns["category"]].astype("string").str.strip()
    category = normalise_categories(original.replace("", pd.NA), kind)
    missing_category = original.eq("").to_numpy() & ~reject
    for i in np.flatnonzero(missing_category):
        problems.append(ImportProblem(file_name, int(rows[i]), columns["category"], "kategori saknas"))
    reject |= missing_category

    keep = ~reject
    frame = pd.DataFrame(index=table.index[keep])
    frame["category"] = category[keep]
    frame["category_original"] = original[keep]
    frame["x"] = x[keep]
    frame["y"] = y[keep]
    frame["area_code"] = area_code[keep]
    frame["precision"] = np.where(frame["x"].notna(), PRECISION_EXACT, PRECISION_AREA)
    sensitive = frame["category"].isin(SENSITIVE_CATEGORIES)
    # Sensitive categories keep only the area: the point is resolved to an area by the store
    # step (area_hint_x/y) and then dropped.
    frame["area_hint_x"] = frame["x"].where(sensitive)
    frame["area_hint_y"] = frame["y"].where(sensitive)
    frame.loc[sensitive, ["x", "y"]] = np.nan
    frame.loc[sensitive, "precision"] = PRECISION_AREA

    description = col("description")
    redacted_total = None
    if description is not None:
        redacted, redacted_total, _hits = redact_series(description[keep])
        frame["description"] = redacted.replace("", pd.NA)
    time_field = "occurred_from" if kind == KIND_INCIDENT else "reported_at"
    frame[time_field] = start[keep]
    if kind == KIND_INCIDENT:
        frame["occurred_to"] = end[keep] if end is not None else pd.NaT
    elif kind == KIND_FAULT_REPORT:
        fixed_col = columns.get("fixed_at")
        if fixed_col:
            fixed = parse_datetimes(table[fixed_col])
            unusable = bad_where_given(table[fixed_col], fixed) & keep
            for i in np.flatnonzero(unusable):
                problems.append(ImportProblem(file_name, int(rows[i]), fixed_col,
                                              f"ogiltigt datum '{table.iloc[i][fixed_col]}' – "
                                              "raden importeras som ej åtgärdad"))
            frame["fixed_at"] = fixed[keep]
        if "status" in columns:
            frame["status"] = table[columns["status"]][keep].astype("string").replace("", pd.NA)

    ids = col("source_id")
    if ids is not None and ids[keep].str.strip().ne("").all():
        frame["source_id"] = ids[keep].astype("string").str.strip()
    else:
        basis = [c for c in (time_field, "category_original", "x", "y", "area_code") if c in frame]
        generated = content_ids(frame, basis)
        if ids is not None:
            given = ids[keep].astype("string").str.strip()
            generated = given.where(given.ne(""), generated)
        frame["source_id"] = generated

    hints = frame[["area_hint_x", "area_hint_y"]].reset_index(drop=True)
    canonical = conform(frame, kind)
    canonical["area_hint_x"] = hints["area_hint_x"]
    canonical["area_hint_y"] = hints["area_hint_y"]
    return ParsedFile(
        kind=kind, source=source, file_name=file_name, content_hash=file_hash(data),
        frame=canonical, problems=problems, redacted=Counter(redacted_total or {}),
        crs=used_crs, rejected=int(reject.sum()),
    )


def _inside_sweden(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (x >= 200_000) & (x <= 1_000_000) & (y >= 6_100_000) & (y <= 7_700_000)


def _resolve_crs(a: pd.Series, b: pd.Series, crs: str | None, file_name: str,
                 a_name: str, b_name: str) -> tuple[str, bool]:
    """(CRS, first column is northing/latitude)."""
    if crs:
        try:
            declared = normalise_crs(crs)
        except Exception as exc:  # noqa: BLE001 - pyproj raises several types
            raise ImportValidationError(f"{file_name}: okänt koordinatsystem '{crs}'.") from exc
        # Order: the one that lands inside Sweden.
        for first_is_north in (False, True):
            east, north = (b, a) if first_is_north else (a, b)
            ex, ny = transform(east.to_numpy(), north.to_numpy(), declared, SWEREF99TM)
            if _inside_sweden(np.asarray(ex), np.asarray(ny)).mean() >= 0.95:
                return declared, first_is_north
        return declared, False
    detected = detect_crs(a.to_numpy(), b.to_numpy())
    if detected is None:
        raise ImportValidationError(
            f"{file_name}: kan inte avgöra koordinatsystemet för kolumnerna '{a_name}' och "
            f"'{b_name}' – ange det med --crs (t.ex. EPSG:3006 för SWEREF 99 TM)."
        )
    return detected.crs, detected.swapped
