"""The fast paths of the import give what the general (Swedish, per-value) paths give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.io.importers import parse


def test_plain_numbers_fast_path_equals_the_swedish_path_on_a_messy_column():
    rng = np.random.default_rng(5)
    plain = [str(v) for v in rng.integers(6_100_000, 7_700_000, 300)]
    messy = ["6 399 514", "6\u00a0399\u00a0514", "57,72104", "1.234,5", "12.5", "-3", "+7", "007",
             "", "  ", "abc", "1e5", "12,5,6", "6'399'514", "NaN", "inf", "0x10", "1.", ".5",
             "١٢٣", "12.5.6", " 12 ", "6399514.0", "-0", "99999999999999999999999"]
    values = pd.Series(plain[:150] + messy + plain[150:] + [None], dtype=object)
    general = parse._parse_swedish_numbers(values.astype("string").fillna(""))
    fast = parse.parse_numbers(values)
    assert fast.dtype == "float64"
    pd.testing.assert_series_equal(fast, general.set_axis(values.index), check_names=False)
    only_plain = pd.Series(plain)
    pd.testing.assert_series_equal(parse.parse_numbers(only_plain),
                                   parse._parse_swedish_numbers(only_plain.astype("string")),
                                   check_names=False)


def test_datetime_fast_path_equals_the_per_value_path_on_a_messy_column():
    rng = np.random.default_rng(8)
    iso = list(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**6, 200), unit="min"))
    plain = [t.strftime("%Y-%m-%d") for t in iso[:100]] + [t.strftime("%Y-%m-%d %H:%M") for t in iso[100:]]
    messy = ["2025-01-01 0:49:20 +01:00", "2025-01-01T10:00:00Z", "2025-01-01 10:00 Z",
             "2024-03-05 14.30", "5/3 2024", "05.03.2024 14:30", "20240305", "20240305 1430",
             "45356", "45356,5", "2024-02-30", "0001-01-01", "9999-12-31", "", "  ", "x",
             "2024-03-05+0100", "2024-3-5", " 2024-03-05 "]
    values = pd.Series(plain[:100] + messy + plain[100:], dtype=object)
    per_value = pd.to_datetime(values.map(lambda v: parse._one_datetime(str(v))),
                               errors="coerce").astype("datetime64[ns]")
    pd.testing.assert_series_equal(parse.parse_datetimes(values), per_value, check_names=False)


def test_categories_classified_once_per_distinct_value_equal_the_per_value_rules():
    from workbench.taxonomy import OTHER, normalise_categories, normalise_category

    originals = pd.Series(["Misshandel, utomhus", " Skadegörelse genom klotter", "CYKELSTÖLD", None,
                           "Stöld", "okänd sak", "Misshandel, utomhus", pd.NA, "eget namn"] * 50,
                          dtype="string")
    out = normalise_categories(originals, "incident", {"eget namn": "klotter"})
    expected = [OTHER if v is pd.NA or v is None else
                ("klotter" if v == "eget namn" else normalise_category(v, "incident"))
                for v in originals.astype(object)]
    assert out.tolist() == expected
    assert str(out.dtype) == "string" and out.index.equals(originals.index)
