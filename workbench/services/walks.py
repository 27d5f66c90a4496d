"""Trygghetsvandringar use cases: plan a walk, record observations on it (from a phone), decide
on each observation after the walk (an åtgärd through the EST loop's own action store, or closed
without one with a reason) and write the walk's follow-up document. One transaction per action.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, shape

from workbench.errors import WorkbenchError
from workbench.geo.assign import assign_points
from workbench.geo.crs import SWEREF99TM, WGS84, transform
from workbench.hotspots.ranking import place_geometries
from workbench.reports.html import render_html
from workbench.reports.pdf import render_pdf
from workbench.reports.walk_docs import WalkFollowUp, walk_follow_up_document
from workbench.services.reports import MIME, Built, organisation_name
from workbench.store import loop, walks
from workbench.store import repositories as repo
from workbench.store.db import Store
from workbench.store.reporting import STATUS_CLOSED_WITHOUT

FORMATS = ("html", "pdf")


def route_sweref(geometry: dict[str, Any] | None) -> shapely.LineString | None:
    """A route drawn on the map (GeoJSON LineString, or a Feature of one, in WGS 84) as a line in
    EPSG:3006; None when nothing was drawn."""
    if not geometry:
        return None
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") != "LineString":
        raise WorkbenchError("Sträckan ritas som en linje (verktyget 'Rita en sträcka').")
    try:
        line = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise WorkbenchError("Sträckan gick inte att läsa; rita den igen.") from exc
    coords = shapely.get_coordinates(line)
    x, y = transform(coords[:, 0], coords[:, 1], WGS84, SWEREF99TM)
    return shapely.LineString(np.column_stack([x, y]))


def plan(store: Store, organisation_id: int, *, walk_date: date, area_id: int,
         participants: list[str], route: dict[str, Any] | None = None, notes: str | None = None,
         actor: str) -> int:
    line = route_sweref(route)
    with store.transaction() as conn:
        return walks.plan_walk(conn, organisation_id, walk_date=walk_date, area_id=area_id,
                               participants=participants, route=line, notes=notes, actor=actor)


def set_walk_status(store: Store, organisation_id: int, walk_id: int, status: str, *, actor: str) -> None:
    with store.transaction() as conn:
        walks.set_walk_status(conn, organisation_id, walk_id, status, actor=actor)


def record(store: Store, organisation_id: int, walk_id: int, *, category: str, lon: float, lat: float,
           comment: str | None = None, priority: int | None = None,
           observed_at: datetime | None = None, actor: str) -> int:
    """An observation at (lon, lat) — a tap on the map or the phone's position — in its district."""
    x, y = transform(np.array([float(lon)]), np.array([float(lat)]), WGS84, SWEREF99TM)
    px, py = float(x[0]), float(y[0])
    with store.transaction() as conn:
        areas = repo.load_areas(conn, [organisation_id])
        index = assign_points(np.array([px]), np.array([py]), list(areas.geometry)) if len(areas) else [-1]
        area_id = int(areas["id"].iloc[index[0]]) if index[0] >= 0 else None
        return walks.add_observation(conn, organisation_id, walk_id, category=category, x=px, y=py,
                                     area_id=area_id, observed_at=observed_at or datetime.now(),
                                     comment=comment, priority=priority, actor=actor)


def agenda(store: Store, organisation_id: int, walk_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The walk and its observations (the agenda of the meeting after the walk)."""
    with store.engine.connect() as conn:
        return walks.walk(conn, organisation_id, walk_id), walks.observations(conn, organisation_id, walk_id)


def suggestion(store: Store, organisation_id: int, observation: dict[str, Any]) -> dict[str, Any]:
    """What an åtgärd for ``observation`` starts from: its text, the place it lies in (if any)
    and its area."""
    text = observation["label"] + (f": {observation['comment']}" if observation.get("comment") else "")
    place_id = None
    if observation.get("x") is not None and not pd.isna(observation["x"]):
        places = repo.load_places(store.engine, [organisation_id])
        if len(places):
            point = Point(float(observation["x"]), float(observation["y"]))
            inside = [int(i) for i, g in zip(places["id"], place_geometries(places), strict=True)
                      if g.covers(point)]
            place_id = inside[0] if inside else None
    area_id = observation.get("area_id")
    return {"text": text, "place_id": place_id,
            "area_id": None if area_id is None or pd.isna(area_id) else int(area_id)}


def decide(store: Store, organisation_id: int, observation_ids: list[int], values: dict[str, Any], *,
           actor: str) -> int:
    """One åtgärd answering one or several of a walk's observations, in one transaction: the
    action as the EST loop stores every action, and the link from each observation."""
    if not observation_ids:
        raise WorkbenchError("Välj minst en iakttagelse som åtgärden svarar på.")
    if not (values.get("text") or "").strip():
        raise WorkbenchError("Åtgärden behöver en text.")
    if not (values.get("responsible_party") or "").strip():
        raise WorkbenchError("Åtgärden behöver en ansvarig part (organisation eller roll).")
    with store.transaction() as conn:
        action_id = loop.create_action(conn, organisation_id, values, actor=actor)
        for observation_id in dict.fromkeys(observation_ids):
            walks.link_action(conn, organisation_id, int(observation_id), action_id, actor=actor)
    return action_id


def link(store: Store, organisation_id: int, observation_id: int, action_id: int, *, actor: str) -> None:
    """An existing åtgärd also answers this observation."""
    with store.transaction() as conn:
        walks.link_action(conn, organisation_id, observation_id, action_id, actor=actor)


def close_without_action(store: Store, organisation_id: int, observation_id: int, reason: str, *,
                         actor: str) -> None:
    with store.transaction() as conn:
        walks.set_status(conn, organisation_id, observation_id, STATUS_CLOSED_WITHOUT, reason=reason,
                         actor=actor)


def set_status(store: Store, organisation_id: int, observation_id: int, status: str, *,
               reason: str | None = None, actor: str) -> None:
    with store.transaction() as conn:
        walks.set_status(conn, organisation_id, observation_id, status, reason=reason, actor=actor)


def follow_up_data(store: Store, organisation_id: int, walk_id: int) -> WalkFollowUp:
    walk, observations = agenda(store, organisation_id, walk_id)
    actions = loop.list_actions(store.engine, organisation_id)
    by_id = {int(r.id): r for r in actions.itertuples()} if len(actions) else {}
    linked = sorted({a for o in observations for a in o["action_ids"]})
    numbers = {o["id"]: n for n, o in enumerate(observations, start=1)}
    return WalkFollowUp(
        organisation=organisation_name(store, organisation_id), walk_date=walk["walk_date"],
        area=walk["area"] or "", participants=walk["participants"] or "",
        planned=walk["status"] == walks.PLANNED,
        observations=[{"number": numbers[o["id"]], "label": o["label"], "area": o["area"],
                       "priority": o["priority"], "comment": o["comment"], "status": o["status"],
                       "reason": o["status_reason"], "actions": o["action_ids"]} for o in observations],
        actions=[{"id": a, "text": by_id[a].text, "public": bool(by_id[a].public),
                  "responsible": by_id[a].responsible_party, "status": by_id[a].status,
                  "due": by_id[a].due_date,
                  "answers": [numbers[o["id"]] for o in observations if a in o["action_ids"]]}
                 for a in linked if a in by_id])


def follow_up(store: Store, organisation_id: int, walk_id: int, fmt: str) -> Built:
    """The walk's follow-up document as HTML or PDF (the återkoppling's public-safe form)."""
    if fmt not in FORMATS:
        raise WorkbenchError(f"Uppföljningen kan sparas som {', '.join(FORMATS)}, inte {fmt}.")
    data = follow_up_data(store, organisation_id, walk_id)
    doc = walk_follow_up_document(data)
    content = render_pdf(doc) if fmt == "pdf" else render_html(doc).encode("utf-8")
    return Built(content, f"vandring-{data.walk_date:%Y%m%d}-uppfoljning.{fmt}", MIME[fmt])
