"""A cell's or a place's figures over time: the period, the period before, the same period last
year, and the month-by-month trend of the last year (pure pandas; no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.hotspots.near_repeat import sv_p
from workbench.situation import Change, Period, change_test

TREND_MONTHS = 12


@dataclass(frozen=True)
class History:
    """Counts inside one cell or place for the selected kinds of events."""

    period: Period
    current: int
    previous: int
    last_year: int
    vs_previous: Change
    vs_last_year: Change
    monthly: pd.DataFrame  # month (Timestamp, first day), count; TREND_MONTHS rows ending with the period


def month_start(day) -> pd.Timestamp:
    return pd.Timestamp(day).to_period("M").to_timestamp()


def history(times: pd.Series, period: Period) -> History:
    """``times``: the event times inside the cell or place (every date; the other filters — kinds,
    sources, weekdays, hours — already applied). The period is compared with the period of equal
    length before and with the same dates last year, each by the exact test."""
    t = pd.to_datetime(times.dropna())

    def count(p: Period) -> int:
        return int(((t >= p.start_dt) & (t < p.end_dt)).sum())

    previous, last_year = period.previous(), period.same_last_year()
    current, n_previous, n_last_year = count(period), count(previous), count(last_year)
    last_month = month_start(period.end)
    months = pd.date_range(last_month - pd.DateOffset(months=TREND_MONTHS - 1), last_month, freq="MS")
    counts = t.dt.to_period("M").dt.to_timestamp().value_counts()
    monthly = pd.DataFrame({"month": months,
                            "count": counts.reindex(months, fill_value=0).to_numpy(dtype=np.int64)})
    return History(period, current, n_previous, n_last_year,
                   change_test(current, n_previous, period.days / previous.days),
                   change_test(current, n_last_year, period.days / last_year.days), monthly)


def trend_label(monthly: pd.DataFrame) -> str:
    """The last 12 months' direction in plain Swedish: the latest half-year against the half-year
    before, by the exact test (a drift the test cannot tell from chance is called stable)."""
    counts = monthly["count"].to_numpy()
    half = len(counts) // 2
    if half == 0 or counts.sum() == 0:
        return "inga händelser det senaste året"
    change = change_test(int(counts[half:].sum()), int(counts[:half].sum()),
                         (len(counts) - half) / half)
    if not change.significant:
        return "ingen säker förändring det senaste halvåret mot halvåret före"
    word = "ökande" if change.current > change.reference else "minskande"
    return f"{word}: det senaste halvåret mot halvåret före ({sv_p(change.p_value)})"
