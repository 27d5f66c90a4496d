"""Which importer reads a file: chosen from what the user says it is and what the file looks like."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from workbench.errors import ImportValidationError
from workbench.io.importers import open311, police_api, police_uk
from workbench.io.importers.base import ImportOptions, ParsedFile
from workbench.io.importers.read import read_table
from workbench.io.importers.tabular import parse_point_frame
from workbench.schema import (
    KIND_FAULT_REPORT,
    KIND_INCIDENT,
    SOURCE_HOUSING,
    SOURCE_MUNICIPALITY,
    SOURCE_POLICE,
)

# What the user says the file holds → (kind, source)
POINT_SOURCES = {
    "incidents": (KIND_INCIDENT, SOURCE_POLICE),
    "fault-reports": (KIND_FAULT_REPORT, SOURCE_MUNICIPALITY),
    "housing-reports": (KIND_FAULT_REPORT, SOURCE_HOUSING),
}

FORMAT_LABELS = {
    "police-api": "Polisens händelse-API (JSON)",
    "open311": "Open311 GeoReport v2 (JSON)",
    "police-uk": "Öppna polisdata i data.police.uk-form (CSV)",
    "table": "Tabell (CSV/XLSX)",
}


def _is_json(data: bytes, file_name: str) -> bool:
    return Path(file_name).suffix.lower() in {".json", ".geojson"} or data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"[", b"{")


def detect_format(source_name: str, data: bytes, file_name: str) -> str:
    """The importer format of ``data`` (see FORMAT_LABELS); raises for an unusable file."""
    kind, _ = POINT_SOURCES[source_name]
    if _is_json(data, file_name):
        return "police-api" if kind == KIND_INCIDENT else "open311"
    table, _ = read_table(data, file_name)
    if kind == KIND_INCIDENT and police_uk.looks_like(list(table.columns)):
        return "police-uk"
    return "table"


def parse_points(source_name: str, data: bytes, file_name: str, organisation: str | None,
                 options: ImportOptions | None = None) -> ParsedFile:
    """Parse a file of incidents, fault reports or housing-company reports in any supported format."""
    if source_name not in POINT_SOURCES:
        raise ImportValidationError(f"Okänd källa '{source_name}' (välj {', '.join(POINT_SOURCES)}).")
    options = options or ImportOptions()
    kind, source = POINT_SOURCES[source_name]
    if _is_json(data, file_name):
        if kind == KIND_INCIDENT:
            return police_api.parse_police_api(data, file_name, organisation, options)
        return open311.parse_open311(data, file_name, source=source, options=options)
    table, table_format = read_table(data, file_name)
    if kind == KIND_INCIDENT and police_uk.looks_like(list(table.columns)):
        parsed = police_uk.parse_police_uk(table, data, file_name, options)
    else:
        parsed = parse_point_frame(table, data, file_name, kind=kind, source=source, options=options)
    if table_format.problems:  # a repeated header: said first
        parsed = replace(parsed, problems=[*table_format.problems, *parsed.problems])
    return parsed


