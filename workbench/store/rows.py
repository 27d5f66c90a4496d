"""Helpers every store module shares: the tables of the imported kinds, rows as plain values,
and reading a query inside a transaction or on a new connection."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from workbench.schema import KIND_FAULT_REPORT, KIND_INCIDENT, KIND_WALK_OBSERVATION
from workbench.store import tables as t

TABLE_BY_KIND = {
    KIND_INCIDENT: t.Incident.__table__,
    KIND_FAULT_REPORT: t.FaultReport.__table__,
    KIND_WALK_OBSERVATION: t.WalkObservation.__table__,
}
CHUNK = 20_000


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (NaN/NaT/NA → None)."""
    out = frame.astype(object).where(frame.notna(), None)
    records = out.to_dict("records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                record[key] = value.to_pydatetime()
            elif isinstance(value, np.generic):
                record[key] = value.item()
    return records


def _fetch(engine: Engine | Connection, query) -> list:
    if isinstance(engine, Connection):
        return list(engine.execute(query).all())
    with engine.connect() as conn:
        return list(conn.execute(query).all())


def fetch_records(engine: Engine | Connection, query) -> list[dict[str, Any]]:
    """The rows of ``query`` as dicts, inside the given transaction or on a new connection."""
    return [dict(row._mapping) for row in _fetch(engine, query)]
