"""The EST loop in the store: agreements and commitments, cause analyses, actions and their links.

Every change is written with its audit entry in the caller's transaction; actions and cause
analyses carry a version so two people editing the same row get a conflict, never a silent
overwrite.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from workbench.errors import ConflictError, NotFoundError
from workbench.schema import ACTION_STATUSES, OPEN_ACTION_STATUSES
from workbench.store import observation_links, reporting, walks
from workbench.store import tables as t
from workbench.store.db import new_id
from workbench.store.repositories import audit

ACTION_FIELDS = ("text", "responsible_party", "responsible_role", "start_date", "due_date",
                 "status", "place_id", "cause_analysis_id", "follow_up_method", "situation_id",
                 "area_id", "public")
A = t.Action.__table__


def _row(conn: Connection, table, row_id: int, organisation_id: int) -> dict[str, Any]:
    found = conn.execute(select(table).where((table.c.id == row_id)
                                             & (table.c.organisation_id == organisation_id))).mappings().first()
    if found is None:
        raise NotFoundError(f"{table.name} {row_id} finns inte i organisationen.")
    return dict(found)


# --- actions ---------------------------------------------------------------------------------

def create_action(conn: Connection, organisation_id: int, values: dict[str, Any], *, actor: str,
                  commitment_ids: Sequence[int] = (), promise_ids: Sequence[int] = (),
                  observation_ids: Sequence[int] = (), fault_report_ids: Sequence[int] = ()) -> int:
    """A new åtgärd; ``observation_ids``/``fault_report_ids``: the reported observations and
    felanmälningar it answers (linked in the same transaction; the observations become
    'åtgärd beslutad')."""
    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"okända fält: {', '.join(sorted(unknown))}")
    now = datetime.now()
    action_id = new_id(conn.execute(insert(A).values(organisation_id=organisation_id, version=1,
                                                  created_at=now, updated_at=now, **values)
                                 ))
    _set_links(conn, action_id, commitment_ids, promise_ids)
    audit(conn, actor=actor, verb="insert", entity="action", entity_id=action_id,
          organisation_id=organisation_id,
          after={**values, "commitments": list(commitment_ids), "promises": list(promise_ids)})
    for observation_id in dict.fromkeys(observation_ids):
        reporting.link_action(conn, organisation_id, int(observation_id), action_id, actor=actor)
    for fault_report_id in dict.fromkeys(fault_report_ids):
        observation_links.link_fault_report(conn, organisation_id, int(fault_report_id), action_id, actor=actor)
    return action_id


def update_action(conn: Connection, organisation_id: int, action_id: int, expected_version: int,
                  changes: dict[str, Any], *, actor: str, commitment_ids: list[int] | None = None,
                  promise_ids: list[int] | None = None) -> int:
    """Apply ``changes`` if nobody saved since ``expected_version``; returns the new version."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"okända fält: {', '.join(sorted(unknown))}")
    before = _row(conn, A, action_id, organisation_id)
    result = conn.execute(update(A).where((A.c.id == action_id) & (A.c.version == expected_version)
                                          & (A.c.organisation_id == organisation_id))
                          .values(version=expected_version + 1, updated_at=datetime.now(), **changes))
    if result.rowcount != 1:
        raise ConflictError(
            f"Åtgärden har ändrats av någon annan sedan du öppnade den (version {before['version']}, "
            f"du utgick från version {expected_version}). Ladda om och gör ändringen igen."
        )
    old_links = links(conn, action_id)
    if commitment_ids is not None or promise_ids is not None:
        _set_links(conn, action_id,
                   old_links["commitments"] if commitment_ids is None else commitment_ids,
                   old_links["promises"] if promise_ids is None else promise_ids)
    after = _row(conn, A, action_id, organisation_id)
    audit(conn, actor=actor, verb="update", entity="action", entity_id=action_id,
          organisation_id=organisation_id,
          before={k: before[k] for k in ACTION_FIELDS} | old_links | {"version": before["version"]},
          after={k: after[k] for k in ACTION_FIELDS} | links(conn, action_id) | {"version": after["version"]})
    if before["status"] != after["status"]:  # the observations it answers follow (the reporter sees it)
        observation_links.follow_action(conn, organisation_id, action_id, actor=actor)
        walks.follow_action(conn, organisation_id, action_id, actor=actor)  # walk observations too
    return int(after["version"])


def _set_links(conn: Connection, action_id: int, commitment_ids, promise_ids) -> None:
    ac, ap = t.ActionCommitment.__table__, t.ActionCitizenPromise.__table__
    conn.execute(delete(ac).where(ac.c.action_id == action_id))
    conn.execute(delete(ap).where(ap.c.action_id == action_id))
    for cid in dict.fromkeys(commitment_ids):
        conn.execute(insert(ac).values(action_id=action_id, commitment_id=int(cid)))
    for pid in dict.fromkeys(promise_ids):
        conn.execute(insert(ap).values(action_id=action_id, citizen_promise_id=int(pid)))


def links(conn: Connection, action_id: int) -> dict[str, list[int]]:
    ac, ap = t.ActionCommitment.__table__, t.ActionCitizenPromise.__table__
    return {
        "commitments": sorted(r[0] for r in conn.execute(select(ac.c.commitment_id).where(ac.c.action_id == action_id))),
        "promises": sorted(r[0] for r in conn.execute(select(ap.c.citizen_promise_id).where(ap.c.action_id == action_id))),
    }


def list_actions(engine: Engine, organisation_id: int, *, today: date | None = None) -> pd.DataFrame:
    """Every action of the organisation with its place, linked commitments and medborgarlöfte
    promises and an overdue flag.

    ``commitments``/``promises``: the linked texts (a promise prefixed with its medborgarlöfte's
    title); ``answers``: both, as the reports show them; ``followed_ids``: the commitment rows
    the agreement follow-up counts the action under (its commitments and the rows of the
    medborgarlöfte items it fulfils, see :func:`promise_twins`)."""
    today = today or date.today()
    p, ac, c = t.Place.__table__, t.ActionCommitment.__table__, t.Commitment.__table__
    ap, cp, ag = t.ActionCitizenPromise.__table__, t.CitizenPromise.__table__, t.Agreement.__table__
    with engine.connect() as conn:
        own = [c for c in A.c if c.name != "area_id"]
        rows = conn.execute(select(*own, p.c.name.label("place"),
                                   func.coalesce(A.c.area_id, p.c.area_id).label("area_id"))
                            .select_from(A.outerjoin(p, A.c.place_id == p.c.id))
                            .where(A.c.organisation_id == organisation_id)
                            .order_by(A.c.due_date, A.c.id)).mappings().all()
        linked = conn.execute(select(ac.c.action_id, c.c.id, c.c.text).select_from(
            ac.join(c, ac.c.commitment_id == c.c.id).join(A, ac.c.action_id == A.c.id))
            .where(A.c.organisation_id == organisation_id)).all()
        promised = conn.execute(select(ap.c.action_id, cp.c.id, cp.c.text, ag.c.title).select_from(
            ap.join(cp, ap.c.citizen_promise_id == cp.c.id).join(ag, cp.c.agreement_id == ag.c.id))
            .where(ag.c.organisation_id == organisation_id)
            .order_by(ap.c.action_id, ag.c.id, cp.c.position, cp.c.id)).all()
        twins = promise_twins(conn, organisation_id) if promised else {}
    frame = pd.DataFrame([dict(r) for r in rows])
    if frame.empty:
        return pd.DataFrame(columns=["id", *ACTION_FIELDS, "version", "place", "overdue",
                                     "commitment_ids", "commitments", "promise_ids", "promises",
                                     "answers", "followed_ids"])
    by_action: dict[int, list[tuple[int, str]]] = {}
    for action_id, cid, text in linked:
        by_action.setdefault(action_id, []).append((cid, text))
    by_promise: dict[int, list[tuple[int, str]]] = {}
    for action_id, pid, text, title in promised:
        by_promise.setdefault(action_id, []).append((pid, f"{title}: {text}"))
    frame["commitment_ids"] = [[c for c, _ in by_action.get(i, [])] for i in frame["id"]]
    frame["commitments"] = ["; ".join(x for _, x in by_action.get(i, [])) for i in frame["id"]]
    frame["promise_ids"] = [[p for p, _ in by_promise.get(i, [])] for i in frame["id"]]
    frame["promises"] = ["; ".join(x for _, x in by_promise.get(i, [])) for i in frame["id"]]
    frame["answers"] = ["; ".join(x for x in (c, p) if x)
                        for c, p in zip(frame["commitments"], frame["promises"], strict=True)]
    frame["followed_ids"] = [sorted({*cs, *(twins[p] for p in ps if p in twins)})
                             for cs, ps in zip(frame["commitment_ids"], frame["promise_ids"], strict=True)]
    due = pd.to_datetime(frame["due_date"])
    frame["overdue"] = (due < pd.Timestamp(today)).fillna(False) & frame["status"].isin(OPEN_ACTION_STATUSES)
    return frame


# --- agreements ------------------------------------------------------------------------------

def save_agreement(conn: Connection, organisation_id: int, parsed: dict[str, Any], *,
                   source_text: str | None, actor: str) -> int:
    """Store a parsed agreement or medborgarlöfte (the ``to_json`` form of the parser)."""
    ag = t.Agreement.__table__
    period = parsed.get("period") or {}
    agreement_id = new_id(conn.execute(insert(ag).values(
        organisation_id=organisation_id, kind=parsed.get("kind") or "agreement",
        title=parsed.get("title") or "Namnlös överenskommelse", parties=list(parsed.get("parties") or []),
        period_start=date.fromisoformat(period["start"]) if period.get("start") else None,
        period_end=date.fromisoformat(period["end"]) if period.get("end") else None,
        source_text=source_text, created_at=datetime.now())))
    for position, focus in enumerate(parsed.get("focus_areas") or []):
        focus_id = new_id(conn.execute(insert(t.FocusArea.__table__).values(
            agreement_id=agreement_id, title=focus["title"], position=position)))
        for index, commitment in enumerate(focus.get("commitments") or []):
            conn.execute(insert(t.Commitment.__table__).values(
                focus_area_id=focus_id, party=commitment["party"], party_kind=commitment["party_kind"],
                text=commitment["text"], position=index))
            if parsed.get("kind") == "citizen_promise":
                conn.execute(insert(t.CitizenPromise.__table__).values(
                    agreement_id=agreement_id, party=commitment["party"], text=commitment["text"],
                    position=index))
    audit(conn, actor=actor, verb="insert", entity="agreement", entity_id=agreement_id,
          organisation_id=organisation_id, after={k: v for k, v in parsed.items() if k != "focus_areas"}
          | {"focus_areas": len(parsed.get("focus_areas") or [])})
    return agreement_id


def commitments(engine: Engine, organisation_id: int) -> pd.DataFrame:
    """Every commitment of the organisation's agreements, with its focus area and agreement."""
    ag, fa, c = t.Agreement.__table__, t.FocusArea.__table__, t.Commitment.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(c.c.id, c.c.party, c.c.party_kind, c.c.text, fa.c.title.label("focus_area"),
                                   ag.c.id.label("agreement_id"), ag.c.title.label("agreement"),
                                   ag.c.kind).select_from(c.join(fa, c.c.focus_area_id == fa.c.id)
                                                          .join(ag, fa.c.agreement_id == ag.c.id))
                            .where(ag.c.organisation_id == organisation_id)
                            .order_by(ag.c.id, fa.c.position, c.c.position)).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=["id", "party", "party_kind", "text",
                                                           "focus_area", "agreement_id", "agreement",
                                                           "kind"])


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def promise_twins(conn: Connection, organisation_id: int) -> dict[int, int]:
    """Medborgarlöfte item → its commitment row. A medborgarlöfte is stored as a document
    (focus areas and commitments, what the follow-up lists) and as promise rows (what an åtgärd
    fulfils), both written from the same items: paired by equal text within the document, in
    order (as store.agreement_docs pairs them)."""
    ag, fa, c, cp = (t.Agreement.__table__, t.FocusArea.__table__, t.Commitment.__table__,
                     t.CitizenPromise.__table__)
    items = conn.execute(select(c.c.id, fa.c.agreement_id, c.c.text)
                         .select_from(c.join(fa, c.c.focus_area_id == fa.c.id).join(ag, fa.c.agreement_id == ag.c.id))
                         .where((ag.c.organisation_id == organisation_id) & (ag.c.kind == "citizen_promise"))
                         .order_by(fa.c.position, c.c.position, c.c.id)).all()
    free: dict[tuple[int, str], list[int]] = {}
    for cid, agreement_id, text in items:
        free.setdefault((agreement_id, _norm(text)), []).append(cid)
    twins: dict[int, int] = {}
    for pid, agreement_id, text in conn.execute(
            select(cp.c.id, cp.c.agreement_id, cp.c.text).join(ag, cp.c.agreement_id == ag.c.id)
            .where(ag.c.organisation_id == organisation_id).order_by(cp.c.position, cp.c.id)).all():
        if free.get((agreement_id, _norm(text))):
            twins[pid] = free[(agreement_id, _norm(text))].pop(0)
    return twins


def citizen_promises(engine: Engine, organisation_id: int, *, today: date | None = None) -> pd.DataFrame:
    """Every item of the organisation's medborgarlöften with its medborgarlöfte (title, period),
    ``current`` (the period has not ended by ``today``; no end: current) and ``commitment_id``
    (its row in the document, see :func:`promise_twins`), newest medborgarlöfte first."""
    today = today or date.today()
    ag, cp = t.Agreement.__table__, t.CitizenPromise.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(cp.c.id, cp.c.party, cp.c.text, ag.c.id.label("agreement_id"),
                                   ag.c.title.label("agreement"), ag.c.period_start, ag.c.period_end)
                            .join(ag, cp.c.agreement_id == ag.c.id)
                            .where(ag.c.organisation_id == organisation_id)
                            .order_by(ag.c.id.desc(), cp.c.position, cp.c.id)).mappings().all()
        twins = promise_twins(conn, organisation_id)
    frame = pd.DataFrame([dict(r) for r in rows], columns=["id", "party", "text", "agreement_id", "agreement",
                                                           "period_start", "period_end"])
    frame["current"] = [end is None or pd.isna(end) or end >= today for end in frame["period_end"]]
    frame["commitment_id"] = [twins.get(int(i)) for i in frame["id"]]
    return frame


def agreement_follow_up(engine: Engine, organisation_id: int, agreement_id: int | None = None) -> pd.DataFrame:
    """Per commitment: the number of linked actions per status; commitments with none are flagged.
    A medborgarlöfte item counts the åtgärder linked to its promise too (``followed_ids``)."""
    commits = commitments(engine, organisation_id)
    if agreement_id is not None:
        commits = commits[commits["agreement_id"] == agreement_id]
    actions = list_actions(engine, organisation_id)
    counts: dict[int, dict[str, int]] = {}
    for ids, status in zip(actions.get("followed_ids", []), actions.get("status", []), strict=True):
        for cid in ids:
            counts.setdefault(cid, {}).setdefault(status, 0)
            counts[cid][status] += 1
    out = commits.copy()
    for status in ACTION_STATUSES:
        out[status] = [counts.get(cid, {}).get(status, 0) for cid in out["id"]]
    out["actions"] = out[list(ACTION_STATUSES)].sum(axis=1)
    out["without_action"] = out["actions"] == 0
    return out


# --- cause analyses --------------------------------------------------------------------------

def create_cause_analysis(conn: Connection, organisation_id: int, *, place_id: int | None, problem: str,
                          triangle: dict[str, Any], whys: list[str], hypotheses: str | None,
                          evidence: dict[str, Any], actor: str) -> int:
    """An orsaksanalys with its evidence frozen as it was when written."""
    ca = t.CauseAnalysis.__table__
    values = {"place_id": place_id, "problem": problem, "triangle": triangle, "whys": list(whys),
              "hypotheses": hypotheses, "evidence": evidence}
    analysis_id = new_id(conn.execute(insert(ca).values(organisation_id=organisation_id, version=1,
                                                     created_at=datetime.now(), **values)
                                   ))
    audit(conn, actor=actor, verb="insert", entity="cause_analysis", entity_id=analysis_id,
          organisation_id=organisation_id, after=values)
    return analysis_id


def cause_analyses(engine: Engine, organisation_id: int, place_id: int | None = None) -> pd.DataFrame:
    ca = t.CauseAnalysis.__table__
    query = select(ca).where(ca.c.organisation_id == organisation_id).order_by(ca.c.created_at.desc())
    if place_id is not None:
        query = query.where(ca.c.place_id == place_id)
    with engine.connect() as conn:
        return pd.DataFrame([dict(r) for r in conn.execute(query).mappings().all()])
