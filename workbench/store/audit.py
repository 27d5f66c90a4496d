"""Reading the audit log (it is written by repositories.audit, in each change's transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from workbench.store import tables as t

COLUMNS = ["id", "at", "actor", "organisation_id", "verb", "entity", "entity_id", "before", "after"]


def entries(engine: Engine, organisation_ids: Iterable[int], *, start: datetime | None = None,
            end: datetime | None = None, actor: str | None = None, verbs: Iterable[str] = (),
            entities: Iterable[str] = (), limit: int = 5000) -> pd.DataFrame:
    """Newest first: entries of the organisations in [start, end), filtered; at most ``limit``."""
    table = t.AuditLog.__table__
    query = select(*[table.c[c] for c in COLUMNS]).where(
        table.c.organisation_id.in_([int(i) for i in organisation_ids]))
    if start is not None:
        query = query.where(table.c.at >= start)
    if end is not None:
        query = query.where(table.c.at < end)
    if actor:
        query = query.where(func.lower(table.c.actor).contains(actor.strip().lower(), autoescape=True))
    if verbs := list(verbs):
        query = query.where(table.c.verb.in_(verbs))
    if entities := list(entities):
        query = query.where(table.c.entity.in_(entities))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(table.c.at.desc(), table.c.id.desc()).limit(limit)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)


def vocabulary(engine: Engine, organisation_ids: Iterable[int]) -> tuple[list[str], list[str]]:
    """(verbs, entities) that occur in the organisations' log, for the filters."""
    table = t.AuditLog.__table__
    ids = [int(i) for i in organisation_ids]
    with engine.connect() as conn:
        verbs = conn.execute(select(table.c.verb).where(table.c.organisation_id.in_(ids))
                             .distinct().order_by(table.c.verb)).scalars().all()
        kinds = conn.execute(select(table.c.entity).where(table.c.organisation_id.in_(ids))
                             .distinct().order_by(table.c.entity)).scalars().all()
    return list(verbs), list(kinds)
