"""Weekly inrapportering in the store: a verksamhet's report for an ISO week (observations or a
nil report), each observation's status towards an åtgärd, and the link observation ↔ åtgärd.

Descriptions are scanned with the central scanner before they are stored (what is stored is
redacted as in imports). Every write is audited in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from workbench.anonymise.scan import redact_text
from workbench.errors import WorkbenchError
from workbench.store import observation_status
from workbench.store import tables as t
from workbench.store.db import new_id
from workbench.store.observation_status import STATUS_CLOSED_WITHOUT, STATUS_NEW, STATUSES  # noqa: F401 - the vocabulary, imported from here
from workbench.store.repositories import audit

R = t.WeeklyReport.__table__
O = t.Observation.__table__  # noqa: E741
L = t.ObservationAction.__table__

# The EST observation types that are not crimes (offered beside the category list).
OBSERVATION_TYPES = ("Otrygg plats", "Folksamling", "Nedskräpning", "Belysning", "Klotter", "Brand",
                     "Skadegörelse", "Narkotikaindikation")
MAX_DESCRIPTION = 2000
KIND = observation_status.ObservationKind(table=O, links=L, link_column="observation_id", entity="observation",
                              noun="observationen", reason_limit=MAX_DESCRIPTION)


@dataclass(frozen=True)
class NewObservation:
    category: str
    occurred_from: datetime
    occurred_to: datetime | None = None
    x: float | None = None
    y: float | None = None
    place: str | None = None
    area: str | None = None
    description: str | None = None
    assessment: int | None = None


def _clean(text: str | None, limit: int = 200) -> str | None:
    value = (text or "").strip()
    return value[:limit] or None


def _observation_values(obs: NewObservation, levels: int) -> dict[str, Any]:
    category = _clean(obs.category)
    if not category:
        raise WorkbenchError("Observationen behöver en kategori.")
    if (obs.x is None) != (obs.y is None):
        raise WorkbenchError("Observationens punkt behöver både x och y.")
    place, area = _clean(obs.place), _clean(obs.area)
    if obs.x is None and not place and not area:
        raise WorkbenchError("Observationen behöver en plats: en punkt i kartan, en känd plats eller ett område.")
    if obs.occurred_to is not None and obs.occurred_to < obs.occurred_from:
        raise WorkbenchError("Observationens tidsspann slutar före det börjar.")
    if obs.assessment is not None and not 1 <= int(obs.assessment) <= levels:
        raise WorkbenchError(f"Bedömningen ska vara mellan 1 och {levels}.")
    description = _clean(obs.description, MAX_DESCRIPTION)
    if description:
        description = redact_text(description).text
    return {"category": category, "x": obs.x, "y": obs.y, "place": place, "area": area,
            "occurred_from": obs.occurred_from, "occurred_to": obs.occurred_to,
            "description": description,
            "assessment": None if obs.assessment is None else int(obs.assessment)}


def save_report(conn: Connection, organisation_id: int, *, verksamhet: str, iso_year: int,
                iso_week: int, observations: list[NewObservation], nothing_to_report: bool,
                actor: str, levels: int = 4) -> int:
    """Add to (or start) the verksamhet's report for the week; a nil report has no observations."""
    verksamhet_name = _clean(verksamhet)
    if not verksamhet_name:
        raise WorkbenchError("Rapporten behöver en verksamhet.")
    if not 1 <= int(iso_week) <= 53:
        raise WorkbenchError("Veckan ska vara mellan 1 och 53.")
    if nothing_to_report and observations:
        raise WorkbenchError("En rapport med observationer kan inte samtidigt vara 'inget att rapportera'.")
    if not nothing_to_report and not observations:
        raise WorkbenchError("Rapporten behöver minst en observation, eller 'Inget att rapportera denna vecka'.")
    rows = [_observation_values(o, levels) for o in observations]  # all validated before any write
    existing = conn.execute(select(R.c.id, R.c.nothing_to_report).where(
        R.c.organisation_id == organisation_id, R.c.verksamhet == verksamhet_name,
        R.c.iso_year == int(iso_year), R.c.iso_week == int(iso_week))).first()
    if existing is None:
        report_id = new_id(conn.execute(insert(R).values(
            organisation_id=organisation_id, verksamhet=verksamhet_name, iso_year=int(iso_year),
            iso_week=int(iso_week), nothing_to_report=bool(nothing_to_report), reporter=actor,
            created_at=datetime.now())))
        audit(conn, actor=actor, verb="insert", entity="weekly_report", entity_id=report_id,
              organisation_id=organisation_id,
              after={"verksamhet": verksamhet_name, "vecka": f"{iso_year}-W{int(iso_week):02d}",
                     "inget_att_rapportera": bool(nothing_to_report)})
    else:
        report_id = int(existing.id)
        if bool(existing.nothing_to_report) != bool(nothing_to_report):
            conn.execute(update(R).where(R.c.id == report_id).values(nothing_to_report=bool(nothing_to_report)))
            audit(conn, actor=actor, verb="update", entity="weekly_report", entity_id=report_id,
                  organisation_id=organisation_id,
                  before={"inget_att_rapportera": bool(existing.nothing_to_report)},
                  after={"inget_att_rapportera": bool(nothing_to_report)})
    for values in rows:
        obs_id = new_id(conn.execute(insert(O).values(
            organisation_id=organisation_id, report_id=report_id, status=STATUS_NEW,
            created_by=actor, created_at=datetime.now(), **values)))
        audit(conn, actor=actor, verb="insert", entity="observation", entity_id=obs_id,
              organisation_id=organisation_id,
              after={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()})
    return report_id


def reports(conn: Connection, organisation_id: int, *, iso_year: int | None = None,
            iso_week: int | None = None, reporter: str | None = None) -> list[dict[str, Any]]:
    """The organisation's weekly reports (optionally one week, one reporter), newest first."""
    query = select(R).where(R.c.organisation_id == organisation_id)
    if iso_year is not None:
        query = query.where(R.c.iso_year == int(iso_year))
    if iso_week is not None:
        query = query.where(R.c.iso_week == int(iso_week))
    if reporter is not None:
        query = query.where(R.c.reporter == reporter)
    query = query.order_by(R.c.iso_year.desc(), R.c.iso_week.desc(), R.c.verksamhet)
    return [dict(r._mapping) for r in conn.execute(query)]


def observations(conn: Connection, organisation_id: int, *, report_ids: list[int] | None = None,
                 reporter: str | None = None) -> list[dict[str, Any]]:
    """Observations with their report's verksamhet and week and the linked åtgärd ids."""
    query = (select(O, R.c.verksamhet, R.c.iso_year, R.c.iso_week, R.c.reporter)
             .select_from(O.outerjoin(R, O.c.report_id == R.c.id))
             .where(O.c.organisation_id == organisation_id))
    if report_ids is not None:
        query = query.where(O.c.report_id.in_([int(i) for i in report_ids]))
    if reporter is not None:
        query = query.where(R.c.reporter == reporter)
    rows = [dict(r._mapping) for r in conn.execute(query.order_by(O.c.occurred_from, O.c.id))]
    links: dict[int, list[int]] = {}
    if rows:
        ids = [r["id"] for r in rows]
        for link in conn.execute(select(L).where(L.c.observation_id.in_(ids))):
            links.setdefault(int(link.observation_id), []).append(int(link.action_id))
    for row in rows:
        row["action_ids"] = sorted(links.get(row["id"], []))
    return rows


def set_status(conn: Connection, organisation_id: int, observation_id: int, status: str, *,
               reason: str | None = None, actor: str) -> None:
    """Move an observation to ``status``; closing without an åtgärd needs a reason."""
    observation_status.set_status(conn, KIND, organisation_id, observation_id, status, reason=reason, actor=actor)


def link_action(conn: Connection, organisation_id: int, observation_id: int, action_id: int, *,
                actor: str) -> None:
    """Record that åtgärd ``action_id`` answers the observation; its status becomes 'åtgärd beslutad'."""
    observation_status.link_action(conn, KIND, organisation_id, observation_id, action_id, actor=actor)
