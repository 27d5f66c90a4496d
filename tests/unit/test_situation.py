from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom, binomtest

from workbench.situation import Period, area_figures, change_p_values, change_test, source_totals


def test_period_arithmetic():
    p = Period(date(2025, 3, 1), date(2025, 3, 31))
    assert p.days == 31
    assert p.previous() == Period(date(2025, 2, 1), date(2025, 2, 28))  # the calendar month before
    assert p.same_last_year() == Period(date(2024, 3, 1), date(2024, 3, 31))
    assert Period(date(2024, 2, 29), date(2024, 2, 29)).same_last_year().start == date(2023, 2, 28)
    with pytest.raises(ValueError):
        Period(date(2025, 2, 1), date(2025, 1, 1))


def test_change_test_matches_a_hand_computed_binomial():
    # 2 → 5 with equal periods: P(X>=5 | n=7, p=.5) * 2 = 2 * (21+7+1)/128
    result = change_test(5, 2)
    assert result.p_value == pytest.approx(2 * (21 + 7 + 1) / 128)
    assert not result.significant and result.label_sv() == "ingen säker förändring"
    big = change_test(60, 30)
    assert big.p_value == pytest.approx(2 * binom.sf(59, 90, 0.5))
    assert big.significant and big.label_sv() == "ökning"
    assert change_test(10, 40).label_sv() == "minskning"
    assert change_test(0, 0).p_value == 1.0


def test_unequal_period_lengths_use_the_exposure_ratio():
    # twice as long a current period with twice the count is no change
    assert change_test(40, 20, exposure_ratio=2.0).p_value > 0.5


@pytest.mark.parametrize("ratio", [1.0, 0.5, 2.0, 28 / 365, 31 / 30, 123 / 365, 365 / 28])
def test_vectorised_p_values_equal_scipys_binomtest(ratio):
    """Every small pair, random large ones and extremes: the same p as scipy's exact test."""
    rng = np.random.default_rng(int(ratio * 1000))
    pairs = np.array([(c, r) for c in range(40) for r in range(40)]
                     + rng.integers(0, 3000, (300, 2)).tolist()
                     + [[5000, 5100], [0, 100_000], [100_000, 99_000], [1, 0], [0, 1]])
    share = ratio / (1 + ratio)
    expected = [1.0 if c + r == 0 else binomtest(int(c), int(c + r), share).pvalue for c, r in pairs]
    got = change_p_values(pairs[:, 0], pairs[:, 1], ratio)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-15)
    assert change_test(int(pairs[1700, 0]), int(pairs[1700, 1]), ratio).p_value == got[1700]


def _events(rows):
    return pd.DataFrame(rows, columns=["source", "area_id", "time"]).astype(
        {"area_id": "Int64", "time": "datetime64[ns]"})


def test_area_figures_count_each_source_and_period():
    period = Period(date(2025, 3, 1), date(2025, 3, 31))
    reference = period.previous()
    events = _events([
        ("police", 1, datetime(2025, 3, 1, 0, 0)),  # first instant of the period
        ("police", 1, datetime(2025, 3, 31, 23, 59)),  # last minute
        ("police", 1, datetime(2025, 4, 1, 0, 0)),  # outside (next day)
        ("police", 1, datetime(2025, 2, 15)),  # reference
        ("municipality", 2, datetime(2025, 3, 10)),
        ("police", None, datetime(2025, 3, 5)),
        ("walk", 2, datetime(2025, 3, 12)),
    ])
    areas = pd.DataFrame({"id": [1, 2], "name": ["Centrum", "Norrby"], "population": [1000, None]})
    figures = area_figures(events, areas, period, reference).set_index("area")
    assert figures.loc["Centrum", "police_current"] == 2
    assert figures.loc["Centrum", "police_reference"] == 1
    assert figures.loc["Norrby", "municipality_current"] == 1
    assert figures.loc["Norrby", "walk_current"] == 1
    assert figures.loc["Utanför områdena", "police_current"] == 1
    assert figures.loc["Centrum", "police_per_1000"] == pytest.approx(2 / 1000 * 1000 * 365 / 31)
    assert pd.isna(figures.loc["Norrby", "police_per_1000"])
    totals = source_totals(events, period, reference).set_index("source")
    assert totals.loc["police", "current"] == 3 and totals.loc["police", "reference"] == 1


def test_three_months_is_a_period_choice():
    from datetime import date

    from workbench.situation import preset_period
    from workbench.ui.text_sv import PERIOD_PRESETS

    assert PERIOD_PRESETS["3m"] == "Senaste 3 månaderna"
    assert preset_period("3m", date(2026, 10, 31)).label() == "2026-08-01 – 2026-10-31"


@pytest.mark.parametrize(("start", "end", "previous", "said"), [
    # October is compared with September (it was compared with 2026-08-31 – 09-30)
    ((2026, 10, 1), (2026, 10, 31), ((2026, 9, 1), (2026, 9, 30)), "jämfört med september 2026"),
    ((2024, 3, 1), (2024, 3, 31), ((2024, 2, 1), (2024, 2, 29)), "jämfört med februari 2024"),
    ((2026, 9, 1), (2026, 12, 31), ((2026, 5, 1), (2026, 8, 31)), "jämfört med tertial 2 2026"),
    ((2026, 1, 1), (2026, 4, 30), ((2025, 9, 1), (2025, 12, 31)), "jämfört med tertial 3 2025"),
    ((2025, 1, 1), (2025, 12, 31), ((2024, 1, 1), (2024, 12, 31)), "jämfört med 2024"),
    ((2026, 9, 1), (2026, 10, 20), ((2026, 5, 1), (2026, 6, 20)),
     "jämfört med samma del av föregående tertial (2026-05-01 – 2026-06-20)"),
    ((2026, 10, 3), (2026, 10, 30), ((2026, 9, 5), (2026, 10, 2)),
     "jämfört med de 28 dagarna före (2026-09-05 – 2026-10-02)"),
])
def test_the_previous_period_is_the_calendar_period_before(start, end, previous, said):
    period = Period(date(*start), date(*end))
    assert period.previous() == Period(date(*previous[0]), date(*previous[1]))
    assert period.compared_with(period.previous()) == said


def test_same_period_last_year_is_named():
    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    assert october.compared_with(october.same_last_year(), "last_year") == (
        "jämfört med samma period i fjol (oktober 2025)")


def test_meeting_title_says_the_date_once_and_the_period_once():
    from workbench.meeting import meeting_title

    custom = meeting_title(date(2026, 12, 4), "custom", Period(date(2026, 10, 18), date(2026, 10, 31)))
    assert custom == "EST-möte 2026-12-04, period 2026-10-18 till 2026-10-31"
    assert custom.count(" – ") == 0 and custom.count("2026-12-04") == 1
    assert meeting_title(date(2026, 11, 5), "month", Period(date(2026, 10, 1), date(2026, 10, 31))) == (
        "EST-möte 2026-11-05, period oktober 2026")
    assert meeting_title(date(2026, 11, 5), "custom", Period(date(2026, 10, 1), date(2026, 10, 31))) == (
        "EST-möte 2026-11-05, period oktober 2026")
