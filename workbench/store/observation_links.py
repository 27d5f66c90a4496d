"""Observations and felanmälningar answered by åtgärder: the fault-report link, and the status an
observation takes from its åtgärder (åtgärd beslutad → åtgärdad when the åtgärd is done), so the
reporter sees what became of the report.

Every write is audited in the caller's transaction (the action's own update is the caller's).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from workbench.errors import NotFoundError
from workbench.store import observation_status, reporting
from workbench.store import tables as t
from workbench.store.repositories import audit

A = t.Action.__table__
F = t.FaultReport.__table__
FL = t.FaultReportAction.__table__
L = t.ObservationAction.__table__
O = t.Observation.__table__  # noqa: E741



def link_fault_report(conn: Connection, organisation_id: int, fault_report_id: int, action_id: int, *,
                      actor: str) -> None:
    """Record that åtgärd ``action_id`` answers the felanmälan (both of the organisation)."""
    fault = conn.execute(select(F.c.id).where(F.c.id == int(fault_report_id),
                                              F.c.organisation_id == organisation_id)).first()
    if fault is None:
        raise NotFoundError("Felanmälan finns inte (längre).")
    action = conn.execute(select(A.c.id).where(A.c.id == int(action_id),
                                               A.c.organisation_id == organisation_id)).first()
    if action is None:
        raise NotFoundError("Åtgärden finns inte (längre).")
    conn.execute(delete(FL).where(FL.c.fault_report_id == int(fault_report_id),
                                  FL.c.action_id == int(action_id)))
    conn.execute(insert(FL).values(fault_report_id=int(fault_report_id), action_id=int(action_id)))
    audit(conn, actor=actor, verb="insert", entity="fault_report_action", entity_id=int(fault_report_id),
          organisation_id=organisation_id, after={"åtgärd": int(action_id)})


def fault_report_actions(conn: Connection, organisation_id: int) -> dict[int, list[int]]:
    """Felanmälan id → the ids of the åtgärder answering it (the organisation's only)."""
    rows = conn.execute(select(FL.c.fault_report_id, FL.c.action_id)
                        .select_from(FL.join(A, FL.c.action_id == A.c.id))
                        .where(A.c.organisation_id == organisation_id)
                        .order_by(FL.c.fault_report_id, FL.c.action_id))
    out: dict[int, list[int]] = {}
    for fault_id, action_id in rows:
        out.setdefault(int(fault_id), []).append(int(action_id))
    return out


def action_sources(conn: Connection, organisation_id: int, action_id: int) -> dict[str, list[int]]:
    """The observations and felanmälningar an åtgärd answers."""
    observations = conn.execute(select(L.c.observation_id).select_from(L.join(O, L.c.observation_id == O.c.id))
                                .where(L.c.action_id == int(action_id), O.c.organisation_id == organisation_id)
                                .order_by(L.c.observation_id)).scalars()
    faults = conn.execute(select(FL.c.fault_report_id).select_from(FL.join(F, FL.c.fault_report_id == F.c.id))
                          .where(FL.c.action_id == int(action_id), F.c.organisation_id == organisation_id)
                          .order_by(FL.c.fault_report_id)).scalars()
    return {"observations": [int(i) for i in observations], "fault_reports": [int(i) for i in faults]}


def follow_action(conn: Connection, organisation_id: int, action_id: int, *, actor: str) -> list[int]:
    """After an åtgärd's status changed: move each observation it answers to the status its
    åtgärder give (audited per observation). Returns the ids of the observations changed."""
    return observation_status.follow_action(conn, reporting.KIND, organisation_id, action_id, actor=actor)


def observation_table(conn: Connection, organisation_id: int) -> pd.DataFrame:
    """Every observation of the organisation with its report's verksamhet, week and reporter and
    the ids of the åtgärder answering it (``action_ids``), as one frame (the coordinator's read:
    a year of a hundred verksamheter is 15 000 rows, read without a dict per row)."""
    R = t.WeeklyReport.__table__
    query = (select(O, R.c.verksamhet, R.c.iso_year, R.c.iso_week, R.c.reporter)
             .select_from(O.outerjoin(R, O.c.report_id == R.c.id))
             .where(O.c.organisation_id == organisation_id).order_by(O.c.occurred_from, O.c.id))
    result = conn.execute(query)
    frame = pd.DataFrame([tuple(row) for row in result], columns=list(result.keys()))
    links: dict[int, list[int]] = {}
    for obs_id, action_id in conn.execute(select(L.c.observation_id, L.c.action_id)
                                          .select_from(L.join(O, L.c.observation_id == O.c.id))
                                          .where(O.c.organisation_id == organisation_id)
                                          .order_by(L.c.observation_id, L.c.action_id)):
        links.setdefault(int(obs_id), []).append(int(action_id))
    frame["action_ids"] = [links.get(int(i), []) for i in frame["id"]]
    return frame
