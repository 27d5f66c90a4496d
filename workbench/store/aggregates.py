"""Reads that let the database do the work: only the columns and rows an analysis keeps, and
counts grouped in SQL, so a command or a page does not load every stored event to use a few.

The rows counted are the ones ``services.hotspots.load_events`` returns (summaries excluded) and
the filters mean what ``filters.EventFilter`` means (period by day, inclusive end; categories;
sources, walks having the source ``walk``); tests compare both ways on the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from workbench.schema import KIND_INCIDENT, POINT_PRECISIONS, TIME_COLUMN
from workbench.store import tables as t

TABLES = {KIND_INCIDENT: t.Incident.__table__, "fault_report": t.FaultReport.__table__,
          "walk_observation": t.WalkObservation.__table__}
WALK_SOURCE = "walk"


@dataclass(frozen=True)
class Selection:
    """Which stored events to read: organisations, [start, end), categories, sources, and the
    categories never counted (empty tuples mean all)."""

    organisation_ids: tuple[int, ...]
    start: datetime | None = None
    end: datetime | None = None  # exclusive
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    not_counted: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()  # 0 = Monday, as EventFilter
    hours: tuple[int, int] | None = None  # (first, last) inclusive, may wrap midnight
    area_ids: tuple[int, ...] | None = None  # only rows in these areas (a reader limited to its own)


def _weekday_sql(time_col: str, sqlite: bool) -> str:
    """The weekday of the stored local time, 0 = Monday (pandas' day_of_week)."""
    if sqlite:
        return f"((CAST(strftime('%w', {time_col}) AS INTEGER) + 6) % 7)"
    return f"(CAST(EXTRACT(ISODOW FROM {time_col}) AS INTEGER) - 1)"


def _hour_sql(time_col: str, sqlite: bool) -> str:
    return (f"CAST(strftime('%H', {time_col}) AS INTEGER)" if sqlite
            else f"CAST(EXTRACT(HOUR FROM {time_col}) AS INTEGER)")


def _time_param(value: datetime, sqlite: bool):
    """A datetime as the database compares it (SQLite stores SQLAlchemy's text form)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value


def _where(kind: str, table, selection: Selection, marker: str, sqlite: bool,
           points_only: bool) -> tuple[str, list] | None:
    """The WHERE clause of one table and its parameters; None when the table has no rows to give."""
    has_source = "source" in table.c
    if selection.sources and not has_source and WALK_SOURCE not in selection.sources:
        return None
    ids = [int(i) for i in selection.organisation_ids]
    if not ids:
        return None
    clauses = [f"organisation_id IN ({', '.join(str(i) for i in ids)})"]
    params: list = []

    def among(column: str, values: Sequence[str], negate: bool = False) -> None:
        marks = ", ".join([marker] * len(values))
        clauses.append(f"({column} IS NULL OR {column} NOT IN ({marks}))" if negate
                       else f"{column} IN ({marks})")
        params.extend(values)

    if points_only:
        among("precision", POINT_PRECISIONS)
        clauses.append("x IS NOT NULL")
    if selection.not_counted:
        among("category", selection.not_counted, negate=True)
    time_col = TIME_COLUMN[kind]
    for bound, op in ((selection.start, ">="), (selection.end, "<")):
        if bound is not None:
            clauses.append(f"{time_col} {op} {marker}")
            params.append(_time_param(bound, sqlite))
    if selection.categories:
        among("category", selection.categories)
    if selection.sources and has_source:
        among("source", selection.sources)
    if selection.area_ids is not None:
        clauses.append(f"area_id IN ({', '.join(str(int(a)) for a in selection.area_ids)})"
                       if selection.area_ids else "1 = 0")
    if selection.weekdays:
        days = ", ".join(str(int(d)) for d in selection.weekdays)
        clauses.append(f"{_weekday_sql(time_col, sqlite)} IN ({days})")
    if selection.hours is not None:
        first, last = (int(h) for h in selection.hours)
        hour = _hour_sql(time_col, sqlite)
        clauses.append(f"({hour} >= {first} AND {hour} <= {last})" if first <= last
                       else f"({hour} >= {first} OR {hour} <= {last})")
        if "date_only" in table.c:  # a row without a time of day has no hour to filter on
            clauses.append("COALESCE(date_only, " + ("0) = 0" if sqlite else "false) = false"))
    return " AND ".join(clauses), params


def _rows(engine: Engine, select_sql, selection: Selection, *, points_only: bool,
          group_by: str = "", params: Sequence = (), also: str = "",
          also_params: Sequence = ()) -> list[tuple]:
    """``SELECT {select_sql} FROM <each event table> WHERE <selection> {group_by}``, all rows.
    ``select_sql`` is the text, or a function of (sqlite, marker, the table's time column) giving
    it; ``params`` are the select list's parameters (before the WHERE clause's); ``also`` is one
    more condition (``also_params`` its parameters, after the selection's)."""
    out: list[tuple] = []
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        for kind, table in TABLES.items():
            where = _where(kind, table, selection, marker, sqlite, points_only)
            if where is None:
                continue
            columns = select_sql(sqlite, marker, TIME_COLUMN[kind]) if callable(select_sql) else select_sql
            condition = f"{where[0]} AND ({also})" if also else where[0]
            sql = f"SELECT {columns} FROM {table.name} WHERE {condition} {group_by}"  # noqa: S608
            cursor = conn.connection.cursor()  # the DB-API cursor: no per-row typing in Python
            try:
                cursor.execute(sql, [*params, *where[1], *also_params])
                out.extend(cursor.fetchall())
            finally:
                cursor.close()
    return out


def point_xy(engine: Engine, selection: Selection) -> tuple[np.ndarray, np.ndarray]:
    """x and y (EPSG:3006) of the selected events that have a point, nothing else."""
    rows = _rows(engine, "x, y", selection, points_only=True)
    if not rows:
        return np.empty(0), np.empty(0)
    xy = np.array(rows, dtype=float)
    return xy[:, 0].copy(), xy[:, 1].copy()


def point_bounds(engine: Engine, selection: Selection) -> tuple[float, float, float, float] | None:
    """(min x, min y, max x, max y) of the selected events with a point; None when there are none."""
    rows = [r for r in _rows(engine, "MIN(x), MIN(y), MAX(x), MAX(y)", selection, points_only=True)
            if r[0] is not None]
    if not rows:
        return None
    values = np.array(rows, dtype=float)
    return (float(values[:, 0].min()), float(values[:, 1].min()),
            float(values[:, 2].max()), float(values[:, 3].max()))



def cell_counts(engine: Engine, selection: Selection, x0: float, y0: float, cell: float,
                n_rows: int, n_cols: int) -> tuple[np.ndarray, int]:
    """(events per cell as an (n_rows, n_cols) array, events with a point in all) of the selected
    events, counted in the database: the grid's own arithmetic (``geo.grid.Grid.locate``:
    floor((x − x0) / cell), the same IEEE double operations), so the counts are the same as
    counting the points in memory, and a million events send a thousand rows, not a million."""
    def cell_id(sqlite: bool, marker: str, _time: str) -> str:
        return _cell_id_sql(sqlite, marker, n_rows, n_cols) + ", COUNT(*)"

    rows = _rows(engine, cell_id, selection, points_only=True, group_by="GROUP BY cell_id",
                 params=_cell_id_params(x0, y0, cell))
    counts = np.zeros(n_rows * n_cols, dtype=np.int64)
    total = 0
    for cell_index, n in rows:
        total += int(n)
        if int(cell_index) >= 0:
            counts[int(cell_index)] += int(n)
    return counts.reshape(n_rows, n_cols), total


def _cell_id_sql(sqlite: bool, marker: str, n_rows: int, n_cols: int) -> str:
    """The grid cell of a row (row * n_cols + col), −1 outside the grid; parameters from
    ``_cell_id_params``."""
    floor = "CAST({} AS INTEGER)" if sqlite else "CAST(FLOOR({}) AS BIGINT)"  # v ≥ 0 here
    vx, vy = f"((x - {marker}) / {marker})", f"((y - {marker}) / {marker})"
    return (f"CASE WHEN {vx} >= 0 AND {vx} < {int(n_cols)} AND {vy} >= 0 AND {vy} < {int(n_rows)} "
            f"THEN {floor.format(vy)} * {int(n_cols)} + {floor.format(vx)} ELSE -1 END AS cell_id")


def _cell_id_params(x0: float, y0: float, cell: float) -> list[float]:
    xy = [float(x0), float(cell)] * 2 + [float(y0), float(cell)] * 2  # vx, vx, vy, vy (the test)
    return xy + [float(y0), float(cell), float(x0), float(cell)]  # vy, vx (the id)


def month_cell_counts(engine: Engine, selection: Selection, x0: float, y0: float, cell: float,
                      n_rows: int, n_cols: int, months: Sequence[str]) -> np.ndarray:
    """Events per calendar month ('YYYY-MM', in ``months``' order) and grid cell, (T, N): the
    count cube of hot-spots över tid grouped in the database (``cell_counts``' arithmetic; the
    month from the stored local time), rows outside the months or the grid left out."""
    def month_and_cell(sqlite: bool, marker: str, time_col: str) -> str:
        month = f"strftime('%Y-%m', {time_col})" if sqlite else f"to_char({time_col}, 'YYYY-MM')"
        return f"{month} AS month, {_cell_id_sql(sqlite, marker, n_rows, n_cols)}, COUNT(*)"

    rows = _rows(engine, month_and_cell, selection, points_only=True,
                 group_by="GROUP BY month, cell_id", params=_cell_id_params(x0, y0, cell))
    index = {month: i for i, month in enumerate(months)}
    cube = np.zeros((len(months), n_rows * n_cols), dtype=np.int64)
    for month, cell_index, n in rows:
        step = index.get(month)
        if step is not None and int(cell_index) >= 0:
            cube[step, int(cell_index)] += int(n)
    return cube


def categories(engine: Engine, selection: Selection) -> tuple[str, ...]:
    """The distinct categories of the selected events (with or without a point), sorted: the
    category lists of the filters, from an indexed column in the database instead of from every
    event in memory."""
    rows = _rows(engine, "DISTINCT category", selection, points_only=False)
    return tuple(sorted({str(c) for (c,) in rows if c is not None}))


_DATE_ONLY_TABLES = {TIME_COLUMN[kind] for kind, table in TABLES.items() if "date_only" in table.c}


def date_only_sql(time_col: str, sqlite: bool) -> str:
    """1 for a row whose source gave only a date (no hour to count), else 0; tables without the
    column (walk observations) always 0. ``time_col`` names the table (``_rows``' callables)."""
    if time_col not in _DATE_ONLY_TABLES:
        return "0"
    return "COALESCE(date_only, 0)" if sqlite else "CASE WHEN date_only THEN 1 ELSE 0 END"


def epoch_sql(time_col: str, sqlite: bool) -> str:
    """The stored local time as whole seconds since 1970 (as ``store.events.load_events``)."""
    return (f"CAST(strftime('%s', {time_col}) AS INTEGER)" if sqlite
            else f"CAST(EXTRACT(EPOCH FROM {time_col}) AS BIGINT)")


def counts_by(engine: Engine, selection: Selection, key, *, points_only: bool = False) -> dict:
    """Selected events per key, grouped in the database: ``key`` is a function of (sqlite,
    time column) giving the SQL of one key (NULL keys are kept as None); the tables' counts of the
    same key are added up. E.g. per area: ``lambda sqlite, _t: "area_id"``."""
    def select(sqlite: bool, _marker: str, time_col: str) -> str:
        return f"{key(sqlite, time_col)} AS group_key, COUNT(*)"

    out: dict = {}
    for value, n in _rows(engine, select, selection, points_only=points_only,
                          group_by="GROUP BY group_key"):
        value = int(value) if isinstance(value, float) and value.is_integer() else value
        out[value] = out.get(value, 0) + int(n)
    return out


def weekday_hour_sql(sqlite: bool, time_col: str) -> str:
    """weekday × 24 + hour of a row with a time of day (0 = Monday 00), −1 for a date-only row."""
    return (f"CASE WHEN {date_only_sql(time_col, sqlite)} = 1 THEN -1 ELSE "
            f"{_weekday_sql(time_col, sqlite)} * 24 + {_hour_sql(time_col, sqlite)} END")


def day_sql(sqlite: bool, time_col: str) -> str:
    """The calendar day of the stored local time ('YYYY-MM-DD' in SQLite, a date in PostgreSQL):
    SQLite's stored text cut to the day (five times faster than strftime at a million rows)."""
    return f"substr({time_col}, 1, 10)" if sqlite else f"CAST({time_col} AS DATE)"


def rows_in_boxes(engine: Engine, selection: Selection,
                  boxes: Sequence[tuple[float, float, float, float]], *,
                  points_only: bool = True) -> pd.DataFrame:
    """The selected events with a point inside any of the boxes (min x, min y, max x, max y; edges
    included), as ``store.events.load_events``' columns (kind, source, category, time, x, y,
    precision, date_only): a read bounded by the boxes' area, for exact tests against places,
    cells or drawn shapes in Python. ``points_only``: point precisions only (the hot-spot grid's
    rows), else every row with coordinates."""
    kinds = {TIME_COLUMN[kind]: kind for kind in TABLES}

    def select(sqlite: bool, _marker: str, time_col: str) -> str:
        source = f"'{WALK_SOURCE}'" if time_col in _SOURCELESS else "source"
        return (f"'{kinds[time_col]}', {source}, category, {epoch_sql(time_col, sqlite)}, x, y, precision, "
                f"{date_only_sql(time_col, sqlite)}")

    marker = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    inside = " OR ".join([f"(x BETWEEN {marker} AND {marker} AND y BETWEEN {marker} AND {marker})"]
                         * len(boxes)) or "1 = 0"
    params = [v for x0, y0, x1, y1 in boxes for v in (float(x0), float(x1), float(y0), float(y1))]
    rows = _rows(engine, select, selection, points_only=points_only,
                 also=f"x IS NOT NULL AND ({inside})", also_params=params)
    columns = ["kind", "source", "category", "time", "x", "y", "precision", "date_only"]
    frame = pd.DataFrame.from_records(rows, columns=columns, nrows=len(rows))
    frame["time"] = pd.to_datetime(pd.to_numeric(frame["time"]), unit="s").astype("datetime64[ns]")
    for column in ("x", "y"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    frame["date_only"] = pd.to_numeric(frame["date_only"]).fillna(0).astype(bool)
    for column in ("kind", "source", "category", "precision"):
        frame[column] = frame[column].astype(object)
    return frame


_SOURCELESS = {TIME_COLUMN[kind] for kind, table in TABLES.items() if "source" not in table.c}


def area_source_counts(engine: Engine, selection: Selection) -> dict[tuple[int | None, str], int]:
    """Selected events (every precision) per (area id, source), grouped in the database: the
    lägesbild's figures per area and source (walk observations have the source 'walk'; None: no
    area)."""
    def select(_sqlite: bool, _marker: str, time_col: str) -> str:
        source = f"'{WALK_SOURCE}'" if time_col in _SOURCELESS else "source"
        return f"area_id, {source}, COUNT(*)"

    out: dict[tuple[int | None, str], int] = {}
    for area_id, source, n in _rows(engine, select, selection, points_only=False, group_by="GROUP BY 1, 2"):
        key = (None if area_id is None else int(area_id), str(source))
        out[key] = out.get(key, 0) + int(n)
    return out


def _step_sql(sqlite: bool, marker: str, time_col: str, step: str) -> str:
    """The time step of a row counted from the first step (parameters: the first step's first
    day, as 'YYYY-MM-DD', and for months and tertials its year × 12 + month): weeks by whole days
    / 7, months and tertials by calendar month (a tertial is 4 months from the first). Rows
    before the first step are not selected (the selection starts there)."""
    if step == "week":
        if sqlite:
            return f"(CAST(julianday(substr({time_col}, 1, 10)) - julianday({marker}) AS INTEGER) / 7)"
        return f"((CAST({time_col} AS DATE) - CAST({marker} AS DATE)) / 7)"
    month = (f"(CAST(substr({time_col}, 1, 4) AS INTEGER) * 12 + CAST(substr({time_col}, 6, 2) AS INTEGER))"
             if sqlite else
             f"(CAST(EXTRACT(YEAR FROM {time_col}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM {time_col}) AS INTEGER))")
    return f"(({month} - {marker}) / {4 if step == 'tertial' else 1})"


def _step_params(step: str, first_day) -> list:
    return [first_day.isoformat()] if step == "week" else [first_day.year * 12 + first_day.month]


def step_cell_counts(engine: Engine, selection: Selection, step: str, first_day, n_steps: int,
                     x0: float, y0: float, cell: float, n_rows: int, n_cols: int) -> np.ndarray:
    """Events per time step (week, month or tertial from ``first_day``, a step's first day) and
    grid cell, (n_steps, cells): the count cube of hot-spots över tid grouped in the database
    (``cell_counts``' arithmetic); rows outside the steps or the grid left out. The selection
    should span the steps."""
    def step_and_cell(sqlite: bool, marker: str, time_col: str) -> str:
        return (f"{_step_sql(sqlite, marker, time_col, step)} AS step, "
                f"{_cell_id_sql(sqlite, marker, n_rows, n_cols)}, COUNT(*)")

    rows = _rows(engine, step_and_cell, selection, points_only=True, group_by="GROUP BY step, cell_id",
                 params=[*_step_params(step, first_day), *_cell_id_params(x0, y0, cell)])
    cube = np.zeros((n_steps, n_rows * n_cols), dtype=np.int64)
    for index, cell_index, n in rows:
        if 0 <= int(index) < n_steps and int(cell_index) >= 0:
            cube[int(index), int(cell_index)] += int(n)
    return cube


def step_area_counts(engine: Engine, selection: Selection, step: str, first_day,
                     n_steps: int) -> dict[tuple[int, int], int]:
    """Events (every precision) per (time step, area id), as ``step_cell_counts`` steps them;
    rows without an area left out."""
    def step_and_area(sqlite: bool, marker: str, time_col: str) -> str:
        return f"{_step_sql(sqlite, marker, time_col, step)} AS step, area_id, COUNT(*)"

    rows = _rows(engine, step_and_area, selection, points_only=False, group_by="GROUP BY step, area_id",
                 params=_step_params(step, first_day), also="area_id IS NOT NULL")
    out: dict[tuple[int, int], int] = {}
    for index, area_id, n in rows:
        if 0 <= int(index) < n_steps:
            out[(int(index), int(area_id))] = out.get((int(index), int(area_id)), 0) + int(n)
    return out


def exact_points(engine: Engine, selection: Selection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, seconds since 1970) of the selected events with an exact point (near-repeat: a
    snapped point is moved and dated by month only)."""
    def select(sqlite: bool, _marker: str, time_col: str) -> str:
        return f"x, y, {epoch_sql(time_col, sqlite)}"

    rows = _rows(engine, select, selection, points_only=True, also="precision = 'exact'")
    if not rows:
        return np.empty(0), np.empty(0), np.empty(0, dtype=np.int64)
    x, y, seconds = zip(*rows, strict=True)
    return np.array(x, dtype=float), np.array(y, dtype=float), np.array(seconds, dtype=np.int64)
