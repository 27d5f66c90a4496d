"""Open311 GeoReport v2 service requests (felanmälan) → canonical fault-report frames."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from workbench.anonymise.scan import redact_series
from workbench.errors import ImportProblem, ImportValidationError
from workbench.geo.crs import WGS84
from workbench.io.importers.base import ImportOptions, ParsedFile, file_hash
from workbench.io.importers.jsonfile import read_records
from workbench.io.importers.locate import locate
from workbench.io.importers.parse import parse_datetimes
from workbench.io.importers.values import implausible_dates
from workbench.schema import KIND_FAULT_REPORT, PRECISION_EXACT, conform
from workbench.taxonomy import normalise_categories

REQUIRED = ("service_request_id", "requested_datetime")
CLOSED = {"closed", "stängd", "avslutad", "åtgärdad"}


def looks_like(records: list[dict]) -> bool:
    return bool(records) and all(k in records[0] for k in REQUIRED)


def parse_open311(data: bytes, file_name: str, *, source: str, options: ImportOptions) -> ParsedFile:
    """Requests with a point; ``updated_datetime`` counts as fixed only when ``status`` is closed.

    ``address`` and ``media_url`` are not stored: an address can point at a home, and the photo
    is outside the workbench's control. ``description`` is scanned and redacted.
    """
    records = read_records(data, file_name, list_keys=("requests", "service_requests"))
    if not looks_like(records):
        raise ImportValidationError(
            f"{file_name}: ser inte ut som Open311 (saknar {', '.join(REQUIRED)})."
        )
    fields = ("service_request_id", "service_name", "requested_datetime", "updated_datetime",
              "status", "description", "lat", "long")
    table = pd.DataFrame({f: ["" if r.get(f) is None else str(r.get(f)) for r in records]
                          for f in fields})
    rows = np.arange(1, len(table) + 1)  # position in the JSON list
    problems: list[ImportProblem] = []
    reported = parse_datetimes(table["requested_datetime"])
    bad_time = reported.isna().to_numpy()
    for i in np.flatnonzero(bad_time):
        problems.append(ImportProblem(file_name, int(rows[i]), "requested_datetime", "ogiltig tidpunkt"))
    bad_time = bad_time | implausible_dates(reported, rows, "requested_datetime", file_name, problems,
                                            skip=bad_time)
    located = locate(table, ("long", "lat"), rows, file_name, problems, known_crs=WGS84,
                     first_is_north=False, require_sweden=False)
    no_point = located.x.isna().to_numpy() & ~bad_time & ~located.bad
    for i in np.flatnonzero(no_point):
        problems.append(ImportProblem(file_name, int(rows[i]), "lat", "koordinater saknas"))
    no_id = table["service_request_id"].str.strip().eq("").to_numpy()
    for i in np.flatnonzero(no_id & ~bad_time):
        problems.append(ImportProblem(file_name, int(rows[i]), "service_request_id", "id saknas"))
    keep = ~(bad_time | located.bad | no_point | no_id)
    status = table["status"].str.strip().str.lower()
    fixed = parse_datetimes(table["updated_datetime"]).where(status.isin(CLOSED))
    odd = implausible_dates(fixed, rows, "updated_datetime", file_name, problems, skip=~keep,
                            consequence="ärendet importeras som ej åtgärdat")
    early = (fixed < reported).to_numpy() & keep & ~odd
    for i in np.flatnonzero(early):
        problems.append(ImportProblem(file_name, int(rows[i]), "updated_datetime",
                                      "åtgärdat före anmälan – ärendet importeras som ej åtgärdat"))
    fixed = fixed.mask(pd.Series(odd | early, index=fixed.index))
    description, redacted, _ = redact_series(table["description"][keep])
    original = table["service_name"].str.strip().replace("", "Okänd")
    frame = pd.DataFrame({
        "source_id": table["service_request_id"][keep].str.strip(),
        "category_original": original[keep],
        "category": normalise_categories(original[keep], KIND_FAULT_REPORT, options.category_overrides),
        "reported_at": reported[keep],
        "fixed_at": fixed[keep],
        "status": table["status"][keep].replace("", pd.NA),
        "x": located.x[keep], "y": located.y[keep],
        "precision": PRECISION_EXACT,
        "description": description.replace("", pd.NA),
    })
    problems.sort(key=lambda p: p.row or 0)
    return ParsedFile(kind=KIND_FAULT_REPORT, source=source, file_name=file_name,
                      content_hash=file_hash(data), frame=conform(frame, KIND_FAULT_REPORT),
                      problems=problems, redacted=Counter(redacted), crs=WGS84,
                      rejected=int((~keep).sum()), source_rows=rows[keep])
