"""Trygghetsvandringar in the store: a walk planned in the app (date, area, route, participating
organisations as roles), the observations recorded on it, each observation's status towards an
åtgärd (the vocabulary of the inrapportering's observations) and the link observation ↔ åtgärd.

Walks imported from files live in the same two tables: every reader here returns an imported
walk and one recorded in the app in the same form. Imported statuses are free text ("pågår",
"Åtgärdad", "klar"); :func:`normalise_status` reads them in the shared vocabulary. Every write is
audited in the caller's transaction; comments and reasons are scanned before they are stored.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import Connection, insert, select, update

from workbench.anonymise.scan import redact_text
from workbench.errors import NotFoundError, WorkbenchError
from workbench.geo.crs import in_sweden_3006
from workbench.schema import PRECISION_EXACT
from workbench.store import observation_status
from workbench.store import tables as t
from workbench.store.db import new_id
from workbench.store.observation_status import (
    STATUS_CLOSED_WITHOUT,
    STATUS_DECIDED,
    STATUS_NEW,
    STATUSES,
)
from workbench.store.repositories import audit
from workbench.taxonomy import WALK_RULES

W = t.SafetyWalk.__table__
O = t.WalkObservation.__table__  # noqa: E741
L = t.WalkObservationAction.__table__
AREA = t.Area.__table__

PLANNED, DONE = "planned", "done"
WALK_STATUS_SV = {PLANNED: "Planerad", DONE: "Genomförd"}
# Participating organisations, as roles (never the names of people).
PARTICIPANT_ROLES = ("kommunen", "polisen", "bostadsbolaget", "fritid", "skola", "räddningstjänsten",
                     "fastighetsägare", "kollektivtrafiken", "föreningar", "boende")
# What a walk observation is about: the walk categories of the taxonomy, key → label.
CATEGORIES = {rule.key: rule.label for rule in WALK_RULES} | {"ovrigt": "Övrigt"}
PRIORITIES = {1: "1 – hög", 2: "2 – medel", 3: "3 – låg"}
MAX_COMMENT = 1000
MAX_ROUTE_M = 20_000.0  # a walk is on foot: a longer line is a slip on the map

# Imported free-text statuses in the shared vocabulary (first match wins; no match = "ny").
_STATUS_WORDS = (
    (re.compile(r"utan\s+åtgärd|ej\s+åtgärd|ingen\s+åtgärd|avskriv", re.I), STATUS_CLOSED_WITHOUT),
    (re.compile(r"^(åtgärdad|åtgärdat|klar|utförd|stängd|avslutad|fixad|genomförd)", re.I), "åtgärdad"),
    (re.compile(r"^(åtgärd beslutad|beslutad|pågår|planerad|påbörjad|under åtgärd)", re.I), STATUS_DECIDED),
    (re.compile(r"^(behandlad|tagen upp)", re.I), "behandlad på EST-möte"),
)


def normalise_status(value: str | None) -> str:
    """A stored status (the vocabulary, or an imported file's own word) in the vocabulary."""
    text = (value or "").strip()
    if text in STATUSES:
        return text
    for pattern, status in _STATUS_WORDS:
        if pattern.search(text):
            return status
    return STATUS_NEW


KIND = observation_status.ObservationKind(
    table=O, links=L, link_column="walk_observation_id", entity="walk_observation", noun="iakttagelsen",
    reason_limit=MAX_COMMENT, normalise=normalise_status)


def _clean(text: str | None, limit: int) -> str | None:
    value = (text or "").strip()
    return value[:limit] or None


def _area(conn: Connection, organisation_id: int, area_id: int) -> Any:
    row = conn.execute(select(AREA.c.id, AREA.c.name).where(
        AREA.c.id == int(area_id), AREA.c.organisation_id == organisation_id)).first()
    if row is None:
        raise NotFoundError("Området finns inte i organisationen.")
    return row


def participants_text(participants: list[str]) -> str | None:
    """Roles as the walks table of an import holds them: 'kommunen, polisen, bostadsbolaget'."""
    roles = [p.strip() for p in participants if p and p.strip()]
    for role in roles:
        if len(role) > 60:
            raise WorkbenchError("En deltagande organisation anges med sin roll (t.ex. 'fritid'), "
                                 "högst 60 tecken – aldrig med namn på personer.")
    return ", ".join(dict.fromkeys(roles)) or None


def _new_ref(conn: Connection, organisation_id: int, walk_date: date, area_name: str) -> str:
    base = f"{walk_date.isoformat()} {area_name}"[:90]
    taken = set(conn.execute(select(W.c.ref).where(W.c.organisation_id == organisation_id,
                                                    W.c.ref.like(f"{base}%"))).scalars())
    ref, n = base, 1
    while ref in taken:
        n += 1
        ref = f"{base} ({n})"
    return ref


def plan_walk(conn: Connection, organisation_id: int, *, walk_date: date, area_id: int,
              participants: list[str], route: shapely.LineString | None = None,
              notes: str | None = None, actor: str) -> int:
    """A planned walk in one of the organisation's areas; ``route`` is a line in EPSG:3006."""
    if not isinstance(walk_date, date):
        raise WorkbenchError("Vandringen behöver ett datum.")
    area = _area(conn, organisation_id, area_id)
    text = participants_text(participants)
    if route is not None:
        if route.geom_type != "LineString" or route.is_empty or len(route.coords) < 2:
            raise WorkbenchError("Sträckan ritas som en linje med minst två punkter.")
        if not in_sweden_3006(*route.bounds):
            raise WorkbenchError("Sträckan ligger utanför Sverige – rita den i kommunen.")
        if route.length > MAX_ROUTE_M:
            raise WorkbenchError(f"Sträckan är {route.length / 1000:.1f} km – en vandring är högst "
                                 f"{MAX_ROUTE_M / 1000:.0f} km.".replace(".", ","))
    note = _clean(notes, MAX_COMMENT)
    values = {"ref": _new_ref(conn, organisation_id, walk_date, area.name), "walk_date": walk_date,
              "area_id": int(area.id), "area_name": area.name, "participants": text,
              "notes": redact_text(note).text if note else None,
              "route_wkb": shapely.to_wkb(route) if route is not None else None,
              "status": PLANNED, "created_by": actor}
    walk_id = new_id(conn.execute(insert(W).values(organisation_id=organisation_id, **values)))
    audit(conn, actor=actor, verb="insert", entity="safety_walk", entity_id=walk_id,
          organisation_id=organisation_id,
          after={k: v for k, v in values.items() if k != "route_wkb"}
          | {"route_m": round(route.length) if route is not None else None})
    return walk_id


def _walk(conn: Connection, organisation_id: int, walk_id: int) -> Any:
    row = conn.execute(select(W).where(W.c.id == int(walk_id),
                                       W.c.organisation_id == organisation_id)).first()
    if row is None:
        raise NotFoundError("Vandringen finns inte (längre).")
    return row


def set_walk_status(conn: Connection, organisation_id: int, walk_id: int, status: str, *,
                    actor: str) -> None:
    if status not in WALK_STATUS_SV:
        raise WorkbenchError(f"Okänd status för en vandring: '{status}'.")
    row = _walk(conn, organisation_id, walk_id)
    if row.status == status:
        return
    conn.execute(update(W).where(W.c.id == row.id).values(status=status))
    audit(conn, actor=actor, verb="update", entity="safety_walk", entity_id=int(row.id),
          organisation_id=organisation_id, before={"status": row.status}, after={"status": status})


def add_observation(conn: Connection, organisation_id: int, walk_id: int, *, category: str,
                    x: float, y: float, area_id: int | None, observed_at: datetime,
                    comment: str | None = None, priority: int | None = None, actor: str) -> int:
    """One observation at a point (EPSG:3006) on a walk, stored as an imported one is."""
    walk = _walk(conn, organisation_id, walk_id)
    if category not in CATEGORIES:
        raise WorkbenchError(f"Okänd kategori '{category}'; välj en av "
                             f"{', '.join(CATEGORIES.values())}.")
    if x is None or y is None or not in_sweden_3006(x, y, x, y):
        raise WorkbenchError("Iakttagelsen behöver en plats i kommunen: tryck i kartan.")
    if priority is not None and int(priority) not in PRIORITIES:
        raise WorkbenchError("Prioriteten ska vara 1 (hög), 2 (medel) eller 3 (låg).")
    note = _clean(comment, MAX_COMMENT)
    taken = set(conn.execute(select(O.c.source_id).where(O.c.walk_id == walk.id)).scalars())
    number = len(taken) + 1
    while f"app-{number}" in taken:
        number += 1
    values = {"source_id": f"app-{number}", "category": category,
              "category_original": CATEGORIES[category], "observed_at": observed_at,
              "priority": None if priority is None else int(priority),
              "comment": redact_text(note).text if note else None, "status": STATUS_NEW,
              "x": float(x), "y": float(y), "precision": PRECISION_EXACT,
              "area_id": area_id if area_id is not None else walk.area_id}
    observation_id = new_id(conn.execute(insert(O).values(
        organisation_id=organisation_id, walk_id=int(walk.id),
        geom_wkb=shapely.to_wkb(shapely.Point(float(x), float(y))), **values)))
    audit(conn, actor=actor, verb="insert", entity="walk_observation", entity_id=observation_id,
          organisation_id=organisation_id, after=values | {"walk_id": int(walk.id)})
    return observation_id


def walks(conn: Connection, organisation_id: int, *,
          area_ids: tuple[int, ...] | None = None) -> list[dict[str, Any]]:
    """Every walk of the organisation (imported or planned in the app), newest first, with its
    number of observations and of those still without a decision (status 'ny')."""
    query = (select(W, AREA.c.name.label("area"))
             .select_from(W.outerjoin(AREA, W.c.area_id == AREA.c.id))
             .where(W.c.organisation_id == organisation_id))
    if area_ids is not None:
        query = query.where(W.c.area_id.in_([int(i) for i in area_ids]))
    rows = [dict(r._mapping) for r in conn.execute(query.order_by(W.c.walk_date.desc(), W.c.id.desc()))]
    statuses: dict[int, list[str]] = {}
    if rows:
        for walk_id, status in conn.execute(select(O.c.walk_id, O.c.status).where(
                O.c.walk_id.in_([r["id"] for r in rows]))):
            statuses.setdefault(int(walk_id), []).append(normalise_status(status))
    for row in rows:
        row["area"] = row["area"] or row["area_name"]
        row["route"] = shapely.from_wkb(row.pop("route_wkb")) if row.get("route_wkb") else None
        found = statuses.get(row["id"], [])
        row["observations"] = len(found)
        row["new"] = sum(s == STATUS_NEW for s in found)
    return rows


def walk(conn: Connection, organisation_id: int, walk_id: int) -> dict[str, Any]:
    found = [w for w in walks(conn, organisation_id) if w["id"] == int(walk_id)]
    if not found:
        raise NotFoundError("Vandringen finns inte (längre).")
    return found[0]


def observations(conn: Connection, organisation_id: int, walk_id: int) -> list[dict[str, Any]]:
    """A walk's observations in the order they were made: category (key and label), time,
    priority, comment, point, area, status in the vocabulary (with the reason) and linked åtgärder."""
    _walk(conn, organisation_id, walk_id)
    query = (select(O.c.id, O.c.walk_id, O.c.source_id, O.c.category, O.c.category_original,
                    O.c.observed_at, O.c.priority, O.c.comment, O.c.photo_ref, O.c.status,
                    O.c.status_reason, O.c.x, O.c.y, O.c.precision, O.c.area_id,
                    AREA.c.name.label("area"))
             .select_from(O.outerjoin(AREA, O.c.area_id == AREA.c.id))
             .where(O.c.walk_id == int(walk_id), O.c.organisation_id == organisation_id)
             .order_by(O.c.observed_at, O.c.id))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    links: dict[int, list[int]] = {}
    if rows:
        for link in conn.execute(select(L).where(L.c.walk_observation_id.in_([r["id"] for r in rows]))):
            links.setdefault(int(link.walk_observation_id), []).append(int(link.action_id))
    for row in rows:
        row["status"] = normalise_status(row["status"])
        row["label"] = CATEGORIES.get(row["category"]) or row["category_original"] or row["category"]
        row["action_ids"] = sorted(links.get(row["id"], []))
    return rows


def set_status(conn: Connection, organisation_id: int, observation_id: int, status: str, *,
               reason: str | None = None, actor: str) -> None:
    """Move a walk observation to ``status``; closing without an åtgärd needs a reason."""
    observation_status.set_status(conn, KIND, organisation_id, observation_id, status, reason=reason, actor=actor)


def link_action(conn: Connection, organisation_id: int, observation_id: int, action_id: int, *,
                actor: str) -> None:
    """Record that åtgärd ``action_id`` answers the walk observation ('åtgärd beslutad' unless it
    was already further along)."""
    observation_status.link_action(conn, KIND, organisation_id, observation_id, action_id, actor=actor)


def follow_action(conn: Connection, organisation_id: int, action_id: int, *, actor: str) -> list[int]:
    """After an åtgärd's status changed: each walk observation it answers takes the status its
    åtgärder give, as a reported observation does (genomförd → åtgärdad; every one cancelled →
    avslutad utan åtgärd). A status set by hand is left alone. Returns the ids changed."""
    return observation_status.follow_action(conn, KIND, organisation_id, action_id, actor=actor)
