"""Swedish Police events (polisen.se/api/events): area precision, linked to the kommun.

The API's ``gps`` is the centre of the kommun or län, not the incident site, so these rows are
stored without a point (precision ``area``) and never enter grids or hot-spot maps. The time of the
event is read from ``name`` ("19 januari 14.29, Brand, Laxå"); ``datetime`` is when it was published.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pandas as pd

from workbench.anonymise.scan import redact_series
from workbench.errors import ImportProblem, ImportValidationError
from workbench.io.importers.base import ImportOptions, ParsedFile, file_hash
from workbench.io.importers.jsonfile import read_records
from workbench.io.importers.parse import parse_datetimes
from workbench.schema import KIND_INCIDENT, PRECISION_AREA, SOURCE_POLICE, conform
from workbench.taxonomy import normalise_categories

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
_NAME_TIME = re.compile(r"^\s*(\d{1,2}) (" + "|".join(MONTHS) + r")\s+(\d{1,2})[.:](\d{2})", re.I)
REQUIRED = ("id", "datetime", "type", "location")


def looks_like(records: list[dict]) -> bool:
    return bool(records) and all(k in records[0] for k in REQUIRED) and isinstance(
        records[0].get("location"), dict)


def event_time(name: str, published: datetime | None) -> datetime | None:
    """The event time in ``name``, in the year that makes it at or before publication.

    >>> event_time("31 december 23.50, Brand, Borås", datetime(2025, 1, 1, 0, 10))
    datetime.datetime(2024, 12, 31, 23, 50)
    """
    match = _NAME_TIME.match(name or "")
    if not match or published is None:
        return published
    day, month_name, hour, minute = match.groups()
    month = MONTHS.index(month_name.lower()) + 1
    year = published.year - (1 if month > published.month else 0)
    try:
        return datetime(year, month, int(day), int(hour), int(minute))
    except ValueError:
        return published


def municipality_name(organisation: str) -> str:
    """'Borås stad' → 'Borås', 'Mark kommun' → 'Mark', 'Region Gotland' stays."""
    return re.sub(r"\s+(stad|kommun|kommuns?)$", "", organisation.strip(), flags=re.I)


def parse_police_api(data: bytes, file_name: str, organisation: str | None,
                     options: ImportOptions | None = None) -> ParsedFile:
    """Events located in the organisation's kommun; the rest are reported, not stored. Without an
    organisation every event is kept, its kommun in ``area_code``, to be routed (services.routing)."""
    options = options or ImportOptions()
    records = read_records(data, file_name, list_keys=("events", "data"))
    if not looks_like(records):
        raise ImportValidationError(
            f"{file_name}: ser inte ut som polisens händelse-API (saknar {', '.join(REQUIRED)})."
        )
    frame = pd.DataFrame({
        "id": [str(r.get("id", "")).strip() for r in records],
        "published": [str(r.get("datetime") or "") for r in records],
        "name": [str(r.get("name") or "") for r in records],
        "type": [str(r.get("type") or "").strip() for r in records],
        "summary": [str(r.get("summary") or "") for r in records],
        "location": [str((r.get("location") or {}).get("name") or "").strip() for r in records],
    })
    published = parse_datetimes(frame["published"])
    occurred = pd.Series([event_time(n, p.to_pydatetime() if pd.notna(p) else None)
                          for n, p in zip(frame["name"], published, strict=True)],
                         index=frame.index, dtype="datetime64[ns]")
    problems: list[ImportProblem] = []
    # JSON has no spreadsheet rows: "row" is the 1-based position of the event in the list.
    kommun = "" if organisation is None else municipality_name(organisation)
    if organisation is None:
        elsewhere = pd.Series(False, index=frame.index)
    else:
        elsewhere = frame["location"].str.lower().ne(kommun.lower())
    bad_time = occurred.isna()
    no_id = frame["id"].eq("")
    for i in frame.index:
        if bad_time[i]:
            problems.append(ImportProblem(file_name, i + 1, "datetime", "ogiltig tidpunkt"))
        elif no_id[i]:
            problems.append(ImportProblem(file_name, i + 1, "id", "id saknas"))
        elif elsewhere[i]:
            problems.append(ImportProblem(
                file_name, i + 1, "location.name",
                f"händelsen gäller {frame.at[i, 'location'] or 'okänd plats'}, inte {kommun}"))
    keep = ~(bad_time | no_id | elsewhere)
    if not keep.any() and elsewhere.all():
        places = ", ".join(name for name, _ in Counter(frame["location"]).most_common(5))
        raise ImportValidationError(
            f"{file_name}: ingen händelse gäller {kommun} "
            f"(filen gäller t.ex. {places}). Välj rätt organisation."
        )
    kept = frame[keep]
    summary, redacted, _ = redact_series(kept["summary"])
    out = pd.DataFrame({
        "source_id": "api:" + kept["id"],
        "category_original": kept["type"],
        "category": normalise_categories(kept["type"].replace("", pd.NA), KIND_INCIDENT,
                                         options.category_overrides),
        "occurred_from": occurred[keep],
        "precision": PRECISION_AREA,
        "area_code": kept["location"],
        "description": summary.replace("", pd.NA),
    })
    return ParsedFile(kind=KIND_INCIDENT, source=SOURCE_POLICE, file_name=file_name,
                      content_hash=file_hash(data), frame=conform(out, KIND_INCIDENT),
                      problems=problems, redacted=Counter(redacted), crs=None,
                      rejected=int((~keep).sum()),
                      source_rows=(frame.index[keep.to_numpy()] + 1).to_numpy(),
                      extra={"format": "police-api"})
