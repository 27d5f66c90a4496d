"""AppTest of Platser: a place's figures, a cause analysis with frozen evidence, follow-up."""

from __future__ import annotations

from datetime import date

from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import open_store


def _page(app_for, db):
    at = app_for(db).run()
    at.switch_page("app_pages/platser.py").run()
    assert not at.exception, at.exception
    return at


def _place_id(store, org, name):
    places = repo.load_places(store.engine, [org])
    return int(places.loc[places["name"] == name, "id"].iloc[0])


def test_cause_analysis_and_follow_up_at_a_place(app_for, demo_db):
    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    place = _place_id(store, org, "Resecentrum")
    at = _page(app_for, demo_db)
    at.selectbox(key="place_id").set_value(place).run()
    assert int(at.metric[0].value.replace("\u00a0", "").replace("\u202f", "")) > 20  # the planted bus-station cluster
    at.text_input(key="ca_problem").input("Rån och ofredande kvällstid vid busshållplatserna")
    at.text_area(key="ca_place").input("Mörka hörn ![spår](http://example.invalid/x.png) bakom väntkuren")
    at.text_area(key="ca_whys").input("Få vuxna kvällstid\nBelysningen är trasig")
    next(b for b in at.button if b.label == "Spara orsaksanalysen").click().run()
    assert not at.exception, at.exception
    analyses = loop.cause_analyses(store.engine, org, place)
    assert len(analyses) == 1
    evidence = analyses["evidence"].iloc[0]
    assert evidence["place"] == "Resecentrum" and evidence["police_incidents"] > 20
    assert analyses["whys"].iloc[0] == ["Få vuxna kvällstid", "Belysningen är trasig"]
    # the saved analysis is shown with its typed text inert: no image for browsers to fetch
    assert any("Mörka hörn \\!\\[spår\\]" in m.value for m in at.markdown)
    assert not any("](http" in m.value for m in at.markdown)
    # the confirmation names what was saved, the form is empty, the frozen figures are a table
    assert any("Rån och ofredande kvällstid" in s.value and "Resecentrum" in s.value for s in at.success)
    assert at.text_input(key="ca_problem").value == "" and at.text_area(key="ca_whys").value == ""
    evidence_table = next(d.value for d in at.dataframe if "Uppgift" in d.value.columns)
    assert "Polisens händelser" in set(evidence_table["Uppgift"])
    assert not at.get("json")
    next(b for b in at.button if b.label == "Spara orsaksanalysen").click().run()  # a second click
    assert len(loop.cause_analyses(store.engine, org, place)) == 1
    at.text_input(key="ca_problem").input("Rån och ofredande kvällstid vid busshållplatserna")
    at.text_area(key="ca_place").input("Mörka hörn ![spår](http://example.invalid/x.png) bakom väntkuren")
    at.text_area(key="ca_whys").input("Få vuxna kvällstid\nBelysningen är trasig")
    next(b for b in at.button if b.label == "Spara orsaksanalysen").click().run()  # the same, sent twice
    assert any("redan sparad" in i.value for i in at.info)
    assert len(loop.cause_analyses(store.engine, org, place)) == 1

    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Väktare kvällstid", "responsible_party": "Kommunen",
                                       "status": "pågår", "start_date": date(2025, 9, 1), "place_id": place},
                           actor="test")
    at = _page(app_for, demo_db)
    at.selectbox(key="place_id").set_value(place).run()
    assert not at.exception
    verdict = " ".join(i.value for i in at.info)
    assert "På platsen:" in verdict and "dagarna före" in verdict
    areas = repo.load_areas(store.engine, [org])
    at.selectbox(key="fu_control").set_value(int(areas["id"].iloc[0])).run()
    table = next(d.value for d in at.dataframe if "Var" in d.value.columns)
    assert list(table["Var"]) == ["Platsen", "Omgivningen", "Jämförelseområdet"]
    assert "Utan jämförelseområde" not in " ".join(i.value for i in at.info)
    verdict = " ".join(i.value for i in at.info)
    assert "WDQ" in verdict and "Platsen mot jämförelseområdet: WDD = " in verdict
    # another place as the comparison: the Weighted Displacement Difference beside the WDQ
    other = next(i for i in at.selectbox(key="fu_control").options if i.startswith("Plats: "))
    at.selectbox(key="fu_control").set_value(
        -_place_id(store, org, other.removeprefix("Plats: "))).run()
    assert not at.exception, at.exception
    verdict = " ".join(i.value for i in at.info)
    assert "Platsen mot jämförelseområdet: WDD = " in verdict and "varians" in verdict


def test_a_place_and_its_follow_up_read_no_event_frame(app_for, demo_db, tmp_path, monkeypatch):
    """The place's figures and the before/after follow-up are read by the place's and the areas'
    boxes: the loader of every stored event raises and the page still draws its figures."""
    import shutil

    from workbench.services import hotspots as hs
    from workbench.store import events as stored_events

    copy = tmp_path / "demo.sqlite"  # a new database url: no cache of an earlier test is reused
    shutil.copy(demo_db.removeprefix("sqlite:///"), copy)
    store = open_store(f"sqlite:///{copy}")
    org = repo.find_organisation(store.engine, "Borås stad")
    place = _place_id(store, org, "Resecentrum")
    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Väktare kvällstid", "responsible_party": "Kommunen",
                                       "status": "pågår", "start_date": date(2025, 9, 1), "place_id": place},
                           actor="test")

    def every_event(*_args, **_kwargs):
        raise AssertionError("every stored event read")

    for module in (hs, repo, stored_events):
        monkeypatch.setattr(module, "load_events", every_event)
    at = _page(app_for, f"sqlite:///{copy}")
    at.selectbox(key="place_id").set_value(place).run()
    assert not at.exception, at.exception
    assert int(at.metric[0].value.replace("\u00a0", "").replace("\u202f", "")) > 20
    assert "På platsen:" in " ".join(i.value for i in at.info)
