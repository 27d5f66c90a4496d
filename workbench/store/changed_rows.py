"""Rows already stored under the same source id: read them back, compare content, update them.

A re-import whose row has the same (organisation, source, source id) but different content is a
*changed* row, not a duplicate: the import reports it and, when asked, updates the stored row and
writes the audit log with the values before and after.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, bindparam, select, update

from workbench.schema import KIND_FAULT_REPORT, KIND_INCIDENT
from workbench.store import repositories as repo

# The content a changed row is judged on (the normalised category follows the mapping, not the file).
COMPARED: dict[str, tuple[str, ...]] = {
    KIND_INCIDENT: ("category_original", "occurred_from", "occurred_to", "date_only", "x", "y",
                    "area_code", "description"),
    KIND_FAULT_REPORT: ("category_original", "reported_at", "fixed_at", "date_only", "status", "x",
                        "y", "area_code", "description"),
}
LOOKUP_CHUNK = 5000


def stored_rows(conn: Connection, kind: str, organisation_id: int, source: str,
                source_ids: list[str]) -> pd.DataFrame:
    """id, source_id and the compared columns of the stored rows with these source ids."""
    table = repo.TABLE_BY_KIND[kind]
    columns = [table.c.id, table.c.source_id, *(table.c[c] for c in COMPARED[kind])]
    rows: list[Any] = []
    for start in range(0, len(source_ids), LOOKUP_CHUNK):
        chunk = source_ids[start:start + LOOKUP_CHUNK]
        rows += conn.execute(select(*columns).where(
            table.c.organisation_id == organisation_id, table.c.source == source,
            table.c.source_id.in_(chunk))).all()
    return pd.DataFrame(rows, columns=["id", "source_id", *COMPARED[kind]])


TIMES = {"occurred_from", "occurred_to", "reported_at", "fixed_at"}


def _as_text(column: str, series: pd.Series) -> np.ndarray:
    """One comparable text per value: times to the second, coordinates to the decimetre."""
    if column in TIMES:
        return pd.to_datetime(series, errors="coerce").dt.strftime("%Y-%m-%d %H:%M:%S").fillna("").to_numpy()
    if column == "date_only":
        return series.astype(object).fillna(False).astype(bool).to_numpy()
    if column in ("x", "y"):
        return pd.to_numeric(series, errors="coerce").round(1).fillna(-1.0).to_numpy()
    return series.astype("string").fillna("").str.strip().to_numpy()


def differences(kind: str, new: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Per new row (index of ``new``) that has a stored row: the stored id and the names of the
    columns that differ (empty tuple = the same content)."""
    merged = new[["source_id", *COMPARED[kind]]].reset_index().merge(
        stored, on="source_id", how="inner", suffixes=("", "_stored"))
    changed_columns: list[list[str]] = [[] for _ in range(len(merged))]
    for column in COMPARED[kind]:
        differs = _as_text(column, merged[column]) != _as_text(column, merged[f"{column}_stored"])
        for i in np.flatnonzero(differs):
            changed_columns[i].append(column)
    return pd.DataFrame({"id": merged["id"].astype("int64").to_numpy(),
                         "columns": [tuple(c) for c in changed_columns]},
                        index=merged["index"].to_numpy())


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def update_rows(conn: Connection, kind: str, rows: pd.DataFrame, ids: pd.Series,
                stored: pd.DataFrame, changed: pd.Series, *, actor: str, organisation_id: int,
                batch_id: int) -> int:
    """Write the new content of the changed ``rows`` over their stored rows (``ids``), one audit
    entry per row with the changed values before and after."""
    if rows.empty:
        return 0
    table = repo.TABLE_BY_KIND[kind]
    columns = [c for c in (*COMPARED[kind], "category", "precision", "area_id") if c in rows]
    wkb = repo.point_wkb(rows["x"], rows["y"])
    before_by_id = stored.set_index("id")
    params = []
    for position, (index, row) in enumerate(rows.iterrows()):
        row_id = int(ids.loc[index])
        values = {c: _plain(row[c]) for c in columns}
        params.append({"_id": row_id, **values, "geom_wkb": wkb[position], "batch_id": batch_id})
        names = changed.loc[index]
        old = before_by_id.loc[row_id]
        repo.audit(conn, actor=actor, verb="update", entity=kind, entity_id=row_id,
                   organisation_id=organisation_id,
                   before={c: _jsonable(old[c]) for c in names},
                   after={c: _jsonable(row[c]) for c in names})
    statement = update(table).where(table.c.id == bindparam("_id")).values(
        **{c: bindparam(c) for c in [*columns, "geom_wkb", "batch_id"]})
    conn.execute(statement, params)
    return len(params)


def _jsonable(value: Any) -> Any:
    value = _plain(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "date") else value.isoformat()
    return value
