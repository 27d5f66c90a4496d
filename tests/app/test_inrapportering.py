"""AppTest of Inrapportering and the EST meeting's observations, per role: the coordinator sees who
has reported, the points on the map and every observation and decides on them (handled, closed
with a reason, one åtgärd for an observation and a felanmälan); housing limited to its area sees
only that area's observations, without points; the shared screen's viewer sees only suppressed
aggregates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.builders import ORG, make_org
from workbench.services import imports
from workbench.services.observations import now_week
from workbench.store import accounts, loop, observation_links, reporting
from workbench.store import repositories as repo
from workbench.store.db import close_store, open_store
from workbench.store.reporting import NewObservation

APP = str(Path(__file__).resolve().parents[2] / "workbench" / "ui" / "app.py")
VARD, FRITID, SKOLA = "Bostadsbolaget – Norr", "Fritidsgården Söder", "Skolan Norr"
PASSWORD = "ett-riktigt-langt-losenord"


def _monday() -> date:
    year, week = now_week()
    return date.fromisocalendar(year, week, 1)


@pytest.fixture
def db(sqlite_url):
    """Norr and Söder, the place Norrtorget and a felanmälan there; this week the housing company
    reported two observations in Norr (one with a point) and one in Söder, the youth centre
    reported nothing, and the school (which reported two weeks ago) has not reported."""
    store = open_store(sqlite_url)
    org = make_org(store)
    place = gpd.GeoDataFrame({"name": ["Norrtorget"], "kind": ["torg"], "radius_m": [100.0]},
                             geometry=[shapely.Point(376500, 6400500)], crs="EPSG:3006")
    imports.import_layer(store, "places", place.to_json().encode(), "platser.geojson", ORG)
    monday = _monday()
    faults = ("Ärende-ID\tTyp\tAnmäld\tKlar\tFastighet\tN\tE\r\n"
              f"F1\tTrasig belysning\t{monday:%d/%m %Y}\t\tNorr 1:1\t6400510\t376490\r\n")
    imports.import_table(store, "fault-reports", faults.encode("cp1252"), "fel.csv", ORG)
    year, week = now_week()
    earlier = monday - timedelta(weeks=2)
    with store.transaction() as conn:
        reporting.save_report(conn, org, verksamhet=VARD, iso_year=year, iso_week=week, actor="vard1",
                              nothing_to_report=False, observations=[
                                  NewObservation("Belysning", datetime.combine(monday, datetime.min.time()),
                                                 x=376505.0, y=6400495.0, assessment=3,
                                                 description="Lampan vid <b>torget</b> är trasig"),
                                  NewObservation("Folksamling", datetime.combine(monday, datetime.min.time()),
                                                 area="Norr", assessment=4),
                                  NewObservation("Klotter", datetime.combine(monday, datetime.min.time()),
                                                 area="Söder", assessment=1)])
        reporting.save_report(conn, org, verksamhet=FRITID, iso_year=year, iso_week=week, actor="fritid1",
                              nothing_to_report=True, observations=[])
        reporting.save_report(conn, org, verksamhet=SKOLA, iso_year=earlier.isocalendar()[0],
                              iso_week=earlier.isocalendar()[1], actor="skola1", nothing_to_report=False,
                              observations=[NewObservation("Klotter", datetime.combine(earlier, datetime.min.time()),
                                                           area="Norr", assessment=2)])
    return sqlite_url


def _open(app_for, db, role: str = "coordinator", page: str = "inrapportering") -> AppTest:
    at = app_for(db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = role
    at.session_state["period_preset"] = "custom"
    at.session_state["period_custom"] = (_monday() - timedelta(days=27), _monday() + timedelta(days=6))
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


TABLE_COLUMN = {"who_reported": "Observationer", "observation_counts": "Inrapporterat",
                "assessment_index": f"v. {now_week()[1]}", "observation_table": "Beskrivning",
                "meeting_obs_": "Beskrivning"}


def _tables(at, key: str) -> list:
    return [d.value for d in at.dataframe if TABLE_COLUMN[key] in d.value.columns]


def _table(at, key: str):
    found = _tables(at, key)
    assert found, f"no table {key}"
    return found[0]


def _observations(db) -> dict[str, dict]:
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    with store.engine.connect() as conn:
        return {f"{o['category']}/{o['area'] or ''}": o for o in reporting.observations(conn, org)}


def test_coordinator_sees_who_reported_the_map_points_and_every_observation(app_for, db):
    at = _open(app_for, db)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Har rapporterat": "1", "Inget att rapportera": "1", "Har inte rapporterat": "1"}
    who = _table(at, "who_reported").set_index("Verksamhet")
    assert who.loc[VARD, "Status"] == "Rapporterat" and who.loc[VARD, "Observationer"] == "3"
    assert who.loc[VARD, "Område"] == "Norr, Söder"
    assert who.loc[FRITID, "Status"] == "Inget att rapportera" and who.loc[SKOLA, "Status"] == "Ej rapporterat"
    counts = _table(at, "observation_counts").set_index("Område")
    assert counts.loc["Norr", "Inrapporterat"] == "2" and counts.loc["Söder", "Inrapporterat"] == "1"
    html = at.get("iframe")[0].proto.srcdoc if at.get("iframe") else ""
    assert "Belysning · Bedömning 3 (allvarlig)" in html and "Folksamling" not in html  # no point: area only
    index = _table(at, "assessment_index").set_index("Område")
    assert index.loc["Norr", f"v. {now_week()[1]}"] == "3,5 (2)"
    table = _table(at, "observation_table")
    assert sorted(table["Kategori"]) == ["Belysning", "Folksamling", "Klotter", "Klotter"]
    assert "Lampan vid <b>torget</b> är trasig" in list(table["Beskrivning"])  # a text cell, not HTML


def test_coordinator_decides_handled_closed_and_one_action_for_an_observation_and_a_felanmalan(app_for, db):
    at = _open(app_for, db)
    ids = {c: int(o["id"]) for c, o in _observations(db).items()}
    at.multiselect(key="inr_chosen").set_value([ids["Folksamling/Norr"]]).run()
    at.radio(key="inr_choice").set_value("Behandlad på EST-möte").run()
    at.button(key="inr_handled").click().run()
    assert not at.exception, at.exception
    assert _observations(db)["Folksamling/Norr"]["status"] == "behandlad på EST-möte"

    at.multiselect(key="inr_chosen").set_value([ids["Belysning/"]]).run()
    fault_options = at.multiselect(key="inr_faults").options
    assert len(fault_options) == 1 and "belysning" in fault_options[0].casefold()
    at.multiselect(key="inr_faults").set_value([int(fault_options[0].split(" ")[0][1:])]).run()
    text = next(t for t in at.text_area if t.key and t.key.endswith("_text"))
    assert text.value.startswith("Med anledning av 2 rapporter")
    place = next(s for s in at.selectbox if s.key and s.key.endswith("_place"))
    assert place.value is not None  # Norrtorget, from the points
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:inr_action-")).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    light = _observations(db)["Belysning/"]
    assert light["status"] == "åtgärd beslutad" and len(light["action_ids"]) == 1
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    with store.engine.connect() as conn:
        assert len(observation_links.action_sources(conn, org, light["action_ids"][0])["fault_reports"]) == 1
    assert any("Åtgärd nr" in s.value for s in at.success)
    # the åtgärd done: the observation follows (what the reporter sees on Mina rapporter)
    with store.transaction() as conn:
        loop.update_action(conn, org, light["action_ids"][0], 1, {"status": "genomförd"}, actor="test")
    assert _observations(db)["Belysning/"]["status"] == "åtgärdad"

    at.multiselect(key="observation_status").set_value(["ny"]).run()
    at.multiselect(key="inr_chosen").set_value([ids["Klotter/Söder"]]).run()
    at.radio(key="inr_choice").set_value("Avsluta utan åtgärd").run()
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:inr_close-")).click().run()
    assert any("skäl" in e.value for e in at.error)
    assert _observations(db)["Klotter/Söder"]["status"] == "ny"
    at.text_input(key="inr_reason").input("Redan sanerat")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:inr_close-")).click().run()
    closed = _observations(db)["Klotter/Söder"]
    assert closed["status"] == "avslutad utan åtgärd" and closed["status_reason"] == "Redan sanerat"


def test_viewer_sees_only_suppressed_aggregates(app_for, db):
    at = _open(app_for, db, "viewer")
    counts = _table(at, "observation_counts").set_index("Område")
    assert counts.loc["Norr", "Inrapporterat"] == "<3" and counts.loc["Söder", "Inrapporterat"] == "<3"
    index = _table(at, "assessment_index").set_index("Område")
    assert index.loc["Norr", f"v. {now_week()[1]}"] == "<3"
    html = at.get("iframe")[0].proto.srcdoc
    assert "Bedömning 3" not in html and "Lampan" not in html
    assert not _tables(at, "observation_table")
    assert any("bara sammanställda" in c.value for c in at.caption)
    assert "inr_chosen" not in [m.key for m in at.multiselect]


@pytest.fixture
def housing_app(db, monkeypatch):
    store = open_store(db)
    accounts.add_user(store.engine, "bolaget", organisation=ORG, role="housing", password=PASSWORD,
                      areas=["Söder"], actor="test")
    monkeypatch.setenv("WORKBENCH_DB", db)
    monkeypatch.setenv("WORKBENCH_AUTH", "local")
    monkeypatch.setenv("WORKBENCH_ORGANISATION", ORG)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.text_input(key="signin_user").input("bolaget")
    at.text_input(key="signin_password").input(PASSWORD)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:sign_in-")).click().run()
    yield at
    close_store(db)


def test_housing_sees_only_its_own_area_without_points(housing_app):
    at = housing_app
    at.session_state["period_preset"] = "custom"
    at.session_state["period_custom"] = (_monday() - timedelta(days=27), _monday() + timedelta(days=6))
    at.switch_page("app_pages/inrapportering.py").run()
    assert not at.exception, at.exception
    table = _table(at, "observation_table")
    assert list(table["Kategori"]) == ["Klotter"] and list(table["Område"]) == ["Söder"]
    assert list(_table(at, "observation_counts")["Område"]) == ["Söder"]
    assert list(_table(at, "who_reported")["Verksamhet"]) == [VARD]
    assert "Belysning" not in at.get("iframe")[0].proto.srcdoc
    assert "inr_chosen" not in [m.key for m in at.multiselect]  # reads, never decides


def test_the_meeting_lists_the_areas_new_observations_and_decides_on_them(app_for, db):
    at = _open(app_for, db, page="est_mote")
    at.selectbox(key="new_kind").set_value("month")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:new_meeting-")).click().run()
    assert not at.exception, at.exception
    table = _table(at, "meeting_obs_")
    assert sorted(table["Kategori"]) == ["Belysning", "Folksamling", "Klotter"]  # Norr's, first on the agenda
    ids = {c: int(o["id"]) for c, o in _observations(db).items()}
    key = next(m.key for m in at.multiselect if m.key and m.key.startswith("meeting_obs_"))
    at.multiselect(key=key).set_value([ids["Folksamling/Norr"]]).run()
    next(b for b in at.button if b.key and "_action-" in b.key and b.key.startswith("FormSubmitter:meeting_obs_")
         ).click().run()
    assert not at.exception, at.exception
    crowd = _observations(db)["Folksamling/Norr"]
    assert crowd["status"] == "åtgärd beslutad"
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    actions = loop.list_actions(store.engine, org).set_index("id")
    assert actions.loc[crowd["action_ids"][0], "situation_id"] is not None  # a decision of the meeting
    assert "Folksamling" not in list(_table(at, "meeting_obs_")["Kategori"])


def test_oversikt_shows_inrapporterat_as_a_source_of_its_own(app_for, db):
    at = _open(app_for, db, page="oversikt")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Inrapporterat"] == "4"
    table = next(d.value for d in at.dataframe if "Inrapporterat" in d.value.columns).set_index("Område")
    assert table.loc["Norr", "Inrapporterat"] == "3" and table.loc["Söder", "Inrapporterat"] == "1"
    viewer = _open(app_for, db, "viewer", page="oversikt")
    table = next(d.value for d in viewer.dataframe if "Inrapporterat" in d.value.columns).set_index("Område")
    assert table.loc["Söder", "Inrapporterat"] == "<3"


def test_a_felanmalan_alone_becomes_an_action_with_its_text_and_place(app_for, db):
    at = _open(app_for, db)
    options = at.multiselect(key="inr_faults").options
    fault = int(options[0].split(" ")[0][1:])
    at.multiselect(key="inr_faults").set_value([fault]).run()
    text = next(t for t in at.text_area if t.key and t.key.endswith("_text"))
    assert text.value == "Trasig belysning"  # the felanmälan's category as the taxonomy names it
    assert next(s for s in at.selectbox if s.key and s.key.endswith("_place")).value is not None  # Norrtorget
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:inr_action-")).click().run()
    assert not at.exception, at.exception
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    with store.engine.connect() as conn:
        linked = observation_links.fault_report_actions(conn, org)
    assert list(linked) == [fault] and len(linked[fault]) == 1
    assert "inr_faults" not in [m.key for m in at.multiselect]  # answered: no longer offered
