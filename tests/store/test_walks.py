"""Trygghetsvandringar in the app (SQLite and PostgreSQL): a walk planned with a route and
participating roles, observations recorded on it and stored like imported ones, the walk's
observations decided on (one åtgärd answering several, closed without åtgärd with a reason), the
follow-up document, the gate per role and an audit entry per write. An imported walk and one
recorded in the app read back the same through the same functions."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
import sqlalchemy as sa

from tests.builders import ORG, make_org
from workbench import roles as r
from workbench.access import gate_walks
from workbench.access.scope import open_scope, sign_in_local, single_user
from workbench.errors import AccessDenied, WorkbenchError
from workbench.geo.crs import to_wgs84
from workbench.schema import KIND_WALK_OBSERVATION
from workbench.services import imports
from workbench.services import walks as walk_service
from workbench.store import accounts, loop, walks
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

WALK_DAY = date(2026, 10, 14)
# Five spots in Norr (SWEREF 99 TM), category, comment, priority.
SPOTS = [
    (376400.0, 6400450.0, "belysning", "Mörk gångväg, ring 070-123 45 67 om lampan", 1),
    (376520.0, 6400610.0, "skymd_sikt", "Buskage skymmer sikten vid busshållplatsen", 2),
    (376650.0, 6400720.0, "klotter", "Klotter på tunnelväggen", 3),
    (376700.0, 6400300.0, "otrygg_passage", "Tunneln under vägen känns otrygg på kvällen", 1),
    (376300.0, 6400800.0, "nedskrapning", None, None),
]


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = to_wgs84(np.array([x]), np.array([y]))
    return float(lon[0]), float(lat[0])


def _route() -> dict:
    points = [_lonlat(376350, 6400400), _lonlat(376600, 6400650), _lonlat(376750, 6400750)]
    return {"type": "Feature", "properties": {},
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]}}


@pytest.fixture
def town(db_url):
    store = open_store(db_url)
    org = make_org(store)
    areas = repo.load_areas(store.engine, [org])
    return store, org, dict(zip(areas["name"], areas["id"].astype(int), strict=True))


def _audit(store, entity: str) -> list[dict]:
    table = t.AuditLog.__table__
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            sa.select(table).where(table.c.entity == entity).order_by(table.c.id))]


def _recorded_walk(store, org, norr) -> int:
    walk_id = walk_service.plan(store, org, walk_date=WALK_DAY, area_id=norr,
                                participants=["kommunen", "polisen", "bostadsbolaget", "fritid"],
                                route=_route(), notes="Samling vid skolan 18.00", actor="samordnare")
    for i, (x, y, category, comment, priority) in enumerate(SPOTS):
        lon, lat = _lonlat(x, y)
        walk_service.record(store, org, walk_id, category=category, lon=lon, lat=lat, comment=comment,
                            priority=priority, observed_at=datetime(2026, 10, 14, 18, 10 + i),
                            actor="samordnare")
    return walk_id


def test_a_planned_walk_records_five_observations(town):
    store, org, areas = town
    before = repo.data_version(store.engine, org)
    walk_id = _recorded_walk(store, org, areas["Norr"])
    assert repo.data_version(store.engine, org) > before  # cached lägesbild and maps are rebuilt
    walk, observations = walk_service.agenda(store, org, walk_id)
    assert walk["status"] == walks.PLANNED and walk["area"] == "Norr" and walk["walk_date"] == WALK_DAY
    assert walk["participants"] == "kommunen, polisen, bostadsbolaget, fritid"
    assert walk["route"].geom_type == "LineString" and 400 < walk["route"].length < 600
    assert walk["route"].coords[0] == pytest.approx((376350, 6400400), abs=0.01)
    assert walk["observations"] == 5 and walk["new"] == 5
    assert [o["category"] for o in observations] == [s[2] for s in SPOTS]
    assert [o["label"] for o in observations][:2] == ["Belysning", "Skymd sikt/vegetation"]
    assert all(o["status"] == "ny" and o["area"] == "Norr" for o in observations)
    assert observations[0]["x"] == pytest.approx(376400.0, abs=0.01)
    assert observations[0]["comment"] == "Mörk gångväg, ring [telefonnummer] om lampan"
    assert [o["priority"] for o in observations] == [1, 2, 3, 1, None]
    # stored as imported rows are: they reach the lägesbild's event frame with their point
    events = repo.load_events(store.engine, [org])
    assert int((events["kind"] == KIND_WALK_OBSERVATION).sum()) == 5
    assert len(_audit(store, "safety_walk")) == 1 and len(_audit(store, "walk_observation")) == 5
    assert "070-123" not in str(_audit(store, "walk_observation"))
    walk_service.set_walk_status(store, org, walk_id, walks.DONE, actor="samordnare")
    assert walk_service.agenda(store, org, walk_id)[0]["status"] == walks.DONE


@pytest.mark.parametrize("change, message", [
    ({"participants": ["x" * 61]}, "roll"),
    ({"route": {"type": "Polygon", "coordinates": [[[12.9, 57.7], [12.91, 57.7], [12.9, 57.71], [12.9, 57.7]]]}},
     "linje"),
    ({"route": {"type": "LineString", "coordinates": [[12.0, 57.0], [13.0, 58.0]]}}, "högst 20 km"),
    ({"route": {"type": "LineString", "coordinates": [[2.0, 48.0], [2.001, 48.001]]}}, "utanför Sverige"),
])
def test_a_bad_plan_stores_nothing(town, change, message):
    store, org, areas = town
    values = {"walk_date": WALK_DAY, "area_id": areas["Norr"], "participants": ["kommunen"]} | change
    with pytest.raises(WorkbenchError, match=message):
        walk_service.plan(store, org, actor="samordnare", **values)
    with store.engine.connect() as conn:
        assert walks.walks(conn, org) == []
    assert _audit(store, "safety_walk") == []


def test_a_bad_observation_stores_nothing(town):
    store, org, areas = town
    walk_id = walk_service.plan(store, org, walk_date=WALK_DAY, area_id=areas["Norr"],
                                participants=["kommunen"], actor="samordnare")
    lon, lat = _lonlat(376400, 6400450)
    for values, message in (({"category": "brand", "lon": lon, "lat": lat}, "Okänd kategori"),
                            ({"category": "klotter", "lon": 2.0, "lat": 48.0}, "tryck i kartan"),
                            ({"category": "klotter", "lon": lon, "lat": lat, "priority": 7}, "Prioriteten")):
        with pytest.raises(WorkbenchError, match=message):
            walk_service.record(store, org, walk_id, actor="samordnare", **values)
    assert walk_service.agenda(store, org, walk_id)[1] == []


def test_imported_and_recorded_walks_read_back_the_same(town):
    store, org, areas = town
    walks_csv = ("Vandring;Datum;Område;Deltagare\n"
                 "TV-Norr-1;2026-10-14;Norr;kommunen, polisen, bostadsbolaget, fritid\n").encode()
    lines = ["Vandring;Id;Kategori;Kommentar;Prioritet;Status;N;E"]
    for i, (x, y, category, comment, priority) in enumerate(SPOTS[:3], start=1):
        label = walks.CATEGORIES[category]
        lines.append(f"TV-Norr-1;{i};{label};{comment or ''};{priority or ''};;{y:.0f};{x:.0f}")
    imports.import_walks(store, ("\n".join(lines) + "\n").encode("utf-8"), "iakttagelser.csv", ORG,
                         walks_data=walks_csv, walks_name="vandringar.csv")
    recorded = walk_service.plan(store, org, walk_date=WALK_DAY, area_id=areas["Norr"],
                                 participants=["kommunen", "polisen", "bostadsbolaget", "fritid"],
                                 actor="samordnare")
    for x, y, category, comment, priority in SPOTS[:3]:
        lon, lat = _lonlat(x, y)
        walk_service.record(store, org, recorded, category=category, lon=lon, lat=lat, comment=comment,
                            priority=priority, observed_at=datetime(2026, 10, 14), actor="samordnare")
    with store.engine.connect() as conn:
        listed = {w["id"]: w for w in walks.walks(conn, org)}
    assert len(listed) == 2
    imported = next(i for i in listed if i != recorded)
    walk_keys = ("walk_date", "area_id", "area", "participants", "observations", "new")
    assert ({k: listed[imported][k] for k in walk_keys} == {k: listed[recorded][k] for k in walk_keys})
    assert listed[imported]["status"] == walks.DONE and listed[recorded]["status"] == walks.PLANNED
    keys = ("category", "label", "priority", "comment", "status", "status_reason", "area_id", "area",
            "precision", "action_ids")
    a = walk_service.agenda(store, org, imported)[1]
    b = walk_service.agenda(store, org, recorded)[1]
    assert [{k: o[k] for k in keys} for o in a] == [{k: o[k] for k in keys} for o in b]
    assert [(round(o["x"]), round(o["y"])) for o in a] == [(round(o["x"]), round(o["y"])) for o in b]
    # and both can be decided on the same way
    for observations in (a, b):
        walk_service.close_without_action(store, org, observations[2]["id"], "Redan sanerat av fastighetsägaren",
                                          actor="samordnare")
    assert (walk_service.agenda(store, org, imported)[1][2]["status"]
            == walk_service.agenda(store, org, recorded)[1][2]["status"] == "avslutad utan åtgärd")


@pytest.mark.parametrize("stored, status", [
    (None, "ny"), ("", "ny"), ("Ny", "ny"), ("pågår", "åtgärd beslutad"), ("Åtgärdad", "åtgärdad"),
    ("klar", "åtgärdad"), ("Ej åtgärd – privat mark", "avslutad utan åtgärd"),
    ("behandlad på EST-möte", "behandlad på EST-möte"), ("okänt ord", "ny"),
])
def test_imported_statuses_read_in_the_vocabulary(stored, status):
    assert walks.normalise_status(stored) == status


def test_one_action_answers_several_observations_and_closing_needs_a_reason(town):
    store, org, areas = town
    walk_id = _recorded_walk(store, org, areas["Norr"])
    _, observations = walk_service.agenda(store, org, walk_id)
    first, second, third = observations[:3]
    prefilled = walk_service.suggestion(store, org, first)
    assert prefilled["text"].startswith("Belysning: Mörk gångväg") and prefilled["area_id"] == areas["Norr"]
    action_id = walk_service.decide(store, org, [first["id"], second["id"]],
                                    {"text": prefilled["text"], "area_id": prefilled["area_id"],
                                     "place_id": prefilled["place_id"], "responsible_party": "Kommunen",
                                     "status": "planerad", "due_date": date(2026, 11, 30), "public": True},
                                    actor="samordnare")
    with pytest.raises(WorkbenchError, match="skäl"):
        walk_service.close_without_action(store, org, third["id"], "  ", actor="samordnare")
    walk_service.close_without_action(store, org, third["id"], "Fastighetsägaren (tel 070-765 43 21) tar det",
                                      actor="samordnare")
    with pytest.raises(WorkbenchError, match="Okänd status"):
        walk_service.set_status(store, org, observations[3]["id"], "glömd", actor="samordnare")
    _, after = walk_service.agenda(store, org, walk_id)
    assert [o["status"] for o in after] == ["åtgärd beslutad", "åtgärd beslutad", "avslutad utan åtgärd",
                                            "ny", "ny"]
    assert after[0]["action_ids"] == after[1]["action_ids"] == [action_id]
    assert after[2]["status_reason"] == "Fastighetsägaren (tel [telefonnummer]) tar det"
    actions = loop.list_actions(store.engine, org)
    assert actions.set_index("id").loc[action_id, "area_id"] == areas["Norr"]
    assert len(_audit(store, "action")) == 1 and len(_audit(store, "walk_observation_action")) == 2
    # a second observation can be answered by the existing åtgärd
    walk_service.link(store, org, observations[3]["id"], action_id, actor="samordnare")
    assert walk_service.agenda(store, org, walk_id)[1][3]["action_ids"] == [action_id]


def test_a_failed_decision_leaves_no_action(town):
    store, org, areas = town
    walk_id = _recorded_walk(store, org, areas["Norr"])
    _, observations = walk_service.agenda(store, org, walk_id)
    with pytest.raises(WorkbenchError):
        walk_service.decide(store, org, [observations[0]["id"], 999_999],
                            {"text": "Ny belysning", "responsible_party": "Kommunen"}, actor="samordnare")
    assert loop.list_actions(store.engine, org).empty
    assert walk_service.agenda(store, org, walk_id)[1][0]["status"] == "ny"


def test_the_follow_up_document_is_public_safe(town):
    store, org, areas = town
    walk_id = _recorded_walk(store, org, areas["Norr"])
    _, observations = walk_service.agenda(store, org, walk_id)
    walk_service.decide(store, org, [observations[0]["id"]],
                        {"text": "Byta armaturer längs gångvägen", "responsible_party": "Kommunen",
                         "status": "pågår", "public": True}, actor="samordnare")
    walk_service.decide(store, org, [observations[1]["id"]],
                        {"text": "Internt: kontakta ägaren av fastigheten", "responsible_party": "Bostadsbolaget",
                         "public": False}, actor="samordnare")
    walk_service.close_without_action(store, org, observations[2]["id"], "Sanerat dagen efter",
                                      actor="samordnare")
    built = walk_service.follow_up(store, org, walk_id, "html")
    html = built.data.decode("utf-8")
    assert built.file_name == "vandring-20261014-uppfoljning.html"
    for text in ("Uppföljning av trygghetsvandringen i Norr", "kommunen, polisen, bostadsbolaget, fritid",
                 "Byta armaturer längs gångvägen", "Pågår", "avslutad utan åtgärd: Sanerat dagen efter",
                 "Åtgärd beslutad (texten är inte publicerad)", "Inför nästa vandring", "[telefonnummer]"):
        assert text in html, text
    assert "Internt: kontakta" not in html and "070-123" not in html
    assert "376400" not in html and "6400450" not in html  # no coordinates
    pdf = walk_service.follow_up(store, org, walk_id, "pdf")
    assert pdf.data.startswith(b"%PDF")


def test_the_gate_per_role(town, db_url):
    store, org, areas = town
    walk_id = _recorded_walk(store, org, areas["Norr"])
    lon, lat = _lonlat(376400, 6400450)

    def scope(role):
        return open_scope(store, single_user(role), ORG)

    for role in r.ROLE_NAMES:
        s = scope(role)
        may_read = s.can(r.READ_LOOP) or s.can(r.RECORD_WALK)
        if not may_read:
            with pytest.raises(AccessDenied):
                gate_walks.walks(store, s)
        if not s.can(r.EDIT_LOOP):
            with pytest.raises(AccessDenied):
                gate_walks.plan(store, s, walk_date=WALK_DAY, area_id=areas["Norr"], participants=[])
            with pytest.raises(AccessDenied):
                gate_walks.close_without_action(store, s, 1, "skäl")
        if not s.can(r.RECORD_WALK):
            with pytest.raises(AccessDenied):
                gate_walks.record(store, s, walk_id, category="klotter", lon=lon, lat=lat)
    assert {role for role in r.ROLE_NAMES if r.ROLES[role].can(r.RECORD_WALK)} >= {"coordinator", "police",
                                                                                 "housing"}
    viewer_walk, viewer_obs = gate_walks.agenda(store, scope("viewer"), walk_id)
    assert viewer_walk["route"] is None and all(o["x"] is None for o in viewer_obs)
    # housing: only walks in its own areas, records there, never elsewhere
    soder_walk = walk_service.plan(store, org, walk_date=WALK_DAY, area_id=areas["Söder"],
                                   participants=["polisen"], actor="samordnare")
    accounts.add_user(store.engine, "vard", organisation=ORG, role="housing", password="ett-langt-losenord-1",
                      areas=["Norr"], actor="test")
    housing = open_scope(store, sign_in_local(store, "vard", "ett-langt-losenord-1"), ORG)
    assert [w["id"] for w in gate_walks.walks(store, housing)] == [walk_id]
    gate_walks.record(store, housing, walk_id, category="klotter", lon=lon, lat=lat, comment="Nytt klotter")
    with pytest.raises(AccessDenied):
        gate_walks.agenda(store, housing, soder_walk)
    slon, slat = _lonlat(376500, 6399500)
    with pytest.raises(AccessDenied):
        gate_walks.record(store, housing, soder_walk, category="klotter", lon=slon, lat=slat)
    assert gate_walks.agenda(store, scope("coordinator"), walk_id)[1][-1]["comment"] == "Nytt klotter"
    assert _audit(store, "walk_observation")[-1]["actor"] == "vard"


def test_walks_planned_before_the_migration_read_as_done(db_url):
    """A database at 0009 with imported walks gets the new columns; its walks are done."""
    from alembic import command

    from workbench.store.db import _alembic_config, _create_engine

    engine = _create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0009")
        conn.execute(sa.text("insert into organisation (name, kind) values ('K', 'kommun')"))
        conn.execute(sa.text("insert into safety_walk (organisation_id, ref, walk_date) "
                             "values (1, 'TV-1', '2025-10-14')"))
    engine.dispose()
    store = open_store(db_url)
    with store.engine.connect() as conn:
        listed = walks.walks(conn, 1)
    assert [(w["ref"], w["status"], w["route"], w["observations"]) for w in listed] == [("TV-1", "done", None, 0)]


def test_walk_observations_follow_their_action(town):
    """An åtgärd done makes the walk observations it answers 'åtgärdad' (as a reported
    observation); cancelled, they are closed with the reason; a status set by hand stays."""
    store, org, areas = town
    walk_id = _recorded_walk(store, org, areas["Norr"])
    _, observations = walk_service.agenda(store, org, walk_id)
    action_id = walk_service.decide(store, org, [observations[0]["id"], observations[1]["id"]],
                                    {"text": "Ny belysning", "responsible_party": "Kommunen"}, actor="samordnare")
    walk_service.set_status(store, org, observations[1]["id"], "behandlad på EST-möte", actor="samordnare")
    with store.transaction() as conn:
        version = loop.update_action(conn, org, action_id, 1, {"status": "genomförd"}, actor="samordnare")
    statuses = [o["status"] for o in walk_service.agenda(store, org, walk_id)[1][:2]]
    assert statuses == ["åtgärdad", "behandlad på EST-möte"]
    with store.transaction() as conn:
        loop.update_action(conn, org, action_id, version, {"status": "avbruten"}, actor="samordnare")
    first = walk_service.agenda(store, org, walk_id)[1][0]
    assert (first["status"], first["status_reason"]) == ("avslutad utan åtgärd", "Åtgärden avbröts.")
    html = walk_service.follow_up(store, org, walk_id, "html").data.decode("utf-8")
    assert "avslutad utan åtgärd: Åtgärden avbröts." in html and "Avbruten" in html
