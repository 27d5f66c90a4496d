"""Focus areas and the commitments under them ("X förbinder sig att:", "Polisen lovar …")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from workbench.agreements.lines import BLANK, BULLET, HEADING, PLAIN, RULE, TABLE, Line
from workbench.agreements.model import Commitment, FocusArea
from workbench.agreements.parties import (
    ANNAN,
    GEMENSAM,
    GENERIC_NAMES,
    party_kind,
    split_party_names,
)

JOINT_PARTY = "Tillsammans"
_VERB = r"förbinder\s+sig|åtar\s+sig|åtar\s+vi\s+oss|lovar|har\s+lovat|ska|ansvarar\s+för"
_DUTY_VERBS = ("ska", "ansvarar för")  # also used for a council's duties: stricter rules
_OWN_LIST = re.compile(r"^(?P<who>[^:;.]{2,60}?)\s+(?:åtaganden|åtagande|löften)\s*:?$",
                       re.IGNORECASE)
_VERB_AT = re.compile(rf"(?<![\wåäö])({_VERB})(?![\wåäö])", re.IGNORECASE)
_SHORT_TAIL = re.compile(r"^(?:vi\b)?\s*(?:att|följande(?:\s+\w+)?)?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_GENERIC_LEAD = re.compile(r"\b(?:löften|löfte|åtaganden|åtagande|löftena)\s*:$", re.IGNORECASE)
_INLINE = re.compile(
    r"^(?P<subject>[A-ZÅÄÖ][^.:;()]{0,90}?)\s+(?P<verb>lovar|förbinder\s+sig|åtar\s+sig|ska)"
    r"\s+(?:att\s+)?(?P<rest>\S.*)$")
_ATTRIBUTION = re.compile(r"^(?P<text>.*?)\s*\((?P<who>[^()]{1,120})\)\s*(?P<stop>\.?)\s*$")
_FOCUS_INTRO = re.compile(
    r"\b(?:områden|område|fokusområden?|samverkansområden?|insatsområden?|prioriteringar|"
    r"prioriterade|teman|kraftsamlingar)\b[^:]*:$", re.IGNORECASE)
_FOCUS_HEADING = re.compile(
    r"^(?:prioriterade\s+områden|fokusområden|samverkansområden|insatsområden|prioriteringar|"
    r"utvecklingsområden|prioriterade\s+insatsområden)\s*:?$", re.IGNORECASE)
# Sections whose lists are facts or duties, not commitments ("område(t)" is no "råd(et)").
_NEGATIVE = re.compile(
    r"\b(?:bakgrund|nuläge\w*|problembild|innehåll\w*|inledning|syfte|organisation\w*|uppdrag|"
    r"ansvarsfördelning|roller|definition\w*|styrning|forum|\w*(?<!om)råd(?:et|ets)?|"
    r"brå-gruppen|arbetsgrupp\w*|sammanfattning|statistik|fakta|uppföljning|kontakt\w*|"
    r"vad\s+är)\b", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]{2,}.*[^\W\d_]{2,}|[^\W\d_]{4,}")
_TOC_ENTRY = re.compile(r"(?:\t|\.{3,}|…)\s*\d{1,3}$")
_FUNCTION_WORDS = frozenset(
    "det detta här den de man för att som utifrån därför då när om i under efter genom med vad "
    "vilket nu även också och eller men så hur vår våra medborgarlöftet medborgarlöften "
    "överenskommelsen samverkansöverenskommelsen handlingsplanen planen respektive varje "
    "alla dessa denna".split())


@dataclass(frozen=True)
class Lead:
    """A line that introduces commitments: its party (None: each item names its own)."""

    party: str | None
    kind: str | None
    accepts_plain: bool


def _party_like(subject: str) -> bool:
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


def find_lead(line: Line, negative: bool) -> Lead | None:
    """The commitment lead on a heading/bold/plain line, or None.

    >>> find_lead(Line(0, "", PLAIN, "Polisen lovar i medborgarlöftet för 2022 att:"), False)
    Lead(party='Polisen', kind='polis', accepts_plain=True)
    """
    if line.kind not in (HEADING, PLAIN):
        return None
    text = line.text
    colon = text.endswith(":")
    sentence = _SENTENCE_END.split(text)[-1].rstrip(": ")
    if not colon and len(text) > 100:
        return None
    for m in _VERB_AT.finditer(sentence):
        verb = " ".join(m.group(1).lower().split())
        subject = sentence[:m.start()].strip(" ,")
        tail = sentence[m.end():].strip()
        if colon:
            if len(tail) > 100:
                continue
        elif not _SHORT_TAIL.match(tail):
            continue
        duty = verb in _DUTY_VERBS
        if not duty and (re.match(r"^vi\b", tail, re.IGNORECASE) or subject.lower() == "vi"):
            return Lead(JOINT_PARTY, GEMENSAM, colon)
        if not _party_like(subject):
            continue
        kind = party_kind(subject)
        if duty and (not colon or negative or kind == ANNAN):
            continue
        return Lead(subject, kind, colon)
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
    if who.endswith("s") and party_kind(who[:-1]) != ANNAN and _party_like(who[:-1]):
        return who[:-1]
    return None


def inline_commitment(text: str, in_lead: bool, negative: bool) -> tuple[str, str] | None:
    """(party, text) for an item that names its own party: "Polisen lovar att …".

    >>> inline_commitment("Polisen och Kumla kommun lovar att arbeta aktivt med grannsamverkan.",
    ...                   False, False)
    ('Polisen och Kumla kommun', 'arbeta aktivt med grannsamverkan.')
    """
    m = _INLINE.match(text)
    if m is None or not _party_like(m.group("subject")):
        return None
    verb = m.group("verb").lower()
    if verb in _DUTY_VERBS and (in_lead or negative or party_kind(m.group("subject")) == ANNAN):
        return None
    return m.group("subject"), m.group("rest")


def attribution(text: str, lead: Lead | None) -> tuple[str, str] | None:
    """(party, text) when an item ends with the responsible parties in parentheses.

    >>> attribution("Information till föräldrar. (Polis och kommun)", None)
    ('Polis och kommun', 'Information till föräldrar.')
    >>> attribution("Samordna arbetet med SSPF (skola, socialtjänst, polis, fritid)", None) is None
    True
    """
    m = _ATTRIBUTION.match(text)
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


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\wåäöéü ]+", " ", text.lower()).split())


def _same_title(a: str, b: str) -> bool:
    ka, kb = _key(a), _key(b)
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


def _title_text(text: str) -> str:
    return text.rstrip(" .:;")


def focus_titles(lines: list[Line]) -> list[str]:
    """Focus-area titles listed in the introduction ("inom följande områden:" + a list)."""
    titles: list[str] = []
    for position, line in enumerate(lines):
        is_intro = (line.kind in (PLAIN, HEADING) and _FOCUS_INTRO.search(line.text)) or (
            line.kind == HEADING and _FOCUS_HEADING.match(line.text))
        if not is_intro or find_lead(line, False) is not None:
            continue
        for item in lines[position + 1:]:
            if item.kind == BLANK:
                continue
            if item.kind != BULLET:
                break
            title = _title_text(item.text)
            if 0 < len(title) <= 150 and not any(_same_title(title, t) for t in titles):
                titles.append(title)
    return titles


@dataclass
class _Walk:
    """Mutable state while walking the lines once (local to one parse)."""

    titles: list[str]
    fallback_title: str
    areas: dict[str, list[Commitment]] = field(default_factory=dict)
    current: str | None = None
    current_level: int = 99
    negative: bool = False
    lead: Lead | None = None
    lead_index: int = -2
    lead_has_items: bool = False
    last_bullet_index: int = -2
    last_plain_index: int = -2

    def _area(self) -> list[Commitment]:
        return self.areas.setdefault(self.current or self.fallback_title, [])

    def add(self, party: str, text: str, *, derived: bool = False) -> bool:
        """Record one commitment; ``derived`` text ("X lovar att …" minus "X lovar att") gets a
        capital first letter, text taken whole from an item is kept exactly as written."""
        text = text.strip()
        if not _WORDS.search(text) or _TOC_ENTRY.search(text):
            return False
        if derived:
            text = text[0].upper() + text[1:]
        self._area().append(Commitment(party, party_kind(party), text))
        return True

    def extend_last(self, text: str) -> None:
        area = self._area()
        if area:
            last = area[-1]
            area[-1] = Commitment(last.party, last.party_kind, f"{last.text} {text}")

    def end_lead(self) -> None:
        self.lead, self.lead_has_items = None, False

    def set_section(self, title: str | None, level: int, negative: bool) -> None:
        self.end_lead()
        self.current, self.current_level, self.negative = title, level, negative


def _matching_title(text: str, titles: list[str]) -> str | None:
    if len(text) > 200:
        return None
    return next((title for title in titles if _same_title(text, title)), None)


def _own_party(text: str, lead: Lead | None, negative: bool) -> tuple[str, str, bool] | None:
    """(party, text, derived) when an item names its party inline and/or in parentheses."""
    inline = inline_commitment(text, lead is not None, negative)
    party, derived = None, False
    if inline is not None:
        party, text = inline
        derived = True
    found = attribution(text, lead)
    if found is not None:
        party, text = found
    return (party, text, derived) if party is not None else None


def _bullet(walk: _Walk, line: Line) -> None:
    lead = walk.lead
    own = _own_party(line.text, lead, walk.negative)
    added = False
    if lead is not None:
        party, text, derived = own or (lead.party or JOINT_PARTY, line.text, False)
        added = walk.add(party, text, derived=derived)
        walk.lead_has_items = True
    elif own is not None and (inline_commitment(line.text, False, walk.negative) is not None
                              or (walk.current is not None and not walk.negative)):
        added = walk.add(own[0], own[1], derived=own[2])
    walk.last_bullet_index = line.index if added else -2


def _joint_prose(walk: _Walk, paragraph: str) -> bool:
    """A paragraph in a focus area that opens "Kommunen och polisen ska …": one joint commitment
    (its first sentence). Prose naming one party, or "Parterna ska …", stays description."""
    sentence = _SENTENCE_END.split(paragraph)[0]
    inline = inline_commitment(sentence, False, False)
    if inline is None or walk.current is None or walk.negative:
        return False
    subject = inline[0]
    if len(split_party_names(subject)) < 2 or party_kind(subject) != GEMENSAM:
        return False
    own = _own_party(sentence, None, False)
    return own is not None and walk.add(own[0], own[1], derived=True)


def _paragraph(lines: list[Line], position: int) -> tuple[str, int]:
    """The text of the paragraph starting at ``position`` and the position after it."""
    end = position + 1
    while end < len(lines) and lines[end].kind == PLAIN and not lines[end].bold:
        end += 1
    return " ".join(line.text for line in lines[position:end]), end


def _plain(walk: _Walk, line: Line) -> None:
    before = line.index - 1
    if walk.last_bullet_index == before:
        walk.extend_last(line.text)
        walk.last_bullet_index = line.index
        return
    lead = walk.lead
    if (lead is not None and lead.accepts_plain and len(line.text) <= 400
            and before in (walk.lead_index, walk.last_plain_index)):
        if walk.add(lead.party or JOINT_PARTY, line.text):
            walk.last_plain_index = line.index
            walk.lead_has_items = True
        return
    walk.end_lead()
    if len(line.text) <= 60 and not line.text.endswith(".") and _NEGATIVE.search(line.text):
        walk.current, walk.negative = None, True


def _heading(walk: _Walk, line: Line) -> None:
    if _NEGATIVE.search(line.text):
        walk.set_section(None, line.level, True)
    elif walk.negative and line.level > walk.current_level:
        walk.end_lead()
    elif walk.current is None or line.level <= walk.current_level:
        walk.set_section(line.text, line.level, False)
    else:
        walk.end_lead()


def collect_focus_areas(lines: list[Line], fallback_title: str) -> tuple[FocusArea, ...]:
    """Walk the lines once: sections set the focus area, leads set the party, items commit.

    Focus areas listed in the introduction come first (even without commitments); a heading
    becomes a focus area only when commitments follow it; commitments outside any section go
    to a focus area named ``fallback_title``.
    """
    walk = _Walk(focus_titles(lines), fallback_title or "Åtaganden")
    first = next((line.index for line in lines if line.kind != BLANK), -1)
    skip_to = 0
    for position, line in enumerate(lines):
        if line.kind == BLANK or position < skip_to:
            continue
        if line.kind in (TABLE, RULE):
            walk.end_lead()
            continue
        if line.kind == BULLET:
            _bullet(walk, line)
            continue
        lead = find_lead(line, walk.negative)
        if lead is not None:
            walk.end_lead()
            walk.lead, walk.lead_index = lead, line.index
            continue
        title = _matching_title(_title_text(line.text), walk.titles)
        if title is not None:
            walk.set_section(title, line.level or 7, False)
        elif line.kind == HEADING and line.index != first:
            _heading(walk, line)
        elif line.kind == PLAIN:
            starts_paragraph = position == 0 or lines[position - 1].kind in (BLANK, HEADING, RULE)
            if starts_paragraph and walk.lead is None and walk.current is not None:
                paragraph, end = _paragraph(lines, position)
                if _joint_prose(walk, paragraph):
                    skip_to = end
                    continue
            _plain(walk, line)
    ordered = list(walk.titles) + [t for t in walk.areas if t not in walk.titles]
    return tuple(FocusArea(t, tuple(walk.areas.get(t, ()))) for t in ordered
                 if t in walk.titles or walk.areas.get(t))
