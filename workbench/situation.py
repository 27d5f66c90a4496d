"""Lägesbild: key figures per area and source for a period, with an honest change test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from workbench.schema import SOURCES

SIGNIFICANCE = 0.05
MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
             "oktober", "november", "december")


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


@dataclass(frozen=True)
class Period:
    """An inclusive date range [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"perioden slutar ({self.end}) före start ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.start, time())

    @property
    def end_dt(self) -> datetime:
        """Exclusive upper bound as a datetime."""
        return datetime.combine(self.end + timedelta(days=1), time())

    def whole_months(self) -> int | None:
        """How many calendar months the period spans when it starts on the 1st and ends on the
        last day of a month (a month, a tertial, a year); None otherwise."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Period:
        """The period before: a calendar month → the month before, a tertial → the tertial before,
        a year → the year before (any run of whole months → as many months before); a period
        from the 1st of a month to a day in a later one (tertial or year to date) → the same
        span that many months earlier; any other span → as many days immediately before."""
        months = self.whole_months()
        if months is None and self.start.day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            if months == 1 or self.start.month not in (1, 5, 9):
                months = None  # part of one month, or not the start of a tertial/year: count days
            else:
                months = 12 if self.start.month == 1 and months > 4 else 4
                return Period(_months_before(self.start, months), _months_before(self.end, months))
        if months is not None:
            return Period(_months_before(self.start, months), _months_before(self.end + timedelta(days=1), months)
                          - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def name(self) -> str:
        """The period as people say it: 'oktober 2026', 'tertial 2 2026', '2026', else the dates."""
        months = self.whole_months()
        if months == 1:
            return f"{MONTHS_SV[self.start.month - 1]} {self.start.year}"
        if months == 4 and self.start.month in (1, 5, 9):
            return f"tertial {(self.start.month - 1) // 4 + 1} {self.start.year}"
        if months == 12 and self.start.month == 1:
            return str(self.start.year)
        return self.label()

    def compared_with(self, reference: Period, kind: str = "previous") -> str:
        """'jämfört med september 2026', 'jämfört med samma period i fjol (oktober 2025)' or, for a
        span of days, 'jämfört med de 28 dagarna före (2026-09-03 – 2026-09-30)'."""
        if kind == "last_year":
            return f"jämfört med samma period i fjol ({reference.name()})"
        if reference.name() != reference.label():
            return f"jämfört med {reference.name()}"
        if reference.end == self.start - timedelta(days=1) and reference.days == self.days:
            return f"jämfört med de {reference.days} dagarna före ({reference.label()})"
        before = "föregående år" if self.start.month == 1 else "föregående tertial"
        return f"jämfört med samma del av {before} ({reference.label()})"

    def same_last_year(self) -> Period:
        def shift(d: date) -> date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year - 1, day=28)

        return Period(shift(self.start), shift(self.end))

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def preset_period(kind: str, end: date) -> Period:
    """The period of a preset ending at (or before) ``end``: "month" (the last whole month),
    "3m" (three months of days up to ``end``), "tertial" and "ytd" (up to ``end``), else the 4 weeks up to ``end``.

    >>> preset_period("month", date(2026, 10, 20)).label()
    '2026-09-01 – 2026-09-30'
    """
    if kind == "month":
        is_month_end = (end + timedelta(days=1)).month != end.month
        last = end if is_month_end else end.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if kind == "3m":
        return trailing_months(end, 3)
    if kind == "tertial":
        first_month = ((end.month - 1) // 4) * 4 + 1
        start = date(end.year, first_month, 1)
        return Period(start, end)
    if kind == "ytd":
        return Period(date(end.year, 1, 1), end)
    return Period(end - timedelta(days=27), end)


def trailing_months(end: date, months: int) -> Period:
    """The ``months`` whole months of days ending on ``end`` (a planning check's underlag).

    >>> trailing_months(date(2026, 10, 20), 12).label()
    '2025-10-21 – 2026-10-20'
    """
    start = (pd.Timestamp(end) - pd.DateOffset(months=months) + timedelta(days=1)).date()
    return Period(start, end)


@dataclass(frozen=True)
class Change:
    """Current against reference count with an exact conditional binomial (Poisson) test."""

    current: int
    reference: int
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE

    @property
    def percent(self) -> float | None:
        if self.reference == 0:
            return None
        return 100.0 * (self.current - self.reference) / self.reference

    def label_sv(self) -> str:
        return change_label(self.significant, self.current > self.reference)


def change_label(significant: bool, increase: bool) -> str:
    """How a change is named in the lägesbild (a non-significant change is not a trend)."""
    if not significant:
        return "ingen säker förändring"
    return "ökning" if increase else "minskning"


def change_test(current: int, reference: int, exposure_ratio: float = 1.0) -> Change:
    """Exact test of two Poisson counts: given the total, current ~ Bin(n, r/(1+r)).

    ``exposure_ratio`` = length of the current period / length of the reference period.

    >>> change_test(5, 2).significant   # 2 → 5 is not a trend
    False
    >>> change_test(60, 30).significant
    True
    """
    p = float(change_p_values(np.array([current]), np.array([reference]), exposure_ratio)[0])
    return Change(int(current), int(reference), p)


def change_p_values(current: np.ndarray, reference: np.ndarray, exposure_ratio: float = 1.0) -> np.ndarray:
    """The two-sided p of change_test for many pairs of counts at once (hundreds of grid cells).

    The same p as ``scipy.stats.binomtest(current, current + reference, r / (1 + r))`` (the
    "minlike" two-sided test: the probability of every outcome no likelier than the observed
    one), found with a vectorised bisection on the far side of the mode, where the pmf is
    monotone; scipy tests one pair per call, about a millisecond each.
    """
    from scipy.stats import binom  # here: importing scipy.stats costs every command 0.5 s

    k = np.asarray(current, dtype=np.int64)
    n = k + np.asarray(reference, dtype=np.int64)
    share = exposure_ratio / (1.0 + exposure_ratio)
    p = np.ones(k.shape, dtype=float)
    mean = n * share
    # outcomes no likelier than k (scipy's relative tolerance for equal probabilities)
    threshold = binom.pmf(k, n, share) * (1 + 1e-7)
    low = (n > 0) & (k < mean)
    high = (n > 0) & (k > mean)
    if low.any():
        # k below the mean: the far tail is [j, n], j the first index from ceil(mean) whose pmf
        # is ≤ threshold (the pmf falls from ceil(mean) on); n + 1 when none is
        nn, t = n[low], threshold[low]
        lo, hi = np.ceil(mean[low]).astype(np.int64), nn + 1
        while (lo < hi).any():
            mid = (lo + hi) // 2
            below = binom.pmf(mid, nn, share) <= t
            lo, hi = np.where(below | (mid >= hi), lo, mid + 1), np.where(below, mid, hi)
        p[low] = binom.cdf(k[low], nn, share) + binom.sf(lo - 1, nn, share)
    if high.any():
        # k above the mean: the far tail is [0, j - 1], j the first index whose pmf exceeds the
        # threshold (the pmf rises up to floor(mean)); floor(mean) + 1 when none does
        nn, t = n[high], threshold[high]
        lo, hi = np.zeros(nn.shape, dtype=np.int64), np.floor(mean[high]).astype(np.int64) + 1
        while (lo < hi).any():
            mid = (lo + hi) // 2
            above = binom.pmf(mid, nn, share) > t
            lo, hi = np.where(above | (mid >= hi), lo, mid + 1), np.where(above, mid, hi)
        p[high] = binom.cdf(lo - 1, nn, share) + binom.sf(k[high] - 1, nn, share)
    return np.minimum(p, 1.0)


def count_in(events: pd.DataFrame, period: Period, time_column: str = "time") -> pd.DataFrame:
    """Rows of ``events`` whose time lies in ``period``."""
    times = events[time_column]
    return events[(times >= period.start_dt) & (times < period.end_dt)]


def area_figures(events: pd.DataFrame, areas: pd.DataFrame, period: Period,
                 reference: Period) -> pd.DataFrame:
    """Per area: count per source in the period and the reference, change of police incidents,
    and incidents per 1,000 residents (annualised) where population is known.

    ``events``: columns ``source``, ``area_id``, ``time``. ``areas``: ``id``, ``name``, ``population``.
    Rows with no area are reported as area ``None`` ("utanför områdena").
    """
    return area_figures_counted(area_source_counts(count_in(events, period)),
                                area_source_counts(count_in(events, reference)), areas, period, reference)


def area_source_counts(events: pd.DataFrame) -> dict[tuple[int | None, str], int]:
    """Events per (area id, source); None: no area (``store.aggregates.area_source_counts``
    counts the same in the database)."""
    keys = events["area_id"].astype("Int64").fillna(-1).astype(int)
    return {(None if int(a) < 0 else int(a), str(s)): int(n)
            for (a, s), n in events.groupby([keys, events["source"]], observed=True).size().items() if n}


def area_figures_counted(current: dict[tuple[int | None, str], int],
                         previous: dict[tuple[int | None, str], int], areas: pd.DataFrame,
                         period: Period, reference: Period) -> pd.DataFrame:
    """``area_figures`` of counts per (area id, source) in the period and the reference (e.g.
    counted in the database)."""
    outside = -1

    def keyed(counts: dict) -> dict[tuple[int, str], int]:
        return {(outside if a is None else int(a), s): n for (a, s), n in counts.items()}

    cur_counts, ref_counts = keyed(current), keyed(previous)
    area_list = [(int(a.id), a.name, a.population) for a in areas.itertuples()]
    if any(k[0] == outside for k in (*cur_counts, *ref_counts)):
        area_list.append((outside, "Utanför områdena", pd.NA))
    ratio = period.days / reference.days
    rows = []
    for area_id, name, population in area_list:
        row: dict[str, object] = {"area_id": None if area_id == outside else area_id,
                                  "area": name, "population": population}
        for source in SOURCES:
            row[f"{source}_current"] = cur_counts.get((area_id, source), 0)
            row[f"{source}_reference"] = ref_counts.get((area_id, source), 0)
        police_current = cur_counts.get((area_id, "police"), 0)
        change = change_test(police_current, ref_counts.get((area_id, "police"), 0), ratio)
        row["police_change_pct"] = change.percent
        row["police_p"] = change.p_value
        row["police_change"] = change.label_sv()
        has_population = population is not None and not pd.isna(population) and population > 0
        row["police_per_1000"] = (
            police_current / float(population) * 1000.0 * 365.0 / period.days
            if has_population else np.nan
        )
        rows.append(row)
    columns = ["area_id", "area", "population", *(f"{s}_{w}" for s in SOURCES for w in ("current", "reference")),
               "police_change_pct", "police_p", "police_change", "police_per_1000"]
    return pd.DataFrame(rows, columns=columns)  # the columns even when no area is visible


def source_totals(events: pd.DataFrame, period: Period, reference: Period) -> pd.DataFrame:
    """Per source: count in the period and the reference, with the change test."""
    def per_source(frame: pd.DataFrame) -> dict[str, int]:
        return {str(k): int(v) for k, v in frame["source"].value_counts().items()}

    return source_totals_counted(per_source(count_in(events, period)),
                                 per_source(count_in(events, reference)), period, reference)


def source_totals_counted(current: dict[str, int], previous: dict[str, int], period: Period,
                          reference: Period) -> pd.DataFrame:
    """``source_totals`` of counts per source (e.g. summed from ``area_source_counts``)."""
    ratio = period.days / reference.days
    rows = []
    for source in SOURCES:
        change = change_test(int(current.get(source, 0)), int(previous.get(source, 0)), ratio)
        rows.append({"source": source, "current": change.current, "reference": change.reference,
                     "change_pct": change.percent, "p": change.p_value,
                     "change": change.label_sv(), "significant": change.significant})
    return pd.DataFrame(rows)
