"""EST meetings: start, statuses, decisions, close — and a closed lägesbild never changes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from scipy.stats import binomtest

from tests.builders import ORG, incidents_csv, make_org
from workbench.config import Settings
from workbench.errors import ClosedError, ConflictError
from workbench.reports.html import render_html
from workbench.reports.meeting_docs import minutes_document
from workbench.services import imports
from workbench.services import meetings as service
from workbench.store import loop, meetings
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store


@pytest.fixture
def setup(db_url):
    store = open_store(db_url)
    org = make_org(store)
    settings = Settings.load({}, db_url=db_url)
    areas = repo.load_areas(store.engine, [org]).set_index("name")["id"].astype(int).to_dict()
    return store, settings, org, areas


def _start(store, org, areas) -> int:
    return service.start(store, org, kind="month", end=date(2026, 10, 31),
                         area_ids=[areas["Norr"], areas["Söder"]], actor="samordnare",
                         meeting_date=date(2026, 11, 5))


def test_brief_figures_match_a_direct_count(setup):
    store, settings, org, areas = setup
    meeting_id = _start(store, org, areas)
    snapshot = service.build_snapshot(store, settings, org, meeting_id)
    assert snapshot["period"]["label"] == "2026-10-01 – 2026-10-31"
    assert snapshot["period"]["title"] == "oktober 2026"
    norr, soder = snapshot["areas"]
    assert (norr["area"], soder["area"]) == ("Norr", "Söder")
    # previous = the 31 days before: 2026-08-31 – 2026-09-30
    police = norr["police"]
    assert (police["current"], police["previous"], police["last_year"]) == (20, 4, 3)
    assert soder["police"]["current"] == 2
    # the exact test: 20 against 4 in equal windows is change, 2 against 0 is noise
    assert norr["police"]["vs_previous"]["p"] == pytest.approx(binomtest(20, 24, 0.5).pvalue, abs=1e-4)
    assert norr["police"]["vs_previous"]["significant"] is True
    assert norr["police"]["vs_previous"]["label"] == "ökning"
    assert soder["police"]["vs_previous"]["significant"] is False
    labels = {c["label"]: c["current"] for c in norr["police_categories"]}
    assert labels["Misshandel"] == 10 and labels["Skadegörelse"] == 10
    assert snapshot["total"]["police"]["current"] == 22
    json.dumps(snapshot)  # the whole snapshot is plain JSON


def test_status_decision_and_close_freeze_the_lagesbild(setup):
    store, settings, org, areas = setup
    meeting_id = _start(store, org, areas)
    version = meetings.get_meeting(store.engine, org, meeting_id)["version"]
    version = service.set_status(store, org, meeting_id, version, areas["Norr"], "orange",
                                 "Fler skadegörelser vid skolan", settings=settings, actor="samordnare")
    action_id = service.record_decision(
        store, org, meeting_id, {"text": "Belysning vid skolan", "responsible_party": "Kommunen",
                                 "due_date": date(2026, 12, 1), "public": True}, actor="samordnare")
    snapshot = service.close(store, settings, org, meeting_id, version, actor="samordnare")
    stored = meetings.get_meeting(store.engine, org, meeting_id)
    assert stored["closed_at"] is not None and stored["closed_by"] == "samordnare"
    assert stored["snapshot"] == json.loads(json.dumps(snapshot))
    assert stored["snapshot"]["areas"][0]["status"] == {"level": "orange",
                                                       "motivation": "Fler skadegörelser vid skolan"}
    assert [d["id"] for d in stored["snapshot"]["decisions"]] == [action_id]
    minutes_before = minutes_document(stored["snapshot"])

    # The world moves on: more incidents are imported and the decided action is finished ...
    rows = [("Rån", date(2026, 10, 20), 376600, 6400600)] * 1
    imports.import_table(store, "incidents", incidents_csv(rows).replace(b"K000000", b"K999999"),
                         "sen.csv", ORG)
    action = loop.list_actions(store.engine, org).set_index("id").loc[action_id]
    loop_version = int(action["version"])
    with store.transaction() as conn:
        loop.update_action(conn, org, action_id, loop_version, {"status": "genomförd"}, actor="x")

    # ... but the closed meeting reads exactly as it was.
    again = meetings.get_meeting(store.engine, org, meeting_id)
    assert again["snapshot"] == stored["snapshot"]
    assert service.build_snapshot(store, settings, org, meeting_id) == stored["snapshot"]
    minutes_after = minutes_document(again["snapshot"])
    assert minutes_after.sections == minutes_before.sections
    html = render_html(minutes_after)
    assert "Belysning vid skolan" in html and "orange" in html

    # and nothing can be written to it any more.
    with pytest.raises(ClosedError):
        service.set_status(store, org, meeting_id, again["version"], areas["Söder"], "grön", "",
                           settings=settings, actor="x")
    with pytest.raises(ClosedError):
        service.update(store, org, meeting_id, again["version"], {"notes": "ändrat"}, actor="x")
    with pytest.raises(ClosedError):
        service.record_decision(store, org, meeting_id, {"text": "sent", "responsible_party": "Polisen"},
                                actor="x")
    with pytest.raises(ClosedError):
        service.close(store, settings, org, meeting_id, again["version"], actor="x")
    assert meetings.get_meeting(store.engine, org, meeting_id)["snapshot"] == stored["snapshot"]


def test_a_stale_version_is_a_conflict_not_an_overwrite(setup):
    store, settings, org, areas = setup
    meeting_id = _start(store, org, areas)
    version = meetings.get_meeting(store.engine, org, meeting_id)["version"]
    service.set_status(store, org, meeting_id, version, areas["Norr"], "gul", "a", settings=settings,
                       actor="polis")
    with pytest.raises(ConflictError):
        service.set_status(store, org, meeting_id, version, areas["Norr"], "röd", "b", settings=settings,
                           actor="samordnare")
    assert meetings.get_meeting(store.engine, org, meeting_id)["area_statuses"][str(areas["Norr"])]["level"] == "gul"
    with pytest.raises(ValueError, match="okänd statusnivå"):
        service.set_status(store, org, meeting_id, version + 1, areas["Norr"], "lila", "", settings=settings,
                           actor="x")


def test_trend_and_since_last_come_from_earlier_closed_meetings(setup):
    store, settings, org, areas = setup
    norr = {"area_id": areas["Norr"]}
    with store.transaction() as conn:  # finished long before: neither new nor finished "since"
        loop.create_action(conn, org, {"text": "Klottersanering", "responsible_party": "Kommunen",
                                       "status": "genomförd", **norr}, actor="x")
    first = _start(store, org, areas)
    version = meetings.get_meeting(store.engine, org, first)["version"]
    version = service.set_status(store, org, first, version, areas["Norr"], "röd", "oroligt.",
                                 settings=settings, actor="x")
    guards = service.record_decision(store, org, first, {"text": "Väktare", "responsible_party":
                                                         "Bostadsbolaget", **norr}, actor="x")
    service.close(store, settings, org, first, version, actor="x")
    with store.transaction() as conn:
        loop.update_action(conn, org, guards, 1, {"status": "genomförd"}, actor="x")
        loop.create_action(conn, org, {"text": "Belysning", "responsible_party": "Kommunen", **norr},
                           actor="x")
    second = service.start(store, org, kind="14d", end=date(2026, 10, 31), area_ids=[areas["Norr"]],
                           actor="x", meeting_date=date(2026, 11, 19))
    snapshot = service.build_snapshot(store, settings, org, second)
    norr = snapshot["areas"][0]
    assert norr["trend"] == [{"meeting_date": "2026-11-05", "level": "röd", "motivation": "oroligt."}]
    assert norr["since_last"] == ["Status vid mötet 2026-11-05: röd – oroligt.",
                                  "1 åtgärd(er) har blivit genomförda sedan dess.",
                                  "1 ny(a) åtgärd(er) sedan dess."]
    assert snapshot["period"]["label"] == "2026-10-18 – 2026-10-31"


def test_every_meeting_change_is_audited(setup):
    store, settings, org, areas = setup
    meeting_id = _start(store, org, areas)
    version = meetings.get_meeting(store.engine, org, meeting_id)["version"]
    version = service.set_status(store, org, meeting_id, version, areas["Söder"], "grön", "lugnt",
                                 settings=settings, actor="polis")
    service.close(store, settings, org, meeting_id, version, actor="samordnare")
    log = t.AuditLog.__table__
    with store.engine.connect() as conn:
        verbs = [r.verb for r in conn.execute(sa.select(log.c.verb).where(
            (log.c.entity == "situation") & (log.c.entity_id == str(meeting_id))).order_by(log.c.id))]
    assert verbs == ["insert", "update", "close"]


def test_other_organisations_cannot_reach_a_meeting(setup):
    store, settings, org, areas = setup
    meeting_id = _start(store, org, areas)
    with store.transaction() as conn:
        other = repo.ensure_organisation(conn, "Grannkommunen")
    from workbench.errors import NotFoundError

    with pytest.raises(NotFoundError):
        meetings.get_meeting(store.engine, other, meeting_id)
    with pytest.raises(NotFoundError):
        service.set_status(store, other, meeting_id, 1, areas["Norr"], "gul", "", settings=settings,
                           actor="x")


def test_start_needs_areas_and_a_known_period_kind(setup):
    store, _, org, areas = setup
    with pytest.raises(ValueError, match="minst ett område"):
        service.start(store, org, kind="month", end=date(2026, 10, 31), area_ids=[], actor="x")
    with pytest.raises(ValueError, match="okänd periodtyp"):
        service.start(store, org, kind="kvartal", end=date(2026, 10, 31), area_ids=[areas["Norr"]],
                      actor="x")
    assert meetings.list_meetings(store.engine, org).empty


def test_meeting_timestamps(setup):
    store, settings, org, areas = setup
    meeting_id = _start(store, org, areas)
    version = meetings.get_meeting(store.engine, org, meeting_id)["version"]
    before = datetime.now() - timedelta(seconds=5)
    service.close(store, settings, org, meeting_id, version, actor="x")
    assert meetings.get_meeting(store.engine, org, meeting_id)["closed_at"] >= before


def test_data_version_moves_with_data_not_with_the_loop(setup):
    """Cached analyses are keyed by it: imports and new places rebuild them, EST edits do not."""
    from workbench.services.places import create_place

    store, settings, org, areas = setup
    start = repo.data_version(store.engine, org)
    assert start > 0  # the areas and incidents imported by the fixture
    meeting_id = _start(store, org, areas)
    service.record_decision(store, org, meeting_id, {"text": "Belysning", "responsible_party": "Kommunen"},
                            actor="x")
    assert repo.data_version(store.engine, org) == start
    create_place(store, org, "Skolgården", "skolgård", 50.0, 12.94, 57.72, actor="x")
    assert repo.data_version(store.engine, org) > start
