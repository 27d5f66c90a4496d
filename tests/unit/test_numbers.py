"""Swedish number formatting (workbench/numbers.py), used by every page and document."""

from __future__ import annotations

import math

import pytest

from workbench import numbers as nf


@pytest.mark.parametrize(("value", "expected"), [
    (1126, "1\u202f126"), (0, "0"), (999, "999"), (1234567, "1\u202f234\u202f567"), (-1500, "−1\u202f500"),
    (None, "–"), (math.nan, "–")])
def test_integer(value, expected):
    assert nf.integer(value) == expected


def test_decimals_percent_and_changes():
    assert nf.decimal(3.94) == "3,9"
    assert nf.decimal(-0.04) == "0,0"  # no "−0,0"
    assert nf.decimal(12345.67, 2) == "12\u202f345,67"
    assert nf.percent(3.94, 1) == "3,9 %"
    assert nf.share(0.394) == "39 %"
    assert nf.signed_percent(-12.4) == "−12 %"
    assert nf.signed_percent(12.6) == "+13 %"
    assert nf.signed_percent(0.2) == "±0 %"
    assert nf.signed(5) == "+5"


@pytest.mark.parametrize(("p", "expected"), [
    (0.03, "p = 0,03"), (0.0304, "p = 0,03"), (0.5, "p = 0,50"), (0.004, "p = 0,004"),
    (0.0009, "p < 0,001"), (0.0, "p < 0,001"), (1.0, "p = 1,00")])
def test_p_values_are_never_zero(p, expected):
    assert nf.p_value(p) == expected


def test_no_decimal_point_anywhere():
    for value in (0.5, 1.25, 1e6 + 0.5, -3.75):
        assert "." not in nf.decimal(value, 2) + nf.percent(value, 2) + nf.p_value(abs(value) / 1e7)


def test_metric_delta_keeps_the_sign_streamlit_reads():
    assert nf.metric_delta(-77) == "-77" and nf.metric_delta(1200) == "+1\u202f200"


def test_a_measured_value_has_only_the_decimals_it_needs():
    assert nf.number(34.5) == "34,5" and nf.number(3.0) == "3" and nf.number(0.126) == "0,13"
    assert nf.number(5612) == "5\u202f612"
