"""Who promises: lead lines ("Polisen lovar att:", "… avger härmed löfte om:"), items that name
their own party ("Kommunen ska …", "Polisen kommer att …") and trailing attributions
("(Kommun och Polis)", "– ansvar: kommunen")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.agreements.lines import HEADING, PLAIN, Line
from workbench.agreements.parties import (
    ANNAN,
    GEMENSAM,
    GENERIC_NAMES,
    party_kind,
    split_party_names,
)

JOINT_PARTY = "Tillsammans"
_VERB = (r"förbinder\s+sig|åtar\s+sig|åtar\s+vi\s+oss|lovar|har\s+lovat|ska|ansvarar\s+för|"
         r"avger\s+(?:härmed\s+)?(?:sitt\s+|sina\s+|följande\s+)?(?:löfte|löften)\s+om|"
         r"ger\s+(?:härmed\s+)?följande\s+(?:gemensamma\s+)?(?:löfte|löften|medborgarlöften?)|"
         r"(?:formulerar|har|ger|tar\s+på\s+sig)\s+följande\s+(?:gemensamma\s+)?"
         r"(?:uppdrag|åtaganden|åtagande|löften|löfte|medborgarlöften?)")
_DUTY_VERBS = ("ska", "ansvarar för")  # also used for a council's duties: stricter rules
_PROMISE_VERBS = re.compile(r"^(?:förbinder\s+sig|åtar\s+sig|lovar)$", re.IGNORECASE)
_OWN_LIST = re.compile(r"^(?P<who>[^:;.]{2,60}?)\s+(?:åtaganden|åtagande|löften)\s*:?$",
                       re.IGNORECASE)
_VERB_AT = re.compile(rf"(?<![\wåäö])({_VERB})(?![\wåäö])", re.IGNORECASE)
_SHORT_TAIL = re.compile(r"^(?:vi\b)?\s*(?:att|följande(?:\s+\w+)?)?$"
                         r"|^vi(?:\s+[\wåäö]+){0,2}\s+tillsammans$", re.IGNORECASE)
_TAIL_PARTY = re.compile(r"^(?P<who>[^\s,].{1,60}?)\s+att$", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_GENERIC_LEAD = re.compile(r"\b(?:löften|löfte|åtaganden|åtagande|löftena)\s*:$", re.IGNORECASE)
# "kommer tillsammans med andra aktörer att …", "kommer i samverkan med polisen att …"
_KOMMER = (r"kommer(?P<with>\s+(?:tillsammans|gemensamt|i\s+samverkan)(?:\s+med\s+[^,.;:]{1,80}?)?)?"
           r"\s+att")
_INLINE = re.compile(
    rf"^(?P<subject>[A-ZÅÄÖ][^.:;()]{{0,90}}?)\s+(?P<verb>lovar|förbinder\s+sig|åtar\s+sig|ska|"
    rf"skall|{_KOMMER})\s+(?:att\s+)?(?P<rest>\S.*)$")
# an item opening with its party and any present-tense verb: "Kommunen ser över …"
_SUBJECT_VERB = re.compile(
    rf"^(?P<subject>[A-ZÅÄÖ][^.:;()]{{0,90}}?)\s+(?P<verb>ska|skall|{_KOMMER}|kan|vill|"
    r"lovar|förbinder\s+sig|åtar\s+sig|[a-zåäö]{1,}(?:ar|er|ir|or|år|ör|är|ur|yr))"
    r"(?![\wåäö])\s*(?P<rest>\S.*)$")
_PARTY_START = re.compile(
    r"^(?:(?:[A-ZÅÄÖ][\wåäö-]+\s+){1,2}(?:kommun|stad)|(?:lokal)?polis\w*(?:\s+i\s+[A-ZÅÄÖ]\w+)?"
    r"|polismyndigheten|kommun\w*|socialtjänst\w*|skola\w*|skolan|vi|parterna|"
    r"[\wåäö-]*bostäder|[\wåäö-]*bostads\w*(?:\s+AB)?|[A-ZÅÄÖ][\wåäö-]*\s+AB|"
    r"räddningstjänst\w*|fritidsförvaltning\w*|(?:lokalpolisområde|polisområde)\s+[A-ZÅÄÖ][\wåäö-]*)$",
    re.IGNORECASE)
_TOGETHER_WITH = re.compile(r"^(?:i\s+samverkan|tillsammans)\s+med\s+(?P<other>(?:lokal)?polisen|"
                            r"kommunen|[A-ZÅÄÖ][\wåäö-]+\s+(?:kommun|stad))\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^(?P<text>.*?)\s*\((?P<who>[^()]{1,120})\)\s*(?P<stop>\.?)\s*$")
_RESPONSIBLE = re.compile(r"^(?P<text>.*?\S)\s*[–—-]\s*(?:ansvar(?:ig)?(?:\s+part)?|ansvariga)\s*:\s*"
                          r"(?P<who>[^:()]{2,80}?)\s*(?P<stop>\.?)\s*$", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    "det detta här den de man för att som utifrån därför då när om i under efter genom med vad "
    "vilket nu även också och eller men så hur vår våra medborgarlöftet medborgarlöften "
    "överenskommelsen samverkansöverenskommelsen handlingsplanen planen respektive varje "
    "alla dessa denna".split())


@dataclass(frozen=True)
class Lead:
    """A line that introduces commitments: its party (None: each item names its own); a lead
    without a colon on a line of its own ("Det här lovar vi") covers the sections under it."""

    party: str | None
    kind: str | None
    accepts_plain: bool


def party_like(subject: str) -> bool:
    words = subject.split()
    if not words or len(subject) > 90 or len(words) > 8:
        return False
    if words[0].lower().strip(",") in _FUNCTION_WORDS:
        return False
    if party_kind(subject) != ANNAN:
        return True
    lowered = {w.lower() for w in words}
    return (subject[0].isupper() and len(words) <= 5
            and not lowered & {"att", "som", "vad", "har", "är", "om", "när", "där", "kan"})


def _joint_subject(subject: str) -> bool:
    return bool(re.search(r"\bparter|\bgemensam", subject, re.IGNORECASE))


def find_lead(line: Line, negative: bool) -> Lead | None:
    """The commitment lead on a heading/bold/plain line, or None.

    >>> find_lead(Line(0, "", PLAIN, "Polisen lovar i medborgarlöftet för 2022 att:"), False)
    Lead(party='Polisen', kind='polis', accepts_plain=True)
    >>> find_lead(Line(0, "", PLAIN, "Under 2023 – 2024 lovar polisen att:"), False).party
    'polisen'
    """
    if line.kind not in (HEADING, PLAIN):
        return None
    text = line.text
    colon = text.endswith(":")
    sentence = SENTENCE_END.split(text)[-1].rstrip(": ")
    if not colon and len(text) > 100:
        return None
    for m in _VERB_AT.finditer(sentence):
        lead = _lead_at(m, sentence, colon, negative)
        if lead is not None:
            return lead
    return _list_lead(text, colon)


def _lead_at(m: re.Match[str], sentence: str, colon: bool, negative: bool) -> Lead | None:
    """The lead the promise verb ``m`` makes of the sentence, or None to try the next verb."""
    verb = " ".join(m.group(1).lower().split())
    subject = sentence[:m.start()].strip(" ,")
    tail = sentence[m.end():].strip()
    if (len(tail) > 100) if colon else not _SHORT_TAIL.match(tail):
        return None
    duty = verb in _DUTY_VERBS
    if re.match(r"^vi\b", tail, re.IGNORECASE) or subject.lower() == "vi":
        if not duty or not colon or re.search(r"tillsammans|gemensamt", tail, re.IGNORECASE):
            return Lead(JOINT_PARTY, GEMENSAM, colon)
    inverted = _TAIL_PARTY.match(tail) if colon else None
    if (inverted is not None and not party_like(subject) and not duty
            and party_kind(inverted.group("who")) != ANNAN):
        who = inverted.group("who")
        return Lead(who, party_kind(who), colon)
    if _joint_subject(subject) or ("gemensamma" in verb and not party_like(subject)):
        if subject and not negative:
            return Lead(JOINT_PARTY if party_kind(subject) == ANNAN else subject, GEMENSAM, colon)
        return None
    if not party_like(subject):
        return None
    kind = GEMENSAM if "gemensamma" in verb else party_kind(subject)
    if duty and (not colon or negative or kind == ANNAN):
        return None
    return Lead(subject, kind, colon)


def _list_lead(text: str, colon: bool) -> Lead | None:
    """A heading naming whose list follows ("Polisens åtaganden"), or a generic lead ending in
    "löften:"/"åtaganden:" whose items name their own parties."""
    own = _OWN_LIST.match(text) if len(text) <= 70 else None
    if own is not None:
        party = _nominative(own.group("who"))
        if party is not None:
            return Lead(party, party_kind(party), colon)
    if colon and _GENERIC_LEAD.search(text):
        return Lead(None, None, False)
    return None


def _nominative(who: str) -> str | None:
    """The party behind a possessive heading: "Polisens" → "Polisen", "Gemensamma" → joint."""
    who = who.strip()
    if who.lower() in ("gemensamma", "våra gemensamma", "parternas", "gemensamt"):
        return JOINT_PARTY
    if who.endswith("s") and party_kind(who[:-1]) != ANNAN and party_like(who[:-1]):
        return who[:-1]
    return None


def inline_commitment(text: str, in_lead: bool, negative: bool) -> tuple[str, str] | None:
    """(party, text) for an item that names its own party with a promise or modal verb.

    "X lovar att …" gives the text after "att"; "X ska …", "X kommer att …" keep the whole
    sentence as written (the subject is part of it).

    >>> inline_commitment("Polisen och Kumla kommun lovar att arbeta aktivt med grannsamverkan.",
    ...                   False, False)
    ('Polisen och Kumla kommun', 'arbeta aktivt med grannsamverkan.')
    >>> inline_commitment("Kommunen ska se över belysningen.", False, False)
    ('Kommunen', 'Kommunen ska se över belysningen.')
    """
    m = _INLINE.match(text)
    if m is None or not party_like(m.group("subject")):
        return None
    verb = " ".join(m.group("verb").lower().split())
    subject = m.group("subject")
    if _PROMISE_VERBS.match(verb):
        return subject, m.group("rest")
    if in_lead or negative or party_kind(subject) == ANNAN:
        return None
    if not _starts_with_party(subject):
        return None
    return _with_partner(subject, (m.group("with") or "").strip() or m.group("rest")), text


def _starts_with_party(subject: str) -> bool:
    pieces = split_party_names(subject)
    return bool(pieces) and bool(_PARTY_START.match(pieces[0].split(",")[0].strip()))


def _with_partner(subject: str, rest: str) -> str:
    """"Härnösands kommun ska tillsammans med polisen …" is joint: both parties."""
    partner = _TOGETHER_WITH.match(rest)
    if partner is not None and party_kind(partner.group("other")) != party_kind(subject):
        return f"{subject} och {partner.group('other')}"
    return subject


def subject_party(text: str) -> str | None:
    """The party an item under a lead names as its own subject: "Kommunen ser över …",
    "Polisen kommer att …" (under a joint lead the item keeps its own party).

    >>> subject_party("Kommunen ser över och, vid behov, åtgärdar det som framkommer")
    'Kommunen'
    >>> subject_party("Genomföra trygghetsvandringar där kommunen deltar") is None
    True
    """
    m = _SUBJECT_VERB.match(text)
    if m is None:
        return None
    subject = m.group("subject").strip(" ,")
    if not _starts_with_party(subject) or party_kind(subject) == ANNAN:
        return None
    return _with_partner(subject, (m.group("with") or "").strip() or m.group("rest"))


def is_promise_verb(text: str) -> bool:
    m = _INLINE.match(text)
    return m is not None and bool(_PROMISE_VERBS.match(" ".join(m.group("verb").split())))


def attribution(text: str, lead: Lead | None) -> tuple[str, str] | None:
    """(party, text) when an item ends with the responsible parties in parentheses or after
    "– ansvar:".

    >>> attribution("Information till föräldrar. (Polis och kommun)", None)
    ('Polis och kommun', 'Information till föräldrar.')
    >>> attribution("Sätta upp belysning – ansvar: kommunen", None)
    ('kommunen', 'Sätta upp belysning')
    >>> attribution("Samordna arbetet med SSPF (skola, socialtjänst, polis, fritid)", None) is None
    True
    """
    m = _ATTRIBUTION.match(text) or _RESPONSIBLE.match(text)
    if m is None or not m.group("text"):
        return None
    who = " ".join(m.group("who").split())
    pieces = split_party_names(who)
    if not pieces:
        return None
    known = False
    for piece in pieces:
        generic = piece.lower() in GENERIC_NAMES
        if not (generic or piece[0].isupper()) or len(piece.split()) > 5:
            return None
        if party_kind(piece) != ANNAN:
            known = True
        elif piece.isupper():  # an abbreviation such as (SSPF), (EST), (ANDT)
            return None
    if not known and lead is not None and lead.kind not in (None, GEMENSAM):
        return None
    text = m.group("text").rstrip()
    if m.group("stop") and not text.endswith((".", "!", "?")):
        text += "."  # "… kvällstid (Polis och kommun)." keeps its full stop
    return who, text
