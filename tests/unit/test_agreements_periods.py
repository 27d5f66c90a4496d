"""Agreement periods in every written form, alone and inside whole documents."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.agreements.parse import parse_agreement
from workbench.agreements.periods import find_period, parse_period


@pytest.mark.parametrize("text, start, end", [
    ("Samverkansöverenskommelse 2022–2024", date(2022, 1, 1), date(2024, 12, 31)),
    ("Medborgarlöfte 2018-2020", date(2018, 1, 1), date(2020, 12, 31)),
    ("Överenskommelsen gäller för perioden 2020-01-01 till och med 2023-12-31.",
     date(2020, 1, 1), date(2023, 12, 31)),
    ("Perioden är 2023-05-01 – 2026-12-31", date(2023, 5, 1), date(2026, 12, 31)),
    ("Överenskommelsen gäller mellan år 2024 till och med år 2026",
     date(2024, 1, 1), date(2026, 12, 31)),
    ("löper från 2018-07-01—2020-06-30", date(2018, 7, 1), date(2020, 6, 30)),
    ("gäller från 1 juni 2022 till och med den 31 december 2023",
     date(2022, 6, 1), date(2023, 12, 31)),
    ("under tiden den 1 juli 2017 till den 30 juni 2019", date(2017, 7, 1), date(2019, 6, 30)),
    ("aktiviteter mellan februari 2019 till januari 2020", date(2019, 2, 1), date(2020, 1, 31)),
    ("från jan 2024 t.o.m. feb 2024", date(2024, 1, 1), date(2024, 2, 29)),
    ("Handlingsplan 2022/23", date(2022, 1, 1), date(2023, 12, 31)),
    ("Medborgarlöfte 2019", date(2019, 1, 1), date(2019, 12, 31)),
])
def test_every_written_form(text: str, start: date, end: date):
    period = parse_period(text)
    assert period is not None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", [
    "", "Ingen period nämns här.", "2024-02-30 – 2024-03-01x", "ring 112 eller 114 14",
    "2026–2024", "Kinna 2022-05-18", "version 12345", "1 smarch till 2 smarch", "12-34-56 – 78-90-12",
])
def test_garbage_gives_no_period(text: str):
    assert parse_period(text) is None


def test_an_impossible_date_is_skipped_for_the_next_valid_range():
    period = parse_period("2023-02-30 – 2023-12-31, annars 2023-03-01 – 2023-12-31")
    assert period is not None and period.start == date(2023, 3, 1)


def test_a_day_precise_range_in_a_validity_sentence_beats_the_title_years():
    period = find_period("Överenskommelse 2020-2023", [
        "Under 2019-2020 ökade brotten.",
        "Överenskommelsen gäller för perioden 2020-03-01 till och med 2023-02-28.",
    ])
    assert period is not None and (period.start, period.end) == (date(2020, 3, 1), date(2023, 2, 28))


def test_title_years_beat_an_unrelated_year_range_in_the_text():
    period = find_period("Samverkansöverenskommelse 2022–2024", [
        "Under 2017-2019 ökade brotten i centrum.",
    ])
    assert period is not None and (period.start, period.end) == (date(2022, 1, 1), date(2024, 12, 31))


def test_a_lone_year_counts_only_in_the_title_or_a_short_headline():
    assert find_period("Trygghet i Tby", ["Under 2017 har brotten minskat i Tby kommun."]) is None
    period = find_period("Trygghet i Tby", ["Medborgarlöfte 2018"])
    assert period is not None and (period.start, period.end) == (date(2018, 1, 1), date(2018, 12, 31))


def test_a_published_date_is_not_a_period():
    parsed = parse_agreement("Medborgarlöfte\n\nPublicerad: 2022-03-23\n\nPolisen lovar att:\n"
                             "- Öka närvaron\n")
    assert parsed.period is None
