"""Value checks shared by the importers: each odd value is one row problem, never a failed file.

Texts longer than the store takes, numbers out of range or not finite, dates before the earliest
plausible year or in the future. Each check returns the rows to refuse (or to import without
the value) and appends a Swedish problem naming file, row and column.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from workbench import numbers as nf
from workbench.config import Settings
from workbench.errors import ImportProblem
from workbench.io.importers.base import ParsedFile
from workbench.schema import TEXT_LIMITS

FUTURE_MARGIN = timedelta(days=1)  # a clock a little ahead, or a report filed tonight


def sv_number(value: float) -> str:
    """12 345,5 – the Swedish way, for messages."""
    return nf.integer(value) if float(value).is_integer() else nf.decimal(value, 2)


def overlong(table: pd.DataFrame, columns: dict[str, str], rows: np.ndarray, file_name: str,
             problems: list[ImportProblem], *, skip: np.ndarray | None = None) -> np.ndarray:
    """Rows where a mapped text column (canonical field → header) is longer than the store takes."""
    bad = np.zeros(len(table), dtype=bool)
    for field, header in columns.items():
        limit = TEXT_LIMITS.get(field)
        if limit is None or header not in table:
            continue
        length = table[header].astype("string").fillna("").str.strip().str.len().to_numpy()
        over = (length > limit) & ~bad & (True if skip is None else ~skip)
        for i in np.flatnonzero(over):
            problems.append(ImportProblem(file_name, int(rows[i]), header,
                                          f"texten är {sv_number(length[i])} tecken, fler än de "
                                          f"{limit} som kan lagras – raden importeras inte"))
        bad |= over
    return bad


def out_of_range(values: pd.Series, low: float, high: float) -> np.ndarray:
    """Given values that are not finite or outside [low, high] (missing values are not)."""
    number = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    with np.errstate(invalid="ignore"):
        return ~np.isnan(number) & ~((number >= low) & (number <= high))


def earliest_year(settings: Settings | None = None) -> int:
    return (settings or Settings.load()).earliest_year


def implausible_dates(dates: pd.Series, rows: np.ndarray, column: str, file_name: str,
                      problems: list[ImportProblem], *, skip: np.ndarray | None = None,
                      first_year: int | None = None, now: datetime | None = None,
                      consequence: str = "raden importeras inte") -> np.ndarray:
    """Rows whose date is before ``first_year`` (WORKBENCH_EARLIEST_YEAR) or more than a day
    ahead of ``now``: a typo (2099, 1900) would otherwise move the default report period."""
    first_year = earliest_year() if first_year is None else first_year
    latest = (now or datetime.now()) + FUTURE_MARGIN
    values = pd.to_datetime(dates, errors="coerce")
    early = (values.dt.year < first_year).fillna(False).to_numpy(dtype=bool)
    late = (values > latest).fillna(False).to_numpy(dtype=bool)
    bad = (early | late) & (True if skip is None else ~skip)
    for i in np.flatnonzero(bad):
        when = values.iat[i]
        text = when.strftime("%Y-%m-%d") if when == when.normalize() else when.strftime("%Y-%m-%d %H:%M")
        reason = (f"är före {first_year} (WORKBENCH_EARLIEST_YEAR)" if early[i]
                  else "ligger i framtiden")
        problems.append(ImportProblem(file_name, int(rows[i]), column,
                                      f"datumet {text} {reason} – troligen ett skrivfel; {consequence}"))
    return bad


_FIELD_LABELS = {"source_id": "id", "category_original": "kategori", "category": "kategori",
                 "area_code": "områdeskod", "status": "status", "walk_ref": "vandring",
                 "photo_ref": "foto"}


def refuse_overlong(parsed: ParsedFile) -> ParsedFile:
    """The last guard before the store: rows of any importer whose text is longer than its column
    takes are refused with a problem (PostgreSQL would refuse the whole file, echoing SQL).
    The table importers refuse them earlier, by their header; this catches the JSON formats."""
    frame = parsed.frame
    rows = None if parsed.source_rows is None else np.asarray(parsed.source_rows)
    bad = np.zeros(len(frame), dtype=bool)
    problems: list[ImportProblem] = []
    for column, limit in TEXT_LIMITS.items():
        if column not in frame:
            continue
        length = frame[column].astype("string").str.len().fillna(0).to_numpy()
        over = (length > limit) & ~bad
        for i in np.flatnonzero(over):
            ident = str(frame["source_id"].iat[i])[:40] if "source_id" in frame else "?"
            problems.append(ImportProblem(
                parsed.file_name, None if rows is None else int(rows[i]),
                _FIELD_LABELS.get(column, column),
                f"raden med id '{ident}' har {sv_number(length[i])} tecken i fältet, fler än de "
                f"{limit} som kan lagras – raden importeras inte"))
        bad |= over
    if not bad.any():
        return parsed
    return replace(parsed, frame=frame[~bad].reset_index(drop=True),
                   source_rows=None if rows is None else rows[~bad],
                   problems=sorted(problems + parsed.problems, key=lambda p: p.row or 0),
                   rejected=parsed.rejected + int(bad.sum()))
