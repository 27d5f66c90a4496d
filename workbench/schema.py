"""Canonical frames: the columns and vocabularies every importer produces and every analysis reads.

Times are naive local Swedish time (Europe/Stockholm); coordinates are SWEREF 99 TM (EPSG:3006).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # pandas only for conform(): the CLI's parser reads the vocabularies without it
    import pandas as pd

# Location precision of a stored row.
PRECISION_EXACT: Final = "exact"  # a real point (possibly generalised to a few metres)
PRECISION_SNAPPED: Final = "snapped"  # snapped to an anonymisation point (data.police.uk style)
PRECISION_AREA: Final = "area"  # only the area/kommun is known; never drawn as a point
PRECISIONS: Final = (PRECISION_EXACT, PRECISION_SNAPPED, PRECISION_AREA)
POINT_PRECISIONS: Final = (PRECISION_EXACT, PRECISION_SNAPPED)

# Data kinds (tables) and the sources a row can come from.
KIND_INCIDENT: Final = "incident"
KIND_FAULT_REPORT: Final = "fault_report"
KIND_WALK_OBSERVATION: Final = "walk_observation"

SOURCE_POLICE: Final = "police"  # kommunpolis exports, police events, open police data
SOURCE_MUNICIPALITY: Final = "municipality"  # the municipality's felanmälan system
SOURCE_HOUSING: Final = "housing"  # the housing company's reports
SOURCE_WALK: Final = "walk"  # trygghetsvandringar
SOURCES: Final = (SOURCE_POLICE, SOURCE_MUNICIPALITY, SOURCE_HOUSING, SOURCE_WALK)

SOURCE_LABELS_SV: Final = {
    SOURCE_POLICE: "Polisen",
    SOURCE_MUNICIPALITY: "Felanmälan (kommunen)",
    SOURCE_HOUSING: "Bostadsbolaget",
    SOURCE_WALK: "Trygghetsvandringar",
}

# Statuses of an åtgärd, in the order of its life; the open ones are still being worked on.
ACTION_PLANNED: Final = "planerad"
ACTION_ONGOING: Final = "pågår"
ACTION_DONE: Final = "genomförd"
ACTION_CANCELLED: Final = "avbruten"
ACTION_STATUSES: Final = (ACTION_PLANNED, ACTION_ONGOING, ACTION_DONE, ACTION_CANCELLED)
OPEN_ACTION_STATUSES: Final = (ACTION_PLANNED, ACTION_ONGOING)

# What a file given to Importera or `workbench import` holds (io.uploads.ALLOWED_SUFFIXES has
# the file types of each), with its Swedish label.
IMPORT_KIND_LABELS_SV: Final = {
    "incidents": "Polisens händelser (export, händelse-API, öppna polisdata)",
    "fault-reports": "Felanmälningar från kommunen (CSV/XLSX, Open311)",
    "housing-reports": "Bostadsbolagets ärenden (CSV/XLSX)",
    "walks": "Trygghetsvandring – iakttagelser (GeoJSON, GeoPackage, CSV)",
    "areas": "Områden (GeoJSON, GeoPackage, zippad Shapefile)",
    "places": "Platser (GeoJSON, GeoPackage, zippad Shapefile)",
    "area-indicators": "Områdesindikatorer (trygghetsundersökning, problemindex, befolkning)",
}
IMPORT_KINDS: Final = tuple(IMPORT_KIND_LABELS_SV)

# The documents of Rapporter and `workbench report`: the formats each is made in, its Swedish
# label. (`workbench report planning` adds the planner's trygghetsbedömning.)
REPORT_FORMATS: Final = {
    "situation": ("html", "pdf"),
    "action-plan": ("html", "pdf", "xlsx"),
    "minutes": ("html", "pdf"),
    "feedback": ("html", "pdf"),
    "agreement-follow-up": ("html", "pdf"),
}
REPORT_KIND_LABELS_SV: Final = {
    "situation": "Lägesbild", "action-plan": "Åtgärdsplan", "minutes": "Protokoll från EST-möte",
    "feedback": "Återkoppling (publik)", "agreement-follow-up": "Uppföljning av överenskommelsen",
}
REPORT_KINDS: Final = tuple(REPORT_FORMATS)

# Columns of each canonical frame, with pandas dtypes.
INCIDENT_COLUMNS: Final = {
    "source_id": "string",
    "category": "string",
    "category_original": "string",
    "occurred_from": "datetime64[ns]",
    "occurred_to": "datetime64[ns]",
    "date_only": "bool",  # the source gave a date without a time of day: no hour-of-day figures
    "x": "float64",
    "y": "float64",
    "precision": "string",
    "area_code": "string",
    "description": "string",
}

FAULT_REPORT_COLUMNS: Final = {
    "source_id": "string",
    "category": "string",
    "category_original": "string",
    "reported_at": "datetime64[ns]",
    "fixed_at": "datetime64[ns]",
    "date_only": "bool",
    "status": "string",
    "x": "float64",
    "y": "float64",
    "precision": "string",
    "area_code": "string",
    "description": "string",
}

WALK_OBSERVATION_COLUMNS: Final = {
    "source_id": "string",
    "walk_ref": "string",
    "category": "string",
    "category_original": "string",
    "observed_at": "datetime64[ns]",
    "priority": "Int64",
    "comment": "string",
    "photo_ref": "string",
    "status": "string",
    "x": "float64",
    "y": "float64",
    "precision": "string",
}

COLUMNS_BY_KIND: Final = {
    KIND_INCIDENT: INCIDENT_COLUMNS,
    KIND_FAULT_REPORT: FAULT_REPORT_COLUMNS,
    KIND_WALK_OBSERVATION: WALK_OBSERVATION_COLUMNS,
}

# Longest text a stored column takes (the String(n) of store/tables.py; a test keeps them equal).
# Importers refuse a longer value per row, before PostgreSQL would refuse the whole file.
TEXT_LIMITS: Final = {
    "source_id": 100, "category": 100, "category_original": 200, "area_code": 50, "status": 50,
    "walk_ref": 100, "photo_ref": 500, "name": 200, "code": 50, "kind": 50, "area_name": 200,
    "indicator": 200,
}
# Plausible values of imported numbers, checked per row.
PLACE_RADIUS_M: Final = (5.0, 5000.0)  # a place's radius (also the app's and the CLI's bounds)
MAX_POPULATION: Final = 11_000_000  # an area cannot have more inhabitants than Sweden

# The time column that places a row in a period, per kind.
TIME_COLUMN: Final = {
    KIND_INCIDENT: "occurred_from",
    KIND_FAULT_REPORT: "reported_at",
    KIND_WALK_OBSERVATION: "observed_at",
}


def conform(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns of ``kind`` (missing ones empty)."""
    columns = COLUMNS_BY_KIND[kind]
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for name, dtype in columns.items():
        if dtype == "bool":  # a flag: missing means False
            out[name] = (frame[name].fillna(False).astype(bool) if name in frame.columns
                         else pd.Series(False, index=frame.index))
        elif name in frame.columns:
            out[name] = frame[name].astype(dtype)
        else:
            out[name] = pd.Series(pd.NA if dtype != "float64" else float("nan"),
                                  index=frame.index).astype(dtype)
    return out.reset_index(drop=True)
