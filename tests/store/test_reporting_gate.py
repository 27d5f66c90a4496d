"""The reporter role at the gate: a reporter saves its verksamhet's weekly report and reads its own
reports with each observation's status, and nothing else — every public function of every gate
module (workbench/access/gate*.py) refuses it (enumerated, so a new function or module that forgets
the check fails here); the coordinator reads every verksamhet's reports. Also the account's
verksamhet and the CLI."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.builders import ORG, make_org
from workbench import access, cli
from workbench import roles as r
from workbench.access import gate, gate_observations, gate_reporting
from workbench.access.scope import Scope, open_scope, sign_in_local, single_user
from workbench.config import Settings
from workbench.errors import AccessDenied, WorkbenchError
from workbench.situation import Period
from workbench.store import accounts, reporting
from workbench.store import tables as t
from workbench.store.db import open_store

PASSWORD = "ett-langt-losenord-1"
HOUSING = "Bostadsbolaget – Hässleholmen"
YOUTH = "Fritidsgården Norrby"
SETTINGS = Settings.load(env={})
# Points in Norr (tests/builders.py: x 376000–377000, y 6400000–6401000) as the phone sends them.
NORR_LON, NORR_LAT = 12.92606, 57.72963
TODAY = date.today()
YEAR, WEEK, _ = TODAY.isocalendar()
LAST_YEAR, LAST_WEEK, _ = (TODAY - timedelta(days=7)).isocalendar()


@pytest.fixture
def town(db_url):
    store = open_store(db_url)
    make_org(store)
    for name, role, verksamhet in (("vard1", "reporter", HOUSING), ("fritid1", "reporter", YOUTH),
                                   ("samordnare", "coordinator", None), ("skarm", "viewer", None),
                                   ("bolaget", "housing", None)):
        accounts.add_user(store.engine, name, organisation=ORG, role=role, password=PASSWORD,
                          verksamhet=verksamhet, areas=["Söder"] if role == "housing" else None, actor="test")
    return store


def _scope(store, name) -> Scope:
    return open_scope(store, sign_in_local(store, name, PASSWORD), ORG)


def _observation(**values):
    return {"category": "Belysning", "occurred_from": datetime.combine(TODAY, datetime.min.time()),
            "assessment": 2, **values}


def _rows(store, table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# --- a reporter is refused everything else ------------------------------------------------------

def _argument(name: str, parameter: inspect.Parameter, store, scope):
    """A plausible value for each parameter of a gate function (the check must come first, so the
    values only need to be of the right kind)."""
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    known = {"store": store, "scope": scope, "settings": SETTINGS, "period": period,
             "reference": period.previous(), "kind": "incident", "fmt": "html", "what": "places",
             "data": b"", "file_name": "x.csv", "name": "x", "text": "x", "values": {},
             "area_ids": [], "frame": None, "result": None, "area": None, "texts": {},
             "source_kind": "incidents", "mapping": {}, "original": "x", "category": "ovrigt",
             "parsed": {}, "doc": {}, "source_text": "x", "expected_version": 1, "checklist": [],
             "note": None, "police_area": "LPO Väst", "radius_m": 50.0, "lon": 12.9, "lat": 57.7,
             "geometry": {}, "start": None, "end": None, "months": 12, "cell": 200.0}
    if name in known:
        return known[name]
    if name.endswith("_id"):
        return 1
    if parameter.default is not inspect.Parameter.empty:
        return parameter.default
    return None


def _public_functions(module):
    return [(name, fn) for name, fn in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == module.__name__]


# Public functions of the gate modules that read or change nothing of the organisation: a reporter
# may call them.
NO_DATA = {"gate.personal_data_warning": "scans the text given to it",
           "gate.log_export": "records the caller's own export; the download button checks the permission",
           "gate_observations.may_see_rows": "says whether the scope's role sees single rows"}
REPORTER_MAY = {"gate_reporting.save_weekly_report", "gate_reporting.own_reports",
                "gate_reporting.form_choices", "gate_reporting.description_warning"}
GATE_MODULES = sorted(m.name for m in pkgutil.iter_modules(access.__path__) if m.name.startswith("gate"))


def test_every_gate_module_is_enumerated():
    assert {"gate", "gate_reporting", "gate_observations"} <= set(GATE_MODULES)
    names = {f"{m}.{n}" for m in GATE_MODULES for n, _ in _public_functions(importlib.import_module(
        f"workbench.access.{m}"))}
    assert set(NO_DATA) | REPORTER_MAY <= names


@pytest.mark.parametrize("module_name", GATE_MODULES)
def test_a_reporter_is_refused_by_every_other_gate_function(town, module_name):
    module = importlib.import_module(f"workbench.access.{module_name}")
    reporter = _scope(town, "vard1")
    assert reporter.permissions == frozenset({r.REPORT}) and reporter.verksamhet == HOUSING
    checked = []
    for name, fn in _public_functions(module):
        if f"{module_name}.{name}" in NO_DATA or f"{module_name}.{name}" in REPORTER_MAY:
            continue
        params = inspect.signature(fn).parameters
        assert "scope" in params, f"{module.__name__}.{name} takes no scope: add it to NO_DATA with a reason"
        kwargs = {p: _argument(p, spec, town, reporter) for p, spec in params.items()
                  if spec.kind not in (spec.VAR_KEYWORD, spec.VAR_POSITIONAL)}
        with pytest.raises(AccessDenied, match="får inte"):
            fn(**kwargs)
        checked.append(name)
    assert len(checked) >= (50 if module is gate else 0), checked


def test_only_the_reporter_role_may_report(town):
    for name in ("samordnare", "skarm", "bolaget"):
        scope = _scope(town, name)
        for call in (lambda s: gate_reporting.own_reports(town, s),
                     lambda s: gate_reporting.form_choices(town, SETTINGS, s),
                     lambda s: gate_reporting.save_weekly_report(
                         town, SETTINGS, s, iso_year=YEAR, iso_week=WEEK, observations=[],
                         nothing_to_report=True)):
            with pytest.raises(AccessDenied, match="får inte rapportera"):
                call(scope)
    assert _rows(town, t.WeeklyReport.__table__) == 0


# --- what a reporter does -----------------------------------------------------------------------

def test_reporter_reports_for_its_verksamhet_and_follows_its_own_reports(town):
    vard, fritid = _scope(town, "vard1"), _scope(town, "fritid1")
    choices = gate_reporting.form_choices(town, SETTINGS, vard)
    assert choices.categories[:3] == ("Otrygg plats", "Folksamling", "Nedskräpning")
    assert "Bostadsinbrott" in choices.categories and "Sammanfattning (flera händelser)" not in choices.categories
    assert choices.assessment_levels == ("låg", "måttlig", "allvarlig", "mycket allvarlig")
    assert set(choices.areas) == {"Norr", "Söder"} and choices.bounds is not None
    audit_before = _rows(town, t.AuditLog.__table__)
    report_id = gate_reporting.save_weekly_report(town, SETTINGS, vard, iso_year=YEAR, iso_week=WEEK, observations=[
        _observation(lon=NORR_LON, lat=NORR_LAT, description="Lampan vid gångtunneln är trasig",
                     assessment=3),
        _observation(category="Folksamling", area="Söder", assessment=2,
                     occurred_to=datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=3),
                     description="Ett tiotal ungdomar, en ringde från 070-123 45 67"),
    ])
    gate_reporting.save_weekly_report(town, SETTINGS, fritid, iso_year=LAST_YEAR, iso_week=LAST_WEEK,
                                      observations=[], nothing_to_report=True)
    assert _rows(town, t.AuditLog.__table__) == audit_before + 4  # two reports, two observations

    mine = gate_reporting.own_reports(town, vard)
    assert [(m["iso_year"], m["iso_week"], m["nothing_to_report"]) for m in mine] == [(YEAR, WEEK, False)]
    first, second = mine[0]["observations"]
    assert first["area"] == "Norr"  # the area of the tapped point
    assert first["status"] == second["status"] == "ny" and first["assessment"] == 3
    assert second["description"] == "Ett tiotal ungdomar, en ringde från [telefonnummer]"
    assert "x" not in first  # the reporter's own list carries no coordinates
    theirs = gate_reporting.own_reports(town, fritid)
    assert [(m["iso_week"], m["nothing_to_report"], m["observations"]) for m in theirs] == [(LAST_WEEK, True, [])]

    coordinator = _scope(town, "samordnare")
    with town.engine.begin() as conn:
        reporting.set_status(conn, coordinator.organisation_id, first["id"], "avslutad utan åtgärd",
                             reason="Lampan byttes av elbolaget samma vecka", actor="samordnare")
    after = gate_reporting.own_reports(town, vard)[0]["observations"][0]
    assert (after["status"], after["status_reason"]) == ("avslutad utan åtgärd",
                                                         "Lampan byttes av elbolaget samma vecka")
    assert report_id == mine[0]["id"]


def test_the_coordinator_reads_every_report_of_the_organisation(town):
    gate_reporting.save_weekly_report(town, SETTINGS, _scope(town, "vard1"), iso_year=YEAR, iso_week=WEEK,
                                      observations=[_observation(lon=NORR_LON, lat=NORR_LAT)])
    gate_reporting.save_weekly_report(town, SETTINGS, _scope(town, "fritid1"), iso_year=YEAR, iso_week=WEEK,
                                      observations=[_observation(category="Klotter", area="Söder")])
    coordinator = _scope(town, "samordnare")
    week = gate_observations.reporting_status(town, SETTINGS, coordinator, YEAR, WEEK)
    assert sorted(week["verksamhet"]) == sorted([HOUSING, YOUTH])  # both reporters' memberships
    seen = gate_observations.observations(town, SETTINGS, coordinator)
    assert sorted(seen["category"]) == ["Belysning", "Klotter"] and seen["x"].notna().sum() == 1
    for reporter in ("vard1", "fritid1"):
        with pytest.raises(AccessDenied, match="får inte"):
            gate_observations.observations(town, SETTINGS, _scope(town, reporter))


def test_a_known_place_and_a_sensitive_category(town):
    from workbench.services import places

    coordinator = _scope(town, "samordnare")
    places.create_place(town, coordinator.organisation_id, "Norrtorget", "torg", 50.0, NORR_LON, NORR_LAT,
                        actor="samordnare")
    vard = _scope(town, "vard1")
    assert [p.name for p in gate_reporting.form_choices(town, SETTINGS, vard).places] == ["Norrtorget"]
    gate_reporting.save_weekly_report(town, SETTINGS, vard, iso_year=YEAR, iso_week=WEEK, observations=[
        _observation(place="Norrtorget"),
        _observation(category="Våld i nära relation", lon=NORR_LON, lat=NORR_LAT)])
    with town.engine.connect() as conn:
        known, sensitive = reporting.observations(conn, coordinator.organisation_id)
    assert known["place"] == "Norrtorget" and known["area"] == "Norr" and known["x"] is not None
    assert sensitive["x"] is None and sensitive["y"] is None and sensitive["area"] == "Norr"
    with pytest.raises(WorkbenchError, match="finns inte bland kända platser"):
        gate_reporting.save_weekly_report(town, SETTINGS, vard, iso_year=YEAR, iso_week=WEEK,
                                          observations=[_observation(place="Okänt torg")])


def test_bad_reports_are_refused_before_anything_is_written(town):
    vard = _scope(town, "vard1")
    gate_reporting.save_weekly_report(town, SETTINGS, vard, iso_year=YEAR, iso_week=WEEK,
                                      observations=[_observation(area="Norr")])
    before = (_rows(town, t.WeeklyReport.__table__), _rows(town, t.Observation.__table__),
              _rows(town, t.AuditLog.__table__))
    next_week = (TODAY + timedelta(days=7)).isocalendar()
    for kwargs, message in (
            ({"observations": [], "nothing_to_report": True}, "redan rapporterat observationer"),
            ({"observations": [_observation(area="Norr"), _observation(area="Norr", assessment=9)]},
             "mellan 1 och 4"),
            ({"observations": [_observation(lon=2.35, lat=48.85)]}, "utanför Sverige"),
            ({"observations": [_observation(area="Norr", occurred_from=datetime.now() + timedelta(days=2))]},
             "i framtiden"),
            ({"observations": [_observation()]}, "plats"),
            ({"iso_year": next_week[0], "iso_week": next_week[1], "observations": [], "nothing_to_report": True},
             "har inte börjat"),
            ({"iso_week": 54, "observations": [], "nothing_to_report": True}, "finns inte")):
        with pytest.raises(WorkbenchError, match=message):
            gate_reporting.save_weekly_report(town, SETTINGS, vard, **({"iso_year": YEAR, "iso_week": WEEK}
                                                                       | kwargs))
    assert (_rows(town, t.WeeklyReport.__table__), _rows(town, t.Observation.__table__),
            _rows(town, t.AuditLog.__table__)) == before


def test_the_warning_before_saving_names_what_to_remove():
    assert gate_reporting.description_warning({"Beskrivning": "Lampan är trasig"}) is None
    assert gate_reporting.description_warning({"Beskrivning": "Bil ABC 123, ägare 811218-9876"}) == (
        "Texten innehåller något som ser ut som ett personnummer och ett registreringsnummer – ta bort det.")


def test_the_demo_reporter_has_a_demo_verksamhet(town):
    scope = open_scope(town, single_user("reporter"), ORG)
    assert scope.verksamhet and scope.permissions == frozenset({r.REPORT})
    assert gate_reporting.own_reports(town, scope) == []


# --- accounts and the CLI -----------------------------------------------------------------------

def test_user_add_reporter_with_its_verksamhet(sqlite_url, monkeypatch, capsys):
    store = open_store(sqlite_url)
    make_org(store)
    monkeypatch.setenv("WORKBENCH_NEW_PASSWORD", PASSWORD)
    base = ["--organisation", ORG, "--db", sqlite_url]
    assert cli.main(["user", "add", "vard1", "--role", "reporter", "--verksamhet", HOUSING, *base]) == 0
    assert "rapporterar för Bostadsbolaget – Hässleholmen" in capsys.readouterr().err
    assert cli.main(["user", "add", "vard2", "--role", "reporter", *base]) == 2
    assert "behöver --verksamhet" in capsys.readouterr().err
    assert cli.main(["user", "add", "kim", "--role", "coordinator", "--verksamhet", HOUSING, *base]) == 2
    err = capsys.readouterr().err
    assert "--verksamhet gäller bara rollen reporter" in err and "Traceback" not in err
    assert accounts.get_user(store.engine, "vard2") is None and accounts.get_user(store.engine, "kim") is None
    assert cli.main(["user", "list", "--json", "--db", sqlite_url]) == 0
    users = {u["username"]: u for u in json.loads(capsys.readouterr().out)["users"]}
    assert users["vard1"]["roles"] == [{"organisation": ORG, "role": "reporter", "areas": [],
                                        "verksamhet": HOUSING}]
    with pytest.raises(accounts.AccountError, match="behöver den verksamhet"):
        accounts.add_user(store.engine, "vard3", organisation=ORG, role="reporter", password=PASSWORD,
                          actor="t")
    with store.engine.connect() as conn:
        entry = conn.execute(select(t.AuditLog.after).where(t.AuditLog.verb == "user_add",
                                                            t.AuditLog.entity_id == "vard1")).scalar_one()
    assert entry["verksamhet"] == HOUSING and entry["role"] == "reporter"
    scope = open_scope(store, sign_in_local(store, "vard1", PASSWORD), ORG)
    assert scope.verksamhet == HOUSING and scope.role_label == "Inrapportör"
