"""Saving a corrected agreement over the saved one keeps unchanged commitments and their links."""

from __future__ import annotations

import copy

import pytest

from workbench.errors import NotFoundError
from workbench.store import agreement_docs, loop
from workbench.store import repositories as repo
from workbench.store.db import open_store

DOC = {
    "title": "Medborgarlöfte Testkommun 2025", "kind": "citizen_promise",
    "parties": ["Testkommun", "Lokalpolisområde Test"], "period": {"start": "2025-01-01", "end": None},
    "focus_areas": [{"title": "Trygg hamn", "commitments": [
        {"party": "Polisen", "party_kind": "polis", "text": "Patrullera hamnen fredagskvällar."},
        {"party": "Kommunen", "party_kind": "kommun", "text": "Laga belysningen längs kajen."}]}],
    "actions": [],
}


def test_replace_keeps_ids_and_links_of_unchanged_commitments(db_url):
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Testkommun")
        other = repo.ensure_organisation(conn, "Grannkommunen")
        agreement = loop.save_agreement(conn, org, DOC, source_text="text", actor="test")
    before = loop.commitments(store.engine, org)
    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Kvällspatrull", "responsible_party": "Polisen", "status": "pågår"}, actor="anna",
                           commitment_ids=[int(before["id"].iloc[0])])
        loop.create_action(conn, org, {"text": "Ny belysning", "responsible_party": "Kommunen", "status": "planerad"}, actor="anna",
                           commitment_ids=[int(before["id"].iloc[1])])
    corrected = copy.deepcopy(DOC)
    area = corrected["focus_areas"][0]
    area["commitments"][0]["party"] = "Polisen och kommunen"
    area["commitments"][0]["party_kind"] = "gemensam"
    area["commitments"].pop(1)
    corrected["focus_areas"].append({"title": "Skolor", "commitments": [
        {"party": "Polisen", "party_kind": "polis", "text": "Besöka skolorna varje termin."}]})
    with store.transaction() as conn:
        agreement_docs.replace_agreement(conn, org, agreement, corrected, source_text="text", actor="test")
    after = loop.commitments(store.engine, org)
    assert after["text"].tolist() == ["Patrullera hamnen fredagskvällar.", "Besöka skolorna varje termin."]
    assert int(after["id"].iloc[0]) == int(before["id"].iloc[0])
    assert after["party_kind"].tolist() == ["gemensam", "polis"]
    follow = loop.agreement_follow_up(store.engine, org).set_index("text")
    assert follow.loc["Patrullera hamnen fredagskvällar.", "pågår"] == 1
    actions = loop.list_actions(store.engine, org).set_index("text")
    assert actions.loc["Ny belysning", "commitment_ids"] == []  # the removed commitment's link went
    document = agreement_docs.agreement_document(store.engine, org, agreement)
    assert document["period"] == {"start": "2025-01-01", "end": None}
    assert [a["title"] for a in document["focus_areas"]] == ["Trygg hamn", "Skolor"]
    with pytest.raises(NotFoundError), store.transaction() as conn:
        agreement_docs.replace_agreement(conn, other, agreement, corrected, source_text="x", actor="x")
