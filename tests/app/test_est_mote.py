"""AppTest of EST-möte, Rapporter and Polisområde: a short meeting from start to minutes."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
import shapely

from tests.builders import ORG, make_org
from workbench.reports.html import render_html
from workbench.reports.meeting_docs import minutes_document
from workbench.services import imports, police_area
from workbench.store import loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import open_store


@pytest.fixture
def db(sqlite_url):
    make_org(open_store(sqlite_url))
    return sqlite_url


def _open(app_for, db, page: str, role: str = "coordinator"):
    at = app_for(db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = role
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at, form: str):
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}-")).click().run()
    assert not at.exception, at.exception


def _start_meeting(at):
    at.selectbox(key="new_kind").set_value("month")
    at.date_input(key="new_end").set_value(date(2026, 10, 31))
    _submit(at, "new_meeting")


def test_a_short_meeting_status_decision_close_and_minutes(app_for, db):
    at = _open(app_for, db, "est_mote")
    _start_meeting(at)
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    listed = meetings.list_meetings(store.engine, org)
    assert len(listed) == 1 and listed["title"].iloc[0] == "EST-möte " + f"{date.today():%Y-%m-%d}" + ", period oktober 2026"
    meeting_id = int(listed["id"].iloc[0])
    markdown = " ".join(m.value for m in at.markdown)
    assert "1/2" in markdown and "Norr" in markdown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Polisens händelser"] == "20"
    assert len(at.get("image")) >= 1  # the compact static map

    area_id = int(repo.load_areas(store.engine, [org]).set_index("name").loc["Norr", "id"])
    at.radio(key=f"level_{area_id}").set_value("orange")
    at.text_input(key=f"motivation_{area_id}").set_value("Fler skadegörelser <b>kväll</b>")
    _submit(at, f"status_{area_id}")
    status = meetings.get_meeting(store.engine, org, meeting_id)["area_statuses"][str(area_id)]
    assert status == {"level": "orange", "motivation": "Fler skadegörelser <b>kväll</b>"}

    at.text_area(key=f"decision_text_{area_id}").set_value("Extra belysning vid skolan")
    at.selectbox(key=f"decision_party_{area_id}").set_value("Kommunen")
    at.checkbox(key=f"decision_public_{area_id}").check()
    assert not at.multiselect(key=f"decision_commitments_{area_id}").proto.select_all  # no "Select all"
    _submit(at, f"decision_{area_id}")
    actions = loop.list_actions(store.engine, org)
    assert list(actions["text"]) == ["Extra belysning vid skolan"]
    assert int(actions["situation_id"].iloc[0]) == meeting_id and bool(actions["public"].iloc[0])
    assert int(actions["area_id"].iloc[0]) == area_id  # no place chosen: the agenda's area

    at.button(key="agenda_next").click().run()
    assert "2/2" in " ".join(m.value for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["Polisens händelser"] == "<3"  # Söder: 2

    at.text_area(key="attendees").set_value("Polisen – kommunpolis\nKommunen, trygghetssamordnare\n"
                                             "Bostadsbolaget: områdeschef")
    at.text_input(key="adjusted_by").set_value("Kommunpolis, Polisen")
    at.date_input(key="next_meeting").set_value(date(2026, 12, 10))
    _submit(at, "meeting_notes")
    stored = meetings.get_meeting(store.engine, org, meeting_id)
    assert stored["attendees"][0] == {"organisation": "Polisen", "role": "kommunpolis"}
    assert (stored["adjusted_by"], stored["next_meeting"]) == ("Kommunpolis, Polisen", date(2026, 12, 10))

    at.checkbox(key="close_confirm").check().run()
    at.button(key="close_meeting").click().run()
    assert not at.exception, at.exception
    closed = meetings.get_meeting(store.engine, org, meeting_id)
    minutes = render_html(minutes_document(closed["snapshot"]))
    assert "Närvarande" in minutes and "Bostadsbolaget" in minutes and "områdeschef" in minutes
    assert "Justeras av: Kommunpolis, Polisen" in minutes and "Nästa möte: 2026-12-10" in minutes
    assert closed["closed_at"] is not None
    decision = closed["snapshot"]["decisions"][0]
    assert (decision["text"], decision["area"]) == ("Extra belysning vid skolan", "Norr")
    assert [a["text"] for a in closed["snapshot"]["areas"][0]["actions"]] == ["Extra belysning vid skolan"]
    assert any("avslutades" in s.value for s in at.success)
    assert {b.label for b in at.get("download_button")} >= {"Protokoll (HTML)", "Protokoll (PDF)"}


def test_presentation_mode_is_large_and_shows_no_sidebar(app_for, db):
    at = _open(app_for, db, "est_mote")
    assert at.toggle(key="shared_screen_meeting").value is True  # the meeting is a shared screen
    _start_meeting(at)
    at.toggle(key="presentation").set_value(True).run()
    assert not at.exception
    css = " ".join(m.value for m in at.markdown if "<style>" in m.value)
    assert 'data-testid="stSidebar"' in css and "font-size: 4rem" in css


def test_reports_page_makes_each_report(app_for, db):
    at = _open(app_for, db, "rapporter")
    at.radio(key="report_kind").set_value("situation").run()
    at.radio(key="report_format").set_value("html").run()
    at.button(key="report_make").click().run()
    assert not at.exception, at.exception
    assert at.get("download_button")
    at.radio(key="report_kind").set_value("minutes").run()
    assert any("Inget EST-möte är avslutat" in i.value for i in at.info)


def test_police_area_page_shows_neighbours_side_by_side(app_for, db):
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    with store.transaction() as conn:
        neighbour = repo.ensure_organisation(conn, "Grannkommunen")
    grannby = gpd.GeoDataFrame({"name": ["Grannby"]}, geometry=[shapely.box(377000, 6399000, 378000, 6401000)],
                               crs="EPSG:3006")
    imports.import_layer(store, "areas", grannby.to_json().encode(), "grannby.geojson", "Grannkommunen")
    police_area.set_police_area(store, org, "LPO Test", actor="test")
    police_area.set_police_area(store, neighbour, "LPO Test", actor="test")
    with store.transaction() as conn:
        repo.ensure_organisation(conn, "Annat LPO", police_area="LPO Annat")
    at = _open(app_for, db, "polisomrade", role="police")  # the kommunpolis's comparison
    table = at.dataframe[0].value
    assert list(table["Kommun"]) == ["Grannkommunen", ORG]  # not the kommun of another LPO
    assert list(table["Polisen"]) == ["0", "22"]  # the 4 weeks up to the newest incident
    html = "".join(el.proto.srcdoc for el in at.get("iframe"))
    assert "Grannby" in html and "Norr" in html  # one combined map of both kommuner


def test_reports_page_rebuilds_after_a_change(app_for, db):
    at = _open(app_for, db, "rapporter")
    at.radio(key="report_kind").set_value("action-plan").run()
    at.radio(key="report_format").set_value("html").run()
    at.button(key="report_make").click().run()
    html = "".join(el.proto.srcdoc for el in at.get("iframe"))
    assert "Inga åtgärder under perioden." in html
    store = open_store(db)
    org = repo.find_organisation(store.engine, ORG)
    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Röj buskage vid <skolan>", "responsible_party": "Kommunen"},
                           actor="test")
    at.run()
    html = "".join(el.proto.srcdoc for el in at.get("iframe"))
    assert "Röj buskage vid &lt;skolan&gt;" in html  # the new action, escaped


def test_who_closed_a_meeting_is_shown_as_text_not_markdown(app_for, db):
    """A user name is user text: Markdown in it (an image that fetches a URL) must stay inert."""
    import sqlalchemy as sa

    at = _open(app_for, db, "est_mote")
    _start_meeting(at)
    at.checkbox(key="close_confirm").check().run()
    at.button(key="close_meeting").click().run()
    assert not at.exception, at.exception
    engine = open_store(db).engine
    with engine.begin() as conn:  # an account name as a hostile user could have chosen it
        conn.execute(sa.text("UPDATE situation SET closed_by = :who"),
                     {"who": "![i](http://example.org/x.png)"})
    at.run()
    assert not at.exception, at.exception
    closed = next(s.value for s in at.success if s.value.startswith("Mötet avslutades"))
    assert "![i](http" not in closed and r"\!\[i\]\(http" in closed
