"""The shared sidebar is drawn once per run by the entrypoint (issue 22, item 7): its choices
follow the user from page to page without the pages re-assigning session state, and the
switches shown on some pages only (the meeting's "Delad skärm", a custom period) keep their
values while a page without them is open."""

from __future__ import annotations

from datetime import date

from workbench.ui.session_keys import SHARED_SCREEN_MEETING


def test_choices_follow_the_user_between_pages(app_for, demo_db):
    at = app_for(demo_db).run()
    at.selectbox(key="area").set_value("Norrby").run()
    at.selectbox(key="period_preset").set_value("3m").run()
    for page in ("app_pages/atgarder.py", "app_pages/hotspots.py", "app_pages/oversikt.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert at.selectbox(key="area").value == "Norrby" and at.selectbox(key="period_preset").value == "3m"
    assert at.title[0].value == "Översikt – Norrby"
    assert len([s for s in at.sidebar.selectbox if s.key == "area"]) == 1  # drawn once, by the entrypoint


def test_a_switch_of_one_page_keeps_its_value_while_another_page_is_open(app_for, demo_db):
    at = app_for(demo_db).run()
    at.switch_page("app_pages/est_mote.py").run()
    assert at.toggle(key=SHARED_SCREEN_MEETING).value is True  # on at the meeting from the start
    at.toggle(key=SHARED_SCREEN_MEETING).set_value(False).run()
    at.selectbox(key="period_preset").set_value("custom").run()
    at.date_input(key="period_custom").set_value((date(2026, 9, 1), date(2026, 9, 14))).run()
    at.switch_page("app_pages/atgarder.py").run()
    assert at.toggle(key="shared_screen").value is False  # the desk has its own switch
    at.selectbox(key="period_preset").set_value("month").run()  # the custom dates are not drawn now
    at.selectbox(key="period_preset").set_value("custom").run()
    assert at.date_input(key="period_custom").value == (date(2026, 9, 1), date(2026, 9, 14))
    at.switch_page("app_pages/est_mote.py").run()
    assert not at.exception
    assert at.toggle(key=SHARED_SCREEN_MEETING).value is False  # as the meeting left it


def test_the_demo_role_survives_the_way_to_a_reporters_home(app_for, demo_db):
    at = app_for(demo_db).run()
    at.selectbox(key="demo_role").set_value("reporter").run()
    assert [t.value for t in at.title] == ["Rapportera"] and not at.error
    at.run()
    assert at.selectbox(key="demo_role").value == "reporter"
