"""AppTest: the EST meeting shows each area's hot-spots över tid line."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import ORG, make_org
from workbench.store.db import open_store


@pytest.fixture
def db(sqlite_url):
    make_org(open_store(sqlite_url))
    return sqlite_url


def test_meeting_area_shows_the_over_time_line(app_for, db):
    at = app_for(db, WORKBENCH_ORGANISATION=ORG)
    at.session_state["demo_role"] = "coordinator"
    at.run()
    at.switch_page("app_pages/est_mote.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="new_kind").set_value("month")
    at.date_input(key="new_end").set_value(date(2026, 10, 31))
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:new_meeting-")).click().run()
    assert not at.exception, at.exception
    lines = [m.value.replace("\\", "") for m in at.markdown if "Hot-spots över tid" in m.value]
    # Norr: 20 incidents in October 2026 in one cell, none before there: a new hot spot, which
    # the space-time Gi* finds in that cell and its 8 neighbours (their neighbourhood holds it)
    caveat = " – Bara 29 händelser på 24 tidssteg: för få för säkra mönster, resultatet är osäkert."
    assert lines == ["**Hot-spots över tid** (24 hela månader till 2026-10-31): 9 nya hot-spot-rutor" + caveat]
    at.button(key="agenda_next").click().run()
    lines = [m.value.replace("\\", "") for m in at.markdown if "Hot-spots över tid" in m.value]
    assert lines == ["**Hot-spots över tid** (24 hela månader till 2026-10-31): "
                     "inga hot-spot-mönster i området" + caveat]  # Söder: 2 incidents
