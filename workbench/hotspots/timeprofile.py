"""When things happen: hour × weekday, month trend, and critical dates against normal days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy.stats import poisson

WEEKDAYS_SV = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def with_time_of_day(events: pd.DataFrame) -> pd.DataFrame:
    """The events whose source gave a time of day (date-only rows have no hour to count)."""
    if "date_only" not in events:
        return events
    return events[~events["date_only"].to_numpy(dtype=bool)]


def date_only_count(events: pd.DataFrame) -> int:
    return int(events["date_only"].sum()) if "date_only" in events else 0


def hour_weekday(times: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """7 × 24 counts: rows Monday–Sunday, columns hour 0–23. Given an events frame (with
    ``time`` and ``date_only``), rows with only a date are left out, never counted at 00:00."""
    if isinstance(times, pd.DataFrame):
        times = with_time_of_day(times)["time"]
    t = pd.to_datetime(times.dropna())
    keys = t.dt.day_of_week.to_numpy(dtype=np.int64) * 24 + t.dt.hour.to_numpy(dtype=np.int64)
    return hour_weekday_counts(dict(enumerate(np.bincount(keys, minlength=7 * 24).tolist())))


def hour_weekday_counts(counts: dict[int, int]) -> pd.DataFrame:
    """``hour_weekday`` of counts per weekday × 24 + hour (0 = Monday 00; e.g. grouped in the
    database); other keys (−1: date-only rows) are left out."""
    table = np.zeros((7, 24), dtype=np.int64)
    for key, n in counts.items():
        if key is not None and 0 <= int(key) < 7 * 24:
            table[int(key) // 24, int(key) % 24] += int(n)
    return pd.DataFrame(table, index=list(WEEKDAYS_SV), columns=range(24))


@dataclass(frozen=True)
class CriticalDate:
    """A date with known risk: a fixed day ('04-30'), midsommarafton, or an ISO week ('v44')."""

    name: str
    rule: str
    days: int = 1  # window length from the start day

    def windows(self, years: list[int]) -> list[tuple[date, date]]:
        out = []
        for year in years:
            start = _resolve(self.rule, year)
            if start is not None:
                out.append((start, start + timedelta(days=self.days - 1)))
        return out


def _resolve(rule: str, year: int) -> date | None:
    if rule == "midsommarafton":  # the Friday between 19 and 25 June
        day = date(year, 6, 19)
        return day + timedelta(days=(4 - day.weekday()) % 7)
    if rule.startswith("v") and rule[1:].isdigit():
        return date.fromisocalendar(year, int(rule[1:]), 1)
    if rule.startswith("skolavslutning"):  # the Friday nearest 12 June (configure locally)
        day = date(year, 6, 12)
        return day + timedelta(days=(4 - day.weekday() + 3) % 7 - 3)
    month, day_of_month = (int(p) for p in rule.split("-"))
    return date(year, month, day_of_month)


DEFAULT_CRITICAL_DATES = (
    CriticalDate("Valborg", "04-30", 2),
    CriticalDate("Skolavslutning", "skolavslutning", 1),
    CriticalDate("Midsommar", "midsommarafton", 2),
    CriticalDate("Halloween", "10-31", 1),
    CriticalDate("Nyårsafton", "12-31", 2),
    CriticalDate("Sportlov", "v8", 7),
    CriticalDate("Höstlov", "v44", 7),
)


def critical_dates(times: pd.Series, dates: tuple[CriticalDate, ...] = DEFAULT_CRITICAL_DATES
                   ) -> pd.DataFrame:
    """Per critical date and year: count in the window against the normal-day rate.

    Normal days are the days in the data's range outside every critical window; the
    expected count is their mean per day × window length; p is the one-sided Poisson
    probability of at least that many (an honest "is this more than usual?").
    """
    t = pd.to_datetime(times.dropna())
    # count per day first, then turn the few hundred days into dates (not every event: .dt.date
    # makes a Python object per row, 0.15 s at a million)
    per_day = t.dt.normalize().value_counts()
    per_day.index = per_day.index.date
    return critical_dates_per_day(per_day, dates)


def critical_dates_per_day(per_day: pd.Series,
                           dates: tuple[CriticalDate, ...] = DEFAULT_CRITICAL_DATES) -> pd.DataFrame:
    """``critical_dates`` of counts per calendar day (index: ``date``; e.g. grouped in the
    database)."""
    per_day = per_day[per_day > 0]
    if per_day.empty:
        return pd.DataFrame(columns=["name", "start", "end", "count", "expected", "ratio", "p"])
    first, last = min(per_day.index), max(per_day.index)
    years = list(range(first.year, last.year + 1))
    critical_days: set[date] = set()
    windows = []
    for item in dates:
        for start, end in item.windows(years):
            if start < first or end > last:
                continue
            span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
            critical_days.update(span)
            windows.append((item.name, start, end, span))
    all_days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    normal = [per_day.get(d, 0) for d in all_days if d not in critical_days]
    rate = float(np.mean(normal)) if normal else 0.0
    rows = []
    for name, start, end, span in windows:
        count = int(sum(per_day.get(d, 0) for d in span))
        expected = rate * len(span)
        p = float(poisson.sf(count - 1, expected)) if expected > 0 else 1.0
        rows.append({"name": name, "start": start, "end": end, "count": count,
                     "expected": expected, "ratio": count / expected if expected else np.nan, "p": p})
    # the same columns when no critical window lies within the data (a few weeks of data)
    return pd.DataFrame(rows, columns=["name", "start", "end", "count", "expected", "ratio", "p"])
