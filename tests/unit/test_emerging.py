"""Emerging hot spots: the space-time Gi* against esda, Mann-Kendall against a hand-computed
example and pymannkendall, Esri's categories on hand-made series, planted patterns recovered."""

from __future__ import annotations

import warnings
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from workbench.geo.grid import Grid
from workbench.hotspots.emerging import (
    CLASS_EXPLANATIONS_SV,
    CLASS_LABELS_SV,
    CLASSES,
    TooFewSteps,
    classify_series,
    default_span,
    emerging_hotspots,
    space_time_gi_star,
    time_steps,
)
from workbench.hotspots.gistar import queen_graph
from workbench.hotspots.mann_kendall import mann_kendall
from workbench.services.emerging import line_sv


def test_single_step_equals_esda_g_local():
    import esda

    counts = np.random.default_rng(3).poisson(1.5, (9, 11)).astype(float)
    counts[4, 5] = 14
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = esda.G_Local(counts.ravel(), queen_graph(9, 11), transform="B", star=True,
                                permutations=0).Zs
    z = space_time_gi_star(counts[None])[0].ravel()
    np.testing.assert_allclose(z, expected, rtol=1e-10, atol=1e-12)


def test_study_area_mask_equals_esda_on_the_cells_inside():
    """Cells outside the study area are neither bins nor neighbours: the Gi* of the cells inside
    equals esda's on the queen graph restricted to them."""
    import esda
    from libpysal.graph import Graph

    rng = np.random.default_rng(12)
    counts = rng.poisson(2.0, (8, 10)).astype(float)
    inside = np.ones((8, 10), dtype=bool)
    inside[:3, :4] = False  # a corner outside the kommun
    inside[7, 9] = False
    counts[~inside] = 50  # events outside must not matter
    keep = np.flatnonzero(inside.ravel())
    matrix = queen_graph(8, 10).sparse.tocsr()[keep][:, keep]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = esda.G_Local(counts.ravel()[keep], Graph.from_sparse(matrix), transform="B",
                                star=True, permutations=0).Zs
    z = space_time_gi_star(counts[None], inside)[0]
    np.testing.assert_allclose(z.ravel()[keep], expected, rtol=1e-10, atol=1e-12)
    assert (z[~inside] == 0).all()


def test_second_step_neighbourhood_includes_the_previous_step():
    """Brute force for one bin: its 9 spatial neighbours in steps 1 and 0 (18 bins), cube moments."""
    cube = np.random.default_rng(5).poisson(2, (3, 5, 6)).astype(float)
    t, r, c = 1, 2, 3
    x = cube.ravel()
    n, mean = x.size, x.mean()
    s = np.sqrt((x ** 2).mean() - mean ** 2)
    local = cube[t - 1:t + 1, r - 1:r + 2, c - 1:c + 2].sum()
    w = 18
    expected = (local - mean * w) / (s * np.sqrt((n * w - w * w) / (n - 1)))
    assert space_time_gi_star(cube)[t, r, c] == pytest.approx(expected, rel=1e-12)
    # a corner in step 0: 4 spatial neighbours (itself included), no earlier step
    w0, local0 = 4, cube[0, 0:2, 0:2].sum()
    expected0 = (local0 - mean * w0) / (s * np.sqrt((n * w0 - w0 * w0) / (n - 1)))
    assert space_time_gi_star(cube)[0, 0, 0] == pytest.approx(expected0, rel=1e-12)


def test_mann_kendall_hand_example_with_ties():
    """x = 2, 2, 3, 1, 4 by hand: pairs (i<j) sign(xj − xi): from 2: 0,+,−,+; from 2: +,−,+;
    from 3: −,+; from 1: + → S = 1 + 1 + 0 + 1 = 3. One tie group of 2: Var = (5·4·15 − 2·1·9)/18
    = 282/18 = 15.667; z = (3 − 1)/√15.667 = 0.505; p = 0.613."""
    trend = mann_kendall(np.array([[2.0, 2.0, 3.0, 1.0, 4.0]]))
    assert trend.s[0] == 3
    assert trend.var_s[0] == pytest.approx(282 / 18)
    assert trend.z[0] == pytest.approx(2 / np.sqrt(282 / 18))
    assert round(float(trend.p[0]), 3) == 0.613


def test_mann_kendall_equals_pymannkendall_with_ties():
    import pymannkendall  # a dev dependency (make test installs it): missing is a failure
    rng = np.random.default_rng(8)
    series = np.vstack([rng.integers(0, 4, (40, 24)).astype(float),  # many ties
                        rng.normal(0, 1, (20, 24)).cumsum(axis=1),  # trends
                        np.zeros((1, 24))])  # constant: no trend
    trend = mann_kendall(series)
    for i, row in enumerate(series):
        lib = pymannkendall.original_test(row)
        assert trend.s[i] == lib.s
        assert trend.var_s[i] == pytest.approx(lib.var_s)
        assert trend.z[i] == pytest.approx(lib.z, abs=1e-12)
        assert trend.p[i] == pytest.approx(lib.p, abs=1e-12)


def _flags(pattern: str) -> np.ndarray:
    return np.array([ch == "H" for ch in pattern]), np.array([ch == "C" for ch in pattern])


@pytest.mark.parametrize(("pattern", "trend_z", "expected"), [
    ("..........H", 0.0, "hot_new"),
    (".......HHHH", 0.0, "hot_consecutive"),
    ("HHHHHHHHHHH", 3.0, "hot_intensifying"),
    ("HHHHHHHHHHH", 0.0, "hot_persistent"),
    ("HHHHHHHHHHH", -3.0, "hot_diminishing"),
    (".HH..H...HH", 0.0, "hot_sporadic"),
    ("..C.....HHH", 0.0, "hot_oscillating"),
    ("C.........H", 0.0, "hot_oscillating"),  # our reading: a cold history outranks 'new'
    ("HHHHHHHHHH.", 0.0, "hot_historical"),
    ("CCCCCCCCCCC", -3.0, "cold_intensifying"),
    ("CCCCCCCCCCC", 3.0, "cold_diminishing"),
    ("..........C", 0.0, "cold_new"),
    ("...........", 0.0, "none"),
    ("HH.........", 0.0, "none"),
])
def test_esri_categories(pattern, trend_z, expected):
    hot, cold = _flags(pattern)
    p = np.array([0.001 if trend_z else 0.9])
    assert classify_series(hot[None], cold[None], np.array([trend_z]), p)[0] == expected


def test_every_class_has_a_swedish_label_and_explanation():
    assert set(CLASS_LABELS_SV) == set(CLASSES) == set(CLASS_EXPLANATIONS_SV)
    assert CLASS_LABELS_SV["cold_new"] == "Ny cold-spot"
    assert "aldrig som hot-spot" in CLASS_EXPLANATIONS_SV["cold_sporadic"]


def test_time_steps_are_whole_calendar_steps():
    weeks = time_steps("week", date(2026, 1, 1), date(2026, 2, 1))  # 1 Jan 2026 is a Thursday
    assert weeks[0] == (date(2026, 1, 5), date(2026, 1, 11)) and weeks[-1][1] == date(2026, 2, 1)
    months = time_steps("month", date(2025, 1, 15), date(2026, 12, 30))
    assert months[0][0] == date(2025, 2, 1) and months[-1] == (date(2026, 11, 1), date(2026, 11, 30))
    assert default_span("month", date(2026, 11, 20)) == (date(2024, 11, 1), date(2026, 10, 31))
    assert default_span("month", date(2026, 10, 31)) == (date(2024, 11, 1), date(2026, 10, 31))


def test_too_few_steps_is_a_clear_swedish_message():
    grid = Grid(0, 0, 100, 3, 3)
    with pytest.raises(TooFewSteps, match="minst 4 och bör ha 10"):
        emerging_hotspots(np.array([50.0]), np.array([50.0]), pd.Series([datetime(2026, 1, 5)]),
                          grid, "month", time_steps("month", date(2026, 1, 1), date(2026, 3, 31)))


def planted(seed: int = 21) -> tuple[pd.DataFrame, Grid, list]:
    """24 months on a 20 × 20 grid of 100 m cells with a Poisson background, and three planted
    places: a burst in the last month only (new), a burst over the last three months (a hot spot
    that appeared in the last quarter: consecutive) and a place whose many events fall steadily
    (diminishing)."""
    rng = np.random.default_rng(seed)
    grid = Grid(0.0, 0.0, 100.0, 20, 20)
    steps = time_steps("month", date(2024, 1, 1), date(2025, 12, 31))
    xs, ys, ts = [], [], []

    def add(cx: float, cy: float, month: int, n: int, spread: float) -> None:
        first, last = steps[month]
        xs.extend(rng.uniform(cx - spread, cx + spread, n))
        ys.extend(rng.uniform(cy - spread, cy + spread, n))
        days = (last - first).days + 1
        ts.extend(pd.Timestamp(first) + pd.to_timedelta(rng.integers(0, days * 24, n), unit="h"))

    for month in range(24):
        add(1000, 1000, month, rng.poisson(200), 1000)  # background over the whole grid
        add(1650, 1650, month, int(round(40 - 30 * month / 23)), 40)  # diminishing, cell (16, 16)
    add(350, 350, 23, 30, 40)  # new, cell (3, 3)
    for month in (21, 22, 23):
        add(1050, 350, month, 25, 40)  # consecutive, cell (3, 10)
    frame = pd.DataFrame({"x": xs, "y": ys, "time": ts})
    return frame, grid, steps


def test_planted_patterns_are_recovered():
    frame, grid, steps = planted()
    result = emerging_hotspots(frame["x"].to_numpy(), frame["y"].to_numpy(), frame["time"],
                               grid, "month", steps)
    classes = result.emerging_class.reshape(20, 20)
    assert classes[3, 3] == "hot_new"
    assert classes[3, 10] == "hot_consecutive"
    assert classes[16, 16] == "hot_diminishing"
    assert result.trend_z.reshape(20, 20)[16, 16] < 0 and result.trend_p.reshape(20, 20)[16, 16] < 0.05
    far = classes[8:13, 0:6]  # background far from every planted place: no hot pattern
    assert not any(str(c).startswith("hot") for c in far.ravel())
    frame_out = result.frame()
    assert list(frame_out.columns[:7]) == ["cell_id", "row", "col", "emerging_class", "trend_z",
                                           "trend_p", "total"]
    assert frame_out.columns[7] == "2024-01" and frame_out.columns[-1] == "2025-12"
    assert int(frame_out["total"].sum()) == len(frame)


def test_meeting_line():
    assert line_sv({"hot_new": 2, "hot_intensifying": 1}) == "2 nya hot-spot-rutor, 1 intensifierande"
    assert line_sv({"hot_intensifying": 3}) == "3 intensifierande hot-spot-rutor"
    assert line_sv({"cold_new": 3}) == ""


def test_service_limits_the_cube_to_the_study_area():
    from shapely.geometry import box

    from workbench.filters import EventFilter
    from workbench.services import emerging

    frame, grid, _ = planted()
    events = frame.assign(category="skadegorelse", source="police", precision="exact")
    extent = (0.0, 0.0, 1999.0, 1999.0)
    whole = emerging.run(events, extent, EventFilter(date(2024, 1, 1), date(2025, 12, 31)), 100, "month")
    west = emerging.run(events, extent, EventFilter(date(2024, 1, 1), date(2025, 12, 31)), 100, "month",
                        boundary=box(0, 0, 999, 1999))
    assert whole.n_events == len(frame)
    cols = np.arange(400) % 20
    assert west.n_events == int(whole.counts[:, cols < 10].sum())  # events outside are not bins
    assert set(west.emerging_class[cols >= 10]) == {"none"}
    assert west.emerging_class.reshape(20, 20)[3, 3] == "hot_new"  # the planted cell is inside


def test_few_events_and_few_steps_are_said():
    frame, grid, steps = planted()
    few = frame.sample(60, random_state=1)
    result = emerging_hotspots(few["x"].to_numpy(), few["y"].to_numpy(), few["time"], grid, "month",
                               steps[-6:])
    warnings_sv = result.warnings_sv()
    assert warnings_sv[0].startswith("Bara 6 tidssteg: trenden och mönstren är osäkra")
    n = result.n_events
    assert warnings_sv[1] == f"Bara {n} händelser på 6 tidssteg: för få för säkra mönster, resultatet är osäkert."
    full = emerging_hotspots(frame["x"].to_numpy(), frame["y"].to_numpy(), frame["time"], grid, "month",
                             steps)
    assert full.warnings_sv() == []
