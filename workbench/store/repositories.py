"""Reading and writing rows: organisations, areas and places, imported data, the audit entry.
No business rules. Profiles and indicators (profiles.py) and the events analyses read (events.py)
are re-exported here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from workbench.geo.crs import SWEREF99TM
from workbench.schema import COLUMNS_BY_KIND, TIME_COLUMN
from workbench.store import privacy
from workbench.store import tables as t
from workbench.store.db import new_id

# Split by subject (each module re-exported here, so callers keep `repo.NAME`): the shared row
# helpers (rows.py), profiles, category mapping and indicators (profiles.py), the events analyses
# read and the cache versions (events.py).
from workbench.store.events import (  # noqa: F401
    EVENT_COLUMNS,
    change_version,
    data_version,
    load_events,
)
from workbench.store.profiles import (  # noqa: F401
    category_overrides,
    load_indicators,
    load_profiles,
    save_profile,
    set_area_population,
    set_category_mapping,
    upsert_indicators,
)
from workbench.store.rows import CHUNK, TABLE_BY_KIND, _fetch, _records, fetch_records  # noqa: F401

# --- audit -----------------------------------------------------------------------------------

def audit(conn: Connection, *, actor: str, verb: str, entity: str, entity_id: Any = None,
          before: dict | None = None, after: dict | None = None,
          organisation_id: int | None = None) -> None:
    """Append one entry to the audit log (in the caller's transaction)."""
    conn.execute(insert(t.AuditLog.__table__).values(
        actor=actor, verb=verb, entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=_jsonable(before), after=_jsonable(after), organisation_id=organisation_id,
        at=datetime.now(),
    ))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, np.generic):
        return value.item()
    return value


# --- organisations ---------------------------------------------------------------------------

def ensure_organisation(conn: Connection, name: str, **attributes: Any) -> int:
    """Id of the organisation ``name``, created (with ``attributes``) if missing."""
    table = t.Organisation.__table__
    found = conn.execute(select(table.c.id).where(table.c.name == name)).scalar()
    if found is not None:
        if attributes:
            conn.execute(update(table).where(table.c.id == found).values(**attributes))
        return int(found)
    return new_id(conn.execute(insert(table).values(name=name, **attributes)))


def find_organisation(engine: Engine | Connection, name: str) -> int | None:
    table = t.Organisation.__table__
    rows = _fetch(engine, select(table.c.id).where(table.c.name == name))
    return int(rows[0][0]) if rows else None


def list_organisations(engine: Engine) -> pd.DataFrame:
    table = t.Organisation.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.c.id, table.c.name, table.c.kind, table.c.police_area).order_by(table.c.name)
        ).all()
    return pd.DataFrame(rows, columns=["id", "name", "kind", "police_area"])


def organisation_boundary(engine: Engine, organisation_id: int):
    table = t.Organisation.__table__
    with engine.connect() as conn:
        wkb = conn.execute(select(table.c.boundary_wkb).where(table.c.id == organisation_id)).scalar()
    return None if wkb is None else shapely.from_wkb(wkb)


def delete_organisation(conn: Connection, organisation_id: int) -> None:
    """Remove an organisation and every row it owns (explicitly, table by table)."""
    for table in (t.ActionCommitment, t.ActionCitizenPromise):
        action_ids = select(t.Action.__table__.c.id).where(
            t.Action.__table__.c.organisation_id == organisation_id)
        conn.execute(delete(table.__table__).where(table.__table__.c.action_id.in_(action_ids)))
    agreement_ids = select(t.Agreement.__table__.c.id).where(
        t.Agreement.__table__.c.organisation_id == organisation_id)
    focus_ids = select(t.FocusArea.__table__.c.id).where(
        t.FocusArea.__table__.c.agreement_id.in_(agreement_ids))
    conn.execute(delete(t.Commitment.__table__).where(t.Commitment.__table__.c.focus_area_id.in_(focus_ids)))
    conn.execute(delete(t.FocusArea.__table__).where(t.FocusArea.__table__.c.agreement_id.in_(agreement_ids)))
    conn.execute(delete(t.CitizenPromise.__table__).where(
        t.CitizenPromise.__table__.c.agreement_id.in_(agreement_ids)))
    plan_ids = select(t.PlanArea.__table__.c.id).where(t.PlanArea.__table__.c.organisation_id == organisation_id)
    conn.execute(delete(t.PlanAssessment.__table__).where(
        t.PlanAssessment.__table__.c.plan_area_id.in_(plan_ids)))
    for model in (t.PlanArea, t.Action, t.CauseAnalysis, t.Situation, t.Agreement, t.WalkObservation,
                  t.SafetyWalk, t.Incident, t.FaultReport, t.AreaIndicator, t.Place, t.Area,
                  t.ImportProfile, t.CategoryMapping, t.ImportBatch):
        org_table = model.__table__
        conn.execute(delete(org_table).where(org_table.c.organisation_id == organisation_id))
    conn.execute(delete(t.Organisation.__table__).where(t.Organisation.__table__.c.id == organisation_id))


# --- areas and places ------------------------------------------------------------------------

def _geometry_values(geometry) -> dict[str, Any]:
    point = geometry.representative_point()
    return {"geom_wkb": shapely.to_wkb(geometry), "x": float(point.x), "y": float(point.y)}


def _upsert_by_name(conn: Connection, table, scope: dict[str, Any],
                    rows: Iterable[tuple[str, dict[str, Any]]]) -> tuple[int, int]:
    """Insert rows whose name is new within ``scope`` (column → value), update the others.

    Returns (inserted, updated)."""
    condition = [table.c[k] == v for k, v in scope.items()]
    existing: dict[str, int] = dict(conn.execute(select(table.c.name, table.c.id).where(*condition)).all())
    inserted = updated = 0
    for typed, values in rows:
        name = privacy.redact_key(typed)  # stored redacted, so look it up redacted
        if name in existing:
            conn.execute(update(table).where(table.c.id == existing[name]).values(**values))
            updated += 1
        else:
            conn.execute(insert(table).values(name=name, **scope, **values))
            inserted += 1
    return inserted, updated


def upsert_areas(conn: Connection, organisation_id: int, layer: str,
                 areas: gpd.GeoDataFrame) -> tuple[int, int]:
    """Insert new areas and update existing ones (same organisation, layer and name)."""
    rows = ((row.name, {
        "code": None if pd.isna(row.code) else str(row.code),
        "population": None if pd.isna(row.population) else int(row.population),
        "approximate": bool(row.approximate), **_geometry_values(row.geometry),
    }) for row in areas.itertuples(index=False))
    return _upsert_by_name(conn, t.Area.__table__,
                           {"organisation_id": organisation_id, "layer": layer}, rows)


def upsert_places(conn: Connection, organisation_id: int, places: gpd.GeoDataFrame,
                  area_ids: Sequence[int | None]) -> tuple[int, int]:
    """Insert/update places by (organisation, name)."""
    rows = ((row.name, {
        "kind": None if pd.isna(row.kind) else str(row.kind),
        "radius_m": None if pd.isna(row.radius_m) else float(row.radius_m),
        "area_id": area_id, **_geometry_values(row.geometry),
    }) for row, area_id in zip(places.itertuples(index=False), area_ids, strict=True))
    return _upsert_by_name(conn, t.Place.__table__, {"organisation_id": organisation_id}, rows)


def load_areas(engine: Engine | Connection, organisation_ids: Iterable[int],
               layer: str = "district") -> gpd.GeoDataFrame:
    """Areas of the organisations as a GeoDataFrame in EPSG:3006."""
    table = t.Area.__table__
    query = select(table.c.id, table.c.organisation_id, table.c.name, table.c.code,
                   table.c.population, table.c.approximate, table.c.geom_wkb).where(
        table.c.organisation_id.in_(list(organisation_ids)) & (table.c.layer == layer)
    ).order_by(table.c.organisation_id, table.c.name)
    rows = _fetch(engine, query)
    frame = pd.DataFrame(rows, columns=["id", "organisation_id", "name", "code", "population",
                                        "approximate", "geom_wkb"])
    geometry = shapely.from_wkb(frame.pop("geom_wkb").to_numpy()) if len(frame) else []
    frame["population"] = pd.array(frame["population"], dtype="Int64")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=SWEREF99TM)


def load_places(engine: Engine | Connection, organisation_ids: Iterable[int]) -> gpd.GeoDataFrame:
    """Places (polygons, or points buffered by their radius) in EPSG:3006."""
    table = t.Place.__table__
    query = select(table.c.id, table.c.organisation_id, table.c.area_id, table.c.name, table.c.kind,
                   table.c.radius_m, table.c.geom_wkb).where(
        table.c.organisation_id.in_(list(organisation_ids))).order_by(table.c.name)
    frame = pd.DataFrame(_fetch(engine, query), columns=["id", "organisation_id", "area_id", "name",
                                                         "kind", "radius_m", "geom_wkb"])
    geometry = shapely.from_wkb(frame.pop("geom_wkb").to_numpy()) if len(frame) else []
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=SWEREF99TM)


# --- imported data ---------------------------------------------------------------------------

def create_batch(conn: Connection, organisation_id: int, *, source_kind: str, file_name: str,
                 content_hash: str, actor: str, crs: str | None) -> int:
    result = conn.execute(insert(t.ImportBatch.__table__).values(
        organisation_id=organisation_id, source_kind=source_kind, file_name=file_name,
        content_hash=content_hash, imported_by=actor, crs=crs, imported_at=datetime.now(),
    ))
    return new_id(result)


def finish_batch(conn: Connection, batch_id: int, **counts: Any) -> None:
    conn.execute(update(t.ImportBatch.__table__).where(
        t.ImportBatch.__table__.c.id == batch_id).values(**counts))


LOOKUP_CHUNK = 5_000  # source ids per IN (...) lookup


def existing_source_ids(conn: Connection, kind: str, organisation_id: int, source: str | None,
                        among: Sequence[str] | None = None) -> set[str]:
    """The stored source ids of the organisation (and source); with ``among`` (a file's ids) at
    least those of them that are stored. When the organisation holds more than twice as many rows
    as ``among``, only those are looked up, by the unique index in chunks: reading ten million
    stored ids to import one more million took 6 GB."""
    table = TABLE_BY_KIND[kind]
    same = table.c.organisation_id == organisation_id
    if source is not None and "source" in table.c:
        same = same & (table.c.source == source)
    query = select(table.c.source_id).where(same)
    if among is not None:
        stored = conn.execute(select(func.count()).select_from(table).where(same)).scalar_one()
        if stored > 2 * len(among):
            found: set[str] = set()
            wanted = list(among)
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[start:start + LOOKUP_CHUNK]
                found.update(row[0] for row in conn.execute(query.where(table.c.source_id.in_(chunk))))
            return found
    return {row[0] for row in conn.execute(query)}


def existing_observation_keys(conn: Connection, walk_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(walk id, source id) of the stored observations of some walks: their unique key, since
    each walk numbers its observations from 1."""
    table = t.WalkObservation.__table__
    query = select(table.c.walk_id, table.c.source_id).where(table.c.walk_id.in_(list(walk_ids)))
    return {(int(w), s) for w, s in conn.execute(query)}


def point_wkb(x: pd.Series, y: pd.Series) -> list[bytes | None]:
    """WKB points (EPSG:3006) where both coordinates are known, else None.

    Written directly (byte order 1, type 1, x, y: the 21 bytes ``shapely.to_wkb`` writes for a 2D
    point) from one packed array: a shapely Point per row cost a second at a million rows.
    """
    xs, ys = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
    known = ~(np.isnan(xs) | np.isnan(ys))
    packed = np.empty(int(known.sum()), dtype=_WKB_POINT)
    packed["order"], packed["type"] = 1, 1
    packed["x"], packed["y"] = xs[known], ys[known]
    buffer, size = packed.tobytes(), _WKB_POINT.itemsize
    points: list[bytes | None] = [buffer[i:i + size] for i in range(0, len(buffer), size)]
    if known.all():
        return points
    out: list[bytes | None] = [None] * len(xs)
    for i, wkb in zip(np.flatnonzero(known).tolist(), points, strict=True):
        out[i] = wkb
    return out


_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])  # packed: 21 bytes


def _sqlite_datetime_text(series: pd.Series) -> list[str | None]:
    """'2024-03-05 14:30:00.000000' (microseconds, as SQLAlchemy's SQLite DateTime writes it) per
    value, None where missing: formatted in Arrow's C code (numpy's string functions took 1.5 s
    for two columns of a million rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    micro = series.to_numpy(dtype="datetime64[us]")
    stamps = pa.array(micro, type=pa.timestamp("us"), mask=np.isnat(micro))
    return pc.strftime(stamps, format="%Y-%m-%d %H:%M:%S").to_pylist()  # %S holds the microseconds


def _column_values(series: pd.Series, sqlite: bool) -> np.ndarray:
    """One column as an object array of plain DB-API values (None for missing)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        missing = series.isna().to_numpy()
        if sqlite:  # the exact text form SQLAlchemy writes, so SQL comparisons stay correct
            values = np.array(_sqlite_datetime_text(series), dtype=object)
        else:
            values = np.array(series.dt.to_pydatetime(), dtype=object)
        values[missing] = None
        return values
    if pd.api.types.is_float_dtype(series):
        values = np.array(series.to_numpy(dtype=object), dtype=object)
        values[series.isna().to_numpy()] = None
        return values
    if isinstance(series.dtype, pd.BooleanDtype) or pd.api.types.is_bool_dtype(series):
        return series.astype(object).where(series.notna(), None).to_numpy()
    return series.to_numpy(dtype=object, na_value=None)  # integers come out as plain Python ints


def insert_rows(conn: Connection, kind: str, rows: pd.DataFrame,
                progress: Callable[[int, int], None] | None = None) -> int:
    """Bulk insert prepared rows (columns named as the table's) in chunks; fills ``geom_wkb``.

    Goes straight to the DB-API ``executemany`` with positional parameters: building a dict per
    row through SQLAlchemy cost ten times more at a million rows.
    """
    if rows.empty:
        return 0
    table = TABLE_BY_KIND[kind]
    if not privacy.is_redacted(table.name, rows):  # this path bypasses the engine's scanning hook
        rows = privacy.redact_frame(table.name, rows)
    rows = rows.assign(geom_wkb=point_wkb(rows["x"], rows["y"]))
    columns = [c for c in rows.columns if c in table.c]
    sqlite = conn.dialect.name == "sqlite"
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    preparer = conn.dialect.identifier_preparer
    # identifiers come from our own table metadata, quoted; values are bound parameters
    sql = (f"INSERT INTO {preparer.format_table(table)} "  # noqa: S608
           f"({', '.join(preparer.quote(c) for c in columns)}) "
           f"VALUES ({', '.join([marker] * len(columns))})")
    arrays = [_column_values(rows[c], sqlite).tolist() for c in columns]  # lists: faster to slice and zip
    total = len(rows)
    cursor = conn.connection.cursor()
    try:
        if hasattr(cursor, "copy"):  # PostgreSQL (psycopg 3): COPY, not one INSERT per row
            _copy_rows(cursor, preparer.format_table(table), [preparer.quote(c) for c in columns], arrays,
                       total, progress)
            return total
        for start in range(0, total, CHUNK):
            chunk = list(zip(*(a[start:start + CHUNK] for a in arrays), strict=True))
            cursor.executemany(sql, chunk)
            if progress is not None:
                progress(min(start + CHUNK, total), total)
    finally:
        cursor.close()
    return total


def _copy_rows(cursor, table: str, columns: list[str], arrays: list[list], total: int,
               progress: Callable[[int, int], None] | None) -> None:
    """The rows through PostgreSQL's COPY in the caller's transaction (psycopg converts each value
    as it would bind it: timestamps, NULLs, bytes, booleans; text with tabs, newlines and
    backslashes is escaped by the protocol): one statement instead of a round trip per row
    (a million rows took minutes with INSERT)."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # our own metadata
        for start in range(0, total, CHUNK):
            for row in zip(*(a[start:start + CHUNK] for a in arrays), strict=True):
                copy.write_row(row)
            if progress is not None:
                progress(min(start + CHUNK, total), total)


def upsert_walks(conn: Connection, organisation_id: int, walks: pd.DataFrame,
                 batch_id: int | None) -> dict[str, int]:
    """Insert new walks (by ref), update existing ones; returns ref → id."""
    table = t.SafetyWalk.__table__
    ids: dict[str, int] = {}
    for record in _records(walks):
        typed = record["ref"]
        ref = privacy.redact_key(typed)  # stored redacted, so look it up redacted
        found = conn.execute(select(table.c.id).where(
            (table.c.organisation_id == organisation_id) & (table.c.ref == ref))).scalar()
        values = {k: record.get(k) for k in ("walk_date", "area_id", "area_name", "participants", "notes")}
        if isinstance(values["walk_date"], datetime):
            values["walk_date"] = values["walk_date"].date()
        if found is None:
            found = new_id(conn.execute(insert(table).values(organisation_id=organisation_id, ref=ref,
                                                      batch_id=batch_id, **values)))
        else:
            conn.execute(update(table).where(table.c.id == found).values(**values))
        ids[typed] = int(found)
    return ids


def load_points(engine: Engine | Connection, kind: str, organisation_ids: Iterable[int], *,
                start: datetime | None = None, end: datetime | None = None) -> pd.DataFrame:
    """Rows of ``kind`` for the organisations, optionally within [start, end)."""
    table = TABLE_BY_KIND[kind]
    time_col = TIME_COLUMN[kind]
    wanted = ["id", "organisation_id", "area_id"] + (["source"] if "source" in table.c else []) + [
        c for c in COLUMNS_BY_KIND[kind] if c in table.c]
    query = select(*[table.c[c] for c in wanted]).where(
        table.c.organisation_id.in_(list(organisation_ids)))
    if start is not None:
        query = query.where(table.c[time_col] >= start)
    if end is not None:
        query = query.where(table.c[time_col] < end)
    frame = pd.DataFrame(_fetch(engine, query), columns=wanted)
    for column, dtype in COLUMNS_BY_KIND[kind].items():
        if column in frame:
            frame[column] = (pd.to_datetime(frame[column]) if dtype.startswith("datetime")
                             else frame[column].astype(dtype))
    frame["area_id"] = pd.array(frame["area_id"], dtype="Int64")
    if "source" not in frame:
        frame["source"] = "walk"
    return frame


def data_extent(engine: Engine, kind: str, organisation_ids: Iterable[int]) -> tuple[datetime | None, datetime | None]:
    """Earliest and latest time of ``kind`` rows."""
    table = TABLE_BY_KIND[kind]
    time_col = table.c[TIME_COLUMN[kind]]
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(time_col), func.max(time_col)).where(
            table.c.organisation_id.in_(list(organisation_ids)))).one()
    return (pd.Timestamp(low).to_pydatetime() if low is not None else None,
            pd.Timestamp(high).to_pydatetime() if high is not None else None)


def row_counts(engine: Engine, organisation_id: int | None = None) -> dict[str, int]:
    """Number of rows per table (of one organisation, where the table has the column)."""
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for table in t.Base.metadata.sorted_tables:
            query = select(func.count()).select_from(table)
            if organisation_id is not None and "organisation_id" in table.c:
                query = query.where(table.c.organisation_id == organisation_id)
            counts[table.name] = int(conn.execute(query).scalar() or 0)
    return counts
