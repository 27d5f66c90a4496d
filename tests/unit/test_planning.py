"""The planning domain: plan-area repair and rejection, zones by exact distance, checklist."""

from __future__ import annotations

from datetime import date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from workbench.planning.area import (
    PlanAreaError,
    check_buffer,
    geometry_zone,
    plan_area,
    surroundings,
    zone_codes,
)
from workbench.planning.checklist import (
    AREA_KEYS,
    ASSESSMENTS,
    BOTRYGGT_AREAS,
    blank_checklist,
    clean_checklist,
    suggestions,
)
from workbench.planning.figures import concerns_planning, planning_figures
from workbench.reports.common import Numbers
from workbench.situation import Period

X, Y = 376_000.0, 6_400_000.0  # near Borås, SWEREF 99 TM
SQUARE = shapely.box(X, Y, X + 300, Y + 200)


def test_a_valid_polygon_is_kept_as_it_is():
    area = plan_area([SQUARE], source="plan.geojson")
    assert area.geometry.equals(SQUARE)
    assert area.notes == ()
    assert area.area_m2 == pytest.approx(60_000)


def test_a_self_intersecting_bow_tie_is_repaired_and_the_repair_is_said():
    bow_tie = Polygon([(X, Y), (X + 200, Y + 200), (X + 200, Y), (X, Y + 200), (X, Y)])
    assert not bow_tie.is_valid
    area = plan_area([bow_tie], source="plan.geojson")
    assert area.geometry.is_valid
    assert area.area_m2 == pytest.approx(20_000)  # two triangles of 100 × 200 / 2 … each 10 000 m²
    assert any("reparerades" in note for note in area.notes)
    assert any("2 delytor" in note for note in area.notes)


def test_a_polygon_that_collapses_to_nothing_is_rejected_clearly():
    flat = Polygon([(X, Y), (X + 100, Y), (X + 200, Y), (X, Y)])  # zero area
    with pytest.raises(PlanAreaError, match=r"plan\.geojson: .*polygon"):
        plan_area([flat], source="plan.geojson")


def test_only_points_are_rejected_and_open_lines_are_rejected():
    with pytest.raises(PlanAreaError, match="bara punkter"):
        plan_area([Point(X, Y), Point(X + 10, Y)], source="punkter.geojson")
    with pytest.raises(PlanAreaError, match="ingen sluten yta"):
        plan_area([LineString([(X, Y), (X + 100, Y), (X + 100, Y + 100)])], source="plan.dxf")
    with pytest.raises(PlanAreaError, match="ingen geometri"):
        plan_area([None, Polygon()], source="tom.geojson")


def test_closed_cad_lines_become_the_plan_area():
    ring = LineString(list(SQUARE.exterior.coords))
    area = plan_area([ring, Point(X + 5, Y + 5)], source="plan.dxf")
    assert area.geometry.equals(SQUARE)
    assert any("linje" in n for n in area.notes) and any("punkt" in n for n in area.notes)


def test_implausible_sizes_and_places_are_rejected():
    with pytest.raises(PlanAreaError, match="m²"):
        plan_area([shapely.box(X, Y, X + 5, Y + 5)], source="liten.geojson")
    with pytest.raises(PlanAreaError, match="km²"):
        plan_area([shapely.box(X, Y, X + 10_000, Y + 10_000)], source="stor.geojson")
    with pytest.raises(PlanAreaError, match="inte i Sverige"):  # WGS 84 degrees read as metres
        plan_area([shapely.box(12.9, 57.7, 12.9 + 300, 57.7 + 300)], source="grader.geojson")


def test_buffer_is_validated():
    assert check_buffer(200) == 200.0
    for bad in (-1, 2001, float("nan")):
        with pytest.raises(PlanAreaError, match="0–2000"):
            check_buffer(bad)


def test_zones_use_the_exact_distance_to_the_boundary():
    xs = np.array([X + 150, X + 300, X - 199.9, X - 200.1, X + 300 + 141.0, X + 300 + 142.0, np.nan])
    ys = np.array([Y + 100, Y + 100, Y + 100, Y + 100, Y + 200 + 141.0, Y + 200 + 142.0, Y])
    codes = zone_codes(SQUARE, 200, xs, ys)
    # inside; on the boundary (inside); 199.9 m west; 200.1 m west; 199.4 m NE; 200.8 m NE; no position
    assert codes.tolist() == [1, 1, 2, 0, 2, 0, 0]
    direct = [0 if np.isnan(x) else 1 if SQUARE.intersects(Point(x, y)) else
              2 if SQUARE.distance(Point(x, y)) <= 200 else 0 for x, y in zip(xs, ys, strict=True)]
    assert codes.tolist() == direct


def test_geometry_zone_and_the_drawn_ring():
    cells = [shapely.box(X + 100, Y + 100, X + 350, Y + 350), shapely.box(X + 400, Y, X + 650, Y + 250),
             shapely.box(X + 600, Y, X + 850, Y + 250)]
    assert geometry_zone(SQUARE, 200, cells).tolist() == [1, 2, 0]
    ring = surroundings(SQUARE, 200)
    assert not ring.intersects(SQUARE.buffer(-1))
    assert ring.area == pytest.approx(SQUARE.buffer(200, quad_segs=16).area - SQUARE.area)


def test_planning_commitments_are_recognised():
    assert concerns_planning("Inkludera trygghetsaspekten i byggprocessen och samhällsplaneringen")
    assert concerns_planning("Medverka i stadens byggprocess och samhällsplanering")
    assert concerns_planning("Verka för trygga offentliga miljöer utifrån aktuell kunskap")
    assert concerns_planning("se över belysningen samt gallring av buskage")
    assert not concerns_planning("Identifiera hot-spots och arbeta med insatser kring dessa")
    assert not concerns_planning("")


def _frames():
    """A small town around SQUARE: incidents, fault reports and walk notes at known places."""
    t = pd.Timestamp("2026-06-10 22:15")
    inside, ring, far = (X + 50, Y + 50), (X - 100, Y + 50), (X + 2000, Y + 2000)
    events = pd.DataFrame({
        "kind": "incident", "source": "police",
        "category": ["bostadsinbrott"] * 4 + ["misshandel"] * 2 + ["cykelstold", "vald_i_nara_relation", "stold"],
        "time": [t] * 6 + [t.replace(hour=9)] + [t] + [pd.Timestamp("2025-01-01")],
        "x": [inside[0]] * 3 + [ring[0]] + [inside[0], far[0]] + [ring[0], inside[0], inside[0]],
        "y": [inside[1]] * 3 + [ring[1]] + [inside[1], far[1]] + [ring[1], inside[1], inside[1]],
        "precision": ["exact"] * 9, "area_id": pd.array([1] * 9, dtype="Int64"),
    })
    area_level = pd.DataFrame({"kind": ["incident"], "source": ["police"], "category": ["ran"],
                               "time": [t], "x": [X + 10], "y": [Y + 10], "precision": ["area"],
                               "area_id": pd.array([1], dtype="Int64")})
    faults = pd.DataFrame({
        "source": ["municipality"] * 4 + ["housing"],
        "category": ["belysning"] * 3 + ["klotter", "klotter"],
        "reported_at": [t] * 5, "fixed_at": [t + pd.Timedelta(days=2), pd.NaT, pd.NaT, pd.NaT,
                                             t + pd.Timedelta(days=4)],
        "status": ["Åtgärdad", "Mottagen", None, None, "Åtgärdad"],
        "x": [inside[0]] * 3 + [ring[0], far[0]], "y": [inside[1]] * 3 + [ring[1], far[1]],
        "precision": ["exact"] * 5,
    })
    walks = pd.DataFrame({"category": ["belysning", "skymd_sikt", "otrygg_passage"],
                          "observed_at": [t, t, pd.Timestamp("2026-05-02")],
                          "status": ["ny", "åtgärdad", "pågår"], "x": [ring[0], inside[0], inside[0]],
                          "y": [ring[1], inside[1], inside[1]], "precision": ["exact"] * 3})
    return pd.concat([events, area_level], ignore_index=True), faults, walks


def _figures(**overrides):
    events, faults, walks = _frames()
    areas = pd.DataFrame({"id": [1, 2], "name": ["Norr", "Långt bort"],
                          "geometry": [shapely.box(X - 1000, Y - 1000, X + 1000, Y + 1000),
                                       shapely.box(X + 5000, Y + 5000, X + 6000, Y + 6000)]})
    places = pd.DataFrame({"id": [7, 8], "name": ["Gångtunneln", "Torget långt bort"],
                           "kind": ["gångtunnel", "torg"],
                           "geometry": [Point(X - 50, Y).buffer(20), Point(X + 3000, Y).buffer(20)]})
    actions = pd.DataFrame({"id": [1, 2, 3], "text": ["Byt armaturer", "Klotter", "Klar"],
                            "responsible_party": ["Kommunen"] * 3, "status": ["pågår", "planerad", "genomförd"],
                            "due_date": [date(2026, 12, 1)] * 3, "place_id": [7, 8, 7],
                            "overdue": [False] * 3})
    analyses = pd.DataFrame({"place_id": [7], "problem": ["Mörk tunnel"], "hypotheses": [None],
                             "created_at": [datetime(2026, 3, 1)]})
    commitments = pd.DataFrame({"agreement": ["Överenskommelse"] * 2, "kind": ["agreement"] * 2,
                                "focus_area": ["Trygga miljöer"] * 2, "party": ["Kommunen", "Polisen"],
                                "text": ["inkludera trygghetsaspekten i samhällsplaneringen",
                                         "arbeta med hot-spots"]})
    indicators = pd.DataFrame({"area_id": [1, 1], "year": [2024, 2025],
                               "indicator": ["Otrygg ute sent (%)"] * 2, "value": [30.0, 34.0]})
    cells = pd.DataFrame({"x0": [X, X + 2500], "y0": [Y, Y], "cell": [250, 250],
                          "class": ["hot_99", "hot_95"], "count": [9, 5]})
    args = dict(plan=SQUARE, buffer_m=200, period=Period(date(2026, 1, 1), date(2026, 12, 31)),
                events=events, faults=faults, walks=walks, hot_cells=cells, places=places,
                actions=actions, analyses=analyses, commitments=commitments, areas=areas,
                indicators=indicators, sensitive=frozenset({"vald_i_nara_relation"}))
    return planning_figures(**(args | overrides))


def test_figures_count_every_source_by_zone():
    f = _figures()
    incidents = f.incidents.set_index("category")
    assert incidents.loc["bostadsinbrott", ["inside", "ring"]].tolist() == [3, 1]
    assert incidents.loc["misshandel", ["inside", "ring"]].tolist() == [1, 0]  # the far one is out
    assert incidents.loc["cykelstold", ["inside", "ring"]].tolist() == [0, 1]
    assert "vald_i_nara_relation" not in incidents.index  # never placed by point
    assert "stold" not in incidents.index  # outside the period
    # the area-level robbery and the sensitive event are counted apart for the district, never placed
    assert f.incidents_area_level == 2
    near_only = _figures(plan=shapely.box(X + 1050, Y, X + 1150, Y + 100))  # 50 m outside Norr
    assert near_only.districts["share"].tolist() == [0.0] and near_only.incidents_area_level == 0
    times = f.incident_times.set_index("band")
    assert times.loc["Kväll 18–24", "inside"] == 4 and times.loc["Förmiddag 06–12", "ring"] == 1
    faults = f.faults.set_index(["source", "category"])
    assert faults.loc[("municipality", "belysning"), ["inside", "ring", "open"]].tolist() == [3, 0, 2]
    assert faults.loc[("municipality", "klotter"), ["inside", "ring", "open"]].tolist() == [0, 1, 1]
    assert ("housing", "klotter") not in faults.index  # far away
    assert f.fault_median_days == pytest.approx(2.0)
    assert f.repeat_spots["reports"].tolist() == [3] and f.repeat_spots["zone"].tolist() == [1]
    walks = f.walks.set_index("category")
    assert walks.loc["belysning", ["inside", "ring", "open"]].tolist() == [0, 1, 1]
    assert walks.loc["skymd_sikt", "open"] == 0  # åtgärdad
    assert f.last_walk == date(2026, 6, 10)
    assert f.hot_cells["class"].tolist() == ["hot_99"]
    assert f.places["name"].tolist() == ["Gångtunneln"] and f.places["open_actions"].tolist() == [1]
    assert f.actions["text"].tolist() == ["Byt armaturer"]
    assert f.analyses["problem"].tolist() == ["Mörk tunnel"]
    assert f.commitments["party"].tolist() == ["Kommunen"]
    assert f.districts["name"].tolist() == ["Norr"] and f.districts["share"].iloc[0] == pytest.approx(1.0)
    assert f.indicators[["year", "value"]].values.tolist() == [[2025, 34.0]]
    assert not f.is_empty


def test_suggestions_speak_from_the_data_and_hide_small_counts():
    f = _figures()
    text = suggestions(f, Numbers(3))
    assert set(text) == set(AREA_KEYS)
    # 3 + <3: the total would reveal the hidden part, so it is not given
    assert text["lighting"].startswith("Anmärkningar om belysning inom 200 m")
    assert "3 felanmälningar om trasig belysning" in text["lighting"]
    assert "<3 iakttagelser från trygghetsvandringar" in text["lighting"]
    assert "1 plats med upprepade" in text["lighting"]
    assert "4 inbrott" in text["perimeter"] and "<3 cykelstölder" in text["perimeter"]
    assert "; gångtunnel i närheten (Gångtunneln)." in text["design"]
    assert "1 signifikant hot-spot-ruta" in text["design"]
    assert "Norr 2025: Otrygg ute sent (%) 34" in text["mixed_people"]
    assert "1 öppen åtgärd" in text["information"] and "1 åtagande" in text["information"]
    # 5 of 6 placed incidents in the evening: shown as a share only when neither count is hidden
    assert text["mixed_functions"].startswith("5 av 6 polisanmälda händelser inom 200 m skedde kväll "
                                              "eller natt (18–06, 83 %).")
    hidden = suggestions(f, Numbers(10))
    assert "83 %" not in hidden["mixed_functions"] and "<10 av <10" in hidden["mixed_functions"]


def test_an_area_without_data_is_empty_and_says_so():
    far = shapely.box(X + 20_000, Y + 20_000, X + 20_300, Y + 20_200)
    f = _figures(plan=far)
    assert f.is_empty
    assert f.total("incidents") == 0 and f.districts.empty
    text = suggestions(f, Numbers(3))
    assert text["lighting"] == "Inga anmärkningar om belysning inom 200 m."
    assert text["mixed_people"] == "Planområdet ligger utanför kommunens redovisningsområden."


def test_checklist_is_cleaned_and_validated():
    assert [a.key for a in BOTRYGGT_AREAS] == list(AREA_KEYS) and len(AREA_KEYS) == 9
    blank = blank_checklist({"lighting": "7 anmärkningar"})
    assert [i["assessment"] for i in blank] == ["not_assessed"] * 9
    items = [{"key": "lighting", "assessment": "needs_action", "comment": "  Belys gångvägen  "}]
    cleaned = clean_checklist(items, {"lighting": "7 anmärkningar"})
    assert cleaned[5] == {"key": "lighting", "assessment": "needs_action", "comment": "Belys gångvägen",
                          "suggestion": "7 anmärkningar"}
    assert cleaned[0]["assessment"] == "not_assessed"
    with pytest.raises(ValueError, match="okänd bedömning"):
        clean_checklist([{"key": "design", "assessment": "bra"}], {})
    with pytest.raises(ValueError, match="okänt område"):
        clean_checklist([{"key": "trafik"}], {})
    assert set(ASSESSMENTS) >= {"not_assessed", "met", "partly", "needs_action", "not_applicable"}


def test_a_total_is_hidden_when_a_part_is():
    n = Numbers(3)
    assert n.total(2, 10) == "–" and n.total(0, 10) == "10" and n.total(3, 10) == "13"
    assert n.total(0, 0) == "0"


def test_user_text_in_the_plan_map_cannot_run_as_script():
    from workbench.maps.build import Basemap, map_html, tooltip_text
    from workbench.maps.plan_map import plan_check_map

    hostile = "Kv. `Eken` ${window.__x=1} <img src=x onerror=alert(1)> \\u0060"
    places = gpd.GeoDataFrame({"name": [hostile], "kind": ["torg"]}, geometry=[Point(X + 50, Y + 50)],
                              crs="EPSG:3006")
    html = map_html(plan_check_map(SQUARE, 200, districts=places.iloc[0:0].assign(name=[]),
                                   cells=[{"x0": X, "y0": Y, "cell": 250, "class": "hot_99"}],
                                   places=places, basemap=Basemap("none", ""), title=hostile))
    assert "${window" not in html and "`Eken`" not in html and "<img src=x" not in html
    assert html.count(tooltip_text(hostile)) >= 2  # the plan's and the place's tooltip, inert
    assert "\\u0060" not in tooltip_text(hostile)


def test_a_dollar_sign_in_a_name_is_drawn_as_written():
    from workbench.reports import static_map

    png = static_map.plan_map(SQUARE, 200, title=r"Plan $\x$ och $Eken$")
    assert png.startswith(b"\x89PNG")
