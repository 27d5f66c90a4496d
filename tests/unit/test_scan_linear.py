"""Issue 15, item 2: no single cell can stop the server. Every scanner is linear in the cell's length.

The old e-mail pattern retried from every letter of a long word: 100 000 characters took 25 s,
a million would take tens of minutes. Each shape below is one scan of a 1 000 000-character cell
built to make a backtracking pattern work as hard as it can (almost-matches of every kind).
"""

import time

import pytest

from workbench.anonymise.scan import redact_text

N = 1_000_000


def _repeat(unit: str) -> str:
    return (unit * (N // len(unit) + 1))[:N]


SHAPES = {
    "e-post-tecken utan @": _repeat("a"),
    "punkter och bokstäver": _repeat("a."),
    "plus och minus": _repeat("a+b-"),
    "många @": _repeat("a@"),
    "@ och punkter": _repeat("a@b."),
    "(at)-former": _repeat("a(at)b"),
    "siffror": _repeat("1"),
    "siffror med bindestreck": _repeat("1-"),
    "siffror med tankstreck": _repeat("12\u2013"),
    "siffror med punkter": _repeat("0.1"),
    "siffror med mellanslag": _repeat("07 "),
    "nästan personnummer": _repeat("811218-987"),
    "nästan telefonnummer": _repeat("070-123 45 "),
    "+46 om och om igen": _repeat("+46 "),
    "bokstäver och siffror om vartannat": _repeat("a1"),
    "versaler": _repeat("ABC"),
    "nästan regnummer": _repeat("ABC-12"),
    "blandat": _repeat("x.y+z@ 0-7\u20138 ABC 1 "),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_a_million_character_cell_is_scanned_in_well_under_a_second(name):
    cell = SHAPES[name]
    started = time.perf_counter()
    redact_text(cell)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{name}: {elapsed:.1f} s för 1 000 000 tecken (kvadratisk mönstermatchning?)"


def test_personal_data_at_the_end_of_a_long_cell_is_still_found():
    cell = _repeat("lorem ipsum ")[: N - 100] + " ring 070-123 45 67 eller anna@example.se"
    result = redact_text(cell)
    assert result.found == {"telefonnummer": 1, "e-post": 1}
