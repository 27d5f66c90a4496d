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
