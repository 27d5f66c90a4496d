"""Uppföljning: counts in equal windows, the exact test and the WDQ against hand computations."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from workbench.follow_up import Counts, follow_up, wdq, wdq_reading_sv

PLACE = box(0, 0, 100, 100)
CONTROL = box(-5000, -5000, 5000, 5000)


def _events(spec):
    """spec: list of (x, y, date string, how many)."""
    rows = []
    for x, y, when, n in spec:
        rows += [(float(x), float(y), pd.Timestamp(when))] * n
    return pd.DataFrame(rows, columns=["x", "y", "time"])


def test_counts_in_place_buffer_and_control_with_equal_windows():
    events = _events([
        (50, 50, "2025-02-10", 30),   # place, before (window 2025-01-02 .. 2025-01-31 + …)
        (50, 50, "2025-03-10", 10),   # place, after
        (50, 50, "2024-11-01", 99),   # place, outside both windows
        (150, 50, "2025-02-10", 8),   # buffer (50 m from the edge), before
        (150, 50, "2025-03-10", 12),  # buffer, after
        (3000, 3000, "2025-02-10", 100),  # control, before
        (3000, 3000, "2025-03-10", 100),  # control, after
        (9000, 9000, "2025-03-10", 50),   # nowhere
    ])
    result = follow_up(events, start=date(2025, 3, 1), window_days=60, place=PLACE, buffer_m=200,
                       control=CONTROL)
    assert result.target == Counts(30, 10)
    assert result.buffer == Counts(8, 12)
    assert result.control == Counts(100, 100)
    # by hand: (12/100 - 8/100) / (10/100 - 30/100) = 0.04 / -0.20
    assert result.wdq == pytest.approx(-0.2)
    assert result.change.significant and result.change.current == 10
    text = result.verdict_sv()
    assert "Säker minskning" in text and "– en nettovinst" in text


def test_small_numbers_are_not_called_an_effect():
    events = _events([(50, 50, "2025-02-20", 5), (50, 50, "2025-03-05", 2)])
    result = follow_up(events, start=date(2025, 3, 1), window_days=30, place=PLACE)
    assert not result.change.significant
    assert "För få händelser" in result.verdict_sv()
    assert "jämförelseområde" in result.verdict_sv()
    # on a shared screen and in documents the counts go through the caller's formatter
    shared = result.verdict_sv(lambda n: "<3" if 0 < n < 3 else str(n))
    assert "På platsen: 5 händelser" in shared and "och <3 de 30 dagarna efter" in shared
    assert result.wdq is None


def test_no_significant_change_says_so():
    events = _events([(50, 50, "2025-02-20", 14), (50, 50, "2025-03-05", 10)])
    result = follow_up(events, start=date(2025, 3, 1), window_days=30, place=PLACE)
    assert "kan vara slump" in result.verdict_sv()


def test_wdq_is_undefined_without_relative_improvement():
    assert wdq(Counts(10, 20), Counts(5, 5), Counts(100, 100)) is None
    assert wdq(Counts(20, 10), Counts(5, 5), Counts(0, 100)) is None


@pytest.mark.parametrize("value,fragment", [
    (1.5, "spridning av vinster – omgivningen"), (0.4, "viss spridning"), (0.0, "varken"),
    (-0.5, "– en nettovinst"), (-1.5, "ingen nettovinst"), (None, "kan inte bedömas"),
])
def test_wdq_readings(value, fragment):
    assert fragment in wdq_reading_sv(value)


def test_a_point_place_with_a_radius_works():
    events = _events([(10, 0, "2025-02-20", 3), (60, 0, "2025-02-20", 4)])
    result = follow_up(events, start=date(2025, 3, 1), window_days=30, place=Point(0, 0).buffer(25),
                       buffer_m=50)
    assert result.target.before == 3 and result.buffer.before == 4
    assert np.isfinite(result.change.p_value)


# --- Weighted Displacement Difference (Wheeler & Ratcliffe 2018) --------------------------------

def test_wdd_worked_example_from_the_published_formulas():
    """Not the paper's own table: we could not recall its numbers exactly, so this example is
    computed by hand from the formulas the paper publishes, WDD = ΔT − ΔCt + ΔD − ΔCd and
    Var(WDD) = the sum of the eight counts (independent Poisson), z = WDD / √Var.

    T 60 → 30, Ct 50 → 45, D 40 → 38, Cd 35 → 36:
      place only:  WDD = −30 − (−5) = −25, Var = 60 + 30 + 50 + 45 = 185, z = −25/√185 = −1.838
      with ring:   WDD = −25 + (−2) − 1 = −28, Var = 185 + 78 + 71 = 334, z = −28/√334 = −1.532
      one control for both: WDD = −30 − 2 − 2·(−5) = −22, Var = 168 + 4·95 = 548, z = −0.940
    """
    from workbench.follow_up_wdd import Pair, wdd

    t, c, d, cd = Pair(60, 30), Pair(50, 45), Pair(40, 38), Pair(35, 36)
    place = wdd(t, c)
    assert (place.value, place.variance) == (-25, 185)
    assert place.z == pytest.approx(-1.838, abs=1e-3) and place.p == pytest.approx(0.066, abs=1e-3)
    ring = wdd(t, c, d, cd)
    assert (ring.value, ring.variance) == (-28, 334) and ring.z == pytest.approx(-1.532, abs=1e-3)
    shared = wdd(t, c, d)
    assert (shared.value, shared.variance) == (-22, 548) and shared.z == pytest.approx(-0.940, abs=1e-3)
    assert "ingen säker effekt" in place.reading_sv() and "z = −1,84" in place.reading_sv()


def test_wdd_verdict_only_when_the_test_carries_it():
    from workbench.follow_up_wdd import Pair, wdd

    clear = wdd(Pair(80, 35), Pair(75, 70))  # −45 + 5 = −40, Var 260, z = −2.48
    assert clear.z == pytest.approx(-40 / np.sqrt(260))
    assert "säker nettominskning" in clear.reading_sv()
    worse = wdd(Pair(40, 80), Pair(45, 44))
    assert "säker nettoökning" in worse.reading_sv()
    big_control = wdd(Pair(80, 35), Pair(400, 395))
    text = big_control.reading_sv()
    assert "Ingen slutsats" in text and "5,0 gånger så många" in text and "säker" not in text
    few = wdd(Pair(4, 1), Pair(5, 5))
    assert "Bara 5 händelser" in few.reading_sv() and "Ingen slutsats" in few.reading_sv()
    assert "Bara <6 händelser" in few.reading_sv(lambda n: "<6" if n < 6 else str(n))
    ring_off = wdd(Pair(80, 35), Pair(75, 70), Pair(400, 380))
    assert "förflyttningsdelen" in ring_off.reading_sv()


def test_follow_up_reports_wdd_beside_wdq():
    events = _events([
        (50, 50, "2025-02-10", 80), (50, 50, "2025-03-10", 35),      # place
        (150, 50, "2025-02-10", 70), (150, 50, "2025-03-10", 68),    # ring
        (3000, 3000, "2025-02-10", 75), (3000, 3000, "2025-03-10", 70),  # control
    ])
    result = follow_up(events, start=date(2025, 3, 1), window_days=60, place=PLACE, buffer_m=200,
                       control=CONTROL)
    assert result.wdd.value == -40 and result.wdd_displacement.value == -40 + (68 - 70) - (70 - 75)
    text = result.verdict_sv()
    assert "WDQ" in text and "Platsen mot jämförelseområdet: WDD = −40" in text
    assert "säker nettominskning" in text
    assert "Platsen och omgivningen mot jämförelseområdet" in text
    no_control = follow_up(events, start=date(2025, 3, 1), window_days=60, place=PLACE)
    assert no_control.wdd is None and "WDD" not in no_control.verdict_sv()
