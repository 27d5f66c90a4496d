"""A saved agreement as a document again, and saving a corrected document over it.

Re-saving the same document updates the stored agreement in place: a commitment whose text is
unchanged keeps its id, so the åtgärder linked to it stay linked; removed commitments (and
their links) go, new ones are added. Everything happens in the caller's transaction, with an
audit entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from workbench.errors import NotFoundError
from workbench.store import tables as t
from workbench.store.repositories import audit

AG, FA, CM, CP = (t.Agreement.__table__, t.FocusArea.__table__, t.Commitment.__table__,
                  t.CitizenPromise.__table__)


def agreement_sources(engine: Engine, organisation_id: int) -> list[dict[str, Any]]:
    """Id, title, saved time and source text of every agreement of the organisation."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(AG.c.id, AG.c.title, AG.c.created_at, AG.c.source_text)
            .where(AG.c.organisation_id == organisation_id).order_by(AG.c.id.desc())).mappings()]


def agreement_document(engine: Engine, organisation_id: int, agreement_id: int) -> dict[str, Any]:
    """The stored agreement in the parser's ``to_json`` form (commitments without line numbers)."""
    with engine.connect() as conn:
        row = conn.execute(select(AG).where((AG.c.id == agreement_id)
                                            & (AG.c.organisation_id == organisation_id))).mappings().first()
        if row is None:
            raise NotFoundError(f"Överenskommelse {agreement_id} finns inte i organisationen.")
        areas = conn.execute(select(FA.c.id, FA.c.title).where(FA.c.agreement_id == agreement_id)
                             .order_by(FA.c.position, FA.c.id)).all()
        items = conn.execute(select(CM.c.focus_area_id, CM.c.party, CM.c.party_kind, CM.c.text)
                             .where(CM.c.focus_area_id.in_([a.id for a in areas]))
                             .order_by(CM.c.position, CM.c.id)).all()
    start, end = row["period_start"], row["period_end"]
    return {
        "title": row["title"], "kind": row["kind"], "parties": list(row["parties"] or []),
        "period": None if start is None else {"start": start.isoformat(),
                                              "end": end.isoformat() if end else None},
        "focus_areas": [{"title": a.title, "commitments": [
            {"party": i.party, "party_kind": i.party_kind, "text": i.text}
            for i in items if i.focus_area_id == a.id]} for a in areas],
        "actions": [],
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def replace_agreement(conn: Connection, organisation_id: int, agreement_id: int,
                      parsed: dict[str, Any], *, source_text: str | None, actor: str) -> int:
    """Save a corrected document over the stored agreement ``agreement_id``."""
    found = conn.execute(select(AG.c.id).where((AG.c.id == agreement_id)
                                               & (AG.c.organisation_id == organisation_id))).first()
    if found is None:
        raise NotFoundError(f"Överenskommelse {agreement_id} finns inte i organisationen.")
    period = parsed.get("period") or {}
    conn.execute(update(AG).where(AG.c.id == agreement_id).values(
        kind=parsed.get("kind") or "agreement", title=parsed.get("title") or "Namnlös överenskommelse",
        parties=list(parsed.get("parties") or []), period_start=_date(period.get("start")),
        period_end=_date(period.get("end")), source_text=source_text))
    old_areas = {r.title: r.id for r in conn.execute(
        select(FA.c.id, FA.c.title).where(FA.c.agreement_id == agreement_id))}
    old_items = conn.execute(select(CM.c.id, CM.c.text).where(
        CM.c.focus_area_id.in_(list(old_areas.values()) or [-1])).order_by(CM.c.id)).all()
    unused = {row.id: " ".join(row.text.split()) for row in old_items}
    kept_areas: set[int] = set()
    for position, focus in enumerate(parsed.get("focus_areas") or []):
        area_id = old_areas.get(focus["title"])
        if area_id is None:
            area_id = int(conn.execute(insert(FA).values(
                agreement_id=agreement_id, title=focus["title"], position=position)).inserted_primary_key[0])
        else:
            conn.execute(update(FA).where(FA.c.id == area_id).values(position=position))
        kept_areas.add(area_id)
        for index, item in enumerate(focus.get("commitments") or []):
            values = dict(focus_area_id=area_id, party=item["party"], party_kind=item["party_kind"],
                          text=item["text"], position=index)
            text = " ".join(item["text"].split())
            same = next((cid for cid, old in unused.items() if old == text), None)
            if same is not None:
                del unused[same]
                conn.execute(update(CM).where(CM.c.id == same).values(**values))
            else:
                conn.execute(insert(CM).values(**values))
    if unused:
        conn.execute(delete(t.ActionCommitment.__table__).where(
            t.ActionCommitment.__table__.c.commitment_id.in_(list(unused))))
        conn.execute(delete(CM).where(CM.c.id.in_(list(unused))))
    stale = [area for area in old_areas.values() if area not in kept_areas]
    if stale:
        conn.execute(delete(FA).where(FA.c.id.in_(stale)))
    _replace_promises(conn, agreement_id, parsed)
    audit(conn, actor=actor, verb="update", entity="agreement", entity_id=agreement_id,
          organisation_id=organisation_id,
          after={k: v for k, v in parsed.items() if k != "focus_areas"}
          | {"focus_areas": len(parsed.get("focus_areas") or []), "removed_commitments": len(unused)})
    return agreement_id


def _replace_promises(conn: Connection, agreement_id: int, parsed: dict[str, Any]) -> None:
    """Citizen-promise rows follow the commitments; unchanged texts keep their id and links."""
    old = {r.id: " ".join(r.text.split()) for r in conn.execute(
        select(CP.c.id, CP.c.text).where(CP.c.agreement_id == agreement_id))}
    if parsed.get("kind") == "citizen_promise":
        for focus in parsed.get("focus_areas") or []:
            for index, item in enumerate(focus.get("commitments") or []):
                text = " ".join(item["text"].split())
                same = next((pid for pid, t_ in old.items() if t_ == text), None)
                values = dict(agreement_id=agreement_id, party=item["party"], text=item["text"],
                              position=index)
                if same is not None:
                    del old[same]
                    conn.execute(update(CP).where(CP.c.id == same).values(**values))
                else:
                    conn.execute(insert(CP).values(**values))
    if old:
        conn.execute(delete(t.ActionCitizenPromise.__table__).where(
            t.ActionCitizenPromise.__table__.c.citizen_promise_id.in_(list(old))))
        conn.execute(delete(CP).where(CP.c.id.in_(list(old))))
