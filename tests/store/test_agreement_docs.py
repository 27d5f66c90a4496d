"""Saving a corrected agreement over the saved one: a commitment that is edited, moved, merged or
split keeps its stored id and so the åtgärder linked to it; removing a linked one is refused."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from workbench.agreements import corrections as fix
from workbench.errors import ConflictError, NotFoundError
from workbench.store import agreement_docs, loop
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

DOC = {
    "title": "Medborgarlöfte Testkommun 2025", "kind": "citizen_promise",
    "parties": ["Testkommun", "Lokalpolisområde Test"], "period": {"start": "2025-01-01", "end": None},
    "focus_areas": [{"title": "Trygg hamn", "commitments": [
        {"party": "Polisen", "party_kind": "polis", "text": "Patrullera hamnen fredagskvällar."},
        {"party": "Kommunen", "party_kind": "kommun", "text": "Laga belysningen längs kajen."}]}],
    "actions": [],
}

AGREEMENT = {
    "title": "Samverkansöverenskommelse Testkommun 2025–2027", "kind": "agreement",
    "parties": ["Testkommun", "Lokalpolisområde Test"], "period": {"start": "2025-01-01", "end": "2027-12-31"},
    "focus_areas": [
        {"title": "Trygga offentliga miljöer", "commitments": [
            {"party": "Polisen", "party_kind": "polis",
             "text": "Polisen ska patrullera centrum fredag och lördag kväll. Polisen ska rapportera läget "
                     "till EST-gruppen varje månad."},
            {"party": "Kommunen", "party_kind": "kommun", "text": "Kommunen ska se över belysningen i centrum."},
            {"party": "Kommunen", "party_kind": "kommun", "text": "Kommunen ska röja buskage vid stationen."}]},
        {"title": "Unga och skola", "commitments": [
            {"party": "Kommunen och polisen", "party_kind": "gemensam",
             "text": "Kommunen och polisen ska besöka skolorna varje termin."}]}],
    "actions": [],
}


def _action(conn, org, text, *, commitments=(), promises=()):
    return loop.create_action(conn, org, {"text": text, "responsible_party": "Polisen", "status": "pågår"},
                              actor="anna", commitment_ids=list(commitments), promise_ids=list(promises))


def _setup(db_url, doc=AGREEMENT):
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Testkommun")
        agreement = loop.save_agreement(conn, org, doc, source_text="text", actor="test")
    return store, org, agreement, [int(i) for i in loop.commitments(store.engine, org)["id"]]


def _save(store, org, agreement, doc):
    with store.transaction() as conn:
        agreement_docs.replace_agreement(conn, org, agreement, doc, source_text="text", actor="eva")


def _links(store, org) -> dict[str, list[int]]:
    return {r.text: sorted(int(i) for i in r.commitment_ids) for r in loop.list_actions(store.engine, org).itertuples()}


def _texts(store, org) -> dict[int, str]:
    return {int(r.id): r.text for r in loop.commitments(store.engine, org).itertuples()}


def test_replace_keeps_ids_and_links_of_unchanged_commitments(db_url):
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Testkommun")
        other = repo.ensure_organisation(conn, "Grannkommunen")
        agreement = loop.save_agreement(conn, org, DOC, source_text="text", actor="test")
    before = loop.commitments(store.engine, org)
    with store.transaction() as conn:
        _action(conn, org, "Kvällspatrull", commitments=[int(before["id"].iloc[0])])
    corrected = copy.deepcopy(DOC)  # the parser's reading: no ids, matched by text
    area = corrected["focus_areas"][0]
    area["commitments"][0]["party"] = "Polisen och kommunen"
    area["commitments"][0]["party_kind"] = "gemensam"
    area["commitments"].pop(1)  # no åtgärd is linked to it: it may go
    corrected["focus_areas"].append({"title": "Skolor", "commitments": [
        {"party": "Polisen", "party_kind": "polis", "text": "Besöka skolorna varje termin."}]})
    _save(store, org, agreement, corrected)
    after = loop.commitments(store.engine, org)
    assert after["text"].tolist() == ["Patrullera hamnen fredagskvällar.", "Besöka skolorna varje termin."]
    assert int(after["id"].iloc[0]) == int(before["id"].iloc[0])
    assert after["party_kind"].tolist() == ["gemensam", "polis"]
    follow = loop.agreement_follow_up(store.engine, org).set_index("text")
    assert follow.loc["Patrullera hamnen fredagskvällar.", "pågår"] == 1
    document = agreement_docs.agreement_document(store.engine, org, agreement)
    assert document["period"] == {"start": "2025-01-01", "end": None}
    assert [a["title"] for a in document["focus_areas"]] == ["Trygg hamn", "Skolor"]
    with pytest.raises(NotFoundError), store.transaction() as conn:
        agreement_docs.replace_agreement(conn, other, agreement, corrected, source_text="x", actor="x")


def test_an_edited_and_moved_commitment_keeps_its_id_and_links(db_url):
    store, org, agreement, ids = _setup(db_url)
    with store.transaction() as conn:
        _action(conn, org, "Ljusinventering", commitments=[ids[1]])
    doc = agreement_docs.agreement_document(store.engine, org, agreement)
    doc = fix.set_text(doc, 1, "Kommunen ska byta trasig belysning i centrum inom två veckor.")
    doc = fix.move(doc, 1, "Unga och skola")
    _save(store, org, agreement, doc)
    texts = _texts(store, org)
    assert texts[ids[1]] == "Kommunen ska byta trasig belysning i centrum inom två veckor."
    assert sorted(texts) == sorted(ids)  # nothing new, nothing lost
    assert _links(store, org) == {"Ljusinventering": [ids[1]]}
    follow = loop.agreement_follow_up(store.engine, org).set_index("id")
    assert follow.loc[ids[1], "focus_area"] == "Unga och skola" and follow.loc[ids[1], "pågår"] == 1
    with store.engine.connect() as conn:
        entry = conn.execute(select(t.AuditLog.__table__.c.after).where(
            t.AuditLog.__table__.c.entity == "agreement").order_by(t.AuditLog.__table__.c.id.desc())).first()
    edited = entry.after["edited_commitments"]
    assert edited[str(ids[1])]["before"] == "Kommunen ska se över belysningen i centrum."


def test_merge_keeps_the_first_id_and_gathers_the_links(db_url):
    store, org, agreement, ids = _setup(db_url)
    with store.transaction() as conn:
        _action(conn, org, "Ljusinventering", commitments=[ids[1]])
        _action(conn, org, "Röjning vid stationen", commitments=[ids[2]])
        _action(conn, org, "Trygghetsvandring", commitments=[ids[1], ids[2]])
    doc = agreement_docs.agreement_document(store.engine, org, agreement)
    _save(store, org, agreement, fix.merge(doc, [1, 2]))
    texts = _texts(store, org)
    assert sorted(texts) == [ids[0], ids[1], ids[3]]
    assert texts[ids[1]] == ("Kommunen ska se över belysningen i centrum. "
                             "Kommunen ska röja buskage vid stationen.")
    assert _links(store, org) == {"Ljusinventering": [ids[1]], "Röjning vid stationen": [ids[1]],
                                  "Trygghetsvandring": [ids[1]]}
    # saved again unchanged: nothing moves twice
    _save(store, org, agreement, agreement_docs.agreement_document(store.engine, org, agreement))
    assert _links(store, org)["Trygghetsvandring"] == [ids[1]]


def test_split_first_part_keeps_id_and_links_the_other_is_new(db_url):
    store, org, agreement, ids = _setup(db_url)
    with store.transaction() as conn:
        _action(conn, org, "Kvällspatrull", commitments=[ids[0]])
    doc = agreement_docs.agreement_document(store.engine, org, agreement)
    text = doc["focus_areas"][0]["commitments"][0]["text"]
    _save(store, org, agreement, fix.split(doc, 0, fix.split_points(text)[0]))
    texts = _texts(store, org)
    assert texts[ids[0]] == "Polisen ska patrullera centrum fredag och lördag kväll."
    new = [i for i in texts if i not in ids]
    assert len(new) == 1 and texts[new[0]] == "Polisen ska rapportera läget till EST-gruppen varje månad."
    assert _links(store, org) == {"Kvällspatrull": [ids[0]]}
    follow = loop.agreement_follow_up(store.engine, org).set_index("id")
    assert bool(follow.loc[new[0], "without_action"]) and follow.loc[ids[0], "pågår"] == 1


def test_removing_a_linked_commitment_is_refused_and_nothing_is_written(db_url):
    store, org, agreement, ids = _setup(db_url)
    with store.transaction() as conn:
        first = _action(conn, org, "Ljusinventering i centrum", commitments=[ids[1]])
        second = _action(conn, org, "Trygghetsvandring", commitments=[ids[1], ids[3]])
    doc = agreement_docs.agreement_document(store.engine, org, agreement)
    doc = fix.set_text(doc, 0, "Polisen ska patrullera centrum varje kväll.")  # would be saved
    doc = fix.remove(doc, 1)
    doc["title"] = "Ny titel"
    with store.engine.connect() as conn:
        audits = conn.execute(select(func.count()).select_from(t.AuditLog.__table__)).scalar()
    with pytest.raises(ConflictError) as refused, store.transaction() as conn:
        agreement_docs.replace_agreement(conn, org, agreement, doc, source_text="text", actor="eva")
    message = str(refused.value)
    assert "Kommunen ska se över belysningen i centrum." in message
    assert f"åtgärd {first} ”Ljusinventering i centrum”" in message and f"åtgärd {second}" in message
    assert "Inget har sparats" in message and "SELECT" not in message
    assert _texts(store, org)[ids[0]] == AGREEMENT["focus_areas"][0]["commitments"][0]["text"]
    assert sorted(_texts(store, org)) == ids
    assert _links(store, org)["Ljusinventering i centrum"] == [ids[1]]
    assert agreement_docs.agreement_document(store.engine, org, agreement)["title"] == AGREEMENT["title"]
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.AuditLog.__table__)).scalar() == audits
    # an unlinked commitment may still go
    _save(store, org, agreement, fix.remove(agreement_docs.agreement_document(store.engine, org, agreement), 2))
    assert ids[2] not in _texts(store, org)


def test_ids_of_another_agreement_pull_no_links(db_url):
    store, org, agreement, ids = _setup(db_url)
    with store.transaction() as conn:
        other = loop.save_agreement(conn, org, DOC, source_text="annan", actor="test")
    foreign = [i for i in _texts(store, org) if i not in ids]
    with store.transaction() as conn:
        _action(conn, org, "Hamnpatrull", commitments=[foreign[0]])
    doc = agreement_docs.agreement_document(store.engine, org, agreement)
    doc["focus_areas"][0]["commitments"][1]["ids"] = [foreign[0], "x"]  # stale or tampered
    _save(store, org, agreement, doc)
    assert _links(store, org) == {"Hamnpatrull": [foreign[0]]}
    assert agreement_docs.agreement_document(store.engine, org, other)["focus_areas"][0]["commitments"][0][
        "ids"] == [foreign[0]]


def _promise_links(store, org) -> dict[int, list[int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.ActionCitizenPromise.__table__)).all()
    out: dict[int, list[int]] = {}
    for action_id, promise_id in rows:
        out.setdefault(int(action_id), []).append(int(promise_id))
    return {k: sorted(v) for k, v in out.items()}


def _promises(store) -> dict[int, str]:
    with store.engine.connect() as conn:
        return {int(r.id): r.text for r in conn.execute(select(t.CitizenPromise.__table__))}


PROMISE = {**DOC, "focus_areas": [{"title": "Trygg hamn", "commitments": [
    *DOC["focus_areas"][0]["commitments"],
    {"party": "Polisen", "party_kind": "polis", "text": "Polisen ska synas vid skolorna. Polisen ska "
                                                        "prata med eleverna."}]}]}


def test_medborgarlofte_promises_keep_their_links_through_edit_merge_split(db_url):
    store, org, agreement, ids = _setup(db_url, PROMISE)
    promise_ids = sorted(_promises(store))
    with store.transaction() as conn:
        patrol = _action(conn, org, "Kvällspatrull", promises=[promise_ids[0]])
        light = _action(conn, org, "Ny belysning", promises=[promise_ids[1]])
        school = _action(conn, org, "Skolbesök", promises=[promise_ids[2]])
    doc = agreement_docs.agreement_document(store.engine, org, agreement)
    assert [c["promise_ids"] for c in doc["focus_areas"][0]["commitments"]] == [[p] for p in promise_ids]
    doc = fix.set_text(doc, 0, "Patrullera hamnen fredags- och lördagskvällar.")
    doc = fix.split(doc, 2, fix.split_points(doc["focus_areas"][0]["commitments"][2]["text"])[0])
    doc = fix.merge(doc, [0, 1])
    _save(store, org, agreement, doc)
    promises = _promises(store)
    assert promises[promise_ids[0]] == ("Patrullera hamnen fredags- och lördagskvällar. "
                                        "Laga belysningen längs kajen.")
    assert promises[promise_ids[2]] == "Polisen ska synas vid skolorna."
    assert promise_ids[1] not in promises and len(promises) == 3
    assert _promise_links(store, org) == {patrol: [promise_ids[0]], light: [promise_ids[0]],
                                          school: [promise_ids[2]]}
    # the commitments behind them kept their ids and links the same way
    texts = _texts(store, org)
    assert texts[ids[0]] == promises[promise_ids[0]] and texts[ids[2]] == "Polisen ska synas vid skolorna."
    assert ids[1] not in texts and len(texts) == 3


def test_removing_a_promise_an_atgard_fulfils_is_refused(db_url):
    store, org, agreement, _ = _setup(db_url, PROMISE)
    promise_ids = sorted(_promises(store))
    with store.transaction() as conn:
        light = _action(conn, org, "Ny belysning", promises=[promise_ids[1]])
    doc = fix.remove(agreement_docs.agreement_document(store.engine, org, agreement), 1)
    with pytest.raises(ConflictError, match=f"Medborgarlöftet kan inte tas bort.*åtgärd {light} ”Ny belysning”"):
        _save(store, org, agreement, doc)
    assert sorted(_promises(store)) == promise_ids
    changed_kind = agreement_docs.agreement_document(store.engine, org, agreement) | {"kind": "agreement"}
    with pytest.raises(ConflictError):  # an agreement has no promise rows: that would drop them too
        _save(store, org, agreement, changed_kind)
    assert _promise_links(store, org) == {light: [promise_ids[1]]}
