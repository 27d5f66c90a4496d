"""A saved agreement as a document again, and saving a corrected document over it.

Re-saving the same document updates the stored agreement in place. Identity travels with the
document: :func:`agreement_document` gives every commitment the stored ``ids`` it continues
(and a medborgarlöfte item its ``promise_ids``), the correction editor keeps them through edit,
move, merge and split, and :func:`replace_agreement` reuses the stored row, so the åtgärder
linked to it stay linked. A merged commitment keeps the first id and the links of the others
move to it; of a split one the first part keeps id and links, the rest are new. A commitment
without ids (a parser's reading) is matched by its text. Removing a commitment or promise that
åtgärder are linked to is refused (naming them) before anything is written. Everything happens
in the caller's transaction, with an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from workbench.errors import ConflictError, NotFoundError
from workbench.store import tables as t
from workbench.store.db import new_id
from workbench.store.repositories import audit

AG, FA, CM, CP = (t.Agreement.__table__, t.FocusArea.__table__, t.Commitment.__table__,
                  t.CitizenPromise.__table__)
AC, AP, AT = t.ActionCommitment.__table__, t.ActionCitizenPromise.__table__, t.Action.__table__


def agreement_sources(engine: Engine, organisation_id: int) -> list[dict[str, Any]]:
    """Id, title, saved time and source text of every agreement of the organisation."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(AG.c.id, AG.c.title, AG.c.created_at, AG.c.source_text)
            .where(AG.c.organisation_id == organisation_id).order_by(AG.c.id.desc())).mappings()]


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def agreement_document(engine: Engine, organisation_id: int, agreement_id: int) -> dict[str, Any]:
    """The stored agreement in the parser's ``to_json`` form (commitments without line numbers),
    each commitment with the stored ``ids`` it is (and ``promise_ids`` in a medborgarlöfte)."""
    with engine.connect() as conn:
        row = conn.execute(select(AG).where((AG.c.id == agreement_id)
                                            & (AG.c.organisation_id == organisation_id))).mappings().first()
        if row is None:
            raise NotFoundError(f"Överenskommelse {agreement_id} finns inte i organisationen.")
        areas = conn.execute(select(FA.c.id, FA.c.title).where(FA.c.agreement_id == agreement_id)
                             .order_by(FA.c.position, FA.c.id)).all()
        items = conn.execute(select(CM.c.id, CM.c.focus_area_id, CM.c.party, CM.c.party_kind, CM.c.text)
                             .where(CM.c.focus_area_id.in_([a.id for a in areas]))
                             .order_by(CM.c.position, CM.c.id)).all()
        promises = conn.execute(select(CP.c.id, CP.c.text).where(CP.c.agreement_id == agreement_id)
                                .order_by(CP.c.id)).all()
    # A promise row is written from the same item as its commitment: paired by text, in order.
    free = [(p.id, _norm(p.text)) for p in promises]

    def commitment(i) -> dict[str, Any]:
        item = {"party": i.party, "party_kind": i.party_kind, "text": i.text, "ids": [i.id]}
        pair = next((p for p in free if p[1] == _norm(i.text)), None)
        if pair is not None:
            free.remove(pair)
            item["promise_ids"] = [pair[0]]
        return item

    start, end = row["period_start"], row["period_end"]
    return {
        "title": row["title"], "kind": row["kind"], "parties": list(row["parties"] or []),
        "period": None if start is None else {"start": start.isoformat(),
                                              "end": end.isoformat() if end else None},
        "focus_areas": [{"title": a.title, "commitments": [
            commitment(i) for i in items if i.focus_area_id == a.id]} for a in areas],
        "actions": [],
    }


@dataclass
class _Plan:
    """Which stored row each saved item continues (``keep``, None: a new row), which stored rows
    were merged into it (``absorbed``: their links move to it, the rows go), and which stored
    rows nothing continues (``removed``)."""

    keep: list[int | None]
    absorbed: list[list[int]]
    removed: list[int]


def _ids(values: Any) -> list[int]:
    out = []
    for value in values or []:
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            continue
    return out


def _plan(items: list[dict[str, Any]], key: str, stored: dict[int, str]) -> _Plan:
    """Match saved items to the stored rows (``id → normalised text``) of this agreement: by the
    ids they carry under ``key`` (ids of other agreements are ignored), else by equal text."""
    sources = [[i for i in _ids(item.get(key)) if i in stored] for item in items]
    keep: list[int | None] = [None] * len(items)
    taken: set[int] = set()
    for n, ids in enumerate(sources):
        keep[n] = next((i for i in ids if i not in taken), None)
        taken.update(k for k in [keep[n]] if k is not None)
    for n, item in enumerate(items):
        if keep[n] is None and not sources[n]:
            text = _norm(item["text"])
            keep[n] = next((i for i, old in stored.items() if i not in taken and old == text), None)
            taken.update(k for k in [keep[n]] if k is not None)
    absorbed: list[list[int]] = []
    for ids in sources:
        absorbed.append([i for i in dict.fromkeys(ids) if i not in taken])
        taken.update(absorbed[-1])
    return _Plan(keep, absorbed, [i for i in stored if i not in taken])


def _short(text: str, limit: int = 60) -> str:
    text = _norm(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _refuse_linked_removals(conn: Connection, removed: dict[int, str], link: Any, column: Any,
                            what: tuple[str, str]) -> None:
    """A removed commitment (or promise) that åtgärder answer to would silently cut their trace:
    refused, naming the åtgärder, before anything is written."""
    if not removed:
        return
    rows = conn.execute(select(column, AT.c.id, AT.c.text).join(AT, link.c.action_id == AT.c.id)
                        .where(column.in_(list(removed))).order_by(column, AT.c.id)).all()
    if not rows:
        return
    named: dict[int, list[str]] = {}
    for target, action_id, text in rows:
        named.setdefault(target, []).append(f"åtgärd {action_id} ”{_short(text)}”")
    parts = [f"”{_short(removed[target])}” ({', '.join(actions)})" for target, actions in named.items()]
    one = len(parts) == 1
    raise ConflictError(
        f"{what[0] if one else what[1]} kan inte tas bort eftersom åtgärder är kopplade till "
        f"{'det' if one else 'dem'}: "
        f"{'; '.join(parts)}. Koppla åtgärderna till ett annat åtagande under Åtgärder först, eller "
        "behåll åtagandet. Inget har sparats.")


def _move_links(conn: Connection, link: Any, column: Any, target: int, sources: list[int]) -> int:
    """Link every åtgärd linked to one of ``sources`` to ``target`` too. Returns links added."""
    if not sources:
        return 0
    have = {r[0] for r in conn.execute(select(link.c.action_id).where(column == target))}
    added = 0
    for (action_id,) in conn.execute(select(link.c.action_id).where(column.in_(sources))
                                     .distinct().order_by(link.c.action_id)).all():
        if action_id not in have:
            conn.execute(insert(link).values({"action_id": action_id, column.key: target}))
            have.add(action_id)
            added += 1
    return added


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def replace_agreement(conn: Connection, organisation_id: int, agreement_id: int,
                      parsed: dict[str, Any], *, source_text: str | None, actor: str) -> int:
    """Save a corrected document over the stored agreement ``agreement_id``."""
    found = conn.execute(select(AG.c.id).where((AG.c.id == agreement_id)
                                               & (AG.c.organisation_id == organisation_id))).first()
    if found is None:
        raise NotFoundError(f"Överenskommelse {agreement_id} finns inte i organisationen.")
    old_areas = {r.title: r.id for r in conn.execute(
        select(FA.c.id, FA.c.title).where(FA.c.agreement_id == agreement_id))}
    stored = {r.id: r.text for r in conn.execute(select(CM.c.id, CM.c.text).where(
        CM.c.focus_area_id.in_(list(old_areas.values()) or [-1])).order_by(CM.c.id))}
    placed = [(position, focus, index, item)
              for position, focus in enumerate(parsed.get("focus_areas") or [])
              for index, item in enumerate(focus.get("commitments") or [])]
    plan = _plan([item for *_, item in placed], "ids", {i: _norm(v) for i, v in stored.items()})
    _refuse_linked_removals(conn, {i: stored[i] for i in plan.removed}, AC, AC.c.commitment_id,
                            ("Åtagandet", "Åtagandena"))
    promises = _plan_promises(conn, agreement_id, parsed)

    period = parsed.get("period") or {}
    conn.execute(update(AG).where(AG.c.id == agreement_id).values(
        kind=parsed.get("kind") or "agreement", title=parsed.get("title") or "Namnlös överenskommelse",
        parties=list(parsed.get("parties") or []), period_start=_date(period.get("start")),
        period_end=_date(period.get("end")), source_text=source_text))
    area_ids: dict[int, int] = {}
    for position, focus in enumerate(parsed.get("focus_areas") or []):
        area_id = old_areas.get(focus["title"])
        if area_id is None:
            area_id = new_id(conn.execute(insert(FA).values(
                agreement_id=agreement_id, title=focus["title"], position=position)))
        else:
            conn.execute(update(FA).where(FA.c.id == area_id).values(position=position))
        area_ids[position] = area_id
    edited: dict[int, dict[str, str]] = {}
    merged: dict[int, list[int]] = {}
    moved = 0
    for (position, _, index, item), keep, absorbed in zip(placed, plan.keep, plan.absorbed, strict=True):
        values = dict(focus_area_id=area_ids[position], party=item["party"],
                      party_kind=item["party_kind"], text=item["text"], position=index)
        if keep is None:
            row_id = new_id(conn.execute(insert(CM).values(**values)))
        else:
            row_id = keep
            conn.execute(update(CM).where(CM.c.id == keep).values(**values))
            if _norm(stored[keep]) != _norm(item["text"]):
                edited[keep] = {"before": stored[keep], "after": item["text"]}
        if absorbed:
            merged[row_id] = absorbed
            moved += _move_links(conn, AC, AC.c.commitment_id, row_id, absorbed)
    gone = plan.removed + [i for ids in merged.values() for i in ids]
    if gone:
        conn.execute(delete(AC).where(AC.c.commitment_id.in_(gone)))
        conn.execute(delete(CM).where(CM.c.id.in_(gone)))
    stale = [area for area in old_areas.values() if area not in area_ids.values()]
    if stale:
        conn.execute(delete(FA).where(FA.c.id.in_(stale)))
    moved += _write_promises(conn, agreement_id, parsed, promises)
    audit(conn, actor=actor, verb="update", entity="agreement", entity_id=agreement_id,
          organisation_id=organisation_id,
          before={"commitments": len(stored)},
          after={k: v for k, v in parsed.items() if k != "focus_areas"}
          | {"focus_areas": len(parsed.get("focus_areas") or []), "commitments": len(placed),
             "edited_commitments": edited, "merged_commitments": merged,
             "removed_commitments": plan.removed,
             "added_commitments": sum(1 for keep in plan.keep if keep is None),
             "links_moved": moved})
    return agreement_id


def _promise_items(parsed: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    if parsed.get("kind") != "citizen_promise":
        return []
    return [(index, item) for focus in parsed.get("focus_areas") or []
            for index, item in enumerate(focus.get("commitments") or [])]


def _plan_promises(conn: Connection, agreement_id: int, parsed: dict[str, Any]) -> tuple[dict[int, str], _Plan]:
    """The medborgarlöfte rows follow the commitments the same way (``promise_ids``); removing
    one that åtgärder fulfil is refused."""
    stored = {r.id: r.text for r in conn.execute(
        select(CP.c.id, CP.c.text).where(CP.c.agreement_id == agreement_id).order_by(CP.c.id))}
    plan = _plan([item for _, item in _promise_items(parsed)], "promise_ids",
                 {i: _norm(v) for i, v in stored.items()})
    _refuse_linked_removals(conn, {i: stored[i] for i in plan.removed}, AP, AP.c.citizen_promise_id,
                            ("Medborgarlöftet", "Medborgarlöftena"))
    return stored, plan


def _write_promises(conn: Connection, agreement_id: int, parsed: dict[str, Any],
                    planned: tuple[dict[int, str], _Plan]) -> int:
    """Write the promise rows as planned; returns the number of åtgärd links moved."""
    _, plan = planned
    moved, gone = 0, list(plan.removed)
    for (index, item), keep, absorbed in zip(_promise_items(parsed), plan.keep, plan.absorbed, strict=True):
        values = dict(agreement_id=agreement_id, party=item["party"], text=item["text"], position=index)
        if keep is None:
            row_id = new_id(conn.execute(insert(CP).values(**values)))
        else:
            row_id = keep
            conn.execute(update(CP).where(CP.c.id == keep).values(**values))
        moved += _move_links(conn, AP, AP.c.citizen_promise_id, row_id, absorbed)
        gone += absorbed
    if gone:
        conn.execute(delete(AP).where(AP.c.citizen_promise_id.in_(gone)))
        conn.execute(delete(CP).where(CP.c.id.in_(gone)))
    return moved
