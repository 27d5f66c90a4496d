"""Party names in agreement texts: what kind a party is, and who the parties are."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

KOMMUN, POLIS, BOSTADSBOLAG, GEMENSAM, ANNAN = (
    "kommun", "polis", "bostadsbolag", "gemensam", "annan")

_JOINT = re.compile(r"^(?:tillsammans|vi|parterna|båda\s+parter(?:na)?|alla\s+parter|"
                    r"samtliga\s+parter|gemensamt)$", re.IGNORECASE)
_HOUSING = re.compile(r"bostad|bostäder|hyresbost|allmännytt|\bhem\s+ab\b|\w{3,}hem\b|"
                      r"\bbo\s+ab\b|fastighets\s+ab\b", re.IGNORECASE)
_POLICE = re.compile(r"polis|\blpo\b", re.IGNORECASE)
_MUNICIPALITY = re.compile(r"kommun|\bstad\b|\bstads\b|förvaltning|nämnd|kommunstyrelse|"
                           r"socialtjänst", re.IGNORECASE)
# Between party names: ",", " och ", " samt ", " & ", " tillsammans med " (but not "Barn- och").
_SEPARATOR = re.compile(r"\s*,\s*|(?<!-)\s+(?:och|samt|tillsammans\s+med)\s+|\s*&\s*|\s*/\s*",
                        re.IGNORECASE)
_NOT_A_PARTY = re.compile(r"^(?:med\s+flera|m\.\s?fl\.?|m\s?fl|med\s+fler|etc\.?|"
                          r"övriga|andra|fler)$", re.IGNORECASE)
GENERIC_NAMES: dict[str, str] = {
    "polis": "Polisen", "polisen": "Polisen", "kommun": "Kommunen", "kommunen": "Kommunen",
}


def _single_kind(name: str) -> str:
    if _JOINT.match(name.strip()):
        return GEMENSAM
    if _HOUSING.search(name):
        return BOSTADSBOLAG
    if _POLICE.search(name):
        return POLIS
    if _MUNICIPALITY.search(name):
        return KOMMUN
    return ANNAN


def split_party_names(name: str) -> list[str]:
    """The single parties inside "X och Y", "X, Y och Z"; police sub-units stay together.

    >>> split_party_names("Marks kommun och Polismyndigheten, lokalpolisområde Borås")
    ['Marks kommun', 'Polismyndigheten, lokalpolisområde Borås']
    >>> split_party_names("Västtrafik, Nobina, Borås Stad, Polis, med flera")
    ['Västtrafik', 'Nobina', 'Borås Stad', 'Polis']
    """
    pieces: list[str] = []
    separators: list[str] = []
    position = 0
    for m in _SEPARATOR.finditer(name):
        pieces.append(name[position:m.start()])
        separators.append(m.group())
        position = m.end()
    pieces.append(name[position:])
    merged: list[str] = []
    for index, piece in enumerate(pieces):
        piece = piece.strip(" .;:()")
        if not piece or _NOT_A_PARTY.match(piece):
            continue
        joined_by_comma = index > 0 and separators[index - 1].strip() == ","
        if merged and joined_by_comma and (
            (_single_kind(piece) == POLIS and _single_kind(merged[-1]) == POLIS)
            or piece[0].islower() and _single_kind(piece) in (POLIS, ANNAN)
        ) and piece.lower() not in GENERIC_NAMES:
            merged[-1] = f"{merged[-1]}, {piece}"
        else:
            merged.append(piece)
    return merged


def party_kind(name: str) -> str:
    """kommun, polis, bostadsbolag, gemensam (kommun and polis together, "Tillsammans") or annan.

    >>> [party_kind(n) for n in ("Marks kommun", "Lokalpolisområde Hallsberg", "Marks bostads AB")]
    ['kommun', 'polis', 'bostadsbolag']
    >>> [party_kind(n) for n in ("Polisen och Kumla kommun", "Tillsammans", "Borås City")]
    ['gemensam', 'gemensam', 'annan']
    """
    name = " ".join(name.split())
    if not name:
        return ANNAN
    kinds = [_single_kind(piece) for piece in split_party_names(name)]
    known = {kind for kind in kinds if kind != ANNAN}
    if GEMENSAM in known or {KOMMUN, POLIS} <= known:
        return GEMENSAM
    if len(known) > 1:
        return GEMENSAM
    if len(known) == 1:
        return known.pop()
    return _single_kind(name)


_KOMMUN_MENTION = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?)[ \t]+([Kk]ommun|[Ss]tad)(?:s)?\b")
_POLICE_AREA = re.compile(
    r"\b(?P<word>[Ll]okalpolisområde|[Pp]olisområde|LPO|Lpo)(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
    r"(?P<name>[A-ZÅÄÖ][\wåäöé-]*(?:[ \t]+[A-ZÅÄÖ][\wåäöé-]*)*"
    r"(?:[ \t]+(?:syd|norr|nord|väst|öst|söder))?)"
    r"|\b(?P<police>Polisen)[ \t]+(?P<region>(?:södra|norra|västra|östra|mellersta)[ \t]+"
    r"[A-ZÅÄÖ][\wåäöé-]+)")
_SEVERAL = re.compile(
    r"\bkommunerna[ \t]+(?P<names>[A-ZÅÄÖ][\wåäöé-]+(?:[ \t]*,[ \t]*[A-ZÅÄÖ][\wåäöé-]+)*"
    r"[ \t]+(?:och|samt)[ \t]+[A-ZÅÄÖ][\wåäöé-]+)")
_JOB_TITLE = re.compile(
    r"^(?:(?:biträdande|tf\.?|t\.f\.)\s+)?(?:kommundirektör|kommunchef|stadsdirektör|"
    r"kommunstyrelsens\s+ordförande|ordförande|lokalpolisområdeschef|polisområdeschef|"
    r"områdeschef|polischef|vd|verkställande\s+direktör|chef|kommunpolis|"
    r"säkerhetschef|trygghetssamordnare|brottsförebyggande\s+samordnare)\b\s*(?:för\s+|i\s+)?",
    re.IGNORECASE)
# kommuner whose name takes no genitive s before "kommun" although it ends in a consonant
_NO_GENITIVE = frozenset({"Kalmar", "Hammarö", "Ale"})
_GENERIC_POLICE = frozenset({"polisen", "polis", "polismyndigheten"})


def kommun_name(place: str) -> str:
    """The kommun's name from its place name: "Storuman" → "Storumans kommun".

    >>> [kommun_name(p) for p in ("Storuman", "Lycksele", "Tjörn", "Borås", "Kalmar")]
    ['Storumans kommun', 'Lycksele kommun', 'Tjörns kommun', 'Borås kommun', 'Kalmar kommun']
    """
    vowel_or_s = place[-1].lower() in "aeiouyåäösxz"
    genitive = place if vowel_or_s or place in _NO_GENITIVE else f"{place}s"
    return f"{genitive} kommun"


def several_kommuner(text: str) -> list[str]:
    """One kommun per name in "kommunerna Dorotea, Lycksele och Åsele" (also "de tre kommunerna").

    >>> several_kommuner("de tre kommunerna Stenungsund, Orust och Tjörn samverkar")
    ['Stenungsunds kommun', 'Orusts kommun', 'Tjörns kommun']
    """
    names: list[str] = []
    for m in _SEVERAL.finditer(text):
        for place in re.split(r"\s*,\s*|\s+(?:och|samt)\s+", m.group("names")):
            name = kommun_name(place.strip())
            if place.strip() and name not in names:
                names.append(name)
    return names


def without_job_title(segment: str) -> str:
    """A signature line without the signer's job title: "Kommundirektör Askersunds kommun" →
    "Askersunds kommun" (a job title is not a party).

    >>> without_job_title("Kommundirektör Askersunds kommun")
    'Askersunds kommun'
    """
    stripped = _JOB_TITLE.sub("", segment.strip(), count=1)
    if stripped != segment.strip() and stripped[:1].isupper() and party_kind(stripped) != ANNAN:
        return stripped
    return segment.strip()


def is_generic_police(name: str) -> bool:
    return " ".join(name.lower().split()) in _GENERIC_POLICE


_NOT_A_PLACE = frozenset({
    "Denna", "Varje", "Hela", "Samma", "En", "Vår", "Vilken", "Annan", "Den", "Och", "Mellan",
    "Inom", "Per", "Alla", "Egen", "Mot", "Mitt", "I", "Till", "Er", "Din", "Min", "Ny", "Nya"})


def kommun_mentions(text: str) -> list[str]:
    """Every "Xs kommun"/"X stad" named in the text, most frequent first (then first seen).

    >>> kommun_mentions("Polisens och Mölndals stads löfte. Trygg i Mölndals stad. Inom Skara kommun.")
    ['Mölndals stad', 'Skara kommun']
    """
    counts: Counter[str] = Counter()
    display: dict[str, str] = {}
    for m in _KOMMUN_MENTION.finditer(text):
        place, word = m.groups()
        if place in _NOT_A_PLACE:
            continue
        name = f"{place} {'kommun' if word.lower() == 'kommun' else word}"
        counts[name.lower()] += 1
        display.setdefault(name.lower(), name)
    order = list(display)
    return [display[key] for key in sorted(order, key=lambda k: (-counts[k], order.index(k)))]


def police_area_mentions(text: str) -> list[str]:
    """Every "lokalpolisområde X" named in the text, as "Lokalpolisområde X", in order.

    >>> police_area_mentions("chef för lokalpolisområde Storgöteborg syd och Mölndals stad")
    ['Lokalpolisområde Storgöteborg syd']
    """
    names: list[str] = []
    for m in _POLICE_AREA.finditer(text):
        if m.group("police"):
            name = f"Polisen {' '.join(m.group('region').split())}"
        else:
            word = "Polisområde" if m.group("word").lower() == "polisområde" else "Lokalpolisområde"
            name = f"{word} {' '.join(m.group('name').split())}"
        if name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def _same(a: str, b: str) -> bool:
    return a.lower() in b.lower() or b.lower() in a.lower()


def merge_parties(groups: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """One ordered list of parties: duplicates (case, containment) folded into the longest name,
    generic "Polisen"/"Kommunen" dropped when a named police area/kommun exists, and sorted
    kommun → polis → bostadsbolag → annan (stable within each kind)."""
    names: list[str] = []
    for group in groups:
        for raw in group:
            name = " ".join(raw.split()).strip(" ,.;:")
            if not name or _JOINT.match(name) or _NOT_A_PARTY.match(name):
                continue
            name = GENERIC_NAMES.get(name.lower(), name[0].upper() + name[1:])
            for index, existing in enumerate(names):
                if _same(existing, name) and _single_kind(existing) == _single_kind(name):
                    if len(name) > len(existing) and name not in GENERIC_NAMES.values():
                        names[index] = name
                    break
            else:
                names.append(name)
    generic = set(GENERIC_NAMES.values())
    specific_kinds = {_single_kind(n) for n in names if n not in generic}
    names = [n for n in names if not (n in generic and _single_kind(n) in specific_kinds)]
    order = {KOMMUN: 0, POLIS: 1, BOSTADSBOLAG: 2, ANNAN: 3, GEMENSAM: 4}
    return tuple(sorted(names, key=lambda n: order[_single_kind(n)]))
