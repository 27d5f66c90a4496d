"""A cell's or place's figures over time, a new place drawn as a polygon, and the profile heat map."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.geo.crs import to_wgs84
from workbench.hotspots.history import history, trend_label
from workbench.hotspots.timeprofile import hour_weekday
from workbench.services.places import polygon_sweref
from workbench.situation import Period
from workbench.ui.profile_chart import profile_frame


def _times(per_month: dict[str, int]) -> pd.Series:
    out = []
    for month, n in per_month.items():
        start = pd.Timestamp(month + "-01 20:00")
        out += [start + pd.Timedelta(days=i % 27, hours=i % 3) for i in range(n)]
    return pd.Series(out)


def test_the_period_is_compared_with_the_period_before_and_the_same_period_last_year():
    times = _times({"2025-10": 4, "2026-08": 2, "2026-09": 9, "2026-10": 30})
    h = history(times, Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert (h.current, h.previous, h.last_year) == (30, 9, 4)
    assert h.vs_last_year.significant and h.vs_last_year.label_sv() == "ökning"
    months = list(h.monthly["month"].dt.strftime("%Y-%m"))
    assert (months[0], months[-1], len(months)) == ("2025-11", "2026-10", 12)
    assert h.monthly["count"].sum() == 2 + 9 + 30  # October 2025 is outside the 12 months


def test_the_trend_is_tested_not_read_off_the_bars():
    rising = history(_times({"2026-05": 20, "2026-06": 25, "2026-07": 30, "2026-08": 30, "2026-09": 35,
                             "2026-10": 40, "2025-11": 5, "2025-12": 5, "2026-01": 6, "2026-02": 4,
                             "2026-03": 5, "2026-04": 6}), Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert trend_label(rising.monthly).startswith("ökande") and "p < 0,001" in trend_label(rising.monthly)
    noisy = history(_times({"2026-09": 3, "2026-03": 2}), Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert trend_label(noisy.monthly).startswith("ingen säker förändring")
    empty = history(pd.Series([], dtype="datetime64[ns]"), Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert trend_label(empty.monthly) == "inga händelser det senaste året"


def _ring(xs, ys):
    lon, lat = to_wgs84(np.asarray(xs, float), np.asarray(ys, float))
    return {"type": "Polygon", "coordinates": [[[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]]}


def test_a_drawn_polygon_is_stored_in_sweref_and_bad_ones_are_refused_in_swedish():
    square = polygon_sweref(_ring([377_000, 377_100, 377_100, 377_000, 377_000],
                                  [6_399_000, 6_399_000, 6_399_100, 6_399_100, 6_399_000]))
    assert abs(square.area - 10_000) < 5 and 376_990 < square.bounds[0] < 377_010
    feature = {"type": "Feature", "properties": {}, "geometry": _ring([0, 50, 50, 0, 0], [0, 0, 50, 50, 0])}
    with pytest.raises(WorkbenchError, match="mellan"):  # a slip of the mouse: a few cm²
        polygon_sweref({"type": "Polygon", "coordinates": [[[12.9, 57.7], [12.9, 57.7000001],
                                                            [12.9000001, 57.7], [12.9, 57.7]]]})
    with pytest.raises(WorkbenchError, match="korsar"):
        polygon_sweref(_ring([377_000, 377_100, 377_000, 377_100, 377_000],
                             [6_399_000, 6_399_100, 6_399_100, 6_399_000, 6_399_000]))
    with pytest.raises(WorkbenchError, match="yta"):
        polygon_sweref({"type": "Point", "coordinates": [12.9, 57.7]})
    assert polygon_sweref(feature).area > 2000


def test_the_profile_heat_map_hides_small_counts_on_a_shared_screen():
    times = pd.Series(pd.to_datetime(["2026-10-05 22:10"] * 5 + ["2026-10-06 03:00"]))  # Mon 22 ×5, Tue 3 ×1
    table = hour_weekday(times)

    def show(n):
        return "<3" if 0 < n < 3 else str(int(n))

    shared = profile_frame(table, show, hide_small=True, min_count=3).set_index(["Veckodag", "Timme"])
    assert len(shared) == 168
    assert shared.loc[("mån", 22), "Händelser"] == 5 and not shared.loc[("mån", 22), "dolt"]
    assert shared.loc[("tis", 3), "dolt"] and pd.isna(shared.loc[("tis", 3), "Händelser"])
    assert shared.loc[("tis", 3), "Antal"] == "<3"
    desk = profile_frame(table, str, hide_small=False, min_count=3).set_index(["Veckodag", "Timme"])
    assert desk.loc[("tis", 3), "Händelser"] == 1 and not desk["dolt"].any()


def test_the_profile_legend_counts_in_whole_events():
    """A place with one event at most per hour: the legend's ticks are whole events (0, 1), not
    0, 0.5, 1 printed as '0, 1, 1' (seen on Platser)."""
    import pandas as pd

    from workbench.hotspots.timeprofile import hour_weekday
    from workbench.ui.profile_chart import profile_chart

    table = hour_weekday(pd.Series(pd.to_datetime(["2026-10-05 21:30"])))
    spec = profile_chart(table, str, hide_small=False, min_count=3).to_dict()
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["format"] == "d" and legend["tickMinStep"] == 1
