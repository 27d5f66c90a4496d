"""EST-möte as a housing user limited to Ägarbacken (issue 15, item 3): the open meeting's
agenda, figures, map and decisions, and the closed meeting's minutes on screen hold nothing of
Hemligdalen; a coordinator of the same kommun sees it (the contrast). The town and its plants
are tests/store/test_meeting_areas.py's."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.test_roles_pages import APP, rendered
from tests.store.test_meeting_areas import ORG as AREA_ORG
from tests.store.test_meeting_areas import OTHER, OTHER_PLANTS, OWN, PASSWORD, town  # noqa: F401


@pytest.fixture
def signed_in(town, monkeypatch):  # noqa: F811
    monkeypatch.setenv("WORKBENCH_DB", town[0].url)
    monkeypatch.setenv("WORKBENCH_AUTH", "local")
    monkeypatch.setenv("WORKBENCH_ORGANISATION", AREA_ORG)
    st.cache_data.clear()
    st.cache_resource.clear()

    def sign_in(user: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120).run()
        at.text_input(key="signin_user").input(user)
        at.text_input(key="signin_password").input(PASSWORD)
        next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:sign_in-")).click().run()
        assert not at.exception, at.exception
        at.switch_page("app_pages/est_mote.py").run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        return at

    yield sign_in
    st.cache_data.clear()
    st.cache_resource.clear()


def _leaks(at: AppTest) -> list[str]:
    text = rendered(at) + " ".join(str(t.label) for t in at.get("tab"))
    return [p for p in OTHER_PLANTS if p in text]


def test_housing_sees_only_its_area_in_the_open_and_the_closed_meeting(town, signed_in):  # noqa: F811
    _, _, _, ids_of, _ = town
    at = signed_in("housing-m")
    assert at.selectbox(key="meeting_pick").value == ids_of["open"]  # the open meeting first
    markdown = " ".join(m.value for m in at.markdown)
    assert "1/1" in markdown and OWN in markdown  # an agenda of its one area
    assert _leaks(at) == []
    assert len(at.get("image")) == 1  # its area's map (drawn from the cut figures)
    at.selectbox(key="meeting_pick").set_value(ids_of["closed"]).run()
    assert not at.exception, at.exception
    minutes = "\n".join(f.proto.srcdoc for f in at.get("iframe"))
    assert OWN in minutes and "Beslut B3 i backen" in minutes
    assert _leaks(at) == [], _leaks(at)


def test_housing_reads_only_its_areas_actions(town, signed_in):  # noqa: F811
    """Åtgärder (and the agreement's follow-up, read from the same gate) as the housing user: the
    decisions and åtgärder in Hemligdalen are not listed; its own decision is."""
    at = signed_in("housing-m")
    at.switch_page("app_pages/atgarder.py").run()
    assert not at.exception, at.exception
    assert "Beslut B3 i backen" in rendered(at)
    assert _leaks(at) == [], _leaks(at)
    coordinator = signed_in("coordinator-m")
    coordinator.switch_page("app_pages/atgarder.py").run()
    assert "Åtgärd Q5 i dalen" in rendered(coordinator)


def test_a_coordinator_sees_both_areas(town, signed_in):  # noqa: F811
    _, _, _, ids_of, _ = town
    at = signed_in("coordinator-m")
    assert "1/2" in " ".join(m.value for m in at.markdown) and OTHER in rendered(at)
    at.selectbox(key="meeting_pick").set_value(ids_of["closed"]).run()
    minutes = "\n".join(f.proto.srcdoc for f in at.get("iframe"))
    assert OTHER in minutes and "Beslut Z9 om dalen" in minutes


def test_the_demo_housing_role_shows_the_limited_view(app_for, demo_db):
    """The tour's Bostadsbolag (single-user demo) owns Norrby and Hässleholmen: the demo's closed
    meeting (Centrum, Hässleholmen, Norrby, Hulta on the agenda) shows it only those two."""
    at = app_for(demo_db).run()
    at.selectbox(key="demo_role").set_value("housing").run()
    assert any("Norrby och Hässleholmen" in c.value for c in at.sidebar.caption)
    at.switch_page("app_pages/est_mote.py").run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    minutes = "\n".join(f.proto.srcdoc for f in at.get("iframe"))
    assert "Norrby" in minutes and "Hässleholmen" in minutes
    for other in ("Centrum", "Hulta", "Fler rån och misshandel kring resecentrum"):
        assert f">{other}<" not in minutes and other + " –" not in minutes, other
    assert "Lugnt; inga säkra förändringar." not in minutes  # Hulta's status
