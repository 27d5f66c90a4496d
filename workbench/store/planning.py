"""Plan areas in the store: create, read, save a new assessment version, history, delete.

A plan's row holds its current outline and buffer; every save appends an immutable
``plan_assessment`` version. The version column makes a stale save a conflict, not a silent
overwrite, and every write is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from workbench.errors import ConflictError, NotFoundError, WorkbenchError
from workbench.planning.stored import AssessmentFigures, ChecklistItem, read_assessment
from workbench.store import privacy
from workbench.store import tables as t
from workbench.store.db import new_id
from workbench.store.repositories import audit, fetch_records

P = t.PlanArea.__table__
V = t.PlanAssessment.__table__


def _with_geometry(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["geometry"] = shapely.from_wkb(out.pop("geom_wkb"))
    return out


def create_plan(conn: Connection, organisation_id: int, *, name: str, reference: str | None,
                source: str | None, geometry: BaseGeometry, buffer_m: float,
                checklist: list[ChecklistItem], figures: AssessmentFigures | None,
                period: tuple[date, date] | None, actor: str) -> int:
    """A new plan with its first version; the name must be new in the organisation."""
    name = name.strip()
    if not name:
        raise WorkbenchError("Planen behöver ett namn.")
    now = datetime.now()
    values = {"name": name, "reference": (reference or "").strip() or None, "source": source,
              "buffer_m": float(buffer_m), "created_by": actor}
    taken = WorkbenchError(f"Det finns redan en plan som heter '{name}'.")
    if find_plan(conn, organisation_id, name) is not None:
        raise taken
    try:  # a plan of the same name saved a moment ago by someone else: the whole save rolls back
        plan_id = new_id(conn.execute(insert(P).values(
            organisation_id=organisation_id, geom_wkb=shapely.to_wkb(geometry), version=1,
            created_at=now, updated_at=now, **values)))
    except IntegrityError:
        raise taken from None
    _insert_version(conn, plan_id, 1, geometry=geometry, buffer_m=buffer_m, checklist=checklist,
                    figures=figures, period=period, actor=actor, note="Skapad", at=now)
    audit(conn, actor=actor, verb="insert", entity="plan_area", entity_id=plan_id,
          organisation_id=organisation_id,
          after=values | {"area_m2": round(geometry.area, 1), "version": 1})
    return plan_id


def _insert_version(conn: Connection, plan_id: int, version: int, *, geometry: BaseGeometry,
                    buffer_m: float, checklist: list[ChecklistItem], figures: AssessmentFigures | None,
                    period: tuple[date, date] | None, actor: str, note: str | None,
                    at: datetime) -> None:
    conn.execute(insert(V).values(
        plan_area_id=plan_id, version=version, saved_at=at, saved_by=actor,
        geom_wkb=shapely.to_wkb(geometry), buffer_m=float(buffer_m),
        period_start=period[0] if period else None, period_end=period[1] if period else None,
        checklist=checklist, figures=figures, note=(note or "").strip() or None))


def list_plans(engine: Engine, organisation_id: int) -> pd.DataFrame:
    """The organisation's plans (without geometry), most recently changed first."""
    columns = [P.c.id, P.c.name, P.c.reference, P.c.source, P.c.buffer_m, P.c.created_by,
               P.c.created_at, P.c.updated_at, P.c.version]
    rows = fetch_records(engine, select(*columns).where(P.c.organisation_id == organisation_id)
                      .order_by(P.c.updated_at.desc(), P.c.id.desc()))
    return pd.DataFrame(rows, columns=[c.name for c in columns])


def get_plan(engine: Engine | Connection, organisation_id: int, plan_id: int) -> dict[str, Any]:
    """The plan with its geometry and its latest version's checklist, saved_at and saved_by."""
    rows = fetch_records(engine, select(P).where((P.c.id == plan_id) & (P.c.organisation_id == organisation_id)))
    if not rows:
        raise NotFoundError(f"Planen {plan_id} finns inte i organisationen.")
    plan = _with_geometry(rows[0])
    latest = fetch_records(engine, select(V.c.checklist, V.c.figures, V.c.period_start, V.c.period_end,
                                         V.c.saved_at, V.c.saved_by)
                           .where((V.c.plan_area_id == plan_id) & (V.c.version == plan["version"])))
    plan["checklist"], plan["figures"] = (read_assessment(latest[0]["checklist"], latest[0]["figures"])
                                          if latest else ([], None))
    plan["saved_at"] = latest[0]["saved_at"] if latest else plan["updated_at"]
    plan["saved_by"] = latest[0]["saved_by"] if latest else plan["created_by"]
    plan["period"] = ((latest[0]["period_start"], latest[0]["period_end"])
                      if latest and latest[0]["period_start"] else None)
    return plan


def find_plan(engine: Engine | Connection, organisation_id: int, name: str) -> int | None:
    rows = fetch_records(engine, select(P.c.id).where((P.c.organisation_id == organisation_id)
                                                   & (P.c.name == privacy.redact_key(name.strip()))))
    return int(rows[0]["id"]) if rows else None


def save_version(conn: Connection, organisation_id: int, plan_id: int, expected_version: int, *,
                 geometry: BaseGeometry, buffer_m: float, checklist: list[ChecklistItem],
                 figures: AssessmentFigures | None, period: tuple[date, date] | None,
                 note: str | None, actor: str) -> int:
    """Save the check as the next version; a save based on an older version is a conflict."""
    before = get_plan(conn, organisation_id, plan_id)
    now = datetime.now()
    result = conn.execute(update(P).where((P.c.id == plan_id) & (P.c.organisation_id == organisation_id)
                                          & (P.c.version == expected_version))
                          .values(version=expected_version + 1, geom_wkb=shapely.to_wkb(geometry),
                                  buffer_m=float(buffer_m), updated_at=now))
    if result.rowcount != 1:
        raise ConflictError(f"Planen '{before['name']}' har sparats av någon annan (version "
                            f"{before['version']}, du utgick från version {expected_version}). "
                            "Ladda om och gör ändringen igen.")
    version = expected_version + 1
    _insert_version(conn, plan_id, version, geometry=geometry, buffer_m=buffer_m,
                    checklist=checklist, figures=figures, period=period, actor=actor, note=note, at=now)
    changed = {"geometry": not before["geometry"].equals(geometry),
               "buffer_m": float(before["buffer_m"]) != float(buffer_m)}
    audit(conn, actor=actor, verb="update", entity="plan_area", entity_id=plan_id,
          organisation_id=organisation_id,
          before={"version": before["version"], "buffer_m": before["buffer_m"],
                  "checklist": before["checklist"]},
          after={"version": version, "buffer_m": float(buffer_m), "checklist": checklist,
                 "geometry_changed": changed["geometry"], "note": note})
    return version


def versions(engine: Engine, organisation_id: int, plan_id: int) -> list[dict[str, Any]]:
    """Every saved version of the plan, newest first, with geometry and checklist."""
    get_plan(engine, organisation_id, plan_id)  # NotFoundError for another organisation's plan
    rows = fetch_records(engine, select(V).where(V.c.plan_area_id == plan_id).order_by(V.c.version.desc()))
    out = [_with_geometry(r) for r in rows]
    for version in out:
        version["checklist"], version["figures"] = read_assessment(version["checklist"], version["figures"])
    return out


def delete_plan(conn: Connection, organisation_id: int, plan_id: int, *, actor: str) -> None:
    """Remove the plan and its versions (the audit log keeps that it existed and who removed it)."""
    plan = get_plan(conn, organisation_id, plan_id)
    conn.execute(delete(V).where(V.c.plan_area_id == plan_id))
    conn.execute(delete(P).where((P.c.id == plan_id) & (P.c.organisation_id == organisation_id)))
    audit(conn, actor=actor, verb="delete", entity="plan_area", entity_id=plan_id,
          organisation_id=organisation_id,
          before={"name": plan["name"], "version": plan["version"], "checklist": plan["checklist"]})
