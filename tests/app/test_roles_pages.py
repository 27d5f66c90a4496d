"""Roles × pages, signed in as real local accounts: what each role may open is derived from the
declared roles table (workbench/roles.py) and the NAVIGATION of workbench/ui/app.py, never
restated here. Also the organisation choice as a request (tampering), the police area's reach,
housing's own areas and the always-suppressed small counts of the aggregate roles."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.builders import incidents_csv
from workbench import roles
from workbench.access.scope import from_account, open_scope
from workbench.services import imports, police_area
from workbench.store import accounts, loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import close_store, open_store

UI = Path(__file__).resolve().parents[2] / "workbench" / "ui"
APP = UI / "app.py"
PAGES = UI / "app_pages"

A, B, C = "Alfa kommun", "Beta kommun", "Gamma kommun"  # A and B share a police area, C does not
LPO_VAST, LPO_OST = "LPO Väst", "LPO Öst"
A_BIG, A_SMALL = "Alfahöjden", "Alfadalen"  # 20 incidents in October 2026 / 2 (below min_count)
B_AREA, B_PLACE, B_ACTION = "Betaberget", "Betatorget", "Betaåtgärden"
C_AREA = "Gammastrand"
PASSWORD = "ett-riktigt-langt-losenord"
USERS = {"coordinator": "samordnare", "police": "kommunpolis", "housing": "bostadsbolag",
         "planner": "planerare", "viewer": "delad-skarm", "reporter": "fastighetsvard"}
HOUSING_AREAS = [A_SMALL]


def _navigation() -> list[tuple[str, str, tuple[str, ...]]]:
    """(file, title, permissions) of app.py's NAVIGATION, read from its source (importing app.py
    would run the app); the permissions are resolved against workbench.roles."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "NAVIGATION" for t in n.targets))
    out = []
    for entry in node.value.elts:
        file, title, _, needs = entry.elts
        out.append((file.value, title.value, tuple(getattr(roles, n.attr) for n in needs.elts)))
    return out


NAVIGATION = _navigation()
MATRIX = [(role, file) for role in USERS for file, _, _ in NAVIGATION]


def test_navigation_names_every_page_file():
    assert sorted(f for f, _, _ in NAVIGATION) == sorted(p.name for p in PAGES.glob("*.py"))
    assert len(NAVIGATION) == 14  # + Inrapportering, Rapportera and Trygghetsvandringar (issue 19)


# --- the town --------------------------------------------------------------------------------

def _areas(store, org: str, named: dict[str, shapely.Polygon]) -> None:
    frame = gpd.GeoDataFrame({"name": list(named)}, geometry=list(named.values()), crs="EPSG:3006")
    imports.import_layer(store, "areas", frame.to_json().encode(), f"{org}.geojson", org)


def _place(store, org: str, name: str, x: float, y: float) -> None:
    frame = gpd.GeoDataFrame({"name": [name], "kind": ["torg"], "radius_m": [100.0]},
                             geometry=[shapely.Point(x, y)], crs="EPSG:3006")
    imports.import_layer(store, "places", frame.to_json().encode(), f"{org}-platser.geojson", org)


def _incidents(store, org: str, rows) -> None:
    imports.import_table(store, "incidents", incidents_csv(rows), f"{org}-polisen.csv", org)


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """Three kommuner: A (two areas, a place, an action, an open meeting) and B in LPO Väst,
    C in LPO Öst; one local account per role in A (housing limited to A's small area)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'roles.sqlite'}"
    store = open_store(url)
    _areas(store, A, {A_BIG: shapely.box(376000, 6400000, 377000, 6401000),
                      A_SMALL: shapely.box(376000, 6399000, 377000, 6400000)})
    _incidents(store, A, [("Skadegörelse" if i % 2 else "Misshandel", date(2026, 10, 1 + i), 376500 + i, 6400500)
                          for i in range(20)]
               + [("Skadegörelse", date(2026, 9, 10 + i), 376400, 6400400) for i in range(4)]
               + [("Stöld", date(2026, 10, 3 + i), 376500, 6399500) for i in range(2)]
               # the data span holds a whole sportlov week (v8), so Hot-spots has critical dates
               + [("Stöld", date(2026, 2, 1 + 9 * i), 376600, 6400600) for i in range(4)])
    _place(store, A, "Alfatorget", 376500, 6400500)
    _areas(store, B, {B_AREA: shapely.box(380000, 6400000, 381000, 6401000)})
    _incidents(store, B, [("Stöld", date(2026, 10, 1 + i), 380100 + 40 * i, 6400500) for i in range(20)])
    _place(store, B, B_PLACE, 380500, 6400500)
    _areas(store, C, {C_AREA: shapely.box(390000, 6400000, 391000, 6401000)})
    _incidents(store, C, [("Rån", date(2026, 10, 4 + i), 390500, 6400500) for i in range(5)])
    ids = {org: repo.find_organisation(store.engine, org) for org in (A, B, C)}
    for org, lpo in ((A, LPO_VAST), (B, LPO_VAST), (C, LPO_OST)):
        police_area.set_police_area(store, ids[org], lpo, actor="test")
    a_areas = repo.load_areas(store.engine, [ids[A]])
    with store.transaction() as conn:
        loop.create_action(conn, ids[A], {"text": "Belysning vid Alfatorget", "responsible_party": "Kommunen"},
                           actor="test")
        loop.create_action(conn, ids[B], {"text": B_ACTION, "responsible_party": "Kommunen"}, actor="test")
        meetings.start_meeting(conn, ids[A], meeting_date=date(2026, 11, 2), period_start=date(2026, 10, 1),
                               period_end=date(2026, 10, 31), period_kind="month",
                               area_ids=[int(i) for i in a_areas["id"]], title="EST-möte Alfa", actor="test")
    for role, username in USERS.items():
        accounts.add_user(store.engine, username, organisation=A, role=role, password=PASSWORD,
                          areas=HOUSING_AREAS if role == "housing" else None,
                          verksamhet="Bostadsbolaget – Alfadalen" if role == "reporter" else None, actor="test")

    mp = pytest.MonkeyPatch()
    mp.setenv("WORKBENCH_DB", url)
    mp.setenv("WORKBENCH_AUTH", "local")
    mp.setenv("WORKBENCH_ORGANISATION", A)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    mp.undo()
    st.cache_data.clear()
    st.cache_resource.clear()
    close_store(url)


def sign_in(role: str) -> AppTest:
    """A new session signed in through the form as the local account of ``role``."""
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    assert "_principal" not in at.session_state
    at.text_input(key="signin_user").input(USERS[role])
    at.text_input(key="signin_password").input(PASSWORD)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:sign_in-")).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["_principal"].username == USERS[role]
    assert any(c.value.startswith("Inloggad:") for c in at.sidebar.caption)
    return at


@pytest.fixture(scope="module")
def sessions(town):
    """One signed-in AppTest per role, reused by the whole matrix."""
    cache: dict[str, AppTest] = {}

    def get(role: str) -> AppTest:
        if role not in cache:
            cache[role] = sign_in(role)
        return cache[role]

    return get


def expected_scope(store, role: str):
    """The role's scope in A, from the stored account and the declared roles table."""
    return open_scope(store, from_account(accounts.get_user(store.engine, USERS[role]), "local"), A)


def rendered(at: AppTest) -> str:
    """Everything a user could read: markdown, captions, metrics, tables, selectbox options, maps."""
    parts = [el.value for kind in ("markdown", "caption", "title", "subheader", "info", "warning", "error",
                                   "success") for el in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [d.value.to_csv() for d in at.get("table")]
    parts += [" ".join(map(str, s.options)) for s in at.selectbox]
    parts += [" ".join(map(str, s.options)) for s in at.multiselect]
    parts += [el.proto.srcdoc for el in at.get("iframe")]
    parts += [str(el.proto) for el in at.get("deck_gl_json_chart")]
    return "\n".join(parts)


def blank_text_cells(at: AppTest) -> set[str]:
    """Text columns of the page's tables with a missing value: drawn as "None" on the table's
    canvas, where no text search finds it."""
    import pandas as pd

    return {f"{frame.key or i}:{column}" for i, frame in enumerate(at.dataframe)
            for column in frame.value.columns
            if (frame.value[column].dtype == object or pd.api.types.is_string_dtype(frame.value[column]))
            and frame.value[column].isna().any()}


# --- the matrix ------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "file"), MATRIX, ids=[f"{r}-{f[:-3]}" for r, f in MATRIX])
def test_role_reaches_exactly_the_pages_its_permissions_allow(town, sessions, server_log, role, file):
    title, needs = next((t, n) for f, t, n in NAVIGATION if f == file)
    allowed = any(expected_scope(town, role).can(p) for p in needs)
    at = sessions(role)
    if allowed:
        at.switch_page(f"app_pages/{file}").run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert at.title and at.title[0].value.startswith(title), [t.value for t in at.title]
        assert "får inte" not in rendered(at)
        assert server_log.problems() == []  # no traceback, warning or deprecation in the log
        assert blank_text_cells(at) == set()
    else:  # left out of st.navigation: the session cannot switch to it
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{file}")
        at.run()  # and the session still works
        assert not at.exception, at.exception


REFUSED = [(role, file) for role, file in MATRIX
           if not any(roles.ROLES[role].can(p) for f, _, needs in NAVIGATION if f == file for p in needs)]


@pytest.mark.parametrize(("role", "file"), REFUSED, ids=[f"{r}-{f[:-3]}" for r, f in REFUSED])
def test_a_hidden_page_run_directly_refuses_and_shows_no_data(town, sessions, role, file):
    """Hiding a page is a courtesy: run on its own with the same signed-in principal, the page
    itself refuses in Swedish and draws no table, map or metric."""
    _, needs = next((t, n) for f, t, n in NAVIGATION if f == file)
    assert not any(expected_scope(town, role).can(p) for p in needs)
    principal = sessions(role).session_state["_principal"]
    at = AppTest.from_file(str(PAGES / file), default_timeout=120)
    at.session_state["_principal"] = principal
    at.run()
    assert not at.exception, at.exception
    assert any("får inte" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.dataframe and not at.get("iframe") and not at.metric and not at.get("table")
    assert not at.get("download_button")
    text = rendered(at)
    assert "Alfatorget" not in text and "Belysning vid Alfatorget" not in text


def test_planner_plans_but_is_refused_points_places_and_import(town, sessions):
    at = sessions("planner")
    at.switch_page("app_pages/samhallsplanering.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Samhällsplanering"
    for file in ("hotspots.py", "platser.py", "importera.py"):
        with pytest.raises(ValueError):
            at.switch_page(f"app_pages/{file}")
        direct = AppTest.from_file(str(PAGES / file), default_timeout=120)
        direct.session_state["_principal"] = at.session_state["_principal"]
        direct.run()
        assert any("Rollen Planerare i Alfa kommun får inte" in e.value for e in direct.error), file


# --- the organisation is a request -----------------------------------------------------------

def _leaks(at: AppTest, *names: str) -> list[str]:
    text = rendered(at)
    return [n for n in names if n in text]


def session_as(principal, page: str | None = None, **state) -> AppTest:
    """A new session of the app (or of one page file) with ``principal`` signed in and
    ``state`` in its session state before the first run: a hand-edited request, as a browser
    could send. (AppTest cannot give a drawn selectbox a value outside its options.)"""
    at = AppTest.from_file(str(PAGES / page if page else APP), default_timeout=120)
    at.session_state["_principal"] = principal
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("other", [B, C])
def test_coordinator_cannot_open_another_kommun_by_tampering(town, sessions, other):
    signed_in = sessions("coordinator")
    signed_in.switch_page("app_pages/oversikt.py").run()
    assert signed_in.selectbox(key="organisation").options == [A]
    principal = signed_in.session_state["_principal"]

    at = session_as(principal, organisation=other)
    assert not at.exception, at.exception
    assert any(f"har ingen behörighet till '{other}'" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.dataframe and not at.get("iframe") and not at.metric
    assert _leaks(at, B_AREA, B_PLACE, B_ACTION, C_AREA) == []
    at.run()  # the refused choice is dropped: back in the own kommun, not silently in another
    assert not at.exception and not at.error
    assert at.title[0].value == f"Översikt – {A}"
    assert _leaks(at, B_AREA, B_PLACE, B_ACTION, C_AREA) == []

    # a page run on its own refuses too (its sidebar checks before anything is read)
    for page in ("atgarder.py", "platser.py", "hotspots.py"):
        direct = session_as(principal, page, organisation=other)
        assert not direct.exception, direct.exception
        assert any("har ingen behörighet" in e.value for e in direct.error), page
        assert not direct.dataframe and not direct.get("iframe") and not direct.metric, page
        assert _leaks(direct, B_AREA, B_PLACE, B_ACTION, C_AREA) == [], page


def test_police_reach_the_police_area_but_not_another(town):
    at = sign_in("police")
    assert at.selectbox(key="organisation").options == [A, B]
    at.selectbox(key="organisation").set_value(B).run()
    assert not at.exception and not at.error
    assert at.title[0].value == f"Översikt – {B}"
    assert list(at.dataframe[0].value["Område"]) == [B_AREA]
    assert _leaks(at, A_BIG, A_SMALL, C_AREA) == []
    at.switch_page("app_pages/atgarder.py").run()
    at.selectbox(key="organisation").set_value(B).run()  # see the next test
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value["Åtgärd"]) == [B_ACTION]
    at.switch_page("app_pages/platser.py").run()
    at.selectbox(key="organisation").set_value(B).run()
    assert not at.exception and not at.error
    assert B_PLACE in rendered(at) and "Alfatorget" not in rendered(at)
    at.switch_page("app_pages/polisomrade.py").run()
    assert not at.exception and not at.error
    assert sorted(at.dataframe[0].value["Kommun"]) == [A, B]  # not C of LPO Öst
    assert C not in rendered(at) and C_AREA not in rendered(at)

    principal = at.session_state["_principal"]
    for page in (None, "oversikt.py", "polisomrade.py"):
        refused = session_as(principal, page, organisation=C)
        assert not refused.exception, refused.exception
        assert any(f"har ingen behörighet till '{C}'" in e.value for e in refused.error), page
        assert not refused.dataframe and not refused.get("iframe") and not refused.metric, page
        assert _leaks(refused, C_AREA) == [], page


def test_the_chosen_kommun_stays_chosen_on_the_next_page(town):
    """A kommunpolis who chose B on Översikt and opens Åtgärder should still be in B (the
    sidebar selectbox is drawn by each page without persist_state, so a page switch drops it
    and the next page silently opens the default kommun A: actions would be entered there)."""
    at = sign_in("police")
    at.selectbox(key="organisation").set_value(B).run()
    assert at.title[0].value == f"Översikt – {B}"
    at.switch_page("app_pages/atgarder.py").run()
    assert not at.exception
    assert at.selectbox(key="organisation").value == B
    assert list(at.dataframe[0].value["Åtgärd"]) == [B_ACTION]


def test_hot_spots_of_a_kommun_with_a_few_weeks_of_data(town):
    """B's incidents span three weeks of October, with no critical-date window (lov, högtider)
    inside the data's range: the critical-dates table is then empty."""
    at = sign_in("police")
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception, at.exception  # A: data from February, with sportlovet
    at.selectbox(key="organisation").set_value(B).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Hot-spots" and at.selectbox(key="organisation").value == B


def test_housing_sees_only_its_own_areas(town, sessions):
    at = sessions("housing")
    at.switch_page("app_pages/oversikt.py").run()
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value["Område"]) == HOUSING_AREAS
    assert at.selectbox(key="area").options[1:] == HOUSING_AREAS
    assert _leaks(at, A_BIG, B_AREA, C_AREA) == []
    assert {m.label: m.value for m in at.metric}["Polisen"] == "<3"  # its area's 2
    # the contrast: a coordinator of the same kommun sees both areas
    coordinator = sessions("coordinator")
    coordinator.switch_page("app_pages/oversikt.py").run()
    assert sorted(coordinator.dataframe[0].value["Område"]) == sorted([A_BIG, A_SMALL])


@pytest.mark.parametrize("role", ["viewer", "housing", "planner"])
def test_aggregate_roles_always_see_small_counts_suppressed(town, sessions, role):
    at = sessions(role)
    at.switch_page("app_pages/oversikt.py").run()
    assert not at.exception and not at.error
    assert "shared_screen" not in [t.key for t in at.toggle]
    table = at.dataframe[0].value.set_index("Område")
    assert table.loc[A_SMALL, "Händelser"] == "<3"  # 2 incidents
    assert "2" not in set(table["Händelser"]) | set(table["Jämförelse"])
    assert any("visas som '<3'" in c.value for c in at.sidebar.caption)


def test_coordinator_may_turn_the_shared_screen_off(town, sessions):
    at = sessions("coordinator")
    at.switch_page("app_pages/oversikt.py").run()
    assert at.dataframe[0].value.set_index("Område").loc[A_SMALL, "Händelser"] == "2"  # at the desk
    at.toggle(key="shared_screen").set_value(True).run()
    assert at.dataframe[0].value.set_index("Område").loc[A_SMALL, "Händelser"] == "<3"
    at.toggle(key="shared_screen").set_value(False).run()
    assert at.dataframe[0].value.set_index("Område").loc[A_SMALL, "Händelser"] == "2"
    at.toggle(key="shared_screen").set_value(True).run()
