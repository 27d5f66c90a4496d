"""Every page with hostile names in the store: user text reaches Streamlit's Markdown escaped
(issue 15, item 10, the class; the source scan is tests/unit/test_ui_text_escaped.py).

Area, place, organisation and category names, actions, the meeting's notes and statuses, a cause
analysis and the agreement carry Markdown, HTML, colour directives, LaTeX and backticks. Each
page is run as a coordinator and every element Streamlit renders as Markdown (text, captions,
titles, alerts, expander and tab labels, metric and widget labels) is read as sent to the
browser: a payload may appear only escaped (``\\*\\*fet\\*\\*``), never as written (``**fet**``),
which the browser would render as bold, a link, HTML or a colour.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
import shapely

from tests.app.test_roles_pages import NAVIGATION
from tests.builders import incidents_csv
from workbench import roles
from workbench.services import imports
from workbench.store import loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import open_store

PAYLOAD = "**fet** [länk](http://x.se/a) <b>x</b> :red[röd] $x$ `kod` ~~struken~~"
# what each payload part looks like written as-is (interpreted) and escaped by plain()
RAW = ("**fet**", "](http://", "<b>", ":red[", "$x$", "`kod`", "~~struken~~")
ESCAPED = r"\*\*fet\*\*"
ORG = "Kommunen :blue[blå] **org**"
AREA_A, AREA_B = f"Alfa {PAYLOAD}", f"Beta {PAYLOAD}"
PLACE = f"Torget {PAYLOAD}"
ACTION = f"Åtgärden {PAYLOAD}"
CATEGORY = f"Brottet {PAYLOAD}"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile-md') / 'h.sqlite'}"
    store = open_store(url)
    areas = gpd.GeoDataFrame({"name": [AREA_A, AREA_B]},
                             geometry=[shapely.box(376000, 6400000, 377000, 6401000),
                                       shapely.box(376000, 6399000, 377000, 6400000)], crs="EPSG:3006")
    imports.import_layer(store, "areas", areas.to_json().encode(), "omraden.geojson", ORG)
    rows = [("Skadegörelse" if i % 3 else CATEGORY.replace(";", ","), date(2026, 10, 1 + i % 28),
             376500 + i, 6400500 - 700 * (i % 2)) for i in range(40)]
    imports.import_table(store, "incidents", incidents_csv(rows), "polisen.csv", ORG)
    places = gpd.GeoDataFrame({"name": [PLACE], "kind": ["torg **fet** <b>x</b>"], "radius_m": [150.0]},
                              geometry=[shapely.Point(376500, 6400500)], crs="EPSG:3006")
    imports.import_layer(store, "places", places.to_json().encode(), "platser.geojson", ORG)
    org = repo.find_organisation(store.engine, ORG)
    ids = [int(i) for i in repo.load_areas(store.engine, [org])["id"]]
    place_id = int(repo.load_places(store.engine, [org])["id"].iloc[0])
    with store.transaction() as conn:
        loop.save_agreement(conn, org, {
            "title": f"Avtalet {PAYLOAD}", "kind": "agreement", "parties": [f"Parten {PAYLOAD}"],
            "period": {"start": "2025-01-01", "end": "2027-12-31"},
            "focus_areas": [{"title": f"Fokus {PAYLOAD}", "commitments": [
                {"party": "Kommunen", "party_kind": "kommun", "text": f"Åtagandet {PAYLOAD}"}]}],
            "actions": []}, source_text=None, actor="test")
        loop.create_cause_analysis(conn, org, place_id=place_id, problem=f"Problemet {PAYLOAD}",
                                   triangle={"place": f"Miljön {PAYLOAD}"}, whys=[f"Varför {PAYLOAD}"],
                                   hypotheses=f"Hypotesen {PAYLOAD}", evidence={}, actor="test")
        loop.create_action(conn, org, {"text": ACTION, "responsible_party": f"Parten {PAYLOAD}",
                                       "responsible_role": f"Rollen {PAYLOAD}", "place_id": place_id,
                                       "status": "pågår", "due_date": date(2026, 12, 1)}, actor="test")
        meeting_id = meetings.start_meeting(
            conn, org, meeting_date=date(2026, 11, 3), period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31), period_kind="month", area_ids=ids,
            title=f"Mötet {PAYLOAD}", actor="test")
        meetings.set_area_status(conn, org, meeting_id, 1, ids[0], "gul", f"Motiveringen {PAYLOAD}",
                                 actor="test")
    return url


def _markdown_texts(at) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer, as sent."""
    texts = [el.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                                   "error", "success", "toast") for el in at.get(kind)]
    texts += [el.label for el in at.get("expander")] + [el.label for el in at.get("tab")]
    texts += [m.label for m in at.metric]
    for kind in ("selectbox", "multiselect", "text_input", "text_area", "checkbox", "toggle", "radio",
                 "button", "date_input", "number_input", "slider", "select_slider"):
        texts += [el.label for el in at.get(kind) if getattr(el, "label", None)]
    return texts


COORDINATOR_PAGES = [f for f, _, needs in NAVIGATION if any(roles.ROLES["coordinator"].can(n) for n in needs)]


@pytest.mark.parametrize("file", COORDINATOR_PAGES)
def test_user_text_reaches_markdown_escaped_on_every_page(app_for, hostile_db, file):
    at = app_for(hostile_db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = "coordinator"
    at.run()
    at.switch_page(f"app_pages/{file}").run()
    assert not at.exception, at.exception
    interpreted = [(raw, text) for text in _markdown_texts(at) for raw in RAW if raw in text]
    assert interpreted == [], interpreted[:5]
    assert ":blue[" not in "".join(_markdown_texts(at))  # the organisation's name


def test_the_plants_are_shown_escaped(app_for, hostile_db):
    """The hostile names do reach the pages' Markdown (so the test above can fail)."""
    seen = 0
    for page in ("est_mote", "platser", "atgarder"):
        at = app_for(hostile_db, WORKBENCH_ORGANISATION=ORG)
        at.session_state["demo_role"] = "coordinator"
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        seen += sum(ESCAPED in text for text in _markdown_texts(at))
    assert seen >= 3


def _importera(app_for, hostile_db):
    at = app_for(hostile_db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = "coordinator"
    at.run()
    at.switch_page("app_pages/importera.py").run()
    return at


def test_a_files_name_and_its_headers_reach_markdown_escaped(app_for, hostile_db):
    """What a file brings: its name in the error about it, its header cells in the guesses and
    the lists of unused and unstored columns (shown as written before this fix)."""
    at = _importera(app_for, hostile_db)
    at.file_uploader(key="import_file_incidents").upload(f"{PAYLOAD}.csv", b"\x00\x01\x02", "text/csv").run()
    assert not at.exception, at.exception
    assert at.error and ESCAPED in at.error[0].value
    at = _importera(app_for, hostile_db)
    text = (f"Händelsenummer;Brottskategorier {PAYLOAD};Datum;Tid;Adress {PAYLOAD};Kolumnen {PAYLOAD};X;Y\r\n"
            "1;Bilbrand;2025-03-01;22:10;Storgatan 1;a;6399510;377300\r\n").encode()
    at.file_uploader(key="import_file_incidents").upload("export.csv", text, "text/csv").run()
    assert not at.exception, at.exception
    shown = [t for t in _markdown_texts(at) if "Kolumnen" in t or "Adress" in t or "Brottskategorier" in t]
    assert len([t for t in shown if ESCAPED in t]) >= 2, shown
    interpreted = [(raw, text) for text in _markdown_texts(at) for raw in RAW if raw in text]
    assert interpreted == [], interpreted[:5]
