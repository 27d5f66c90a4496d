"""Weekly inrapportering in the store (SQLite and PostgreSQL): reports with observations and nil
reports per ISO week, descriptions redacted before they are stored, status with a reason, the link
observation ↔ åtgärd (one åtgärd answering several observations), and an audit entry per write."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from workbench.errors import WorkbenchError
from workbench.store import loop, reporting
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store
from workbench.store.reporting import NewObservation

HOUSING = "Bostadsbolaget – Hässleholmen"
YOUTH = "Fritidsgården Norrby"


@pytest.fixture
def store_org(db_url):
    store = open_store(db_url)
    with store.engine.begin() as conn:
        org = repo.ensure_organisation(conn, "Borås stad")
    return store, org


def _audit_count(conn, entity: str) -> int:
    table = t.AuditLog.__table__
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)
                            .where(table.c.entity == entity)).scalar_one())


def test_report_with_observations_and_nil_report(store_org):
    store, org = store_org
    seen = [
        NewObservation("Belysning", datetime(2026, 11, 30, 21, 15), x=376512.0, y=6400480.0,
                       description="Trasig lampa i gångtunneln, ring 070-123 45 67 om mer", assessment=3),
        NewObservation("Folksamling", datetime(2026, 12, 1, 19, 0), datetime(2026, 12, 1, 22, 30),
                       place="Resecentrum", area="Centrum",
                       description="Grupp vid ABC 123, en uppgav pnr 811218-9876", assessment=2),
    ]
    with store.engine.begin() as conn:
        housing = reporting.save_report(conn, org, verksamhet=HOUSING, iso_year=2026, iso_week=49,
                                        observations=seen, nothing_to_report=False, actor="vard1")
        youth = reporting.save_report(conn, org, verksamhet=YOUTH, iso_year=2026, iso_week=49,
                                      observations=[], nothing_to_report=True, actor="fritid1")
    with store.engine.connect() as conn:
        week = {r["verksamhet"]: r for r in reporting.reports(conn, org, iso_year=2026, iso_week=49)}
        obs = reporting.observations(conn, org, report_ids=[housing])
        assert _audit_count(conn, "weekly_report") == 2
        assert _audit_count(conn, "observation") == 2
        assert reporting.observations(conn, org, report_ids=[youth]) == []
        assert [r["verksamhet"] for r in reporting.reports(conn, org, reporter="fritid1")] == [YOUTH]
    assert week[YOUTH]["nothing_to_report"] is True and week[HOUSING]["nothing_to_report"] is False
    assert [o["status"] for o in obs] == ["ny", "ny"]
    assert obs[0]["description"] == "Trasig lampa i gångtunneln, ring [telefonnummer] om mer"
    assert "811218" not in obs[1]["description"] and "ABC 123" not in obs[1]["description"]
    assert "[personnummer]" in obs[1]["description"] and "[registreringsnummer]" in obs[1]["description"]
    assert obs[0]["x"] == 376512.0 and obs[1]["place"] == "Resecentrum"
    assert obs[1]["occurred_to"] == datetime(2026, 12, 1, 22, 30)
    assert obs[0]["verksamhet"] == HOUSING and obs[0]["iso_week"] == 49


@pytest.mark.parametrize("bad, message", [
    (NewObservation("", datetime(2026, 12, 1)), "kategori"),
    (NewObservation("Klotter", datetime(2026, 12, 1)), "plats"),
    (NewObservation("Klotter", datetime(2026, 12, 1), x=1.0), "både x och y"),
    (NewObservation("Klotter", datetime(2026, 12, 2), datetime(2026, 12, 1), area="Norr"), "slutar före"),
    (NewObservation("Klotter", datetime(2026, 12, 1), area="Norr", assessment=5), "mellan 1 och 4"),
])
def test_bad_observation_stores_nothing(store_org, bad, message):
    store, org = store_org
    good = NewObservation("Nedskräpning", datetime(2026, 12, 1), area="Norr")
    with pytest.raises(WorkbenchError, match=message), store.engine.begin() as conn:
        reporting.save_report(conn, org, verksamhet=HOUSING, iso_year=2026, iso_week=49,
                              observations=[good, bad], nothing_to_report=False, actor="vard1")
    with store.engine.connect() as conn:
        assert reporting.reports(conn, org) == [] and reporting.observations(conn, org) == []


def test_report_needs_content_or_nil_flag(store_org):
    store, org = store_org
    with pytest.raises(WorkbenchError, match="Inget att rapportera"), store.engine.begin() as conn:
        reporting.save_report(conn, org, verksamhet=HOUSING, iso_year=2026, iso_week=49,
                              observations=[], nothing_to_report=False, actor="vard1")


def test_second_submission_same_week_adds_to_the_report(store_org):
    store, org = store_org
    one = NewObservation("Klotter", datetime(2026, 12, 1, 8), area="Norr", assessment=1)
    with store.engine.begin() as conn:
        first = reporting.save_report(conn, org, verksamhet=HOUSING, iso_year=2026, iso_week=49,
                                      observations=[one], nothing_to_report=False, actor="vard1")
        second = reporting.save_report(conn, org, verksamhet=HOUSING, iso_year=2026, iso_week=49,
                                       observations=[one], nothing_to_report=False, actor="vard2")
    assert first == second
    with store.engine.connect() as conn:
        assert len(reporting.observations(conn, org, report_ids=[first])) == 2


def test_status_and_action_link(store_org):
    store, org = store_org
    with store.engine.begin() as conn:
        report = reporting.save_report(
            conn, org, verksamhet=HOUSING, iso_year=2026, iso_week=49, nothing_to_report=False,
            actor="vard1", observations=[
                NewObservation("Belysning", datetime(2026, 12, 1, 20), area="Norr", assessment=3),
                NewObservation("Belysning", datetime(2026, 12, 2, 20), area="Norr", assessment=4),
                NewObservation("Nedskräpning", datetime(2026, 12, 3, 9), area="Söder")])
        ids = [o["id"] for o in reporting.observations(conn, org, report_ids=[report])]
        action = loop.create_action(conn, org, {"text": "Byt belysning i gångtunneln",
                                                "responsible_party": "Kommunen"}, actor="samordnare")
        reporting.link_action(conn, org, ids[0], action, actor="samordnare")
        reporting.link_action(conn, org, ids[1], action, actor="samordnare")
        with pytest.raises(WorkbenchError, match="skäl"):
            reporting.set_status(conn, org, ids[2], "avslutad utan åtgärd", actor="samordnare")
        reporting.set_status(conn, org, ids[2], "avslutad utan åtgärd",
                             reason="Redan städat av kommunen", actor="samordnare")
        with pytest.raises(WorkbenchError, match="Okänd status"):
            reporting.set_status(conn, org, ids[0], "klar", actor="samordnare")
    with store.engine.connect() as conn:
        obs = {o["id"]: o for o in reporting.observations(conn, org)}
        assert _audit_count(conn, "observation_action") == 2
        assert _audit_count(conn, "observation") == 3 + 3  # inserts, two link status changes, one close
    assert obs[ids[0]]["action_ids"] == [action] and obs[ids[1]]["action_ids"] == [action]
    assert obs[ids[0]]["status"] == "åtgärd beslutad"
    assert obs[ids[2]]["status"] == "avslutad utan åtgärd"
    assert obs[ids[2]]["status_reason"] == "Redan städat av kommunen" and obs[ids[2]]["action_ids"] == []


def test_other_organisation_cannot_touch_observation(store_org):
    store, org = store_org
    with store.engine.begin() as conn:
        other = repo.ensure_organisation(conn, "Ulricehamns kommun")
        report = reporting.save_report(conn, org, verksamhet=HOUSING, iso_year=2026, iso_week=49,
                                       observations=[NewObservation("Brand", datetime(2026, 12, 1), area="Norr")],
                                       nothing_to_report=False, actor="vard1")
        obs_id = reporting.observations(conn, org, report_ids=[report])[0]["id"]
    with pytest.raises(WorkbenchError), store.engine.begin() as conn:
        reporting.set_status(conn, other, obs_id, "åtgärdad", actor="x")
    with store.engine.connect() as conn:
        assert reporting.observations(conn, other) == []
