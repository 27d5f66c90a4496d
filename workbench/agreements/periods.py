"""Find the validity period of an agreement in Swedish text (dates, months, years)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from workbench.agreements.model import Period

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?:19|20)\d{2}"
# "–", "-", "—", "till", "till och med", "t.o.m.", "fram till", with an optional "den"/"år".
_UNTIL = (r"(?:\s*[-–—]\s*|\s+(?:till\s+och\s+med|t\.\s?o\.\s?m\.?|tom|fram\s+till|till)\s+)"
          r"(?:den\s+|år\s+)?")
_ISO = rf"({_YEAR})-(\d{{1,2}})-(\d{{1,2}})"
_WRITTEN = rf"(\d{{1,2}})\s*(?::[ae])?\s+({_MONTH})\s+({_YEAR})"

_ISO_RANGE = re.compile(rf"(?<![\d-]){_ISO}{_UNTIL}{_ISO}(?![\d])")
_WRITTEN_RANGE = re.compile(rf"(?<!\d){_WRITTEN}{_UNTIL}{_WRITTEN}(?!\d)", re.IGNORECASE)
_MONTH_RANGE = re.compile(rf"\b({_MONTH})\s+({_YEAR}){_UNTIL}({_MONTH})\s+({_YEAR})(?!\d)",
                          re.IGNORECASE)
_YEAR_RANGE = re.compile(
    rf"(?<![\d-])(?:år\s+)?({_YEAR})(?:\s*[-–—/]\s*|\s+(?:till\s+och\s+med|t\.\s?o\.\s?m\.?|tom"
    rf"|till)\s+(?:år\s+)?)({_YEAR}|\d{{2}})(?![\d-])",
    re.IGNORECASE,
)
_SINGLE_YEAR = re.compile(rf"(?<![\d\-–—/]){_YEAR}(?![\d\-–—/])")
_CUE = re.compile(r"gäll(?:er|a|de|ande)|\bperiod|\blöp(?:er|a|te)\b|under\s+tiden|avtalstid|"
                  r"giltig|från\s+och\s+med|\bavser\b|tills\s+vidare", re.IGNORECASE)
_HEADLINE_WORDS = re.compile(r"medborgarlöfte|överenskommelse|handlingsplan|samverkansavtal",
                             re.IGNORECASE)
# "Medborgarlöftet 2020/2021 för …", "Medborgarlöften i Motala kommun under 2018-2019"
_HEADLINE_YEAR = re.compile(
    rf"(?:medborgarlöfte|överenskommelse|handlingsplan|samverkansavtal)\w*[ ,]+"
    rf"(?:[\wåäöÅÄÖ–-]+[ ,]+){{0,5}}?(?:år\s+|åren\s+|under\s+|för\s+)?(?={_YEAR})",
    re.IGNORECASE)
_UNDER_YEAR = re.compile(rf"^(?:under|för|inom)\s+(?:år\s+)?({_YEAR})\s+(?:ska|kommer|lovar|åtar|"
                         rf"förbinder)\b", re.IGNORECASE)
_OPEN_START = re.compile(
    rf"\b(?:från|fr\.\s?o\.\s?m\.?)(?:\s+och\s+med)?\s+(?:den\s+|år\s+)?"
    rf"(?:{_ISO}|{_WRITTEN}|({_MONTH})\s+({_YEAR})|({_YEAR}))(?![\d-])", re.IGNORECASE)
_POINTER = re.compile(r"\bläs\w*\b|\bhemsida|\bwebbplats|\blänk", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")


def _day(year: str, month: int | str, day: str) -> date | None:
    try:
        month_number = MONTHS[month.lower().rstrip(".")] if isinstance(month, str) else month
        return date(int(year), month_number, int(day))
    except (KeyError, ValueError):
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _period(start: date | None, end: date | None) -> Period | None:
    if start is None or end is None or end < start or end.year - start.year > 15:
        return None
    return Period(start, end)


def exact_ranges(text: str) -> list[Period]:
    """Ranges given to the day, ISO or written out, in the order they appear.

    >>> exact_ranges("Överenskommelsen gäller för perioden 2020-01-01 till och med 2023-12-31.")
    [Period(start=datetime.date(2020, 1, 1), end=datetime.date(2023, 12, 31))]
    >>> [p.to_json() for p in exact_ranges("gäller från 1 juni 2022 till och med den 31 december 2023")]
    [{'start': '2022-06-01', 'end': '2023-12-31'}]
    """
    found: list[tuple[int, Period]] = []
    for m in _ISO_RANGE.finditer(text):
        y1, m1, d1, y2, m2, d2 = m.groups()
        period = _period(_day(y1, int(m1), d1), _day(y2, int(m2), d2))
        if period is not None:
            found.append((m.start(), period))
    for m in _WRITTEN_RANGE.finditer(text):
        d1, m1, y1, d2, m2, y2 = m.groups()
        period = _period(_day(y1, m1, d1), _day(y2, m2, d2))
        if period is not None:
            found.append((m.start(), period))
    return [period for _, period in sorted(found, key=lambda item: item[0])]


def month_ranges(text: str) -> list[Period]:
    """Ranges of whole months: "februari 2019 till januari 2020" → 2019-02-01 – 2020-01-31."""
    found: list[Period] = []
    for m in _MONTH_RANGE.finditer(text):
        m1, y1, m2, y2 = m.groups()
        start_month, end_month = MONTHS[m1.lower().rstrip(".")], MONTHS[m2.lower().rstrip(".")]
        period = _period(date(int(y1), start_month, 1), _month_end(int(y2), end_month))
        if period is not None:
            found.append(period)
    return found


def year_ranges(text: str) -> list[Period]:
    """Ranges of whole years: "2022–2024", "år 2024 till och med år 2026", "2022/23"."""
    found: list[Period] = []
    for m in _YEAR_RANGE.finditer(text):
        first, second = m.groups()
        end_year = int(first[:2] + second) if len(second) == 2 else int(second)
        period = _period(date(int(first), 1, 1), date(end_year, 12, 31))
        if period is not None:
            found.append(period)
    return found


def single_years(text: str) -> list[Period]:
    """A lone year ("Medborgarlöfte 2018") as 1 January – 31 December of that year."""
    return [Period(date(int(m.group()), 1, 1), date(int(m.group()), 12, 31))
            for m in _SINGLE_YEAR.finditer(text)]


def parse_period(text: str) -> Period | None:
    """The most precise period stated in one string, or None.

    >>> parse_period("Samverkansöverenskommelse mellan Marks kommun och polisen år 2022–2024")
    Period(start=datetime.date(2022, 1, 1), end=datetime.date(2024, 12, 31))
    >>> parse_period("Ingen tid här") is None
    True
    """
    for finder in (exact_ranges, month_ranges, year_ranges, single_years):
        periods = finder(text)
        if periods:
            return periods[0]
    return None


def _first(finder: Callable[[str], list[Period]], texts: Iterable[str]) -> Period | None:
    for text in texts:
        periods = finder(text)
        if periods:
            return periods[0]
    return None


def open_ranges(text: str) -> list[Period]:
    """A start without an end: "från 2022", "från och med 1 mars 2023 och tills vidare".

    >>> [p.to_json() for p in open_ranges("Gemensamma medborgarlöften i Kalmar kommun från 2022.")]
    [{'start': '2022-01-01', 'end': None}]
    """
    found: list[Period] = []
    for m in _OPEN_START.finditer(text):
        y1, m1, d1, d2, m2, y2, month, month_year, year = m.groups()
        if y1:
            start = _day(y1, int(m1), d1)
        elif y2:
            start = _day(y2, m2, d2)
        elif month:
            start = date(int(month_year), MONTHS[month.lower().rstrip(".")], 1)
        else:
            start = date(int(year), 1, 1)
        if start is not None:
            found.append(Period(start, None))
    return found


def _headline_ranges(text: str) -> list[Period]:
    """Years right after the document's own name: "Medborgarlöftet 2020/2021 för …"."""
    found: list[Period] = []
    if _POINTER.search(text):  # "Du kan läsa mer om medborgarlöften 2024 på polisens hemsida."
        return found
    for m in _HEADLINE_YEAR.finditer(text):
        rest = text[m.end():]
        if re.search(r"\b(?:från|sedan|fr\.?\s?o\.?\s?m\.?)\s*$", m.group(), re.IGNORECASE):
            continue
        period = (_first(year_ranges, [rest[:20]]) or _first(single_years, [rest[:5]]))
        if period is not None:
            found.append(period)
    return found


def _under_year(text: str) -> list[Period]:
    m = _UNDER_YEAR.match(text)
    return single_years(m.group(1)) if m else []


def _sentences(lines: Sequence[str]) -> list[str]:
    return [sentence for line in lines for sentence in _SENTENCE.split(line) if sentence.strip()]


def find_period(title: str, lines: Sequence[str]) -> Period | None:
    """The document's period, only from where the document states its own validity.

    In order: day-precise ranges in validity sentences ("gäller/period/löper/under tiden"), the
    title, month and year ranges in validity sentences, an open start ("från 2022", "tills
    vidare"), years right after the document's name ("Medborgarlöftet 2020/2021 …"), a sentence
    opening "Under 2018 …", a lone year in the title block. Other dates (a national strategy
    "2016–2020", a publication or signing date) are never taken; nothing found → None.
    """
    sentences = _sentences(lines)
    cue = [sentence for sentence in sentences if _CUE.search(sentence)]
    exact = _first(exact_ranges, cue) or _first(exact_ranges, [title])
    if exact is not None:
        return exact
    title_years = year_ranges(title)
    if title_years:
        wanted = title_years[0]
        for line in lines:
            for period in exact_ranges(line):
                if period.end is not None and wanted.end is not None and (
                        period.start.year, period.end.year) == (wanted.start.year, wanted.end.year):
                    return period
        return wanted
    # the title block: the first short lines, not sentences
    head = [line for line in lines[:4] if len(line) <= 80 and not line.rstrip().endswith(".")]
    for finder, scope in ((month_ranges, cue), (year_ranges, cue), (open_ranges, cue),
                          (month_ranges, sentences), (_headline_ranges, sentences), (year_ranges, head),
                          (open_ranges, [s for s in sentences if _HEADLINE_WORDS.search(s)]),
                          (_under_year, sentences), (single_years, [title])):
        found = _first(finder, scope)
        if found is not None:
            return found
    headlines = [line for line in lines if len(line.strip()) <= 60 and _HEADLINE_WORDS.search(line)
                 and not _POINTER.search(line)]
    return _first(single_years, headlines)
