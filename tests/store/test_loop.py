"""The EST loop in the store: actions with versions and audit, agreements, cause analyses."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from workbench.errors import ConflictError, NotFoundError
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

PARSED = {
    "title": "Samverkansöverenskommelse mellan Testkommun och lokalpolisområde Test",
    "kind": "agreement", "parties": ["Testkommun", "Lokalpolisområde Test"],
    "period": {"start": "2024-01-01", "end": "2026-12-31"},
    "focus_areas": [
        {"title": "Trygga offentliga miljöer", "commitments": [
            {"party": "Polisen", "party_kind": "polis", "text": "identifiera hot-spots och arbeta med insatser"},
            {"party": "Kommunen", "party_kind": "kommun", "text": "sanera klotter inom 24 timmar"}]},
        {"title": "Ungdomar", "commitments": [
            {"party": "Tillsammans", "party_kind": "gemensam", "text": "genomföra trygghetsvandringar"}]},
    ],
    "actions": [],
}


@pytest.fixture
def setup(db_url):
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Testkommun")
        other = repo.ensure_organisation(conn, "Grannkommunen")
        agreement = loop.save_agreement(conn, org, PARSED, source_text="…", actor="test")
    return store, org, other, agreement


def _audit(store, entity):
    with store.engine.connect() as conn:
        return conn.execute(sa.select(t.AuditLog.__table__).where(t.AuditLog.__table__.c.entity == entity)
                            .order_by(t.AuditLog.__table__.c.id)).mappings().all()


def test_agreement_round_trip_and_follow_up_flags(setup):
    store, org, _, agreement = setup
    commits = loop.commitments(store.engine, org)
    assert commits["text"].tolist() == ["identifiera hot-spots och arbeta med insatser",
                                        "sanera klotter inom 24 timmar", "genomföra trygghetsvandringar"]
    assert commits["focus_area"].tolist()[0] == "Trygga offentliga miljöer"
    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Klotterpatrull vid Resecentrum", "responsible_party": "Kommunen",
                                       "status": "pågår", "due_date": date(2025, 6, 30)},
                           actor="anna", commitment_ids=[int(commits["id"].iloc[1])])
    follow = loop.agreement_follow_up(store.engine, org, agreement).set_index("text")
    assert follow.loc["sanera klotter inom 24 timmar", "pågår"] == 1
    assert not follow.loc["sanera klotter inom 24 timmar", "without_action"]
    assert follow.loc["genomföra trygghetsvandringar", "without_action"]


def test_two_people_editing_the_same_action_get_a_conflict_not_a_lost_update(setup):
    store, org, _, _ = setup
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "Belysning i gångtunneln", "responsible_party": "Kommunen",
                                                "status": "planerad"}, actor="anna")
    # both open version 1
    with store.transaction() as conn:
        version = loop.update_action(conn, org, action, 1, {"status": "pågår"}, actor="anna")
    assert version == 2
    with pytest.raises(ConflictError, match="ändrats av någon annan"), store.transaction() as conn:
        loop.update_action(conn, org, action, 1, {"text": "Belysning och röjning"}, actor="bertil")
    actions = loop.list_actions(store.engine, org).set_index("id")
    assert actions.loc[action, "text"] == "Belysning i gångtunneln"  # Bertil overwrote nothing
    assert actions.loc[action, "status"] == "pågår" and actions.loc[action, "version"] == 2


def test_every_change_is_audited_with_before_and_after(setup):
    store, org, _, _ = setup
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "A", "responsible_party": "Polisen", "status": "planerad"},
                                    actor="anna")
        loop.update_action(conn, org, action, 1, {"status": "genomförd"}, actor="bertil")
    entries = _audit(store, "action")
    assert [(e["verb"], e["actor"]) for e in entries] == [("insert", "anna"), ("update", "bertil")]
    assert entries[1]["before"]["status"] == "planerad" and entries[1]["after"]["status"] == "genomförd"
    assert entries[1]["before"]["version"] == 1 and entries[1]["after"]["version"] == 2


def test_another_organisations_action_cannot_be_changed(setup):
    store, org, other, _ = setup
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "A", "responsible_party": "Polisen", "status": "planerad"},
                                    actor="anna")
    with pytest.raises(NotFoundError), store.transaction() as conn:
        loop.update_action(conn, other, action, 1, {"status": "avbruten"}, actor="mallory")


def test_overdue_actions_are_flagged(setup):
    store, org, _, _ = setup
    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Sen", "responsible_party": "K", "status": "pågår",
                                       "due_date": date(2025, 1, 1)}, actor="a")
        loop.create_action(conn, org, {"text": "Klar", "responsible_party": "K", "status": "genomförd",
                                       "due_date": date(2025, 1, 1)}, actor="a")
    actions = loop.list_actions(store.engine, org, today=date(2025, 2, 1)).set_index("text")
    assert bool(actions.loc["Sen", "overdue"]) and not bool(actions.loc["Klar", "overdue"])


def test_cause_analysis_keeps_its_evidence_snapshot(setup):
    store, org, _, _ = setup
    evidence = {"period": "2025-01-01 – 2025-03-31", "filters": {"categories": ["klotter"]}, "count": 42}
    with store.transaction() as conn:
        analysis = loop.create_cause_analysis(
            conn, org, place_id=None, problem="Klotter vid busstationen",
            triangle={"place": "skymd vägg", "offender": "ungdomar kvällstid", "target": "fasaden",
                      "place_manager": "fastighetsägaren", "guardian": "väktare", "handler": "fritidsgården"},
            whys=["väggen syns inte från gatan", "belysningen är trasig"], hypotheses="Belysning hjälper",
            evidence=evidence, actor="anna")
    stored = loop.cause_analyses(store.engine, org).set_index("id").loc[analysis]
    assert stored["evidence"] == evidence and stored["whys"][1] == "belysningen är trasig"


def test_a_place_drawn_in_the_app_is_stored_with_its_area(db_url):
    import json
    from pathlib import Path

    from workbench.errors import WorkbenchError
    from workbench.services import imports
    from workbench.services.places import create_place

    store = open_store(db_url)
    layer = (Path(__file__).resolve().parents[2] / "layers" / "omraden.geojson").read_bytes()
    imports.import_layer(store, "areas", layer, "omraden.geojson", "Borås stad")
    org = repo.find_organisation(store.engine, "Borås stad")
    place = create_place(store, org, "Nytt torg", "torg", 60, 12.9400, 57.7210, actor="anna")
    places = repo.load_places(store.engine, [org]).set_index("id")
    assert places.loc[place, "name"] == "Nytt torg" and places.loc[place, "radius_m"] == 60
    centrum = repo.load_areas(store.engine, [org]).set_index("name").loc["Centrum", "id"]
    assert places.loc[place, "area_id"] == centrum
    with pytest.raises(WorkbenchError, match="finns redan"):
        create_place(store, org, "Nytt torg", "torg", 60, 12.94, 57.72, actor="anna")
    assert json.dumps(_audit(store, "place")[0]["after"]["name"]) == '"Nytt torg"'
