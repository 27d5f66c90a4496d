"""Hot-spot statistics checked against esda, a hand computation and planted patterns."""

from __future__ import annotations

import math
import warnings
from datetime import date

import esda
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import lat2W

from workbench.filters import EventFilter
from workbench.geo.grid import grid_over
from workbench.hotspots.change import change_by_key
from workbench.hotspots.followthrough import fix_times, repeat_spots
from workbench.hotspots.gistar import benjamini_hochberg, classify, gi_star, hotspot_analysis
from workbench.hotspots.kde import kernel_density
from workbench.hotspots.timeprofile import CriticalDate, critical_dates, hour_weekday
from workbench.services.hotspots import run


@pytest.mark.parametrize("rows,cols,seed", [(3, 3, 1), (5, 7, 2), (12, 9, 3)])
def test_gi_star_equals_esda_with_lattice_weights(rows, cols, seed):
    counts = np.random.default_rng(seed).poisson(3, (rows, cols))
    z, p, _, _ = gi_star(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = esda.G_Local(counts.ravel().astype(float), lat2W(rows, cols, rook=False),
                                 transform="B", star=True, permutations=0)
    expected = np.where(np.isfinite(reference.Zs), reference.Zs, 0.0)  # 0/0 cells reported as 0
    np.testing.assert_allclose(z, expected, rtol=1e-10)
    np.testing.assert_allclose(p, 2 * (1 - 0.5 * (1 + np.vectorize(math.erf)(np.abs(z) / math.sqrt(2)))),
                               atol=1e-12)


def test_gi_star_by_hand_on_a_3x3_grid():
    counts = np.array([[1, 2, 3], [4, 20, 6], [7, 8, 9]], dtype=float)
    x = counts.ravel()
    n = x.size
    mean = x.mean()
    s = math.sqrt((x ** 2).mean() - mean ** 2)
    z, *_ = gi_star(counts)
    # centre cell: its neighbourhood is the whole grid, Gi* is 0/0 → reported as 0
    assert z[4] == 0
    # corner cell (row 0, col 0): itself and 3 neighbours
    w = np.zeros(9)
    w[[0, 1, 3, 4]] = 1
    expected_corner = (w @ x - mean * w.sum()) / (s * math.sqrt((n * (w ** 2).sum() - w.sum() ** 2) / (n - 1)))
    assert z[0] == pytest.approx(expected_corner, rel=1e-10)


def test_flat_grid_has_no_hot_spots():
    z, p, p_fdr, classes = gi_star(np.full((4, 4), 3))
    assert (z == 0).all() and (p == 1).all() and set(classes) == {"ns"}


def test_planted_cluster_is_found_in_its_cell_and_nowhere_far_away():
    rng = np.random.default_rng(7)
    n_noise = 4000
    x = rng.uniform(370_000, 380_000, n_noise)
    y = rng.uniform(6_395_000, 6_405_000, n_noise)
    cx, cy = 375_125.0, 6_400_125.0  # the middle of one 250 m cell
    x = np.concatenate([x, rng.normal(cx, 40, 300)])
    y = np.concatenate([y, rng.normal(cy, 40, 300)])
    grid = grid_over((370_000, 6_395_000, 380_000, 6_405_000), 250)
    result = hotspot_analysis(x, y, grid)
    target = int(grid.cell_ids(np.array([cx]), np.array([cy]))[0])
    assert result.hotspot_class[target] == "hot_99"
    hot = np.flatnonzero(np.char.startswith(result.hotspot_class.astype(str), "hot"))
    centres_x, centres_y = grid.centres(hot)
    assert np.max(np.hypot(centres_x - cx, centres_y - cy)) <= 2 * 250 * math.sqrt(2)


def test_benjamini_hochberg_known_example():
    # Benjamini & Hochberg style example, hand-computed: p_(i) * m / i, then cumulative minimum
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    m = p.size
    by_hand = np.minimum.accumulate((p * m / np.arange(1, m + 1))[::-1])[::-1]
    np.testing.assert_allclose(benjamini_hochberg(p), np.minimum(by_hand, 1))
    assert benjamini_hochberg(np.array([0.04, 0.01]))[1] == pytest.approx(0.02)


def test_classes_follow_fdr_and_sign():
    z = np.array([3.0, 2.0, 1.7, -3.0, -2.0, 0.5])
    p_fdr = np.array([0.001, 0.03, 0.07, 0.005, 0.04, 0.5])
    assert classify(z, p_fdr).tolist() == ["hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "ns"]


def test_area_precision_rows_never_enter_the_grid():
    events = pd.DataFrame({
        "kind": "incident", "source": "police", "category": "stold",
        "time": pd.to_datetime(["2025-01-01"] * 4),
        "x": [377_100.0, 377_100.0, 377_300.0, 377_300.0],
        "y": [6_399_100.0, 6_399_100.0, 6_399_300.0, 6_399_300.0],
        "precision": ["exact", "snapped", "area", "area"], "area_id": pd.array([1] * 4, dtype="Int64"),
    })
    result = run(events, (377_000, 6_399_000, 377_500, 6_399_500), EventFilter(), 250).result
    assert result.counts.sum() == 2


def test_kernel_density_keeps_the_mass():
    rng = np.random.default_rng(1)
    x, y = rng.normal(377_000, 300, 5000), rng.normal(6_399_000, 300, 5000)
    grid, density = kernel_density(x, y, (375_000, 6_397_000, 379_000, 6_401_000), bandwidth_m=150)
    assert density.sum() * (grid.cell ** 2) / 1e6 == pytest.approx(5000, rel=0.01)
    row, col = np.unravel_index(np.argmax(density), density.shape)
    cx, cy = grid.centres(np.array([row * grid.n_cols + col]))
    assert abs(cx[0] - 377_000) < 150 and abs(cy[0] - 6_399_000) < 150


def test_change_by_key_counts_and_tests():
    current = pd.Series(["A"] * 60 + ["B"] * 5)
    reference = pd.Series(["A"] * 30 + ["B"] * 2 + ["C"] * 4)
    frame = change_by_key(current, reference).set_index("key")
    assert frame.loc["A", ["current", "reference"]].tolist() == [60, 30]
    assert bool(frame.loc["A", "significant"]) and frame.loc["A", "change"] == "ökning"
    assert not bool(frame.loc["B", "significant"])  # 2 → 5 is noise
    assert frame.loc["C", "current"] == 0
    assert frame.index[0] == "A"  # significant changes first


def test_hour_weekday_and_critical_dates():
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    times = pd.Series(np.repeat(days, 3) + pd.Timedelta(hours=21))
    spike = pd.Series(pd.to_datetime(["2025-04-30 22:00"] * 30))
    all_times = pd.concat([times, spike], ignore_index=True)
    table = hour_weekday(all_times)
    assert table.shape == (7, 24) and table.to_numpy().sum() == len(all_times)
    assert table[21].sum() == len(times)
    crit = critical_dates(all_times, (CriticalDate("Valborg", "04-30", 1), CriticalDate("Midsommar", "midsommarafton")))
    valborg = crit[(crit["name"] == "Valborg") & (crit["start"] == date(2025, 4, 30))].iloc[0]
    assert valborg["count"] == 33 and valborg["expected"] == pytest.approx(3.0)
    assert valborg["p"] < 1e-6
    midsommar = crit[crit["name"] == "Midsommar"]
    assert set(midsommar["start"]) == {date(2024, 6, 21), date(2025, 6, 20)}
    assert (midsommar["p"] > 0.05).all()


def test_fix_times_and_repeat_spots():
    reports = pd.DataFrame({
        "category": ["klotter", "klotter", "klotter", "belysning"],
        "reported_at": pd.to_datetime(["2025-01-01 08:00", "2025-01-10 08:00", "2025-02-01 08:00",
                                       "2025-01-05 08:00"]),
        "fixed_at": pd.to_datetime(["2025-01-01 20:00", "2025-01-12 09:00", None, "2025-01-09 08:00"]),
        "x": [377_000.0, 377_003.0, 377_001.0, 378_000.0], "y": [6_399_000.0] * 4,
    })
    times = fix_times(reports).set_index("category")
    assert times.loc["klotter", "reports"] == 3 and times.loc["klotter", "fixed"] == 2
    assert times.loc["klotter", "median_hours"] == pytest.approx((12 + 49) / 2)
    assert times.loc["klotter", "within_24h"] == pytest.approx(1 / 3)
    assert times.loc["belysning", "within_48h"] == 0
    spots = repeat_spots(reports, radius_m=10, min_reports=3)
    assert len(spots) == 1 and spots.iloc[0]["reports"] == 3 and spots.iloc[0]["category"] == "klotter"


def test_event_filter_weekdays_hours_and_period():
    times = pd.to_datetime(["2025-03-07 23:00", "2025-03-08 02:00", "2025-03-10 12:00", "2025-04-01 23:00"])
    events = pd.DataFrame({"time": times, "category": "x", "source": "police"})
    f = EventFilter(date(2025, 3, 1), date(2025, 3, 31), weekdays=(4, 5), hours=(22, 3))
    assert f.apply(events)["time"].tolist() == list(times[:2])


def test_area_ranking_rates_per_1000_residents():
    from workbench.hotspots.ranking import area_ranking

    areas = pd.DataFrame({"id": [1, 2, 3, 4], "name": ["A", "B", "C", "Industri"],
                          "population": pd.array([2000, None, 500, 0], dtype="Int64")})
    ranked = area_ranking(np.array([1, 1, 1, 1, 3, 4, np.nan]), areas, days=365).set_index("area")
    assert pd.isna(ranked.loc["Industri", "per_1000_year"])  # nobody lives there: no rate, not inf
    assert ranked.loc["A", "count"] == 4 and ranked.loc["A", "per_1000_year"] == pytest.approx(2.0)
    assert ranked.loc["C", "per_1000_year"] == pytest.approx(2.0)
    assert pd.isna(ranked.loc["B", "per_1000_year"]) and ranked.loc["B", "count"] == 0
    assert ranked["share"].sum() == pytest.approx(1.0)


def test_top_cells_are_the_busiest_non_empty_cells():
    from workbench.hotspots.ranking import top_cells

    grid = grid_over((0, 0, 1000, 1000), 250)
    x = np.array([10.0] * 5 + [300.0] * 9 + [600.0])
    y = np.array([10.0] * 5 + [10.0] * 9 + [600.0])
    top = top_cells(hotspot_analysis(x, y, grid), 10)
    assert top["count"].tolist() == [9, 5, 1]
    assert top["cell_id"].tolist() == [1, 0, 2 * grid.n_cols + 2]
