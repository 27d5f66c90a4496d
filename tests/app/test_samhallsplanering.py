"""AppTest of Samhällsplanering: draw a plan area, see the figures, save the plan and the
BoTryggt checklist as versions, and make the trygghetsbedömning."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from tests.builders import ORG, make_org
from workbench.geo.crs import to_wgs84
from workbench.services import planning
from workbench.store import repositories as repo
from workbench.store.db import open_store

# A block in Norr (SWEREF 99 TM) around make_org's October incidents, as drawn in WGS 84.
BLOCK = shapely.box(376400, 6400400, 376700, 6400600)


def _drawn() -> dict:
    xs, ys = np.array(BLOCK.exterior.xy[0]), np.array(BLOCK.exterior.xy[1])
    lon, lat = to_wgs84(xs, ys)
    return {"type": "Polygon", "coordinates": [[[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]]}


@pytest.fixture
def db(sqlite_url):
    make_org(open_store(sqlite_url))
    return sqlite_url


def _open(app_for, db):
    at = app_for(db, WORKBENCH_ORGANISATION=ORG).run()
    at.switch_page("app_pages/samhallsplanering.py").run()
    assert not at.exception, at.exception
    return at


def test_without_saved_plans_the_page_asks_for_a_file(app_for, db):
    at = _open(app_for, db)
    assert at.radio(key="plan_source").value == "upload"
    assert any("Välj en fil" in i.value for i in at.info)


def test_draw_check_save_versions_and_report(app_for, db):
    at = _open(app_for, db)
    at.radio(key="plan_source").set_value("draw")
    at.session_state["plan_drawn"] = _drawn()
    at.run()
    assert not at.exception, at.exception
    metrics = {m.label: m for m in at.metric}
    assert metrics["Polisanmälda händelser"].value == "24"  # 20 October + 4 September incidents
    assert metrics["Planområdets yta"].value.startswith("6,0")  # 300 m × 200 m, drawn in WGS 84
    assert at.number_input(key="plan_buffer_new").value == 200
    incidents = at.dataframe[0].value
    assert incidents.set_index("Brottskategori").loc["Misshandel", "Inom planområdet"] == "10"

    by_label = {t.label: t for t in at.text_input}
    by_label["Planens namn"].set_value("Dp <b>Norr</b> 1")
    by_label["Planbeteckning eller diarienummer (valfritt)"].set_value("Dp 2026:7")
    at.button(key="plan_create").click().run()
    assert not at.exception, at.exception
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    plan_id = planning.find(store, org, "Dp <b>Norr</b> 1")
    saved = planning.stored_plan(store, org, plan_id)
    assert saved["version"] == 1 and saved["reference"] == "Dp 2026:7"
    assert saved["geometry"].symmetric_difference(BLOCK).area < 5  # through WGS 84 and back
    assert any("sparades (version 1)" in s.value for s in at.success)
    assert at.radio(key="plan_source").value == "saved" and at.selectbox(key="plan_pick").value == plan_id

    editor_key = f"plan_checklist_{plan_id}_1"
    at.session_state[editor_key] = {"edited_rows": {5: {"Bedömning": "Behöver åtgärdas",
                                                        "Kommentar": "Belys <i>gångvägen</i>"}},
                                    "added_rows": [], "deleted_rows": []}
    at.text_input(key=f"plan_note_{plan_id}_1").set_value("Efter samrådet")
    at.run()
    at.button(key="plan_save").click().run()
    assert not at.exception, at.exception
    history = planning.history(store, org, plan_id)
    assert [v["version"] for v in history] == [2, 1]
    assert history[0]["checklist"][5] | {"suggestion": ""} == {
        "key": "lighting", "assessment": "needs_action", "comment": "Belys <i>gångvägen</i>", "suggestion": ""}
    assert history[0]["note"] == "Efter samrådet"
    assert any("version 2" in s.value for s in at.success)

    at.radio(key="plan_report_format").set_value("html")
    at.button(key="plan_report_make").click().run()
    assert not at.exception, at.exception
    download = at.get("download_button")
    assert download, "the report is offered for download"
    assert any(e.proto.label.startswith("Ladda ner trygghetsbedömningen (HTML") for e in download)


def test_a_plan_far_from_any_data_is_honestly_empty(app_for, db):
    at = _open(app_for, db)
    at.radio(key="plan_source").set_value("draw")
    lon, lat = to_wgs84(np.array([850_000.0, 850_400.0]), np.array([7_530_000.0, 7_530_300.0]))
    at.session_state["plan_drawn"] = {"type": "Polygon", "coordinates": [[
        [lon[0], lat[0]], [lon[1], lat[0]], [lon[1], lat[1]], [lon[0], lat[1]], [lon[0], lat[0]]]]}
    at.run()
    assert not at.exception, at.exception
    assert any("underlaget saknas – inte att platsen är trygg" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Polisanmälda händelser"] == "0"
