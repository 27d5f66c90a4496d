"""Agreement use cases: read an uploaded document, find the corrections saved for the same
document, and save a corrected document (over the saved one when it is the same document)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.agreements.corrections import document_key, with_located_lines
from workbench.agreements.parse import parse_agreement
from workbench.anonymise.values import redact_str
from workbench.io.documents import extract_text
from workbench.io.uploads import check_upload
from workbench.schema import ACTION_CANCELLED, ACTION_DONE, ACTION_ONGOING, ACTION_PLANNED
from workbench.store import agreement_docs
from workbench.store.db import Store


def read_document(data: bytes, name: str, max_bytes: int) -> tuple[str, dict[str, Any]]:
    """The text and parsed structure of an uploaded file, after the checks every upload gets."""
    check_upload(data, name, max_bytes=max_bytes, allowed="agreement")
    text = extract_text(data, name)
    return text, parse_agreement(text).to_json()


def saved_version(store: Store, organisation_id: int, text: str) -> tuple[int, dict[str, Any]] | None:
    """The newest saved agreement of the same document (same normalised lines) as a working
    document with its source lines located, or None."""
    keys = {document_key(text), document_key(redact_str(text))}  # the store redacts source_text
    for row in agreement_sources(store, organisation_id):
        if row["source_text"] and document_key(row["source_text"]) in keys:
            doc = agreement_docs.agreement_document(store.engine, organisation_id, row["id"])
            return row["id"], with_located_lines(doc, text)
    return None


def agreement_sources(store: Store, organisation_id: int) -> list[dict[str, Any]]:
    return agreement_docs.agreement_sources(store.engine, organisation_id)


def save(store: Store, organisation_id: int, doc: dict[str, Any], *, source_text: str,
         actor: str) -> tuple[int, bool]:
    """Save the corrected document: over the saved agreement of the same document (its
    commitments keep their ids and links through edit, move, merge and split; removing a
    linked one is refused), else as a new agreement.
    Returns the agreement id and whether an earlier version was replaced."""
    from workbench.store import loop

    found = saved_version(store, organisation_id, source_text)
    with store.transaction() as conn:
        if found is not None:
            return agreement_docs.replace_agreement(conn, organisation_id, found[0], doc,
                                                    source_text=source_text, actor=actor), True
        return loop.save_agreement(conn, organisation_id, doc, source_text=source_text,
                                   actor=actor), False


STATUS_ORDER = (ACTION_ONGOING, ACTION_PLANNED, ACTION_DONE, ACTION_CANCELLED)


def actions_per_commitment(follow_up: pd.DataFrame, actions: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Commitment id → the åtgärder that answer it (id, text, status, responsible, due date,
    overdue), ongoing first; commitments without any get an empty frame. A medborgarlöfte item
    lists the åtgärder linked to its promise too (list_actions' ``followed_ids``)."""
    columns = ["id", "text", "status", "responsible_party", "due_date", "overdue"]
    rows: dict[int, list[dict[str, Any]]] = {int(cid): [] for cid in follow_up.get("id", [])}
    key = "followed_ids" if "followed_ids" in actions.columns else "commitment_ids"
    for action in actions.to_dict("records"):
        for cid in action.get(key) or []:
            if int(cid) in rows:
                rows[int(cid)].append({c: action.get(c) for c in columns})
    order = {status: position for position, status in enumerate(STATUS_ORDER)}
    return {cid: pd.DataFrame(items, columns=columns).sort_values(
                "status", key=lambda s: s.map(order).fillna(len(order)), kind="stable")
            for cid, items in rows.items()}
