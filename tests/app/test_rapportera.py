"""Rapportera as a signed-in reporter (AppTest): lands on the page and can open no other; adds
observations (a known place, only an area), is warned about personal data in the description,
sends the week's report, reports nothing for another week, and reads what became of each
observation under "Mina rapporter". The map tap and the phone's position are tested in Chromium
(tests/e2e/test_rapportera_browser.py)."""

from __future__ import annotations

from datetime import date, timedelta

import geopandas as gpd
import pytest
import shapely
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import shown
from tests.app.test_hostile_markdown import hostile_db  # noqa: F401 - the hostile town, a fixture
from tests.app.test_roles_pages import NAVIGATION, blank_text_cells, rendered
from tests.builders import ORG, make_org
from workbench.access.scope import open_scope, operator
from workbench.services import imports
from workbench.store import accounts, reporting
from workbench.store.db import close_store, open_store
from workbench.ui.report_form import week_label

APP = "workbench/ui/app.py"
PASSWORD = "ett-riktigt-langt-losenord"
HOUSING = "Bostadsbolaget – Hässleholmen"
TODAY = date.today()
LAST_WEEK = tuple((TODAY - timedelta(days=7)).isocalendar()[:2])
THIS_WEEK = tuple(TODAY.isocalendar()[:2])


@pytest.fixture
def town(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rapportera.sqlite'}"
    store = open_store(url)
    make_org(store)
    places = gpd.GeoDataFrame({"name": ["Norrtorget"], "kind": ["torg"], "radius_m": [60.0]},
                              geometry=[shapely.Point(376500, 6400500)], crs="EPSG:3006")
    imports.import_layer(store, "places", places.to_json().encode(), "platser.geojson", ORG)
    accounts.add_user(store.engine, "vard1", organisation=ORG, role="reporter", password=PASSWORD,
                      verksamhet=HOUSING, actor="test")
    monkeypatch.setenv("WORKBENCH_DB", url)
    monkeypatch.setenv("WORKBENCH_AUTH", "local")
    monkeypatch.setenv("WORKBENCH_ORGANISATION", ORG)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    close_store(url)


def _signed_in() -> AppTest:
    from pathlib import Path

    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / APP), default_timeout=120).run()
    at.text_input(key="signin_user").input("vard1")
    at.text_input(key="signin_password").input(PASSWORD)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:sign_in-")).click().run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _fill(at: AppTest, *, category: str, where: str, assessment: int, description: str = "",
          place: str | None = None, area: str | None = None) -> None:
    at.selectbox(key="rp_new_category").set_value(category)
    at.radio(key="rp_new_where").set_value(where).run()
    if place:
        at.selectbox(key="rp_new_place").set_value(place)
    if area:
        at.selectbox(key="rp_new_area").set_value(area)
    at.text_area(key="rp_new_description").input(description)
    at.radio(key="rp_new_assessment").set_value(assessment).run()


def test_a_reporter_lands_on_rapportera_and_can_open_no_other_page(town):
    at = _signed_in()
    assert [t.value for t in at.title] == ["Rapportera"]
    assert not at.error, [e.value for e in at.error]
    assert HOUSING in " ".join(c.value for c in at.caption)
    for file, _, _ in NAVIGATION:
        if file == "rapportera.py":
            continue
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{file}")
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["Rapportera"]
    labels = {r.label for r in at.radio} | {s.label for s in at.selectbox} | {b.label for b in at.button}
    assert {"Vad har du sett?", "Var?", "Bedömning", "Inget att rapportera denna vecka"} <= labels
    assessment = at.radio(key="rp_new_assessment")
    assert list(assessment.options) == [
        "1 – låg", "2 – måttlig", "3 – allvarlig", "4 – mycket allvarlig"]
    categories = at.selectbox(key="rp_new_category").options
    assert categories[:8] == ["Otrygg plats", "Folksamling", "Nedskräpning", "Belysning", "Klotter", "Brand",
                              "Skadegörelse", "Narkotikaindikation"]
    assert not at.dataframe and not at.metric and not at.get("iframe")  # no data of the organisation


def test_report_two_observations_with_a_warning_then_nothing_for_last_week(town):
    at = _signed_in()
    _button(at, "Lägg till i veckans rapport").click().run()
    assert [shown(e.value) for e in at.error] == ["Välj vad du såg."]  # escaped by plain()

    _fill(at, category="Belysning", where="Välj en känd plats", place="Norrtorget", assessment=3,
          description="Lampan vid trappan är trasig")
    _button(at, "Lägg till i veckans rapport").click().run()
    assert not at.error, [e.value for e in at.error]
    _fill(at, category="Folksamling", where="Bara område", area="Söder", assessment=2,
          description="Ungdomar vid kiosken, en av dem ringde 070-123 45 67")
    _button(at, "Lägg till i veckans rapport").click().run()
    assert [w.value for w in at.warning] == [
        "Texten innehåller något som ser ut som ett telefonnummer – ta bort det."]
    _button(at, "Lägg till med uppgifterna maskerade").click().run()
    assert not at.warning and at.text_area(key="rp_new_description").value == ""
    _button(at, "Skicka rapporten (2 observationer)").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("är skickad: 2 observationer" in s.value for s in at.success)
    assert f"{week_label(*THIS_WEEK)} är redan rapporterad med 2 observationer. Det du skickar nu läggs till." in [
        i.value for i in at.info]
    _fill(at, category="Klotter", where="Bara område", area="Norr", assessment=1, description="Tagg på elskåpet")
    _button(at, "Lägg till i veckans rapport").click().run()
    assert _button(at, "Skicka rapporten (1 observation)")
    _button(at, "Ta bort").click().run()

    org = open_scope(town, operator("t"), ORG).organisation_id
    with town.engine.connect() as conn:
        week = reporting.reports(conn, org)
        seen = reporting.observations(conn, org)
    assert [(w["verksamhet"], w["nothing_to_report"], w["reporter"]) for w in week] == [(HOUSING, False, "vard1")]
    assert [(o["category"], o["place"], o["area"], o["assessment"]) for o in seen] == [
        ("Belysning", "Norrtorget", "Norr", 3), ("Folksamling", None, "Söder", 2)]
    assert seen[0]["x"] is not None and seen[1]["x"] is None
    assert seen[1]["description"] == "Ungdomar vid kiosken, en av dem ringde [telefonnummer]"

    at.selectbox(key="rp_week").set_value(LAST_WEEK).run()
    _button(at, "Inget att rapportera denna vecka").click().run()
    assert not at.error, [e.value for e in at.error]
    with town.engine.connect() as conn:
        nil = [w for w in reporting.reports(conn, org) if (w["iso_year"], w["iso_week"]) == LAST_WEEK]
    assert [w["nothing_to_report"] for w in nil] == [True]

    with town.engine.begin() as conn:
        reporting.set_status(conn, org, seen[1]["id"], "avslutad utan åtgärd",
                             reason="Fritidsgården tar det i sitt arbete", actor="samordnare")
    at.run()
    text = rendered(at)
    assert f"{week_label(*LAST_WEEK)}** – inget att rapportera" in text
    assert "Status: **Ny – inte behandlad än**" in text
    assert "Status: **Avslutad utan åtgärd**: Fritidsgården tar det i sitt arbete" in text
    assert "Bedömning: 3 – allvarlig" in text and "070-123" not in text
    assert blank_text_cells(at) == set()


def test_the_demo_reporter_sees_only_rapportera(app_for, demo_db):
    at = app_for(demo_db).run()
    at.selectbox(key="demo_role").set_value("reporter").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Rapportera"] and not at.error


def test_the_reporters_own_text_reaches_markdown_escaped(app_for, hostile_db):  # noqa: F811 - the fixture
    """Mina rapporter shows what the reporter (and the coordinator's reason) wrote, the known
    places and areas are offered by name: Markdown, HTML and colour directives in any of them
    are shown as written, never interpreted (the demo reporter, on test_hostile_markdown's town)."""
    from datetime import datetime

    from tests.app.test_hostile_markdown import ESCAPED, ORG, PAYLOAD, PLACE, RAW, _markdown_texts
    from workbench.access.scope import DEMO_VERKSAMHET
    from workbench.store import repositories as repo
    from workbench.store.reporting import NewObservation

    store = open_store(hostile_db)
    org = repo.find_organisation(store.engine, ORG)
    year, week, _ = date.today().isocalendar()
    with store.transaction() as conn:
        reporting.save_report(conn, org, verksamhet=DEMO_VERKSAMHET, iso_year=year, iso_week=week, observations=[
            NewObservation(f"Kategorin {PAYLOAD}", datetime.combine(date.today(), datetime.min.time()),
                           place=PLACE, area=f"Området {PAYLOAD}", description=f"Texten {PAYLOAD}",
                           assessment=2)], nothing_to_report=False, actor="demo")
        seen = reporting.observations(conn, org)
        reporting.set_status(conn, org, seen[-1]["id"], "avslutad utan åtgärd", reason=f"Skälet {PAYLOAD}",
                             actor="test")
    at = app_for(hostile_db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = "reporter"
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Rapportera"]
    texts = _markdown_texts(at)
    interpreted = [(raw, text) for text in texts for raw in RAW if raw in text]
    assert interpreted == [], interpreted[:5]
    assert ":blue[" not in "".join(texts)  # the organisation's name
    assert sum(text.count(ESCAPED) for text in texts) >= 5  # category, place, area, text, reason
