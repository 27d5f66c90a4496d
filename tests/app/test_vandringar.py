"""AppTest of Vandringar (/vandringar): a coordinator plans a walk, records observations (the
personal-data warning before a comment is saved), decides on them after the walk (one åtgärd for
two observations, one closed with a reason) and gets the follow-up document; what each role sees."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tests.builders import ORG, make_org
from workbench.geo.crs import to_wgs84
from workbench.services import walks as walk_service
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import open_store


@pytest.fixture
def db(sqlite_url):
    make_org(open_store(sqlite_url))
    return sqlite_url


def _open(app_for, db, role: str = "coordinator"):
    at = app_for(db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = role
    at.run()
    at.switch_page("app_pages/vandringar.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at, form: str):
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}-")).click().run()
    assert not at.exception, at.exception


def _latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = to_wgs84(np.array([x]), np.array([y]))
    return float(lat[0]), float(lon[0])


def _org(db):
    store = open_store(db)
    return store, repo.find_organisation(store.engine, ORG)


def test_a_coordinator_plans_records_decides_and_gets_the_follow_up(app_for, db):
    at = _open(app_for, db)
    assert [o for o in at.radio(key="walk_view").options] == ["Planera", "Under vandringen", "Efter vandringen"]
    store, org = _org(db)
    areas = repo.load_areas(store.engine, [org])
    assert at.selectbox(key="plan_area").options == areas["name"].tolist()
    at.selectbox(key="plan_area").set_value(int(areas.loc[areas["name"] == "Norr", "id"].iloc[0])).run()
    at.date_input(key="plan_date").set_value(date(2026, 10, 14))
    at.multiselect(key="plan_parts").set_value(["kommunen", "polisen", "bostadsbolaget"])
    at.text_input(key="plan_other").input("hyresgästföreningen")
    _submit(at, "walk_plan")
    with store.engine.connect() as conn:
        from workbench.store import walks

        (walk,) = walks.walks(conn, org)
    assert walk["participants"] == "kommunen, polisen, bostadsbolaget, hyresgästföreningen"
    assert walk["status"] == "planned" and walk["area"] == "Norr"
    assert at.radio(key="walk_view").value == "Under vandringen"
    assert any("är planerad" in s.value for s in at.success)

    # a tap on the map (the component's value) chooses the spot; a comment with a phone number warns
    at.session_state[f"walk_spot_{walk['id']}"] = _latlon(376400, 6400450)
    at.run()
    assert any("Plats vald" in s.value for s in at.success)
    at.radio(key="obs_category").set_value("belysning")
    at.radio(key="obs_priority").set_value(1)
    at.text_area(key="obs_comment").input("Mörk gångväg, ring 070-123 45 67")
    _submit(at, f"walk_obs_{walk['id']}")
    assert any("telefonnummer" in w.value for w in at.warning)
    assert walk_service.agenda(store, org, walk["id"])[1] == []  # nothing saved before the choice
    at.button(key=f"personal_data_walk_obs_{walk['id']}_save").click().run()
    assert not at.exception, at.exception
    assert any("Iakttagelse 1 sparad" in s.value for s in at.success)
    for x, y, category in ((376520, 6400610, "skymd_sikt"), (376650, 6400720, "klotter")):
        at.session_state[f"walk_spot_{walk['id']}"] = _latlon(x, y)
        at.run()
        at.radio(key="obs_category").set_value(category)
        _submit(at, f"walk_obs_{walk['id']}")
    _, observations = walk_service.agenda(store, org, walk["id"])
    assert [o["category"] for o in observations] == ["belysning", "skymd_sikt", "klotter"]
    assert observations[0]["comment"] == "Mörk gångväg, ring [telefonnummer]"
    assert observations[0]["priority"] == 1 and observations[0]["area"] == "Norr"

    at.button(key=f"walk_done_{walk['id']}").click().run()
    assert at.radio(key="walk_view").value == "Efter vandringen"
    agenda = at.dataframe[0].value
    assert agenda["Vad"].tolist() == ["Belysning", "Skymd sikt/vegetation", "Klotter"]
    # observation 1 becomes an åtgärd that also answers observation 2
    key = f"walk_action_{observations[0]['id']}"
    assert at.text_area(key=f"{key}_text").value.startswith("Belysning: Mörk gångväg")
    at.multiselect(key=f"{key}_also").set_value([observations[1]["id"]])
    _submit(at, key)
    actions = loop.list_actions(store.engine, org)
    assert len(actions) == 1 and actions["area_id"].iloc[0] == observations[0]["area_id"]
    # observation 3 is closed without åtgärd, with a reason
    at.selectbox(key=f"walk_decide_{walk['id']}").set_value(observations[2]["id"])
    at.run()
    at.radio(key=f"walk_how_{observations[2]['id']}").set_value("Avsluta utan åtgärd").run()
    at.text_area(key=f"walk_close_{observations[2]['id']}_reason").input("Sanerat av fastighetsägaren")
    _submit(at, f"walk_close_{observations[2]['id']}")
    statuses = [o["status"] for o in walk_service.agenda(store, org, walk["id"])[1]]
    assert statuses == ["åtgärd beslutad", "åtgärd beslutad", "avslutad utan åtgärd"]
    assert at.dataframe[0].value["Status"].tolist()[2] == "avslutad utan åtgärd: Sanerat av fastighetsägaren"
    # the follow-up document is on the page and can be downloaded (audited on click)
    assert at.get("download_button")
    assert not at.exception


def test_what_each_role_sees(app_for, db):
    store, org = _org(db)
    areas = repo.load_areas(store.engine, [org])
    norr = int(areas.loc[areas["name"] == "Norr", "id"].iloc[0])
    walk_id = walk_service.plan(store, org, walk_date=date(2026, 10, 14), area_id=norr,
                                participants=["kommunen"], actor="samordnare")
    lat, lon = _latlon(376400, 6400450)
    walk_service.record(store, org, walk_id, category="klotter", lon=lon, lat=lat, comment="Klotter på muren",
                        actor="samordnare")
    viewer = _open(app_for, db, "viewer")
    assert viewer.radio(key="walk_view").options == ["Efter vandringen"]
    assert viewer.dataframe[0].value["Kommentar"].tolist() == ["Klotter på muren"]
    assert not [s for s in viewer.selectbox if s.key == f"walk_decide_{walk_id}"]  # cannot decide
    assert not viewer.get("download_button")  # no export permission
    planner = app_for(db, WORKBENCH_ORGANISATION=ORG)
    planner.session_state["demo_role"] = "planner"
    planner.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in the menu
        planner.switch_page("app_pages/vandringar.py")
    police = _open(app_for, db, "police")
    assert police.radio(key="walk_view").options == ["Planera", "Under vandringen", "Efter vandringen"]
    housing = _open(app_for, db, "housing")  # the demo's housing role has no own areas: no walk
    assert housing.radio(key="walk_view").options == ["Under vandringen", "Efter vandringen"]
    assert any("Ingen trygghetsvandring" in i.value for i in housing.info)
