"""Event filters shared by every analysis: period, categories, sources, weekdays, time of day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd


@dataclass(frozen=True)
class EventFilter:
    """Empty tuples mean 'all'. ``hours`` is (first, last) inclusive and may wrap midnight."""

    start: date | None = None
    end: date | None = None  # inclusive
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    hours: tuple[int, int] | None = None

    def apply(self, events: pd.DataFrame, time_column: str = "time") -> pd.DataFrame:
        """Rows of ``events`` that pass every filter.

        >>> f = EventFilter(hours=(22, 3))
        >>> t = pd.DataFrame({"time": pd.to_datetime(["2025-01-01 23:00", "2025-01-01 12:00"])})
        >>> len(f.apply(t))
        1
        """
        mask = pd.Series(True, index=events.index)
        times = events[time_column]
        if self.start is not None:
            mask &= times >= datetime.combine(self.start, time())
        if self.end is not None:
            mask &= times < datetime.combine(self.end + timedelta(days=1), time())
        if self.categories:
            mask &= events["category"].isin(self.categories)
        if self.sources:
            mask &= events["source"].isin(self.sources)
        if self.weekdays:
            mask &= times.dt.day_of_week.isin(self.weekdays)
        if self.hours is not None:
            first, last = self.hours
            hour = times.dt.hour
            if "date_only" in events:  # a row without a time of day has no hour to filter on
                mask &= ~events["date_only"].to_numpy(dtype=bool)
            mask &= (hour >= first) & (hour <= last) if first <= last else (hour >= first) | (hour <= last)
        return events[mask.to_numpy()]
