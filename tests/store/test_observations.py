"""The coordinator's side of inrapportering (SQLite and PostgreSQL): who has reported a week, the
observations as the source "Inrapporterat" per area with the precision rules of other sources,
the assessment index per area and ISO week, and observation/felanmälan → åtgärd in one step with
the observation's status following the åtgärd; every role's reach checked at the gate."""

from __future__ import annotations

from datetime import date, datetime

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa

from tests.builders import ORG, make_org
from workbench.access import gate
from workbench.access import gate_observations as gobs
from workbench.access.scope import from_account, open_scope, single_user
from workbench.config import Settings
from workbench.errors import AccessDenied, WorkbenchError
from workbench.services import imports
from workbench.services import observations as obs
from workbench.situation import Period
from workbench.store import accounts, loop, observation_links, observation_status, reporting
from workbench.store import tables as t
from workbench.store.db import open_store
from workbench.store.reporting import NewObservation

VARD, FRITID, SKOLA = "Bostadsbolaget – Norr", "Fritidsgården Söder", "Skolan Norr"
SETTINGS = Settings.load({})


@pytest.fixture
def town(db_url):
    """Norr and Söder (tests/builders), a place Norrtorget, two felanmälningar, and week 49 of
    2026: the housing company reports two observations in Norr (one of a sensitive category),
    the youth centre reports nothing, the school (which reported in week 47) has not reported."""
    store = open_store(db_url)
    org = make_org(store)
    place = gpd.GeoDataFrame({"name": ["Norrtorget"], "kind": ["torg"], "radius_m": [100.0]},
                             geometry=[shapely.Point(376500, 6400500)], crs="EPSG:3006")
    imports.import_layer(store, "places", place.to_json().encode(), "platser.geojson", ORG)
    faults = ("Ärende-ID\tTyp\tAnmäld\tKlar\tFastighet\tN\tE\r\n"
              "F1\tTrasig belysning\t1/12 2026\t\tNorr 1:1\t6400510\t376490\r\n"
              "F2\tKlotter\t2/12 2026\t\tSöder 2:2\t6399500\t376500\r\n")
    imports.import_table(store, "fault-reports", faults.encode("cp1252"), "fel.csv", ORG)
    with store.transaction() as conn:
        reporting.save_report(conn, org, verksamhet=VARD, iso_year=2026, iso_week=49, actor="vard1",
                              nothing_to_report=False, observations=[
                                  NewObservation("Belysning", datetime(2026, 11, 30, 21), x=376505.0,
                                                 y=6400495.0, description="Lampan vid torget är trasig",
                                                 assessment=3),
                                  NewObservation("vald_i_nara_relation", datetime(2026, 12, 1, 22),
                                                 x=376700.0, y=6400700.0, place="Storgatan 5",
                                                 assessment=4),
                                  NewObservation("Klotter", datetime(2026, 12, 2, 9), area="söder",
                                                 assessment=1)])
        reporting.save_report(conn, org, verksamhet=FRITID, iso_year=2026, iso_week=49, actor="fritid1",
                              nothing_to_report=True, observations=[])
        reporting.save_report(conn, org, verksamhet=SKOLA, iso_year=2026, iso_week=47, actor="skola1",
                              nothing_to_report=False, observations=[
                                  NewObservation("Folksamling", datetime(2026, 11, 18, 20), area="Norr",
                                                 assessment=2)])
    return store, org


def _coordinator(store):
    return open_scope(store, single_user("coordinator"), ORG)


def _ids(frame: pd.DataFrame, category: str) -> list[int]:
    return [int(i) for i in frame.loc[frame["category"] == category, "id"]]


def test_area_by_name_or_point_and_sensitive_categories_area_level_only(town):
    store, org = town
    frame = obs.observation_frame(store, org, sensitive=SETTINGS.sensitive_categories).set_index("category")
    assert frame.loc["Belysning", "area"] == "Norr" and frame.loc["Belysning", "precision"] == "exact"
    assert frame.loc["Klotter", "area"] == "Söder" and frame.loc["Klotter", "precision"] == "area"
    hidden = frame.loc["vald_i_nara_relation"]
    assert hidden["area"] == "Norr" and hidden["precision"] == "area"  # area kept from the point …
    assert pd.isna(hidden["x"]) and pd.isna(hidden["y"]) and pd.isna(hidden["place"])  # … nothing finer


def test_who_has_reported_the_week(town):
    store, org = town
    status = gobs.reporting_status(store, SETTINGS, _coordinator(store), 2026, 49).set_index("verksamhet")
    assert status.loc[VARD, "state"] == "observations" and status.loc[VARD, "observations"] == 3
    assert status.loc[VARD, "areas"] == ["Norr", "Söder"]
    assert status.loc[FRITID, "state"] == "nothing" and status.loc[FRITID, "label"] == "Inget att rapportera"
    assert status.loc[SKOLA, "state"] == "missing" and status.loc[SKOLA, "label"] == "Ej rapporterat"
    # twelve weeks later the school is no longer expected (it reported only in week 47)
    later = gobs.reporting_status(store, SETTINGS, _coordinator(store), 2027, 8)
    assert SKOLA not in set(later["verksamhet"])


def test_counts_per_area_and_assessment_index_per_week(town):
    store, org = town
    scope = _coordinator(store)
    counts = gobs.area_counts(store, SETTINGS, scope, Period(date(2026, 11, 23), date(2026, 12, 6)),
                              Period(date(2026, 11, 9), date(2026, 11, 22))).set_index("area")
    assert counts.loc["Norr", "current"] == 2 and counts.loc["Norr", "reference"] == 1
    assert counts.loc["Söder", "current"] == 1 and counts.loc["Söder", "reference"] == 0
    trend = gobs.assessment_trend(store, SETTINGS, scope, 2026, 49, weeks=4)
    norr = trend[trend["area"] == "Norr"].set_index("iso_week")
    assert norr.loc[49, "mean"] == pytest.approx(3.5) and norr.loc[49, "count"] == 2
    assert norr.loc[47, "mean"] == pytest.approx(2.0) and norr.loc[47, "count"] == 1
    assert gobs.assessment_trend(store, SETTINGS, scope, 2026, 46, weeks=4).empty


def test_roles_reach_at_the_gate(town, db_url):
    store, org = town
    coordinator = gobs.observations(store, SETTINGS, _coordinator(store))
    assert len(coordinator) == 4 and coordinator["x"].notna().sum() == 1
    viewer = open_scope(store, single_user("viewer"), ORG)
    with pytest.raises(AccessDenied, match="sammanställda per område"):
        gobs.observations(store, SETTINGS, viewer)
    assert gobs.area_counts(store, SETTINGS, viewer, Period(date(2026, 11, 23), date(2026, 12, 6)),
                            Period(date(2026, 11, 9), date(2026, 11, 22)))["current"].sum() == 3
    with pytest.raises(AccessDenied):
        gobs.set_status(store, SETTINGS, viewer, _ids(coordinator, "Klotter")[0], "behandlad på EST-möte")
    accounts.add_user(store.engine, "bolaget", organisation=ORG, role="housing", password="x" * 16,
                      areas=["Söder"], actor="test")
    housing = open_scope(store, from_account(accounts.get_user(store.engine, "bolaget"), "local"), ORG)
    own = gobs.observations(store, SETTINGS, housing)
    assert list(own["category"]) == ["Klotter"] and own["x"].isna().all()
    counts = gobs.area_counts(store, SETTINGS, housing, Period(date(2026, 11, 23), date(2026, 12, 6)),
                              Period(date(2026, 11, 9), date(2026, 11, 22)))
    assert list(counts["area"]) == ["Söder"]
    assert set(gobs.reporting_status(store, SETTINGS, housing, 2026, 49)["verksamhet"]) == {VARD}
    planner = open_scope(store, single_user("planner"), ORG)
    with pytest.raises(AccessDenied):
        gobs.reporting_status(store, SETTINGS, planner, 2026, 49)


def test_observations_and_a_fault_report_become_one_action_whose_status_they_follow(town):
    store, org = town
    scope = _coordinator(store)
    frame = gobs.observations(store, SETTINGS, scope)
    light, graffiti = _ids(frame, "Belysning")[0], _ids(frame, "Klotter")[0]
    faults = gobs.fault_reports(store, scope)
    fault = int(faults.loc[faults["source_id"] == "F1", "id"].iloc[0])
    prefill = gobs.action_prefill(store, SETTINGS, scope, [light], [fault])
    assert prefill["text"].startswith("Med anledning av 2 rapporter: ")
    assert prefill["area_id"] is not None and prefill["place_id"] is not None  # Norrtorget holds both
    single = gobs.action_prefill(store, SETTINGS, scope, [light])
    assert single["text"] == "Belysning: Lampan vid torget är trasig"
    action = gate.create_action(store, scope, {"text": prefill["text"], "responsible_party": "Kommunen",
                                               "status": "planerad", "place_id": prefill["place_id"],
                                               "area_id": prefill["area_id"]},
                                observation_ids=[light, graffiti], fault_report_ids=[fault])
    after = gobs.observations(store, SETTINGS, scope).set_index("id")
    assert after.loc[light, "status"] == after.loc[graffiti, "status"] == "åtgärd beslutad"
    assert after.loc[light, "action_ids"] == [action]
    assert gobs.fault_reports(store, scope).set_index("id").loc[fault, "action_ids"] == [action]
    with store.engine.connect() as conn:
        assert observation_links.action_sources(conn, org, action) == {
            "observations": sorted([light, graffiti]), "fault_reports": [fault]}
    # the group closes the graffiti by hand: the åtgärd's progress leaves that decision alone
    gobs.set_status(store, SETTINGS, scope, graffiti, "avslutad utan åtgärd", "Sanerat av fastighetsägaren")
    version = gate.update_action(store, scope, action, 1, {"status": "genomförd"})
    after = gobs.observations(store, SETTINGS, scope).set_index("id")
    assert after.loc[light, "status"] == "åtgärdad"
    assert after.loc[graffiti, "status"] == "avslutad utan åtgärd"
    assert after.loc[graffiti, "status_reason"] == "Sanerat av fastighetsägaren"
    gate.update_action(store, scope, action, version, {"status": "pågår"})  # reopened
    assert gobs.observations(store, SETTINGS, scope).set_index("id").loc[light, "status"] == "åtgärd beslutad"
    with store.engine.connect() as conn:
        audit = t.AuditLog.__table__
        entities = [r.entity for r in conn.execute(sa.select(audit.c.entity).where(
            audit.c.entity.in_(["observation", "observation_action", "fault_report_action"])))]
    assert entities.count("fault_report_action") == 1 and entities.count("observation_action") == 2
    assert entities.count("observation") >= 3 + 1 + 2 + 1 + 1 + 1  # saved, decided, closed, done, reopened


def test_action_status_rules():
    assert observation_status.status_from_actions(["genomförd"]) == ("åtgärdad", None)
    assert observation_status.status_from_actions(["genomförd", "planerad"]) == ("åtgärd beslutad", None)
    assert observation_status.status_from_actions(["avbruten", "avbruten"])[0] == "avslutad utan åtgärd"


def test_a_cancelled_action_closes_the_observation_with_a_reason(town):
    store, org = town
    scope = _coordinator(store)
    light = _ids(gobs.observations(store, SETTINGS, scope), "Belysning")[0]
    action = gate.create_action(store, scope, {"text": "Byt lampan", "responsible_party": "Kommunen"},
                                observation_ids=[light])
    gate.update_action(store, scope, action, 1, {"status": "avbruten"})
    row = gobs.observations(store, SETTINGS, scope).set_index("id").loc[light]
    assert row["status"] == "avslutad utan åtgärd" and row["status_reason"] == "Åtgärden avbröts."


def test_closing_needs_a_reason_and_unknown_rows_are_refused(town):
    store, org = town
    scope = _coordinator(store)
    graffiti = _ids(gobs.observations(store, SETTINGS, scope), "Klotter")[0]
    with pytest.raises(WorkbenchError, match="skäl"):
        gobs.set_status(store, SETTINGS, scope, graffiti, "avslutad utan åtgärd", "  ")
    with pytest.raises(WorkbenchError, match="finns inte"):
        gobs.set_status(store, SETTINGS, scope, 99999, "behandlad på EST-möte")
    with pytest.raises(WorkbenchError, match="finns inte"), store.transaction() as conn:
        loop.create_action(conn, org, {"text": "x", "responsible_party": "Kommunen"}, actor="t",
                           fault_report_ids=[99999])
    assert len(gate.actions(store, scope)) == 0  # nothing half-written


def test_the_lagesbild_document_has_inrapporterat_per_area_with_small_counts_hidden(town):
    from workbench.services import reports

    store, org = town
    html = reports.build("situation", "html", store, SETTINGS, org,
                         period=Period(date(2026, 11, 23), date(2026, 12, 6))).data.decode("utf-8")
    assert "Inrapporterat från verksamheterna (veckans inrapportering) per område" in html
    section = html[html.index("Inrapporterat från verksamheterna"):]
    section = section[:section.index("</table>")]
    assert "Norr" in section and "Söder" in section
    assert "&lt;3" in section and ">2<" not in section  # Norr 2 and Söder 1: both below 3, never printed


def test_reporter_accounts_are_expected_and_reporters_reach_nothing_here(town):
    store, org = town
    accounts.add_user(store.engine, "vaktare", organisation=ORG, role="reporter", password="x" * 16,
                      verksamhet="Väktarbolaget", actor="test")
    accounts.add_user(store.engine, "vard1", organisation=ORG, role="reporter", password="x" * 16,
                      verksamhet=VARD, actor="test")
    status = gobs.reporting_status(store, SETTINGS, _coordinator(store), 2026, 49).set_index("verksamhet")
    assert status.loc["Väktarbolaget", "state"] == "missing" and status.loc["Väktarbolaget", "areas"] == []
    assert status.loc[VARD, "state"] == "observations"
    # twelve weeks on, the reporter accounts are still expected; the school (no account) is not
    later = gobs.reporting_status(store, SETTINGS, _coordinator(store), 2027, 8)
    assert set(later["verksamhet"]) == {"Väktarbolaget", VARD}
    reporter = open_scope(store, from_account(accounts.get_user(store.engine, "vaktare"), "local"), ORG)
    period = Period(date(2026, 11, 23), date(2026, 12, 6))
    for call in (lambda: gobs.observations(store, SETTINGS, reporter),
                 lambda: gobs.reporting_status(store, SETTINGS, reporter, 2026, 49),
                 lambda: gobs.area_counts(store, SETTINGS, reporter, period, period),
                 lambda: gobs.assessment_trend(store, SETTINGS, reporter, 2026, 49),
                 lambda: gobs.open_counts(store, SETTINGS, reporter),
                 lambda: gobs.fault_reports(store, reporter),
                 lambda: gobs.set_status(store, SETTINGS, reporter, 1, "behandlad på EST-möte"),
                 lambda: gobs.action_prefill(store, SETTINGS, reporter, [1])):
        with pytest.raises(AccessDenied):
            call()
