"""Import profiles (saved column mappings), the organisation's category mapping, and area
indicators (values per area and year; the population of an area)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select, update

from workbench.store import privacy
from workbench.store import tables as t
from workbench.store.db import new_id
from workbench.store.rows import _fetch, _records


def save_profile(conn: Connection, organisation_id: int, name: str, source_kind: str,
                 mapping: dict[str, str], crs: str | None) -> int:
    """Create or replace the named column-mapping profile."""
    table = t.ImportProfile.__table__
    name = privacy.redact_str(name)  # stored redacted, so look it up redacted (redact_key of a str)
    found = conn.execute(select(table.c.id).where(
        (table.c.organisation_id == organisation_id) & (table.c.name == name))).scalar()
    values = {"source_kind": source_kind, "mapping": dict(mapping), "crs": crs,
              "updated_at": datetime.now()}
    if found is None:
        return new_id(conn.execute(insert(table).values(organisation_id=organisation_id, name=name,
                                                     **values)))
    conn.execute(update(table).where(table.c.id == found).values(**values))
    return int(found)


def load_profiles(engine: Engine | Connection, organisation_id: int,
                  source_kind: str | None = None) -> list[dict[str, Any]]:
    table = t.ImportProfile.__table__
    query = select(table.c.name, table.c.source_kind, table.c.mapping, table.c.crs).where(
        table.c.organisation_id == organisation_id).order_by(table.c.name)
    if source_kind is not None:
        query = query.where(table.c.source_kind == source_kind)
    return [dict(row._mapping) for row in _fetch(engine, query)]


def set_category_mapping(conn: Connection, organisation_id: int, kind: str, original: str,
                         category: str) -> None:
    table = t.CategoryMapping.__table__
    key = privacy.redact_key(original.strip().lower())
    conn.execute(delete(table).where((table.c.organisation_id == organisation_id)
                                     & (table.c.kind == kind) & (table.c.original == key)))
    conn.execute(insert(table).values(organisation_id=organisation_id, kind=kind, original=key,
                                      category=category))


def category_overrides(engine: Engine | Connection, organisation_id: int, kind: str) -> dict[str, str]:
    table = t.CategoryMapping.__table__
    rows = _fetch(engine, select(table.c.original, table.c.category).where(
        (table.c.organisation_id == organisation_id) & (table.c.kind == kind)))
    return {original: category for original, category in rows}


def upsert_indicators(conn: Connection, organisation_id: int, rows: pd.DataFrame,
                      batch_id: int | None) -> tuple[int, int]:
    """Insert or update (area, year, indicator) values. Returns (inserted, updated)."""
    table = t.AreaIndicator.__table__
    existing = {(a, y, i): pk for pk, a, y, i in conn.execute(select(
        table.c.id, table.c.area_id, table.c.year, table.c.indicator).where(
        table.c.organisation_id == organisation_id)).all()}
    inserted = updated = 0
    for record in _records(rows):
        record["indicator"] = privacy.redact_key(record["indicator"])  # compared as stored
        key = (record["area_id"], record["year"], record["indicator"])
        if key in existing:
            conn.execute(update(table).where(table.c.id == existing[key]).values(
                value=record["value"], batch_id=batch_id))
            updated += 1
        else:
            conn.execute(insert(table).values(organisation_id=organisation_id, batch_id=batch_id,
                                              **record))
            inserted += 1
    return inserted, updated


def load_indicators(engine: Engine | Connection, organisation_id: int) -> pd.DataFrame:
    table = t.AreaIndicator.__table__
    rows = _fetch(engine, select(table.c.area_id, table.c.year, table.c.indicator, table.c.value)
                  .where(table.c.organisation_id == organisation_id))
    return pd.DataFrame(rows, columns=["area_id", "year", "indicator", "value"])


def set_area_population(conn: Connection, area_id: int, population: int) -> None:
    table = t.Area.__table__
    conn.execute(update(table).where(table.c.id == area_id).values(population=population))
