"""The planning check end to end: counts against a direct computation on the demo town, saved
versions on SQLite and PostgreSQL, honest empty reports, and `workbench report planning`."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import geopandas as gpd
import pytest
import shapely
import sqlalchemy as sa
from shapely.geometry import Point, Polygon

from tests.builders import make_org
from tests.store.test_reports import parse, pdf_text
from workbench.cli import main
from workbench.config import Settings
from workbench.errors import ConflictError, NotFoundError
from workbench.planning.area import plan_area
from workbench.services import planning
from workbench.store import repositories as repo
from workbench.store.db import open_store
from workbench.taxonomy import NOT_COUNTED

ORGANISATION = "Borås stad"


def _hexagon(cx: float, cy: float, r: float) -> Polygon:
    """An irregular hexagon with a courtyard (a hole), like a real block plan."""
    import math
    shell = [(cx + r * math.cos(a) * (1.0 if i % 2 else 0.8), cy + r * math.sin(a))
             for i, a in enumerate(math.radians(d) for d in range(0, 360, 60))]
    return Polygon(shell, [[(cx - 40, cy - 40), (cx + 40, cy - 40), (cx + 40, cy + 40), (cx - 40, cy + 40)]])


@pytest.fixture(scope="module")
def demo(demo_db):
    store = open_store(demo_db)
    settings = Settings.load(db_url=demo_db)
    org_id = repo.find_organisation(store.engine, ORGANISATION)
    areas = repo.load_areas(store.engine, [org_id])
    centre = areas[areas["name"] == "Hässleholmen"].geometry.iloc[0].centroid
    plan = plan_area([_hexagon(centre.x, centre.y, 350)], source="test")
    period = planning.default_period(store, org_id)
    result = planning.check(store, settings, org_id, plan, buffer_m=200, period=period,
                            name="Detaljplan för Hässleholmen", reference="Dp 2026:3")
    return store, settings, org_id, plan, period, result


def _direct(store, sql: str, params: dict) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), params)]


def _zone(plan, x, y, buffer_m=200) -> int:
    point = Point(x, y)
    if plan.intersects(point):
        return 1
    return 2 if plan.distance(point) <= buffer_m else 0


def test_incident_counts_match_a_direct_computation(demo):
    store, settings, org_id, plan, period, result = demo
    rows = _direct(store, "SELECT category, x, y FROM incident WHERE organisation_id = :org "
                   "AND precision IN ('exact', 'snapped') AND x IS NOT NULL "
                   "AND occurred_from >= :start AND occurred_from < :end",
                   {"org": org_id, "start": period.start_dt, "end": period.end_dt})
    expected: Counter = Counter()
    for category, x, y in rows:
        zone = _zone(plan.geometry, x, y)
        if zone and category not in NOT_COUNTED and category not in settings.sensitive_categories:
            expected[(category, zone)] += 1
    got = Counter()
    for r in result.figures.incidents.itertuples():
        got[(r.category, 1)] += r.inside
        got[(r.category, 2)] += r.ring
    assert +got == +expected
    assert sum(expected.values()) > 100  # the plan lies in a busy district: a real test
    assert {z for _, z in expected} == {1, 2}
    bands = result.figures.incident_times
    assert int(bands[["inside", "ring"]].to_numpy().sum()) == sum(expected.values())


def test_fault_and_walk_counts_match_a_direct_computation(demo):
    store, _, org_id, plan, period, result = demo
    params = {"org": org_id, "start": period.start_dt, "end": period.end_dt}
    faults = _direct(store, "SELECT source, category, x, y, fixed_at FROM fault_report WHERE "
                     "organisation_id = :org AND x IS NOT NULL AND reported_at >= :start "
                     "AND reported_at < :end", params)
    expected = Counter((s, c, _zone(plan.geometry, x, y)) for s, c, x, y, _ in faults)
    got = Counter()
    for r in result.figures.faults.itertuples():
        got[(r.source, r.category, 1)] += r.inside
        got[(r.source, r.category, 2)] += r.ring
    assert +got == Counter({k: v for k, v in expected.items() if k[2]})
    assert sum(got.values()) > 50
    walks = _direct(store, "SELECT category, x, y FROM walk_observation WHERE organisation_id = :org "
                    "AND x IS NOT NULL AND observed_at >= :start AND observed_at < :end", params)
    expected_walks = Counter((c, _zone(plan.geometry, x, y)) for c, x, y in walks)
    got_walks = Counter()
    for r in result.figures.walks.itertuples():
        got_walks[(r.category, 1)] += r.inside
        got_walks[(r.category, 2)] += r.ring
    assert +got_walks == Counter({k: v for k, v in expected_walks.items() if k[1]})


def test_the_report_shows_the_figures_suppressed_and_the_checklist(demo):
    *_, result = demo
    html = parse(planning.report(result, "html").data)
    assert html.h2[:8] == ["Planområdet och underlaget", "Polisanmälda händelser", "Felanmälningar",
                           "Trygghetsvandringar", "Hot-spots", "Platser, orsaksanalyser och åtgärder",
                           "Åtaganden som gäller planering", "Checklista enligt BoTryggt 2030"]
    text = " ".join(html.text)
    assert "Dp 2026:3" in text and "Trygghetsbedömning – Detaljplan för Hässleholmen" in text
    counts, in_zone_table = [], False
    for row in html.rows:  # the tables of incidents, fault reports and walk notes per zone
        if len(row) > 1 and not any(c[:1].isdigit() or c.startswith("<") for c in row[1:]):
            in_zone_table = row[1] == "Inom planområdet"  # a header row starts the next table
        elif in_zone_table:
            counts += row[1:]
    assert len(counts) > 50 and not {"1", "2"} & set(counts)  # every count below 3 is '<3'
    assert "<3" in counts
    checklist = [row for row in html.rows if row and row[0] in ("Belysning", "Förvaltning")]
    assert len(checklist) == 2 and all(row[2] == "Ej bedömd" for row in checklist)
    assert result.suggestions["lighting"] in text
    pdf = pdf_text(planning.report(result, "pdf").data)
    assert "Trygghetsbedömning" in pdf and "BoTryggt 2030" in pdf and "Belysning" in pdf
    flat = " ".join(pdf.split())
    assert "Antal under 3 visas som '<3'" in flat and "<N" not in flat  # the threshold, filled in


def test_a_plan_area_without_data_gives_an_honest_report(demo):
    store, settings, org_id, _, period, _ = demo
    kiruna = plan_area([shapely.box(850_000, 7_530_000, 850_400, 7_530_300)], source="kiruna")
    empty = planning.check(store, settings, org_id, kiruna, buffer_m=200, period=period, name="Fjället")
    assert empty.figures.is_empty
    built = planning.report(empty, "html")
    text = " ".join(parse(built.data).text)
    assert "underlaget saknas, inte att platsen är trygg" in text
    assert "utanför kommunens redovisningsområden" in text
    assert "Inga polisanmälda händelser med känd plats" in text
    pdf = pdf_text(planning.report(empty, "pdf").data)
    assert "Fjället" in pdf and "Checklista enligt BoTryggt 2030" in pdf


def test_user_text_is_escaped_in_the_report(demo):
    store, settings, org_id, plan, period, _ = demo
    hostile = planning.check(store, settings, org_id, plan, buffer_m=100, period=period,
                             name='<script>window.__x=1</script>', reference='"><img src=x>')
    checklist = [{"key": "lighting", "assessment": "needs_action", "comment": "<b>Mörkt</b> & blött"}]
    html = planning.report(hostile, "html", checklist=checklist).data.decode()
    assert "<script>window" not in html and "<img src=x>" not in html and "<b>Mörkt" not in html
    assert "&lt;b&gt;Mörkt&lt;/b&gt; &amp; blött" in html


def test_saved_versions_keep_history_and_refuse_stale_saves(db_url):
    store = open_store(db_url)
    settings = Settings.load(db_url=db_url)
    org_id = make_org(store)
    area = plan_area([shapely.box(376400, 6400400, 376700, 6400600)], source="plan.geojson")
    period = planning.default_period(store, org_id)
    result = planning.check(store, settings, org_id, area, buffer_m=200, period=period, name="Norra kvarteret")
    # make_org's Norr: 20 in October and 4 in September 2026 (the 12 months up to 2026-10-20)
    assert period.start.isoformat() == "2025-10-21" and result.figures.total("incidents") == 24
    plan_id = planning.create(store, settings, org_id, result, name="Norra kvarteret",
                              reference="Dp 12", source="plan.geojson", actor="planerare")
    saved = planning.stored_plan(store, org_id, plan_id)
    assert saved["version"] == 1 and saved["geometry"].equals(area.geometry)
    assert [i["assessment"] for i in saved["checklist"]] == ["not_assessed"] * 9
    checklist = [{"key": "lighting", "assessment": "needs_action", "comment": "Belys gångvägen"}]
    assert planning.save(store, settings, org_id, plan_id, 1, result, checklist, note="Efter samråd",
                         actor="planerare") == 2
    wider = planning.check(store, settings, org_id, area, buffer_m=400, period=period)
    with pytest.raises(ConflictError, match="version 2"):
        planning.save(store, settings, org_id, plan_id, 1, wider, [], note=None, actor="kollega")
    assert planning.save(store, settings, org_id, plan_id, 2, wider, checklist, note=None, actor="kollega") == 3
    history = planning.history(store, org_id, plan_id)
    assert [v["version"] for v in history] == [3, 2, 1]
    assert [v["buffer_m"] for v in history] == [400, 200, 200]
    assert history[1]["note"] == "Efter samråd" and history[1]["saved_by"] == "planerare"
    assert history[1]["checklist"][5]["assessment"] == "needs_action"
    assert history[2]["checklist"][5]["assessment"] == "not_assessed"  # version 1 is unchanged
    assert history[0]["figures"]["incidents"] == {"inside": "24", "ring": "0"}
    with pytest.raises(Exception, match="finns redan"):
        planning.create(store, settings, org_id, result, name="Norra kvarteret", reference=None,
                        source=None, actor="planerare")
    other = make_other_org(store)
    with pytest.raises(NotFoundError):
        planning.stored_plan(store, other, plan_id)
    with pytest.raises(NotFoundError):
        planning.history(store, other, plan_id)
    with store.engine.connect() as conn:
        verbs = conn.execute(sa.text("SELECT verb FROM audit_log WHERE entity = 'plan_area' "
                                     "ORDER BY id")).scalars().all()
    assert verbs == ["insert", "update", "update"]
    planning.remove(store, org_id, plan_id, actor="planerare")
    with pytest.raises(NotFoundError):
        planning.stored_plan(store, org_id, plan_id)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM plan_assessment")).scalar() == 0


def make_other_org(store) -> int:
    with store.transaction() as conn:
        return repo.ensure_organisation(conn, "Grannkommunen")


def _write(tmp_path, name: str, geometry, crs="EPSG:3006") -> str:
    path = tmp_path / name
    gpd.GeoDataFrame({"namn": ["Planområde"]}, geometry=[geometry], crs=crs).to_file(path, driver="GeoJSON")
    return str(path)


def test_cli_writes_the_planning_report(demo, demo_db, tmp_path, capsys):
    *_, plan, period, result = demo
    area = _write(tmp_path, "dp_hassleholmen.geojson", plan.geometry)
    out = tmp_path / "ut" / "bedomning.pdf"
    assert main(["report", "planning", "--db", demo_db, "--area", area, "--buffer", "150",
                 "--out", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["buffer_m"] == 150 and payload["name"] == "dp_hassleholmen"
    assert payload["period"] == {"start": str(period.start), "end": str(period.end)}
    assert not payload["empty"]
    text = pdf_text(out.read_bytes())
    assert "Trygghetsbedömning – dp_hassleholmen" in text and "Omgivning 150 m" in text
    assert not list(out.parent.glob(".*.part"))


def test_cli_repairs_a_self_intersecting_area_and_says_so(demo, demo_db, tmp_path, capsys):
    c = demo[3].geometry.centroid
    bow_tie = Polygon([(c.x, c.y), (c.x + 300, c.y + 300), (c.x + 300, c.y), (c.x, c.y + 300)])
    area = _write(tmp_path, "fjaril.geojson", bow_tie)
    assert main(["report", "planning", "--db", demo_db, "--area", area, "--out",
                 str(tmp_path / "b.html"), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert any("reparerades" in note for note in payload["notes"])
    assert "reparerades" in (tmp_path / "b.html").read_text()


def test_cli_reports_a_saved_plan_with_its_checklist(demo, demo_db, tmp_path, capsys):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(demo_db.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    store, settings = open_store(url), Settings.load(db_url=url)
    _, _, org_id, _, _, result = demo
    plan_id = planning.create(store, settings, org_id, result, name="Dp Hässleholmen", reference="Dp 3",
                              source="test", actor="planerare")
    planning.save(store, settings, org_id, plan_id, 1, result,
                  [{"key": "lighting", "assessment": "needs_action", "comment": "Belys tunneln"}],
                  note=None, actor="planerare")
    out = tmp_path / "saved.html"
    assert main(["report", "planning", "--db", url, "--plan", "Dp Hässleholmen", "--out", str(out)]) == 0
    text = " ".join(parse(out.read_bytes()).text)
    assert "Behöver åtgärdas" in text and "Belys tunneln" in text and "version 2" in text
    assert main(["report", "planning", "--db", url, "--plan", "Finns inte", "--out", str(out)]) == 2
    assert "Dp Hässleholmen" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    ([], "--area FIL eller en sparad plan"),
    (["--area", "saknas.geojson"], "finns inte"),
    (["--area", "AREA", "--buffer", "5000"], "0–2000"),
    (["--area", "POINTS"], "bara punkter"),
])
def test_cli_planning_errors_are_one_sentence(demo_db, tmp_path, capsys, args, message):
    area = _write(tmp_path, "plan.geojson", shapely.box(376400, 6400400, 376700, 6400600))
    points = _write(tmp_path, "punkter.geojson", shapely.MultiPoint([(376400, 6400400), (376500, 6400500)]))
    args = [{"AREA": area, "POINTS": points}.get(a, a) for a in args]
    out = tmp_path / "x.pdf"
    assert main(["report", "planning", "--db", demo_db, *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_default_period_is_the_last_twelve_months_of_data(demo):
    store, _, org_id, _, period, _ = demo
    _, latest = repo.data_extent(store.engine, "incident", [org_id])
    assert period.end == latest.date() and 364 <= period.days <= 366



def test_the_demo_has_a_saved_plan_with_two_assessed_areas(demo):
    store, _, org_id, *_ = demo
    plan_id = planning.find(store, org_id, "Detaljplan för Norrby centrum (DEMO)")
    saved = planning.stored_plan(store, org_id, plan_id)
    assert saved["reference"] == "Dp DEMO 2026:1" and saved["buffer_m"] == 200
    assessed = {i["key"]: i["assessment"] for i in saved["checklist"] if i["assessment"] != "not_assessed"}
    assert assessed == {"lighting": "needs_action", "social_control": "partly"}
    lighting = next(i for i in saved["checklist"] if i["key"] == "lighting")
    assert "belysning inom 200 m" in lighting["suggestion"]


def norra_check(db_url: str, name: str):
    """make_org's town and the check of a 6 ha plan in Norr over the default period:
    (store, settings, organisation id, check)."""
    store = open_store(db_url)
    settings = Settings.load(db_url=db_url)
    org_id = make_org(store)
    area = plan_area([shapely.box(376400, 6400400, 376700, 6400600)], source="plan.geojson")
    result = planning.check(store, settings, org_id, area, buffer_m=200,
                            period=planning.default_period(store, org_id), name=name)
    return store, settings, org_id, result


def test_a_failed_save_of_a_new_plan_leaves_nothing_behind(sqlite_url, monkeypatch):
    store, settings, org_id, result = norra_check(sqlite_url, "Kvarteret")

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disken är full")

    monkeypatch.setattr("workbench.store.planning.audit", broken_audit)
    with pytest.raises(RuntimeError):
        planning.create(store, settings, org_id, result, name="Kvarteret", reference=None,
                        source=None, actor="planerare")
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM plan_area")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM plan_assessment")).scalar() == 0
    monkeypatch.undo()
    assert planning.create(store, settings, org_id, result, name="Kvarteret", reference=None,
                           source=None, actor="planerare") > 0  # the name is still free
