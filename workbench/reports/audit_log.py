"""The audit log as a table a person reads (Logg page) and exports (CSV/Excel)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

VERB_LABELS = {
    "insert": "skapade", "update": "ändrade", "delete": "tog bort", "import": "importerade",
    "export": "exporterade", "sign_in": "loggade in", "sign_in_failed": "misslyckad inloggning",
    "user_add": "lade till användare", "user_change": "ändrade användare",
    "user_remove": "tog bort användare", "close": "avslutade",
}


def _json(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return json.dumps(value, ensure_ascii=False, default=str)


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """``store.audit.entries`` as Swedish columns: time, who, what (in words), entity, id, before
    and after as JSON text."""
    return pd.DataFrame({
        "Tid": pd.to_datetime(log["at"]).dt.strftime("%Y-%m-%d %H:%M:%S") if len(log) else [],
        "Vem": log["actor"], "Händelse": [VERB_LABELS.get(v, v) for v in log["verb"]],
        "Gäller": log["entity"], "Id": log["entity_id"],
        "Före": [_json(v) for v in log["before"]], "Efter": [_json(v) for v in log["after"]],
    })
