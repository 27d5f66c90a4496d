"""Near-repeat Knox table: brute force on a small set, PySAL pointpats' global Knox, a planted
burglary series recovered, exact band labels, guardrails."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from workbench.hotspots.near_repeat import (
    NearRepeatError,
    distance_label,
    knox_table,
    sv_p,
    time_label,
)
from workbench.services import near_repeat


def small_set(seed: int = 4, n: int = 60):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 800, n)
    y = rng.uniform(0, 800, n)
    days = rng.integers(0, 90, n)
    x[:10], y[:10], days[:10] = 400 + rng.normal(0, 30, 10), 400 + rng.normal(0, 30, 10), 20 + np.arange(10)
    return x, y, days


def brute_force(x, y, days, d_edges, t_edges):
    """Every unordered pair, classified one by one into half-open bands (last band open)."""
    table = np.zeros((len(d_edges), len(t_edges)), dtype=int)
    for i, j in itertools.combinations(range(len(x)), 2):
        d = np.hypot(x[i] - x[j], y[i] - y[j])
        t = abs(int(days[i]) - int(days[j]))
        di = max(k for k, e in enumerate(d_edges) if d >= e)
        ti = max(k for k, e in enumerate(t_edges) if t >= e)
        table[di, ti] += 1
    return table


def test_table_equals_brute_force_and_exact_expectation():
    x, y, days = small_set()
    d_edges, t_edges = (0, 100, 200, 400), (0, 7, 14, 30)
    table = knox_table(x, y, days, d_edges, t_edges, permutations=199, seed=1)
    observed = brute_force(x, y, days, d_edges, t_edges)
    np.testing.assert_array_equal(table.observed, observed)
    pairs = len(x) * (len(x) - 1) / 2
    np.testing.assert_allclose(table.expected,
                               np.outer(observed.sum(axis=1), observed.sum(axis=0)) / pairs)
    # the Monte Carlo mean of the permuted tables agrees with the exact expectation
    rng = np.random.default_rng(2)
    permuted = np.mean([brute_force(x, y, rng.permutation(days), d_edges, t_edges)
                        for _ in range(60)], axis=0)
    assert np.abs(permuted - table.expected).max() < 0.25 * table.expected.max()
    assert table.p[0, 0] < 0.05 and table.p.min() >= 1 / 200  # the planted cluster, and the floor


def test_a_pair_exactly_on_an_edge_goes_to_the_upper_band():
    x = np.r_[0.0, 100.0, np.arange(20) * 5000.0]
    y = np.zeros(22)
    days = np.r_[0, 7, np.arange(20) * 100 + 1000]
    table = knox_table(x, y, days, (0, 100, 200), (0, 7, 14), permutations=0)
    assert table.observed[1, 1] == 1 and table.observed[0, 0] == 0


def test_global_knox_equals_pointpats():
    # a dev dependency (make test installs it): missing is a failure, not a skip
    from pointpats import spacetime

    x, y, days = small_set(seed=9, n=80)
    table = knox_table(x, y, days, (0, 150), (0, 7), permutations=0)
    knox = spacetime.Knox(np.column_stack([x, y]), days.reshape(-1, 1).astype(float),
                          delta=150, tau=6.5, permutations=0)
    assert table.observed[0, 0] == knox.statistic_
    assert table.expected[0, 0] == pytest.approx(knox.expected[0, 0])
    np.testing.assert_array_equal(table.observed, knox.observed)


def burglary_series(seed: int = 3) -> pd.DataFrame:
    """400 burglaries over a year spread over a town, plus 12 series: after a first break-in,
    3–4 more within 150 m over the next 10 days."""
    rng = np.random.default_rng(seed)
    n = 400
    rows = {"x": rng.uniform(370000, 380000, n), "y": rng.uniform(6395000, 6405000, n),
            "time": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")}
    frame = pd.DataFrame(rows)
    series = []
    for _ in range(12):
        x0, y0 = rng.uniform(371000, 379000), rng.uniform(6396000, 6404000)
        t0 = pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 340)))
        for _ in range(int(rng.integers(3, 5))):
            angle, r = rng.uniform(0, 2 * np.pi), rng.uniform(0, 150)
            series.append({"x": x0 + r * np.cos(angle), "y": y0 + r * np.sin(angle),
                           "time": t0 + pd.Timedelta(days=int(rng.integers(0, 11)))})
    frame = pd.concat([frame, pd.DataFrame(series)], ignore_index=True)
    return frame.assign(category="bostadsinbrott", source="police", precision="exact")


def test_planted_near_repeat_series_is_recovered():
    events = burglary_series()
    table = near_repeat.run(events, ("bostadsinbrott",), permutations=499)
    assert table.p[0, 0] < 0.01 and table.ratio[0, 0] > 3  # 0–100 m, 0–6 days
    assert abs(table.ratio[-1, -1] - 1) < 0.01  # far and late: as chance (the margins are fixed)
    assert table.p[0, -1] > 0.05  # close but a month or more apart: no excess
    lines = table.readout_sv()
    assert lines and lines[0].startswith("Inom 0 till under 100 m och 0–6 dagar:")
    assert "gånger fler par än slumpen, p < 0,001" in lines[0] or ", p = 0,00" in lines[0]
    assert "near-repeat-mönster" in table.verdict_sv()
    # the same events without the series: no pattern
    plain = near_repeat.run(events.iloc[:400], ("bostadsinbrott",), permutations=199)
    assert not plain.significant() and "inget säkert" in plain.verdict_sv()


def test_area_and_snapped_rows_never_enter():
    events = burglary_series()
    moved = events.copy()
    moved.loc[400:, "precision"] = "area"  # the series as area-precision rows (police API)
    assert near_repeat.events_for(moved, ("bostadsinbrott",), None, None).shape[0] == 400
    moved.loc[400:, "precision"] = "snapped"
    assert not near_repeat.run(moved, ("bostadsinbrott",), permutations=99).significant()


def test_labels_are_exact_half_open_bands():
    assert distance_label(0, 100) == "0 till under 100 m"
    assert distance_label(400, None) == "400 m eller mer"
    assert distance_label(1000, 2000) == "1\u202f000 till under 2\u202f000 m"
    assert time_label(0, 7) == "0–6 dagar" and time_label(30, None) == "30 dagar eller mer"
    assert time_label(1, 2) == "1 dag"
    assert sv_p(0.0004) == "p < 0,001" and sv_p(0.002) == "p = 0,002" and sv_p(0.43) == "p = 0,43"


def test_guardrails():
    x, y, days = small_set(n=60)
    with pytest.raises(NearRepeatError, match="minst 20"):
        knox_table(x[:5], y[:5], days[:5])
    with pytest.raises(NearRepeatError, match="Första gränsen"):
        knox_table(x, y, days, (50, 100))
    with pytest.raises(NearRepeatError, match="ska öka"):
        knox_table(x, y, days, (0, 200, 100))


def test_attention_zones_follow_recent_events_of_a_significant_pattern():
    from datetime import date

    from workbench.geo.grid import grid_over
    from workbench.hotspots.attention import attention_zones, pattern_reach

    events = burglary_series()
    table = near_repeat.run(events, ("bostadsinbrott",), permutations=499)
    reach = pattern_reach(table)
    assert reach is not None and reach[0] in (100, 200, 400) and reach[1] in (7, 14, 30)
    grid = grid_over((370000, 6395000, 380000, 6405000), 250)
    days = events["time"].to_numpy(dtype="datetime64[D]").astype("int64")
    today = date(2025, 7, 1)
    zones = attention_zones(table, events["x"].to_numpy(), events["y"].to_numpy(), days, grid, today,
                            horizon=14)
    assert len(zones) > 0
    assert zones["until"].max() <= date(2025, 7, 15) and zones["until"].min() > today
    # every zone cell is near an event whose risk reaches past today (day > today − t + 1), and
    # each such event's own cell is a zone
    recent = events[(events["time"] <= pd.Timestamp(today))
                    & (events["time"] > pd.Timestamp(today) - pd.Timedelta(days=reach[1] - 1))]
    cx, cy = grid.centres(zones["cell_id"].to_numpy())
    dist = np.hypot(cx[:, None] - recent["x"].to_numpy()[None], cy[:, None] - recent["y"].to_numpy()[None])
    assert (dist.min(axis=1) <= reach[0] + 125 + 1e-6).all()
    ids = set(zones["cell_id"])
    assert all(i in ids for i in grid.cell_ids(recent["x"].to_numpy(), recent["y"].to_numpy()))
    # no pattern, no zones
    plain = near_repeat.run(events.iloc[:400], ("bostadsinbrott",), permutations=199)
    assert attention_zones(plain, events["x"].to_numpy(), events["y"].to_numpy(), days, grid, today).empty


def test_too_few_close_pairs_say_so():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 50_000, 40), rng.uniform(0, 50_000, 40)  # 40 events over 50 × 50 km
    table = knox_table(x, y, rng.integers(0, 365, 40), permutations=99)
    assert table.close_pairs < 10
    assert table.verdict_sv().startswith(f"40 händelser men bara {table.close_pairs} par nära i både tid och rum")
    assert "mycket osäkert" in table.verdict_sv()
