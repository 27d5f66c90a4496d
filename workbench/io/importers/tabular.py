"""Point tables (kommunpolis exports, felanmälan, housing-company reports) → canonical frames."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from workbench.anonymise.scan import redact_series
from workbench.errors import ImportProblem, ImportValidationError
from workbench.io.importers.base import ImportOptions, ParsedFile, content_ids, file_hash
from workbench.io.importers.columns import match_columns, match_coordinates
from workbench.io.importers.locate import locate
from workbench.io.importers.parse import bad_where_given, date_only, parse_datetimes, parse_times
from workbench.io.importers.values import implausible_dates, overlong
from workbench.schema import KIND_INCIDENT, PRECISION_AREA, PRECISION_EXACT, conform
from workbench.taxonomy import normalise_categories

FIELDS = (
    "source_id", "category", "from_date", "from_time", "to_date", "to_time", "from_datetime",
    "to_datetime", "fixed_at", "status", "description", "area_code", "municipality",
)
EXCEL_FIRST_DATA_ROW = 2  # the header is row 1


def excel_rows(index: pd.Index) -> np.ndarray:
    """Row numbers as a person sees them in Excel (header on row 1)."""
    return np.asarray(index, dtype=np.int64) + EXCEL_FIRST_DATA_ROW


def detect_columns(headers: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Canonical field → header, detected from known names, then overridden by ``mapping``.

    Coordinates appear as ``coord_a``/``coord_b`` (file order; axis order is decided from values).
    """
    columns = match_columns(headers, FIELDS)
    coordinates = match_coordinates(headers)
    if coordinates:
        columns["coord_a"], columns["coord_b"] = coordinates
    for field, header in (mapping or {}).items():
        if header in headers:
            columns[field] = header
        elif header in ("", None):
            columns.pop(field, None)
    return columns


def _time_column(columns: dict[str, str], headers: list[str], file_name: str) -> str:
    """The file's date/time column; ImportValidationError naming the file's columns when the
    file lacks a time, a place (coordinates, area code or kommun) or a category."""
    listed = ", ".join(headers)
    time_col = columns.get("from_date") or columns.get("from_datetime")
    if time_col is None:
        raise ImportValidationError(f"{file_name}: hittar ingen kolumn med datum/tid (t.ex. "
                                    f"'Från datum', 'Datum', 'Registrerad'). Kolumner i filen: {listed}.")
    has_coordinates = "coord_a" in columns and "coord_b" in columns
    if not has_coordinates and "area_code" not in columns and "municipality" not in columns:
        raise ImportValidationError(f"{file_name}: hittar varken koordinatkolumner (X/Y, N/E, "
                                    f"Latitud/Longitud) eller en områdeskod. Kolumner i filen: {listed}.")
    if "category" not in columns:
        raise ImportValidationError(f"{file_name}: hittar ingen kategorikolumn (t.ex. 'Brottstyp', "
                                    f"'Kategori', 'Typ'). Kolumner i filen: {listed}.")
    return time_col


def parse_point_frame(table: pd.DataFrame, data: bytes, file_name: str, *, kind: str, source: str,
                      options: ImportOptions) -> ParsedFile:
    headers = list(table.columns)
    columns = detect_columns(headers, options.mapping)
    time_col = _time_column(columns, headers, file_name)
    has_coordinates = "coord_a" in columns and "coord_b" in columns

    problems: list[ImportProblem] = []
    rows = excel_rows(table.index)
    reject = np.zeros(len(table), dtype=bool)

    def col(field: str) -> pd.Series | None:
        name = columns.get(field)
        return table[name] if name else None

    # When: a single time or a from–to span; a date column with a separate time column
    # (Datum + Tid, Från datum + Från tid), or one column holding both.
    start, start_date_only = when(table, time_col, columns.get("from_time"), rows, file_name,
                                  problems)
    for i in np.flatnonzero(start.isna().to_numpy()):
        raw = str(table[time_col].iat[i]).strip()
        problems.append(ImportProblem(file_name, int(rows[i]), time_col,
                                      f"ogiltigt datum '{raw}'" if raw else "datum saknas"))
    reject |= start.isna().to_numpy()
    reject |= implausible_dates(start, rows, time_col, file_name, problems, skip=reject)
    end = _span_end(table, columns, start, reject, rows, file_name, problems)

    # Where: a point, or only an area code.
    x = pd.Series(np.nan, index=table.index)
    y = pd.Series(np.nan, index=table.index)
    used_crs = None
    if has_coordinates:
        located = locate(table, (columns["coord_a"], columns["coord_b"]), rows, file_name, problems,
                         crs=options.crs)
        x, y, used_crs = located.x, located.y, located.crs
        reject |= located.bad & ~reject
    area_code = _text_column(col("area_code"), table.index)
    municipality = _text_column(col("municipality"), table.index)
    if "area_code" not in columns:  # only the kommun is known: area precision, like the police API
        area_code = municipality.copy()
    no_place = (x.isna() & area_code.isna()).to_numpy() & ~reject
    where = columns.get("coord_a") or columns.get("area_code") or columns.get("municipality")
    for i in np.flatnonzero(no_place):
        problems.append(ImportProblem(file_name, int(rows[i]), where,
                                      "plats saknas (varken koordinater eller områdeskod)"))
    reject |= no_place

    # What.
    original = table[columns["category"]].astype("string").str.strip()
    category = normalise_categories(original.replace("", pd.NA), kind, options.category_overrides)
    missing = original.eq("").to_numpy() & ~reject
    for i in np.flatnonzero(missing):
        problems.append(ImportProblem(file_name, int(rows[i]), columns["category"], "kategori saknas"))
    reject |= missing
    texts = {"source_id": columns.get("source_id"), "category_original": columns["category"],
             "area_code": columns.get("area_code"),
             "status": columns.get("status") if kind != KIND_INCIDENT else None}
    reject |= overlong(table, {f: h for f, h in texts.items() if h}, rows, file_name, problems,
                       skip=reject)

    keep = ~reject
    frame = pd.DataFrame(index=table.index[keep])
    frame["category"] = category[keep]
    frame["category_original"] = original[keep]
    frame["x"], frame["y"] = x[keep], y[keep]
    frame["area_code"] = area_code[keep]
    frame["precision"] = np.where(frame["x"].notna(), PRECISION_EXACT, PRECISION_AREA)
    redacted: Counter[str] = Counter()
    description = col("description")
    if description is not None:
        text, redacted, _hits = redact_series(description[keep])
        frame["description"] = text.replace("", pd.NA)
    frame["date_only"] = start_date_only[keep]
    if kind == KIND_INCIDENT:
        frame["occurred_from"] = start[keep]
        frame["occurred_to"] = end[keep] if end is not None else pd.NaT
    else:
        frame["reported_at"] = start[keep]
        _fault_report_fields(frame, table, columns, start, keep, rows, file_name, problems)
    frame["source_id"] = _source_ids(frame, col("source_id"), keep)
    canonical = conform(frame, kind)
    protect_sensitive(canonical, options.sensitive)
    problems.sort(key=lambda p: (p.row or 0))
    extra = {"municipality": municipality[keep].reset_index(drop=True)} if "municipality" in columns else {}
    return ParsedFile(kind=kind, source=source, file_name=file_name, content_hash=file_hash(data),
                      frame=canonical, problems=problems, redacted=Counter(redacted),
                      crs=used_crs, rejected=int(reject.sum()), source_rows=rows[keep],
                      extra=extra)


def _fault_report_fields(frame: pd.DataFrame, table: pd.DataFrame, columns: dict[str, str], start: pd.Series,
                         keep: np.ndarray, rows: np.ndarray, file_name: str, problems: list[ImportProblem]) -> None:
    """A felanmälan's "åtgärdad" time (a bad or implausible one: the row is imported as not
    fixed, with a problem line) and its status, onto the kept rows of ``frame``."""
    fixed_col = columns.get("fixed_at")
    if fixed_col:
        fixed = parse_datetimes(table[fixed_col])
        for i in np.flatnonzero(bad_where_given(table[fixed_col], fixed) & keep):
            problems.append(ImportProblem(file_name, int(rows[i]), fixed_col,
                                          f"ogiltigt datum '{table[fixed_col].iat[i]}' – "
                                          "raden importeras som ej åtgärdad"))
        fixed = fixed.mask(pd.Series(_implausible_fix(fixed, start, keep, rows, fixed_col, file_name,
                                                      problems), index=fixed.index))
        frame["fixed_at"] = fixed[keep]
    if "status" in columns:
        frame["status"] = table[columns["status"]][keep].astype("string").replace("", pd.NA)


def _text_column(values: pd.Series | None, index: pd.Index) -> pd.Series:
    if values is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    return values.astype("string").str.strip().replace("", pd.NA)


def protect_sensitive(frame: pd.DataFrame, sensitive: frozenset[str]) -> None:
    """Rows of sensitive categories keep only their area: the point is kept aside as
    ``area_hint_x/y`` for assigning the area when stored, then dropped (precision ``area``)."""
    hidden = frame["category"].isin(sensitive).to_numpy()
    frame["area_hint_x"] = frame["x"].where(hidden)
    frame["area_hint_y"] = frame["y"].where(hidden)
    frame.loc[hidden, ["x", "y"]] = np.nan
    frame.loc[hidden, "precision"] = PRECISION_AREA


def when(table: pd.DataFrame, date_col: str, time_col: str | None, rows: np.ndarray,
         file_name: str, problems: list[ImportProblem]) -> tuple[pd.Series, pd.Series]:
    """(datetimes, date-only flags) from a date column and an optional separate time column.

    A date without a time is flagged date only (never read as midnight); a time cell that is
    filled in but unreadable is a problem naming its row and column, and the row keeps its date.
    """
    dates = parse_datetimes(table[date_col])
    only = date_only(table[date_col], dates)
    if time_col is not None:
        times = parse_times(table[time_col])
        add = only & times.notna()
        dates = dates.mask(add, dates + times)
        only = only & ~add
        bad = bad_where_given(table[time_col], times) & dates.notna().to_numpy()
        for i in np.flatnonzero(bad):
            problems.append(ImportProblem(file_name, int(rows[i]), time_col,
                                          f"ogiltig tid '{str(table[time_col].iat[i]).strip()}' – "
                                          "raden importeras med bara datum"))
    return dates, only


def _span_end(table, columns, start, reject, rows, file_name, problems) -> pd.Series | None:
    end_col = columns.get("to_date") or columns.get("to_datetime")
    if not end_col:
        return None
    end, end_date_only = when(table, end_col, columns.get("to_time"), rows, file_name, problems)
    # "till 5 mars" without a time means through that day
    end = end.mask(end_date_only, end + pd.Timedelta(hours=23, minutes=59))
    for i in np.flatnonzero(bad_where_given(table[end_col], end) & ~reject):
        problems.append(ImportProblem(file_name, int(rows[i]), end_col,
                                      f"ogiltigt slutdatum '{table[end_col].iat[i]}' – raden "
                                      "importeras utan slutdatum"))
    backwards = (end < start).to_numpy() & ~reject
    for i in np.flatnonzero(backwards):
        problems.append(ImportProblem(file_name, int(rows[i]), end_col,
                                      "slutdatum före startdatum – raden importeras utan slutdatum"))
    odd = implausible_dates(end, rows, end_col, file_name, problems, skip=reject | backwards,
                            consequence="raden importeras utan slutdatum")
    return end.mask(pd.Series(backwards | odd, index=end.index))


def _implausible_fix(fixed: pd.Series, reported: pd.Series, keep: np.ndarray, rows: np.ndarray,
                     column: str, file_name: str, problems: list[ImportProblem]) -> np.ndarray:
    """Rows whose 'fixed' date is implausible or before the report (a date without a time on
    the day of the report is not): they are imported as not fixed."""
    odd = implausible_dates(fixed, rows, column, file_name, problems, skip=~keep,
                            consequence="raden importeras som ej åtgärdad")
    same_day = (fixed == fixed.dt.normalize()) & (fixed.dt.normalize() == reported.dt.normalize())
    before = ((fixed < reported) & ~same_day).to_numpy() & keep & ~odd
    for i in np.flatnonzero(before):
        problems.append(ImportProblem(
            file_name, int(rows[i]), column,
            f"åtgärdad {fixed.iat[i]:%Y-%m-%d} före anmälan {reported.iat[i]:%Y-%m-%d} – raden "
            "importeras som ej åtgärdad"))
    return odd | before


def _source_ids(frame: pd.DataFrame, ids: pd.Series | None, keep: np.ndarray) -> pd.Series:
    """The file's own ids where given, else ids from the row's content."""
    time_field = "occurred_from" if "occurred_from" in frame else "reported_at"
    basis = [c for c in (time_field, "category_original", "x", "y", "area_code") if c in frame]
    given = (ids[keep].astype("string").str.strip().fillna("") if ids is not None
             else pd.Series("", index=frame.index, dtype="string"))
    missing = given.eq("").to_numpy()
    if not missing.any():
        return given
    out = given.copy()
    out[missing] = content_ids(frame[missing], basis)
    return out
