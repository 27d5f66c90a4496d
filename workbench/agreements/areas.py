"""Focus areas: the titles an agreement lists ("De prioriterade områdena är:", bullets, plain
lines, bold bullets with an explanation, an inline list in one sentence) and lines that act as
headings in web-page and PDF transcripts (a short line standing on its own)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from workbench.agreements.leads import find_lead, inline_commitment, subject_party
from workbench.agreements.lines import BLANK, BULLET, HEADING, NOISE, PLAIN, Line

_FOCUS_INTRO = re.compile(
    r"\b(?:områden|område|områdena|fokusområden?|fokusområdena|samverkansområden?|"
    r"insatsområden?|prioriteringar|prioriterade|teman|kraftsamlingar)\b[^:]*:$", re.IGNORECASE)
_FOCUS_HEADING = re.compile(
    r"^(?:prioriterade\s+områden|fokusområden|samverkansområden|insatsområden|prioriteringar|"
    r"utvecklingsområden|prioriterade\s+insatsområden)\s*:?$", re.IGNORECASE)
# "… fokusområdena är A, B och C." / "… inom områdena A, B och C."
_INLINE_LIST = re.compile(
    r"\b(?:(?:prioriterade\s+)?(?:fokusområden|fokusområdena|områdena|insatsområdena|"
    r"samverkansområdena|prioriteringarna)\s+(?:är|blir)|inom\s+(?:de\s+\w+\s+)?"
    r"(?:fokus|insats|samverkans)?områdena)\s+(?P<list>[^.:;]{5,400}?)\s*(?:\.|$)",
    re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"\s*,\s*")
_LAST_AND = re.compile(r"(?<!-)\s+(?:och|samt)\s+")
_VERBISH = re.compile(r"\b(?:är|har|blir|kan|ska|tar|finns|behöver)\b", re.IGNORECASE)
_AREA_PREFIX = re.compile(r"^(?:fokusområde|område|insatsområde|prioritering|tema)\s*\d*\s*"
                          r"[:.–—-]\s*", re.IGNORECASE)


def key(text: str) -> str:
    return " ".join(re.sub(r"[^\wåäöéü ]+", " ", text.lower()).split())


def same_title(a: str, b: str) -> bool:
    ka, kb = key(_AREA_PREFIX.sub("", a)), key(_AREA_PREFIX.sub("", b))
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 20 and long_.startswith(short) and len(short) >= 0.6 * len(long_):
        return True
    if abs(len(ka) - len(kb)) > 0.3 * max(len(ka), len(kb)):
        return False
    matcher = SequenceMatcher(None, ka, kb)
    return matcher.quick_ratio() >= 0.88 and matcher.ratio() >= 0.88


def title_text(text: str) -> str:
    return text.rstrip(" .:;")


def matching_title(text: str, titles: list[str]) -> str | None:
    if len(text) > 200:
        return None
    return next((title for title in titles if same_title(text, title)), None)


def inline_titles(sentence: str) -> list[str]:
    """Areas listed in one sentence.

    >>> inline_titles("Gemensamma prioriterade fokusområdena är Unga, ANDT- och tillsynsarbete, "
    ...               "Integration av nyanlända.")
    ['Unga', 'ANDT- och tillsynsarbete', 'Integration av nyanlända']
    >>> inline_titles("Vi arbetar inom områdena narkotika, trafik och trygghet i centrum.")
    ['Narkotika', 'Trafik', 'Trygghet i centrum']
    >>> inline_titles("De prioriterade områdena är viktiga för alla.")
    []
    """
    m = _INLINE_LIST.search(sentence)
    if m is None:
        return []
    pieces = _LIST_SEPARATOR.split(m.group("list"))
    if not any(_LAST_AND.search(piece) for piece in pieces[:-1]):
        pieces = pieces[:-1] + _LAST_AND.split(pieces[-1], maxsplit=1)
    pieces = [piece.strip() for piece in pieces if piece.strip()]
    if len(pieces) < 2 or any(len(p) > 90 or len(p.split()) > 10 or _VERBISH.search(p)
                              for p in pieces):
        return []
    return [piece[0].upper() + piece[1:] for piece in pieces]


def _is_commitment(text: str) -> bool:
    return inline_commitment(text, False, False) is not None or subject_party(text) is not None


def _short_plain(line: Line) -> bool:
    text = line.text
    return (line.kind == PLAIN and 3 <= len(text) <= 120 and not text.endswith((":", ";", ","))
            and ". " not in text.rstrip("."))


def focus_titles(lines: list[Line]) -> list[str]:
    """Focus-area titles listed in the introduction: after "inom följande områden:" a list of
    bullets (bold words first when the bullet explains itself) or short plain lines, or the
    areas named in one sentence. List items that are themselves promises are not titles."""
    titles: list[str] = []

    def add(title: str) -> None:
        title = title_text(title)
        if 0 < len(title) <= 150 and not any(same_title(title, t) for t in titles):
            titles.append(title)

    for position, line in enumerate(lines):
        if line.kind == PLAIN and not line.text.endswith(":"):
            for sentence in re.split(r"(?<=[.!?])\s+", line.text):
                for title in inline_titles(sentence):
                    add(title)
        is_intro = (line.kind in (PLAIN, HEADING) and _FOCUS_INTRO.search(line.text)) or (
            line.kind == HEADING and _FOCUS_HEADING.match(line.text))
        if not is_intro or find_lead(line, False) is not None:
            continue
        for item in lines[position + 1:]:
            if item.kind in (BLANK, NOISE):
                continue
            if item.kind == BULLET:
                if item.bold_lead:
                    add(item.bold_lead)
                elif not _is_commitment(item.text):
                    add(item.text)
                continue
            if _short_plain(item) and not item.text.endswith(".") and not _is_commitment(item.text):
                add(item.text)
                continue
            break
    return titles


def standalone_heading(lines: list[Line], position: int, repeated: set[str]) -> bool:
    """A short plain line on its own (blank before; blank, list, lead or end after) that reads as
    a heading: "Insatser för att öka tryggheten", "Medborgarlöfte 2023–2024"; a line ending in a
    full stop only when the same words stand on another line too (a summary repeated)."""
    line = lines[position]
    if not _short_plain(line) or not (line.text[0].isupper() or line.text[0].isdigit()):
        return False
    if line.text.endswith(("!", "?")):
        return False
    if line.text.endswith(".") and key(line.text) not in repeated:
        return False
    before = next((lines[i] for i in range(position - 1, -1, -1) if lines[i].kind != NOISE), None)
    after = next((lines[i] for i in range(position + 1, len(lines)) if lines[i].kind != NOISE),
                 None)
    if before is not None and before.kind not in (BLANK, HEADING):
        return False
    return (after is None or after.kind in (BLANK, BULLET, HEADING)
            or find_lead(after, False) is not None)


def repeated_lines(lines: list[Line]) -> set[str]:
    seen: dict[str, int] = {}
    for line in lines:
        if line.kind in (PLAIN, HEADING) and len(line.text) <= 120:
            seen[key(line.text)] = seen.get(key(line.text), 0) + 1
    return {text for text, count in seen.items() if count >= 2}
