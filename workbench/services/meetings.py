"""EST-möte use cases: start a meeting, brief each area, set statuses, record decisions, close.

Closing freezes a snapshot with everything the meeting showed (figures, area outlines, hot-spot
cells, statuses, actions, decisions), so the lägesbild can be reopened exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import shapely

from workbench.config import Settings
from workbench.errors import ClosedError
from workbench.filters import EventFilter
from workbench.geo.grid import GridTooLargeError
from workbench.hotspots.emerging import default_span
from workbench.meeting import (
    SNAPSHOT_SCHEMA,
    MeetingSnapshot,
    area_brief,
    meeting_period,
    meeting_title,
    period_title,
    read_snapshot,
    since_last,
    status_trend,
)
from workbench.schema import OPEN_ACTION_STATUSES
from workbench.services import emerging
from workbench.services import hotspots as hs
from workbench.situation import Period
from workbench.store import loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import Store

MAX_HOT_CELLS = 300


def start(store: Store, organisation_id: int, *, kind: str, end: date, start_date: date | None = None,
          area_ids: list[int], actor: str, meeting_date: date | None = None) -> int:
    """Open a meeting for a period and a list of areas (the agenda, in order)."""
    if not area_ids:
        raise ValueError("välj minst ett område till dagordningen")
    period = meeting_period(kind, end, start_date)
    meeting_date = meeting_date or date.today()
    with store.transaction() as conn:
        return meetings.start_meeting(
            conn, organisation_id, meeting_date=meeting_date, period_start=period.start,
            period_end=period.end, period_kind=kind, area_ids=area_ids, actor=actor,
            title=meeting_title(meeting_date, kind, period))


def period_of(meeting: dict[str, Any]) -> Period:
    return Period(meeting["period_start"], meeting["period_end"])


def window_start(period: Period) -> datetime:
    """The first moment the meeting's figures look at: the previous period, the same period last
    year and the months hot-spots över tid looks back over."""
    over_time = datetime.combine(default_span("month", period.end)[0], datetime.min.time())
    return min(period.previous().start_dt, period.same_last_year().start_dt, over_time)


def window_events(store: Store, organisation_ids: list[int], period: Period) -> pd.DataFrame:
    """Counted events of the period, the previous period and the same period last year (the
    months of hot-spots över tid are counted in the database: hotspots_over_time)."""
    first = min(period.previous().start_dt, period.same_last_year().start_dt)
    return hs.load_events(store, organisation_ids, start=first, end=period.end_dt)


def _outline(geometry) -> dict[str, Any]:
    simplified = shapely.simplify(geometry, 10.0, preserve_topology=True)
    return shapely.geometry.mapping(simplified)


def _action_records(actions: pd.DataFrame) -> list[dict[str, Any]]:
    records = []
    for row in actions.itertuples():
        records.append({
            "id": int(row.id), "text": row.text, "responsible_party": row.responsible_party,
            "due_date": None if pd.isna(row.due_date) else str(row.due_date), "status": row.status,
            "overdue": bool(row.overdue), "place": None if pd.isna(row.place) else row.place,
            # what it answers: commitments and medborgarlöfte promises (list_actions' "answers")
            "commitments": getattr(row, "answers", None) or row.commitments or "", "public": bool(getattr(row, "public", False)),
        })
    return records


def hot_cells(events: pd.DataFrame, store: Store, organisation_id: int, period: Period,
              cell: int, *, limit: int | None = MAX_HOT_CELLS) -> list[dict[str, Any]]:
    """Significant hot-spot cells of police incidents in the period (aggregates only), the
    ``limit`` hottest first (all when None)."""
    police = events[events["source"] == "police"]
    try:
        extent = hs.study_extent(store, organisation_id, police)
    except ValueError:  # no point data at all
        return []
    try:
        run = hs.run(police, extent, EventFilter(period.start, period.end), cell)
    except GridTooLargeError:  # areas spread over Sweden: the Hot-spots page says why
        return []
    result = run.result
    hot = np.flatnonzero(np.char.startswith(result.hotspot_class.astype(str), "hot"))
    hot = hot[np.argsort(-result.z[hot])][:limit]
    row, col = np.divmod(hot, result.grid.n_cols)
    return [{"x0": result.grid.x0 + c * cell, "y0": result.grid.y0 + r * cell, "cell": cell,
             "class": str(result.hotspot_class[i]), "count": int(result.counts[i])}
            for i, r, c in zip(hot, row, col, strict=True)]


def hotspots_over_time(store: Store, settings: Settings, organisation_id: int, events: pd.DataFrame,
               areas, period: Period) -> dict[str, Any]:
    """Hot-spots över tid (services/emerging.summary) of the police incidents up to the period,
    counted per month and cell in the database (``events`` is not read: kept for the callers)."""
    return emerging.summary_stored(store, organisation_id, areas, period.end, settings.grid_size_m,
                                   settings.min_count,
                                   boundary=repo.organisation_boundary(store.engine, organisation_id),
                                   window_start=window_start(period).date())


def figures(store: Store, settings: Settings, organisation_id: int, period: Period,
            area_ids: list[int]) -> dict[str, Any]:
    """The data part of a meeting (the slow part, cacheable per data version): per-area briefs
    with outlines, the whole organisation's brief and the period's hot-spot cells."""
    events = window_events(store, [organisation_id], period)
    areas = repo.load_areas(store.engine, [organisation_id]).set_index("id")
    briefs = {}
    for area_id in area_ids:
        if area_id not in areas.index:
            continue  # the area was removed since the meeting started
        area = areas.loc[area_id]
        brief = area_brief(events, area_id=int(area_id), name=str(area["name"]),
                           population=area["population"], period=period)
        briefs[int(area_id)] = brief | {"outline": _outline(area.geometry)}
    over_time = hotspots_over_time(store, settings, organisation_id, events, areas.reset_index(), period)
    for area_id, brief in briefs.items():
        brief["emerging"] = over_time.get("areas", {}).get(str(area_id), {"counts": {}, "line": ""})
    org_name = repo.list_organisations(store.engine).set_index("id").loc[organisation_id, "name"]
    return {"organisation": str(org_name), "areas": briefs,
            "total": area_brief(events, area_id=None, name=str(org_name), population=None,
                                period=period),
            "hot_cells": hot_cells(events, store, organisation_id, period, settings.grid_size_m),
            "emerging": over_time,
            "area_names": {int(i): str(n) for i, n in areas["name"].items()}}


def assemble(meeting: dict[str, Any], data: dict[str, Any], actions: pd.DataFrame,
             earlier: list[dict[str, Any]], settings: Settings) -> MeetingSnapshot:
    """The meeting's snapshot from its figures, today's actions and earlier closed meetings."""
    period = period_of(meeting)
    meeting_id = int(meeting["id"])
    earlier = [s for s in earlier if s.get("id") != meeting_id
               and s.get("meeting_date", "") <= str(meeting["meeting_date"])]
    previous = earlier[-1] if earlier else None
    statuses = meeting["area_statuses"] or {}
    agenda = []
    for area_id in meeting["area_ids"] or []:
        if int(area_id) not in data["areas"]:
            continue
        brief = dict(data["areas"][int(area_id)])
        in_area = actions[actions["area_id"] == area_id] if len(actions) else actions
        brief["actions"] = _action_records(in_area[in_area["status"].isin(OPEN_ACTION_STATUSES)])
        brief["since_last"] = since_last(previous, brief, in_area)
        brief["trend"] = status_trend(earlier, int(area_id))
        brief["status"] = statuses.get(str(area_id))
        agenda.append(brief)
    decisions = actions[actions["situation_id"] == meeting_id] if len(actions) else actions
    decision_records = _action_records(decisions)
    names = data["area_names"]
    for record, row in zip(decision_records, decisions.itertuples(), strict=True):
        record["area_id"] = None if pd.isna(row.area_id) else int(row.area_id)
        record["area"] = None if pd.isna(row.area_id) else names.get(int(row.area_id))
    open_actions = actions[actions["status"].isin(OPEN_ACTION_STATUSES)] if len(actions) else actions
    return {
        "schema": SNAPSHOT_SCHEMA, "id": meeting_id, "organisation": data["organisation"],
        "title": meeting["title"], "meeting_date": str(meeting["meeting_date"]),
        "period": {"kind": meeting["period_kind"], "start": str(period.start), "end": str(period.end),
                   "label": period.label(),
                   "title": period_title(meeting["period_kind"] or "custom", period)},
        "previous_label": period.previous().name(), "last_year_label": period.same_last_year().name(),
        "min_count": settings.min_count, "status_levels": list(settings.status_levels),
        "total": data["total"], "areas": agenda, "decisions": decision_records,
        "hot_cells": data["hot_cells"], "emerging": data.get("emerging"),
        "open_actions": len(open_actions),
        "overdue_actions": int(actions["overdue"].sum()) if len(actions) else 0,
        "notes": meeting["notes"] or "", "public_summary": meeting["public_summary"] or "",
        "attendees": list(meeting.get("attendees") or []), "adjusted_by": meeting.get("adjusted_by") or "",
        "next_meeting": None if meeting.get("next_meeting") is None else str(meeting["next_meeting"]),
        "created_by": meeting["created_by"], "closed_by": meeting["closed_by"],
        "closed_at": None if meeting["closed_at"] is None else str(meeting["closed_at"]),
    }


def build_snapshot(store: Store, settings: Settings, organisation_id: int, meeting_id: int, *,
                   today: date | None = None, data: dict[str, Any] | None = None) -> MeetingSnapshot:
    """Everything the meeting shows as one JSON-able dict: the frozen snapshot of a closed
    meeting, else built live (``data`` = precomputed :func:`figures`, e.g. from a cache)."""
    meeting = meetings.get_meeting(store.engine, organisation_id, meeting_id)
    if meeting["closed_at"] is not None and meeting["snapshot"]:
        return read_snapshot(meeting["snapshot"])
    if data is None:
        data = figures(store, settings, organisation_id, period_of(meeting),
                       [int(a) for a in meeting["area_ids"] or []])
    actions = loop.list_actions(store.engine, organisation_id, today=today)
    earlier = meetings.closed_snapshots(store.engine, organisation_id)
    return assemble(meeting, data, actions, earlier, settings)


def set_status(store: Store, organisation_id: int, meeting_id: int, expected_version: int,
               area_id: int, level: str | None, motivation: str, *, settings: Settings,
               actor: str) -> int:
    if level is not None and level not in settings.status_levels:
        raise ValueError(f"okänd statusnivå '{level}' (tillåtna: {', '.join(settings.status_levels)})")
    with store.transaction() as conn:
        return meetings.set_area_status(conn, organisation_id, meeting_id, expected_version, area_id,
                                        level, motivation, actor=actor)


def update(store: Store, organisation_id: int, meeting_id: int, expected_version: int,
           changes: dict[str, Any], *, actor: str) -> int:
    with store.transaction() as conn:
        return meetings.update_meeting(conn, organisation_id, meeting_id, expected_version, changes,
                                       actor=actor)


def record_decision(store: Store, organisation_id: int, meeting_id: int, values: dict[str, Any], *,
                    actor: str, commitment_ids: Sequence[int] = (), promise_ids: Sequence[int] = (),
                    observation_ids: Sequence[int] = (), fault_report_ids: Sequence[int] = ()) -> int:
    """A decision of the meeting becomes an action linked to the meeting (one transaction),
    answering the given commitments, medborgarlöfte promises, reported observations and
    felanmälningar."""
    with store.transaction() as conn:
        meeting = meetings.get_meeting(conn, organisation_id, meeting_id)
        if meeting["closed_at"] is not None:
            raise ClosedError("Mötet är avslutat; nya beslut kan inte läggas till i det.")
        return loop.create_action(conn, organisation_id, {**values, "situation_id": meeting_id},
                                  actor=actor, commitment_ids=list(commitment_ids),
                                  promise_ids=list(promise_ids), observation_ids=list(observation_ids),
                                  fault_report_ids=list(fault_report_ids))


def close(store: Store, settings: Settings, organisation_id: int, meeting_id: int,
          expected_version: int, *, actor: str) -> MeetingSnapshot:
    """Freeze the snapshot and close the meeting; returns the snapshot."""
    snapshot = build_snapshot(store, settings, organisation_id, meeting_id)
    snapshot = snapshot | {"closed_at": datetime.now().isoformat(sep=" "), "closed_by": actor}
    with store.transaction() as conn:
        meetings.close_meeting(conn, organisation_id, meeting_id, expected_version, snapshot,
                               actor=actor)
    return snapshot
