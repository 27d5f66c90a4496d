"""Canonical frames: the columns and vocabularies every importer produces and every analysis reads.

Times are naive local Swedish time (Europe/Stockholm); coordinates are SWEREF 99 TM (EPSG:3006).
"""

from __future__ import annotations

from typing import Final

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

# Columns of each canonical frame, with pandas dtypes.
INCIDENT_COLUMNS: Final = {
    "source_id": "string",
    "category": "string",
    "category_original": "string",
    "occurred_from": "datetime64[ns]",
    "occurred_to": "datetime64[ns]",
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

# The time column that places a row in a period, per kind.
TIME_COLUMN: Final = {
    KIND_INCIDENT: "occurred_from",
    KIND_FAULT_REPORT: "reported_at",
    KIND_WALK_OBSERVATION: "observed_at",
}


def conform(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns of ``kind`` (missing ones empty)."""
    columns = COLUMNS_BY_KIND[kind]
    out = pd.DataFrame(index=frame.index)
    for name, dtype in columns.items():
        if name in frame.columns:
            out[name] = frame[name].astype(dtype)
        else:
            out[name] = pd.Series(pd.NA if dtype != "float64" else float("nan"),
                                  index=frame.index).astype(dtype)
    return out.reset_index(drop=True)
