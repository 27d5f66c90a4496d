"""Parse a samverkansöverenskommelse or medborgarlöfte text into a ParsedAgreement."""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.agreements.commitments import collect_focus_areas, find_lead
from workbench.agreements.lines import (
    BLANK,
    NOISE,
    PLAIN,
    RULE,
    TABLE,
    Line,
    classify,
    normalise_newlines,
)
from workbench.agreements.model import (
    KIND_AGREEMENT,
    KIND_CITIZEN_PROMISE,
    FocusArea,
    ParsedAgreement,
)
from workbench.agreements.parties import (
    ANNAN,
    KOMMUN,
    POLIS,
    is_generic_police,
    kommun_mentions,
    merge_parties,
    party_kind,
    police_area_mentions,
    several_kommuner,
    split_party_names,
    without_job_title,
)
from workbench.agreements.periods import find_period
from workbench.agreements.tables import parse_action_tables

__all__ = ["parse_agreement", "party_kind"]

_GENERIC_TITLE = re.compile(
    r"^(?:samverkansöverenskommelse|överenskommelse|samverkansavtal|medborgarlöften?)$",
    re.IGNORECASE)
_CITIZEN = re.compile(r"medborgarlöfte", re.IGNORECASE)
_AGREEMENT = re.compile(r"överenskommelse|samverkansavtal", re.IGNORECASE)
_BETWEEN = re.compile(r"\bmellan\s+(.+)$", re.IGNORECASE)
_TITLE_TAIL = re.compile(
    r"\s*(?:\b(?:år|åren|för\s+perioden|för\s+åren|under)\s+)?\b(?:19|20)\d{2}\b.*$"
    r"|\s+(?:om|avseende|gällande|angående|kring)\s+.*$", re.IGNORECASE)
_SIGNS = re.compile(
    r"^(?P<subject>.{3,200}?)\s+(?:tecknar|träffar|ingår|undertecknar|har\s+tecknat|"
    r"har\s+ingått)\b")
_SEGMENTS = re.compile(r"\t+| {3,}")
_FOR_ORG = re.compile(r"^För\s+([A-ZÅÄÖ][^.:;!?]{2,58})$")
_ANCHOR = re.compile(r"ordförande|områdeschef|kommunchef|kommundirektör|polischef|vd\b|"
                     r"^[A-ZÅÄÖ][\wåäö-]+\s+(?:den\b|\d{4}-\d{2}-\d{2})|^För\s+[A-ZÅÄÖ]|"
                     r"underteckna", re.IGNORECASE)
_KOMMUN_LINE = re.compile(r"^(?:[A-ZÅÄÖ][\wåäöé-]+\s+){1,2}(?:kommun|[Ss]tad)$")
_POLICE_LINE = re.compile(r"^[Ll]okalpolisområde\s+([A-ZÅÄÖ][\wåäöé -]{1,40})$")
_POLICE_CHIEF = re.compile(r"^[Ll]okalpolisområdeschef(?:\s+för)?\s+([A-ZÅÄÖ][\wåäöé -]{1,40})$")
_CHAIR_OF = re.compile(r"(?i:ordförande|kommunchef|kommundirektör)\s+(?:i|för)\s+([A-ZÅÄÖ].{2,50})$")


def _title(lines: Sequence[Line]) -> str:
    texts = [line for line in lines if line.kind not in (BLANK, RULE, TABLE, NOISE) and line.text]
    if not texts:
        return ""
    title = texts[0].text
    if _GENERIC_TITLE.match(title.rstrip(" :")):
        following = texts[1] if len(texts) > 1 else None
        if (following is not None and following.kind == PLAIN and len(following.text) <= 120
                and (following.text[0].isupper() or following.text[0].isdigit())
                and not following.text.endswith((".", ":")) and ":" not in following.text
                and find_lead(following, False) is None):
            title = f"{title} – {following.text}"
        else:
            word = title.split()[0].lower()
            for line in texts[1:25]:
                candidate = line.text
                if (candidate.lower().startswith(word) and len(candidate) > len(title)
                        and len(candidate) <= 80 and not candidate.endswith((".", ":"))):
                    title = candidate
                    break
    return title if len(title) <= 200 else title[:199].rstrip() + "…"


_VALIDITY = re.compile(r"^\W*(?P<subject>[\wåäöÅÄÖ-]+)\s+(?:gäller|löper|är\s+giltig)\b")


def _kind(title: str, text: str) -> str:
    """Agreement or citizen promise: the document that states its own validity ("Samverkans-
    överenskommelsen löper från …", "Medborgarlöftet gäller …") decides, else the title, else
    which word the text uses more."""
    for sentence in re.split(r"(?<=[.!?:])\s+|\n", text):
        m = _VALIDITY.match(sentence)
        if m is not None:
            subject = m.group("subject")
            if _CITIZEN.search(subject):
                return KIND_CITIZEN_PROMISE
            if _AGREEMENT.search(subject):
                return KIND_AGREEMENT
    promise, agreement = _CITIZEN.search(title), _AGREEMENT.search(title)
    if promise and (agreement is None or promise.start() < agreement.start()):
        return KIND_CITIZEN_PROMISE
    if agreement:
        return KIND_AGREEMENT
    promises, agreements = len(_CITIZEN.findall(text)), len(_AGREEMENT.findall(text))
    return KIND_CITIZEN_PROMISE if promises > agreements else KIND_AGREEMENT


def _valid_names(names: list[str], *, known_only: bool) -> list[str]:
    if len(names) < 2 or any(len(n) > 80 or len(n.split()) > 8 for n in names):
        return []
    if known_only and any(party_kind(n) == ANNAN for n in names):
        return []
    return names


def title_parties(title: str) -> list[str]:
    """Parties named in the title: "… mellan X och Y år 2022–2024" or "… – X och Y 2020-2023".

    >>> title_parties("Samverkansöverenskommelse mellan Marks kommun och Polismyndigheten, "
    ...               "lokalpolisområde Borås år 2022–2024")
    ['Marks kommun', 'Polismyndigheten, lokalpolisområde Borås']
    """
    between = _BETWEEN.search(title)
    if between is not None:
        segment = between.group(1)
    else:
        head, _, segment = title.partition(" – ")
        if not segment or not _GENERIC_TITLE.match(head):
            return []
    segment = _TITLE_TAIL.sub("", segment)
    return _valid_names(split_party_names(segment), known_only=between is None)


def _signing_parties(lines: Sequence[Line]) -> list[str]:
    names: list[str] = []
    for line in lines:
        if line.kind != PLAIN:
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", line.text):
            m = _SIGNS.match(sentence)
            if m:
                names += _valid_names(split_party_names(m.group("subject")), known_only=True)
    return names


def _signature_parties(lines: Sequence[Line], full_text: str) -> list[str]:
    """Organisations in signature blocks: "För Skara kommun", "Lokalpolisområdeschef Hallsberg",
    "Kommunstyrelsens ordförande i / Marks kommun", "Lokalpolisområde / Västra Skaraborg"."""
    raw = [line.raw.strip().rstrip("\\") for line in lines]
    segments: list[tuple[int, str]] = []
    for index, text in enumerate(raw):
        segments += [(index, without_job_title(" ".join(s.split())))
                     for s in _SEGMENTS.split(text) if s.strip()]
    near_anchor = {index + offset for index, segment in segments if _ANCHOR.search(segment)
                   for offset in range(-8, 9)}
    names: list[str] = []
    for position, (index, segment) in enumerate(segments):
        if len(segment) > 60 or index not in near_anchor:
            continue
        adjacent = (segments[position + 1][1]
                    if position + 1 < len(segments) and segments[position + 1][0] == index + 1
                    else "")
        if segment.endswith(" i") and adjacent:
            segment = f"{segment} {adjacent}"
        if segment.lower() == "lokalpolisområde" and adjacent[:1].isupper() and len(adjacent) <= 40:
            names.append(f"Lokalpolisområde {adjacent}")
            continue
        for pattern, template in ((_FOR_ORG, "{}"), (_POLICE_LINE, "Lokalpolisområde {}"),
                                  (_POLICE_CHIEF, "Lokalpolisområde {}"), (_CHAIR_OF, "{}")):
            m = pattern.search(segment)
            if m and party_kind(template.format(m.group(1))) in (KOMMUN, POLIS, "bostadsbolag"):
                names.append(template.format(m.group(1).strip()))
                break
        else:
            if _KOMMUN_LINE.match(segment) and _named_elsewhere(segment.split()[0], full_text):
                names.append(segment)
    return names


def _named_elsewhere(place: str, text: str) -> bool:
    """True when a place name ("Skara", "Marks" → "Mark") occurs at least twice in the text;
    keeps lines such as "Trygg stad" from passing for a kommun."""
    stem = re.escape(place[:-1] if place.endswith("s") and len(place) > 3 else place)
    found = re.finditer(rf"(?<![\wåäö]){stem}", text)
    return next(found, None) is not None and next(found, None) is not None


def _parties(title: str, lines: Sequence[Line], text: str,
             focus_areas: Sequence[FocusArea]) -> tuple[str, ...]:
    committed = [name for area in focus_areas for c in area.commitments
                 for name in split_party_names(c.party) if _organisation(name)]
    several = several_kommuner(text)
    merged = merge_parties([title_parties(title), _signing_parties(lines),
                            _signature_parties(lines, text), committed, several])
    if several:
        merged = tuple(n for n in merged if n.lower() not in ("kommunen", "kommunerna"))
    police = [n for n in merged if party_kind(n) == POLIS]
    areas = police_area_mentions(text)
    if police and areas and all(is_generic_police(n) for n in police):
        merged = merge_parties([[n for n in merged if n not in police], areas[:1]])
    kinds = {party_kind(name) for name in merged if name not in ("Polisen", "Kommunen")}
    extra: list[str] = []
    if KOMMUN not in kinds:
        extra += kommun_mentions(text)[:1]
    if POLIS not in kinds:
        extra += police_area_mentions(text)[:1]
        if not extra or party_kind(extra[-1]) != POLIS:
            extra += ["Polisen"] if re.search(r"polis", text, re.IGNORECASE) else []
    return merge_parties([merged, extra]) if extra else merged


def _organisation(name: str) -> bool:
    """A party name that is an organisation: not a kommun's function ("Socialtjänst", "skola",
    "Barn- och utbildningsförvaltningen") standing in for the kommun."""
    kind = party_kind(name)
    if kind == KOMMUN:
        return bool(re.search(r"kommun|\bstad\b|\bstads\b", name, re.IGNORECASE))
    return kind != ANNAN or name[:1].isupper()


def parse_agreement(text: str) -> ParsedAgreement:
    """Title, kind, parties, period, focus areas with commitments, and action rows of a text.

    Pure: takes the document's text (``workbench.io.documents.extract_text`` reads files) and never raises on odd
    input; what it cannot find is left empty (or ``period=None``).

    >>> parsed = parse_agreement('''# Överenskommelse mellan Skara kommun och polisen 2020–2023
    ...
    ... **Polisen förbinder sig att:**
    ... - Genomföra riktade insatser mot narkotika
    ... ''')
    >>> parsed.kind, parsed.period.to_json(), parsed.commitments[0].party_kind
    ('agreement', {'start': '2020-01-01', 'end': '2023-12-31'}, 'polis')
    """
    text = normalise_newlines(text)
    raw_lines = text.split("\n")
    actions, table_rows = parse_action_tables(raw_lines)
    lines = classify(text, table_rows)
    title = _title(lines)
    kind = _kind(title, text)
    focus_areas = collect_focus_areas(lines, title)
    period = find_period(title, [line.text for line in lines
                                 if line.kind not in (TABLE, NOISE, BLANK, RULE)])
    parties = _parties(title, lines, text, focus_areas)
    return ParsedAgreement(title=title, kind=kind, parties=parties, period=period,
                           focus_areas=focus_areas, actions=actions)
