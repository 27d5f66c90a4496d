"""Who sees what: accounts, scopes and the gate, role by role — and the CLI as each role.

Expected outcomes are derived from the declared roles table (workbench/roles.py), so a change of
the table changes the expectation; what is tested is that the gate enforces exactly the table.
"""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import func, select

from tests.builders import NORR, ORG, incidents_csv, make_org
from workbench import cli
from workbench import roles as r
from workbench.access import gate
from workbench.access.scope import MAX_FAILURES, open_scope, operator, sign_in_local
from workbench.config import Settings
from workbench.errors import AccessDenied
from workbench.services import imports, police_area
from workbench.situation import Period
from workbench.store import accounts
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

NEIGHBOUR, FAR = "Grannkommun", "Annan kommun"
PASSWORD = "ett-langt-losenord-1"
PERIOD = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """Testkommun and Grannkommun share a police area; Annan kommun lies in another one.
    One account per role in Testkommun (housing: only Norr)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'a.sqlite'}"
    store = open_store(url)
    org = make_org(store)
    for name, x in ((NEIGHBOUR, 390000), (FAR, 400000)):
        area = gpd.GeoDataFrame({"name": [f"{name} centrum"]},
                                geometry=[shapely.box(x, 6400000, x + 1000, 6401000)], crs="EPSG:3006")
        imports.import_layer(store, "areas", area.to_json().encode(), "a.geojson", name)
        imports.import_table(store, "incidents", incidents_csv(
            [("Stöld", date(2026, 10, 2 + i), x + 500, 6400500) for i in range(6)]), "p.csv", name)
    police_area.set_police_area(store, org, "LPO Väst", actor="test")
    police_area.set_police_area(store, repo.find_organisation(store.engine, NEIGHBOUR), "LPO Väst", actor="test")
    police_area.set_police_area(store, repo.find_organisation(store.engine, FAR), "LPO Öst", actor="test")
    for role in r.ROLE_NAMES:
        accounts.add_user(store.engine, f"{role}-user", organisation=ORG, role=role, password=PASSWORD,
                          areas=["Norr"] if role == "housing" else None,
                          verksamhet="Fritidsgården Norrby" if r.ROLES[role].reports_for_verksamhet else None,
                          actor="test")
    return url


def _scope(url, role, organisation=ORG):
    store = open_store(url)
    return open_scope(store, _principal(url, role), organisation)


_PRINCIPALS: dict = {}


def _principal(url, role):
    """Signed in once per role (each sign-in is an Argon2 check and an audit entry)."""
    if (url, role) not in _PRINCIPALS:
        _PRINCIPALS[url, role] = sign_in_local(open_store(url), f"{role}-user", PASSWORD)
    return _PRINCIPALS[url, role]


def _counts(url) -> dict[str, int]:
    return repo.row_counts(open_store(url).engine) | {"audit": _audit_count(url)}


def _audit_count(url) -> int:
    with open_store(url).engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.AuditLog)).scalar_one())


# --- accounts -----------------------------------------------------------------------------------

def test_passwords_are_argon2id_hashes_and_checked(town):
    engine = open_store(town).engine
    with engine.connect() as conn:
        stored = conn.execute(select(t.UserAccount.password_hash)
                              .where(t.UserAccount.username == "viewer-user")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.verify_password(engine, "VIEWER-user", PASSWORD).username == "viewer-user"
    assert accounts.verify_password(engine, "viewer-user", PASSWORD + "x") is None
    assert accounts.verify_password(engine, "ingen-alls", PASSWORD) is None
    with pytest.raises(accounts.AccountError, match="minst 12"):
        accounts.add_user(engine, "kort", organisation=ORG, role="viewer", password="kort", actor="t")
    with pytest.raises(accounts.AccountError, match="okänd roll"):
        accounts.add_user(engine, "x", organisation=ORG, role="admin", password=PASSWORD, actor="t")


def test_failed_sign_ins_are_audited_and_throttled(sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    accounts.add_user(store.engine, "eva", organisation=ORG, role="viewer", password=PASSWORD, actor="t")
    for _ in range(MAX_FAILURES):
        with pytest.raises(AccessDenied, match="Fel användarnamn eller lösenord"):
            sign_in_local(store, "eva", "fel-losenord-123")
    with pytest.raises(AccessDenied, match="För många"):
        sign_in_local(store, "eva", PASSWORD)
    with store.engine.connect() as conn:
        verbs = conn.execute(select(t.AuditLog.verb).where(t.AuditLog.actor == "eva")).scalars().all()
    assert verbs.count("sign_in_failed") == MAX_FAILURES + 1 and "sign_in" not in verbs


def test_removing_a_membership_and_an_account(sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    accounts.add_user(store.engine, "ola", organisation=ORG, role="planner", password=PASSWORD, actor="t")
    accounts.remove_user(store.engine, "ola", organisation=ORG, actor="t")
    with pytest.raises(AccessDenied, match="ingen roll"):
        sign_in_local(store, "ola", PASSWORD)
    accounts.remove_user(store.engine, "ola", actor="t")
    assert accounts.get_user(store.engine, "ola") is None


# --- scopes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", r.ROLE_NAMES)
@pytest.mark.parametrize("organisation", [ORG, NEIGHBOUR, FAR])
def test_which_organisations_a_role_reaches(town, role, organisation):
    reach = organisation == ORG or (organisation == NEIGHBOUR and r.ROLES[role].police_area_wide)
    if reach:
        scope = _scope(town, role, organisation)
        assert scope.organisation == organisation and scope.role == role
    else:
        with pytest.raises(AccessDenied, match="ingen behörighet"):
            _scope(town, role, organisation)


def test_police_read_the_neighbour_they_chose_and_only_it(town):
    store = open_store(town)
    scope = _scope(town, "police", NEIGHBOUR)
    frame = gate.point_events(store, scope)
    assert len(frame) == 6 and set(frame["organisation_id"]) == {scope.organisation_id}
    assert set(gate.areas(store, scope)["name"]) == {f"{NEIGHBOUR} centrum"}


def test_aggregate_roles_get_no_coordinates_and_housing_only_its_areas(town):
    store = open_store(town)
    for role in [n for n in r.ROLE_NAMES if r.ROLES[n].can(r.READ_AGGREGATES)]:
        frame = gate.events(store, _scope(town, role))
        assert ({"x", "y"} <= set(frame.columns)) == r.ROLES[role].points, role
    housing = _scope(town, "housing")
    assert set(gate.areas(store, housing)["name"]) == {"Norr"}
    norr = int(gate.areas(store, housing)["id"].iloc[0])
    assert set(gate.events(store, housing)["area_id"]) == {norr}
    assert len(gate.events(store, _scope(town, "coordinator"))) > len(gate.events(store, housing))


# --- the gate, function by function ------------------------------------------------------------

SETTINGS = Settings.load(env={})
PLACES = gpd.GeoDataFrame({"name": ["Torget"], "kind": ["torg"]},
                          geometry=[shapely.Point(376500, 6400500).buffer(50)], crs="EPSG:3006")
GATE = {  # function of the gate → (permission the declared table must grant, call)
    "events": (r.READ_AGGREGATES, lambda s, sc: gate.events(s, sc)),
    "areas": (r.READ_AGGREGATES, lambda s, sc: gate.areas(s, sc)),
    "point_events": (r.READ_POINTS, lambda s, sc: gate.point_events(s, sc)),
    "fault_reports": (r.READ_POINTS, lambda s, sc: gate.fault_reports(s, sc)),
    "place_layer": (r.READ_LOOP, lambda s, sc: gate.place_layer(s, sc)),
    "actions": (r.READ_LOOP, lambda s, sc: gate.actions(s, sc)),
    "meeting_list": (r.READ_LOOP, lambda s, sc: gate.meeting_list(s, sc)),
    "agreement_follow_up": (r.READ_LOOP, lambda s, sc: gate.agreement_follow_up(s, sc)),
    "plans": (r.PLANNING, lambda s, sc: gate.plans(s, sc)),
    "profiles": (r.IMPORT, lambda s, sc: gate.profiles(s, sc, "incident")),
    "police_area_overview": (r.POLICE_AREA, lambda s, sc: gate.police_area_overview(s, sc, PERIOD, PERIOD.previous())),
    "report": (r.EXPORT, lambda s, sc: gate.report(s, SETTINGS, sc, "situation", "html", period=PERIOD)),
    "audit_entries": (r.AUDIT, lambda s, sc: gate.audit_entries(s, sc)),
}
WRITES = {  # changes: a refusal must leave every table and the audit log as they were
    "create_action": (r.EDIT_LOOP, lambda s, sc: gate.create_action(
        s, sc, {"text": "Röj buskage", "responsible_party": "Kommunen"})),
    "import_file": (r.IMPORT, lambda s, sc: gate.import_file(
        s, sc, "places", PLACES.to_json().encode(), "platser.geojson")),
    "set_police_area": (r.ADMINISTER, lambda s, sc: gate.set_police_area(s, sc, "LPO Väst")),
    "save_profile": (r.IMPORT, lambda s, sc: gate.save_profile(s, sc, f"Export {sc.role}", "incidents", {})),
}


@pytest.mark.parametrize("role", r.ROLE_NAMES)
@pytest.mark.parametrize("name", list(GATE))
def test_every_read_is_checked_against_the_roles_table(town, role, name):
    permission, call = GATE[name]
    store, scope = open_store(town), _scope(town, role)
    if r.ROLES[role].can(permission):
        call(store, scope)
    else:
        with pytest.raises(AccessDenied, match="får inte"):
            call(store, scope)


@pytest.mark.parametrize("role", r.ROLE_NAMES)
@pytest.mark.parametrize("name", list(WRITES))
def test_every_change_is_checked_and_a_refusal_changes_nothing(town, role, name):
    store, scope = open_store(town), _scope(town, role)
    permission, call = WRITES[name]
    before = _counts(town)
    if r.ROLES[role].can(permission):
        call(store, scope)
        assert _counts(town)["audit"] > before["audit"]  # every change is audited
    else:
        with pytest.raises(AccessDenied):
            call(store, scope)
        assert _counts(town) == before


def test_the_operator_reaches_every_organisation_and_is_audited_as_cli(town):
    store = open_store(town)
    scope = open_scope(store, operator("drift"), FAR)
    assert scope.actor == "cli:drift" and scope.can(r.POLICE_AREA) and scope.can(r.ADMINISTER)


# --- the CLI as each role -------------------------------------------------------------------------

def _cli(monkeypatch, capsys, url, role, *argv):
    monkeypatch.setenv("WORKBENCH_PASSWORD", PASSWORD)
    code = cli.main([*argv, "--db", url, "--user", f"{role}-user"])
    return code, capsys.readouterr()


CLI = {  # command → (permission, arguments)
    "hotspots": (r.READ_POINTS, ["hotspots", "--organisation", ORG, "--format", "csv"]),
    "report situation": (r.EXPORT, ["report", "situation", "--organisation", ORG,
                                    "--from", "2026-10-01", "--to", "2026-10-31", "--out", "{tmp}/l.html"]),
    "report planning": (r.PLANNING, ["report", "planning", "--organisation", ORG, "--area", "{tmp}/plan.geojson",
                                     "--out", "{tmp}/p.html"]),
    "import": (r.IMPORT, ["import", "places", "{tmp}/platser.geojson", "--organisation", ORG]),
    "agreement import": (r.EDIT_LOOP, ["agreement", "import", "{tmp}/avtal.md", "--organisation", ORG]),
}


@pytest.mark.parametrize("role", r.ROLE_NAMES)
@pytest.mark.parametrize("command", list(CLI))
def test_every_cli_command_as_every_role(town, tmp_path, monkeypatch, capsys, role, command):
    (tmp_path / "plan.geojson").write_text(gpd.GeoSeries([NORR.buffer(-300)], crs="EPSG:3006").to_json())
    (tmp_path / "platser.geojson").write_text(PLACES.to_json())
    (tmp_path / "avtal.md").write_text("# Samverkansöverenskommelse\n\n## Trygga miljöer\n\n"
                                       "Polisen förbinder sig att genomföra trygghetsvandringar.\n")
    permission, argv = CLI[command]
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    before = _counts(town)
    code, out = _cli(monkeypatch, capsys, town, role, *argv)
    if r.ROLES[role].can(permission):
        assert code == 0, out.err
    else:
        assert code == 2 and "får inte" in out.err and out.out == ""
        assert not any(p.name.endswith((".html", ".pdf")) for p in tmp_path.iterdir())
        after = _counts(town)
        assert after["audit"] == before["audit"] + 1  # only the sign-in is recorded
        assert {k: v for k, v in after.items() if not k.startswith("audit")} == \
            {k: v for k, v in before.items() if not k.startswith("audit")}, "a refused command changed data"


@pytest.mark.parametrize("role", [n for n in r.ROLE_NAMES if not r.ROLES[n].can(r.EXPORT)])
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_minutes_are_not_written_to_a_file_by_a_role_without_export(town, tmp_path, monkeypatch, capsys,
                                                                     role, fmt):
    """Reading a closed meeting's minutes on screen is not exporting them: the CLI writes no file."""
    out_file = tmp_path / f"protokoll.{fmt}"
    code, out = _cli(monkeypatch, capsys, town, role, "report", "minutes", "--organisation", ORG,
                     "--out", str(out_file))
    assert code == 2 and "får inte" in out.err and out.out == "", out.err
    assert not out_file.exists() and not list(tmp_path.iterdir())


def test_the_cli_refuses_another_organisation_and_a_wrong_password(town, tmp_path, monkeypatch, capsys):
    code, out = _cli(monkeypatch, capsys, town, "coordinator", "report", "situation", "--organisation", FAR,
                     "--from", "2026-10-01", "--to", "2026-10-31", "--out", str(tmp_path / "x.html"))
    assert code == 2 and "behörighet" in out.err and not (tmp_path / "x.html").exists()
    monkeypatch.setenv("WORKBENCH_PASSWORD", "fel-losenord-999")
    assert cli.main(["hotspots", "--db", town, "--user", "police-user"]) == 2
    assert "Fel användarnamn eller lösenord" in capsys.readouterr().err


def test_user_commands_and_exports_are_audited(sqlite_url, tmp_path, monkeypatch, capsys):
    store = open_store(sqlite_url)
    make_org(store)
    monkeypatch.setenv("WORKBENCH_NEW_PASSWORD", PASSWORD)
    assert cli.main(["user", "add", "Kim", "--organisation", ORG, "--role", "police", "--db", sqlite_url]) == 0
    assert cli.main(["user", "add", "bo@bolaget.se", "--organisation", ORG, "--role", "housing", "--areas",
                     "Norr", "--oidc", "--db", sqlite_url]) == 0
    capsys.readouterr()
    assert cli.main(["user", "list", "--json", "--db", sqlite_url]) == 0
    users = {u["username"]: u for u in json.loads(capsys.readouterr().out)["users"]}
    assert users["kim"]["login"] == "lokal" and users["kim"]["roles"][0]["role"] == "police"
    assert users["bo@bolaget.se"]["login"] == "oidc" and users["bo@bolaget.se"]["roles"][0]["areas"] == ["Norr"]
    monkeypatch.setenv("WORKBENCH_PASSWORD", PASSWORD)
    assert cli.main(["report", "situation", "--from", "2026-10-01", "--to", "2026-10-31", "--organisation", ORG,
                     "--out", str(tmp_path / "l.html"), "--db", sqlite_url, "--user", "kim"]) == 0
    assert cli.main(["user", "remove", "kim", "--db", sqlite_url]) == 0
    scope = open_scope(store, operator("t"), ORG)
    log = gate.audit_entries(store, scope)
    assert {"user_add", "sign_in", "export", "user_remove"} <= set(log["verb"])
    export = log[log["verb"] == "export"].iloc[0]
    assert export["actor"] == "kim" and export["after"]["file"] == "l.html"
