"""A reload keeps the sidebar's choices: they are written to the address (query parameters) and a
new session takes them from there; a tampered value is refused, never used."""

from __future__ import annotations

from datetime import date


def test_choices_are_written_to_the_address_and_read_back_by_a_new_session(app_for, demo_db):
    at = app_for(demo_db).run()
    at.selectbox(key="demo_role").set_value("police").run()
    at.selectbox(key="area").set_value("Norrby").run()
    at.selectbox(key="period_preset").set_value("month").run()
    assert not at.exception
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["roll"] == "police" and params["omrade"] == "Norrby" and params["period"] == "month"
    assert params["org"] == "Borås stad"

    reloaded = app_for(demo_db)  # a new session, as a browser reload makes, with the same address
    for key, value in params.items():
        reloaded.query_params[key] = value
    reloaded.run()
    assert not reloaded.exception
    assert reloaded.selectbox(key="demo_role").value == "police"
    assert reloaded.selectbox(key="area").value == "Norrby"
    assert reloaded.selectbox(key="period_preset").value == "month"
    assert reloaded.title[0].value == "Översikt – Norrby"


def test_a_custom_period_survives_a_reload_and_nonsense_is_ignored(app_for, demo_db):
    at = app_for(demo_db)
    at.query_params.update({"period": "custom", "fran": "2026-09-01", "till": "2026-09-14",
                            "roll": "superuser", "jmf": "DROP TABLE"})
    at.run()
    assert not at.exception and not at.error
    assert at.date_input(key="period_custom").value == (date(2026, 9, 1), date(2026, 9, 14))
    assert at.selectbox(key="demo_role").value == "coordinator"  # an unknown role is not taken
    assert at.radio(key="reference").value == "previous"
