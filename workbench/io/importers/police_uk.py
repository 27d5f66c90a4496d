"""Open police data shaped like data.police.uk street-level CSVs (snapped points, monthly)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.anonymise.scan import redact_series
from workbench.errors import ImportProblem
from workbench.geo.crs import WGS84
from workbench.io.importers.base import ImportOptions, ParsedFile, content_ids, file_hash
from workbench.io.importers.locate import locate
from workbench.io.importers.parse import parse_datetimes
from workbench.io.importers.tabular import excel_rows, protect_sensitive
from workbench.io.importers.values import implausible_dates
from workbench.schema import (
    KIND_INCIDENT,
    PRECISION_AREA,
    PRECISION_SNAPPED,
    SOURCE_POLICE,
    conform,
)
from workbench.taxonomy import normalise_categories

REQUIRED = ("Month", "Longitude", "Latitude", "Crime type")


def looks_like(headers: list[str]) -> bool:
    return all(h in headers for h in REQUIRED)


def parse_police_uk(table: pd.DataFrame, data: bytes, file_name: str,
                    options: ImportOptions) -> ParsedFile:
    """Each row is one crime in a month at an anonymised (snapped) point; ``Month`` is a span."""
    rows = excel_rows(table.index)
    problems: list[ImportProblem] = []
    month_start = parse_datetimes(table["Month"].str.strip() + "-01")
    bad_month = month_start.isna().to_numpy()
    for i in np.flatnonzero(bad_month):
        problems.append(ImportProblem(file_name, int(rows[i]), "Month",
                                      f"ogiltig månad '{table['Month'].iat[i]}'"))
    bad_month = bad_month | implausible_dates(month_start, rows, "Month", file_name, problems,
                                              skip=bad_month)
    month_end = month_start + pd.offsets.MonthEnd(0) + pd.Timedelta(hours=23, minutes=59)
    located = locate(table, ("Longitude", "Latitude"), rows, file_name, problems,
                     known_crs=WGS84, first_is_north=False, require_sweden=False)
    lsoa = (table["LSOA code"].astype("string").str.strip().replace("", pd.NA)
            if "LSOA code" in table else pd.Series(pd.NA, index=table.index, dtype="string"))
    no_place = located.x.isna().to_numpy() & lsoa.isna().to_numpy() & ~bad_month
    for i in np.flatnonzero(no_place):
        problems.append(ImportProblem(file_name, int(rows[i]), "Longitude",
                                      "plats saknas (varken koordinater eller LSOA-kod)"))
    original = table["Crime type"].astype("string").str.strip()
    missing = original.eq("").to_numpy() & ~bad_month & ~no_place
    for i in np.flatnonzero(missing):
        problems.append(ImportProblem(file_name, int(rows[i]), "Crime type", "brottstyp saknas"))
    keep = ~(bad_month | no_place | missing | located.bad)
    frame = pd.DataFrame({
        "category_original": original[keep],
        "category": normalise_categories(original[keep], KIND_INCIDENT, options.category_overrides),
        "occurred_from": month_start[keep],
        "occurred_to": month_end[keep],
        "date_only": True,  # only the month is known: no time of day
        "x": located.x[keep], "y": located.y[keep],
        "area_code": lsoa[keep],
    })
    context = (table["Context"][keep] if "Context" in table
               else pd.Series(pd.NA, index=frame.index, dtype="string"))
    text, redacted, _ = redact_series(context)
    frame["description"] = text.replace("", pd.NA).to_numpy()
    frame["precision"] = np.where(frame["x"].notna(), PRECISION_SNAPPED, PRECISION_AREA)
    # Anti-social behaviour has no Crime ID, and one ID can stand on several rows: rows without
    # an ID get content ids; a repeated ID is the same crime (a duplicate).
    given = (table["Crime ID"][keep].astype("string").str.strip() if "Crime ID" in table
             else pd.Series("", index=frame.index, dtype="string"))
    generated = content_ids(frame, ["occurred_from", "category_original", "x", "y", "area_code"])
    frame["source_id"] = ("uk:" + given).where(given.ne(""), generated)
    canonical = conform(frame, KIND_INCIDENT)
    protect_sensitive(canonical, options.sensitive)
    problems.sort(key=lambda p: p.row or 0)
    return ParsedFile(kind=KIND_INCIDENT, source=SOURCE_POLICE, file_name=file_name,
                      content_hash=file_hash(data), frame=canonical, problems=problems,
                      redacted=redacted, crs=WGS84, rejected=int((~keep).sum()),
                      source_rows=rows[keep])
