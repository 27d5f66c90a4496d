"""EST meetings in the store: open, set statuses and notes, close with a frozen snapshot.

A closed meeting is never changed again: every write checks ``closed_at`` inside the same
UPDATE as the version, so a close and an edit racing each other cannot both win.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from workbench.errors import ClosedError, ConflictError, NotFoundError
from workbench.store import tables as t
from workbench.store.db import new_id
from workbench.store.repositories import audit, fetch_records

S = t.Situation.__table__
EDITABLE = ("title", "notes", "public_summary", "area_statuses", "area_ids", "attendees", "adjusted_by",
            "next_meeting")


def start_meeting(conn: Connection, organisation_id: int, *, meeting_date: date, period_start: date,
                  period_end: date, period_kind: str, area_ids: list[int], title: str,
                  actor: str) -> int:
    values = {"meeting_date": meeting_date, "period_start": period_start, "period_end": period_end,
              "period_kind": period_kind, "area_ids": [int(a) for a in area_ids], "title": title,
              "area_statuses": {}, "created_by": actor}
    meeting_id = new_id(conn.execute(insert(S).values(organisation_id=organisation_id, version=1,
                                                   **values)))
    audit(conn, actor=actor, verb="insert", entity="situation", entity_id=meeting_id,
          organisation_id=organisation_id, after=values)
    return meeting_id


def get_meeting(engine: Engine | Connection, organisation_id: int, meeting_id: int) -> dict[str, Any]:
    rows = fetch_records(engine, select(S).where((S.c.id == meeting_id)
                                                 & (S.c.organisation_id == organisation_id)))
    if not rows:
        raise NotFoundError(f"Mötet {meeting_id} finns inte i organisationen.")
    return rows[0]


def list_meetings(engine: Engine, organisation_id: int) -> pd.DataFrame:
    """Every meeting of the organisation, newest first (without the snapshots)."""
    columns = [S.c.id, S.c.meeting_date, S.c.title, S.c.period_kind, S.c.period_start,
               S.c.period_end, S.c.closed_at, S.c.closed_by, S.c.created_by, S.c.version]
    with engine.connect() as conn:
        rows = conn.execute(select(*columns).where(S.c.organisation_id == organisation_id)
                            .order_by(S.c.meeting_date.desc(), S.c.id.desc())).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in columns])


def closed_snapshots(engine: Engine, organisation_id: int) -> list[dict]:
    """Snapshots of the closed meetings, in the order they were closed."""
    query = (select(S.c.id, S.c.snapshot).where((S.c.organisation_id == organisation_id)
                                                & S.c.closed_at.is_not(None))
             .order_by(S.c.closed_at, S.c.id))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [dict(snap, id=int(i)) for i, snap in rows if snap]


def _write(conn: Connection, organisation_id: int, meeting_id: int, expected_version: int,
           values: dict[str, Any], *, actor: str, verb: str = "update") -> int:
    before = get_meeting(conn, organisation_id, meeting_id)
    if before["closed_at"] is not None:
        raise ClosedError(f"Mötet {before['meeting_date']:%Y-%m-%d} är avslutat; lägesbilden är "
                          "låst och kan bara läsas.")
    result = conn.execute(update(S).where((S.c.id == meeting_id) & (S.c.organisation_id == organisation_id)
                                          & (S.c.version == expected_version) & S.c.closed_at.is_(None))
                          .values(version=expected_version + 1, **values))
    if result.rowcount != 1:
        raise ConflictError(f"Mötet har ändrats av någon annan (version {before['version']}, du utgick "
                            f"från version {expected_version}). Ladda om och gör ändringen igen.")
    keys = [k for k in values if k != "snapshot"]
    audit(conn, actor=actor, verb=verb, entity="situation", entity_id=meeting_id,
          organisation_id=organisation_id, before={k: before[k] for k in keys},
          after={k: values[k] for k in keys})
    return expected_version + 1


def update_meeting(conn: Connection, organisation_id: int, meeting_id: int, expected_version: int,
                   changes: dict[str, Any], *, actor: str) -> int:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"okända fält: {', '.join(sorted(unknown))}")
    return _write(conn, organisation_id, meeting_id, expected_version, changes, actor=actor)


def set_area_status(conn: Connection, organisation_id: int, meeting_id: int, expected_version: int,
                    area_id: int, level: str | None, motivation: str, *, actor: str) -> int:
    current = get_meeting(conn, organisation_id, meeting_id)
    statuses = dict(current["area_statuses"] or {})
    if level is None:
        statuses.pop(str(area_id), None)
    else:
        statuses[str(area_id)] = {"level": level, "motivation": motivation.strip()}
    return _write(conn, organisation_id, meeting_id, expected_version,
                  {"area_statuses": statuses}, actor=actor)


def close_meeting(conn: Connection, organisation_id: int, meeting_id: int, expected_version: int,
                  snapshot: Mapping[str, Any], *, actor: str) -> int:
    """Freeze the snapshot and close the meeting (once; afterwards nothing can change)."""
    return _write(conn, organisation_id, meeting_id, expected_version,
                  {"snapshot": snapshot, "closed_at": datetime.now(), "closed_by": actor},
                  actor=actor, verb="close")
