"""AppTest of the Översikt page on the demo database."""

from __future__ import annotations

import re

from workbench.store.db import open_store


def _map_html(at) -> str:
    """The map document (st.iframe / components.html both become an 'iframe' with srcdoc)."""
    return "".join(el.proto.srcdoc for el in at.get("iframe"))


def test_overview_shows_key_figures_table_and_map(app_for, demo_db):
    at = app_for(demo_db).run()
    assert not at.exception
    assert at.title[0].value.startswith("Översikt – Borås stad")
    labels = [m.label for m in at.metric]
    assert labels == ["Polisen", "Felanmälan (kommunen)", "Bostadsbolaget", "Trygghetsvandringar", "Inrapporterat"]
    police = at.metric[0].value.replace("\u00a0", "").replace("\u202f", "")
    assert police.isdigit() and int(police) > 100  # four weeks of a town of 55,000
    table = at.dataframe[0].value
    assert {"Centrum", "Hässleholmen", "Norrby"} <= set(table["Område"])
    assert "Händelser" in table.columns
    html = _map_html(at)
    assert "wb-label" in html and "Centrum" in html
    assert not re.findall(r"<script[^>]+src=", html)


def test_shared_screen_suppresses_small_counts_and_can_be_turned_off(app_for, demo_db):
    at = app_for(demo_db).run()
    at.selectbox(key="period_preset").set_value("custom").run()
    # one day: many areas have 1-2 incidents
    day = at.date_input(key="period_custom")
    day.set_value((day.value[1], day.value[1])).run()
    assert not at.exception
    at.toggle(key="shared_screen").set_value(True).run()
    shared = at.dataframe[0].value
    assert any(v == "<3" for v in shared["Händelser"])
    at.toggle(key="shared_screen").set_value(False).run()
    private = at.dataframe[0].value
    assert not any(v == "<3" for v in private["Händelser"])
    assert any(v in {"1", "2"} for v in private["Händelser"])


def test_choosing_an_area_narrows_the_figures(app_for, demo_db):
    at = app_for(demo_db).run()
    total = int(at.metric[0].value.replace("\u00a0", "").replace("\u202f", ""))
    at.selectbox(key="area").set_value("Hässleholmen").run()
    assert at.title[0].value == "Översikt – Hässleholmen"
    part = int(at.metric[0].value.replace("\u00a0", "").replace("\u202f", ""))
    assert 0 < part < total


def test_an_empty_database_says_what_to_do(app_for, sqlite_url):
    open_store(sqlite_url)
    at = app_for(sqlite_url).run()
    assert not at.exception
    assert any("workbench demo" in info.value for info in at.info)


def test_a_broken_database_url_is_one_clear_message(app_for, tmp_path):
    bad = tmp_path / "inte-en-databas.sqlite"
    bad.write_text("skräp")
    at = app_for(f"sqlite:///{bad}").run()
    assert not at.exception
    assert "ingen användbar databas" in at.error[0].value


def test_incidents_without_areas_yet(app_for, sqlite_url):
    """Right after a first import of incidents only: figures, and a hint instead of the map."""
    from datetime import date

    from tests.builders import incidents_csv
    from workbench.services import imports

    rows = [("Skadegörelse", date(2026, 10, 1 + i), 376500 + i, 6400500) for i in range(5)]
    imports.import_table(open_store(sqlite_url), "incidents", incidents_csv(rows), "polisen.csv",
                         "Borås stad")
    at = app_for(sqlite_url).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Polisen"] == "5"
    assert any("Inga områden är inlästa" in i.value for i in at.info)
