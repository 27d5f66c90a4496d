"""Focus areas and the commitments under them: one walk over the classified lines, where
sections set the focus area, leads set the party and list items (or plain lines under a lead)
become commitments, each with the source lines it was read from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.agreements.areas import (
    focus_titles,
    matching_title,
    repeated_lines,
    standalone_heading,
    title_text,
)
from workbench.agreements.leads import (
    JOINT_PARTY,
    SENTENCE_END,
    Lead,
    attribution,
    find_lead,
    inline_commitment,
    is_promise_verb,
    subject_party,
)
from workbench.agreements.lines import BLANK, BULLET, HEADING, NOISE, PLAIN, RULE, TABLE, Line
from workbench.agreements.model import Commitment, FocusArea
from workbench.agreements.parties import ANNAN, GEMENSAM, party_kind, split_party_names

__all__ = ["JOINT_PARTY", "collect_focus_areas", "find_lead", "focus_titles"]

# Sections whose lists are facts or duties, not commitments ("område(t)" is no "råd(et)").
_NEGATIVE = re.compile(
    r"\b(?:bakgrund|nuläge\w*|problembild|innehåll\w*|inledning|syfte|organisation\w*|uppdrag|"
    r"ansvarsfördelning|roller|definition\w*|styrning|forum|\w*(?<!om)råd(?:et|ets)?|"
    r"brå-gruppen|arbetsgrupp\w*|sammanfattning|statistik|fakta|uppföljning|kontakt\w*|"
    r"vad\s+är)\b", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]{2,}.*[^\W\d_]{2,}|[^\W\d_]{4,}")

_TOC_ENTRY = re.compile(r"(?:\t|\.{3,}|…)\s*\d{1,3}$")
_SHORT_WORDS = frozenset("i på av om så nu då ut in ny år ur vi de ni är ha få gå se bo ta ".split())
_COMPLETE = re.compile(r"[.!?)\]»”\"]\s*$")


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
    section_lead: Lead | None = None  # "Det här lovar vi" over the sections under it
    lead_index: int = -2
    lead_has_items: bool = False
    last_bullet_index: int = -2
    last_plain_index: int = -2

    def _area(self) -> list[Commitment]:
        return self.areas.setdefault(self.current or self.fallback_title, [])

    def add(self, party: str, text: str, line: Line, *, derived: bool = False,
            unsure: bool = False) -> bool:
        """Record one commitment; ``derived`` text ("X lovar att …" minus "X lovar att") gets a
        capital first letter, text taken whole from an item is kept exactly as written."""
        text = text.strip()
        if not _WORDS.search(text) or _TOC_ENTRY.search(text):
            return False
        if derived:
            text = text[0].upper() + text[1:]
        kind = party_kind(party)
        self._area().append(Commitment(party, kind, text, lines=(line.index, line.end),
                                       low_confidence=unsure or kind == ANNAN))
        return True

    def extend_last(self, line: Line) -> None:
        area = self._area()
        if area:
            last = area[-1]
            first = last.lines[0] if last.lines else line.index
            area[-1] = Commitment(last.party, last.party_kind, f"{last.text} {line.text}",
                                  lines=(first, line.end), low_confidence=last.low_confidence)

    def end_lead(self, *, sticky: bool = True) -> None:
        self.lead, self.lead_has_items = None, False
        if sticky:
            self.section_lead = None

    def set_section(self, title: str | None, level: int, negative: bool, *,
                    keep_sticky: bool = False) -> None:
        self.end_lead(sticky=not keep_sticky or negative)
        self.current, self.current_level, self.negative = title, level, negative


def _own_party(text: str, lead: Lead | None, negative: bool) -> tuple[str, str, bool] | None:
    """(party, text, derived) when an item names its party inline and/or in parentheses."""
    inline = inline_commitment(text, lead is not None, negative)
    party, derived = None, False
    if inline is not None:
        derived = is_promise_verb(text)
        party, text = inline
    elif lead is not None:
        party = subject_party(text)
    found = attribution(text, lead)
    if found is not None:
        party, text = found
    return (party, text, derived) if party is not None else None


def _bullet(walk: _Walk, line: Line, position: int) -> None:
    lead = walk.lead or walk.section_lead
    own = _own_party(line.text, lead, walk.negative)
    added = False
    if lead is not None:
        if own is not None:
            added = walk.add(own[0], own[1], line, derived=own[2])
        else:
            added = walk.add(lead.party or JOINT_PARTY, line.text, line,
                             unsure=lead.party is None or lead is walk.section_lead)
        walk.lead_has_items = True
    elif own is not None and (inline_commitment(line.text, False, walk.negative) is not None
                              or (walk.current is not None and not walk.negative)):
        added = walk.add(own[0], own[1], line, derived=own[2])
    walk.last_bullet_index = position if added else -2


def _joint_prose(walk: _Walk, paragraph: str, line: Line) -> bool:
    """A paragraph in a focus area that opens "Kommunen och polisen ska …": one joint commitment
    (its first sentence). Prose naming one party, or "Parterna ska …", stays description."""
    sentence = SENTENCE_END.split(paragraph)[0]
    inline = inline_commitment(sentence, False, False)
    if inline is None or walk.current is None or walk.negative:
        return False
    subject = inline[0]
    if len(split_party_names(subject)) < 2 or party_kind(subject) != GEMENSAM:
        return False
    own = _own_party(sentence, None, False)
    return own is not None and walk.add(own[0], own[1], line, derived=own[2], unsure=True)


def _paragraph(lines: list[Line], position: int) -> tuple[str, int]:
    """The text of the paragraph starting at ``position`` and the position after it."""
    end = position + 1
    while end < len(lines) and lines[end].kind == PLAIN and not lines[end].bold:
        end += 1
    return " ".join(line.text for line in lines[position:end]), end


def _plain(walk: _Walk, line: Line, position: int, heading_like: bool) -> None:
    before = position - 1
    if walk.last_bullet_index == before:
        walk.extend_last(line)
        walk.last_bullet_index = position
        return
    lead = walk.lead
    if (lead is not None and lead.accepts_plain and len(line.text) <= 400
            and before in (walk.lead_index, walk.last_plain_index)):
        if walk.add(lead.party or JOINT_PARTY, line.text, line, unsure=lead.party is None):
            walk.last_plain_index = position
            walk.lead_has_items = True
        return
    if heading_like:
        if _NEGATIVE.search(line.text):
            walk.set_section(None, 7, True)
        else:
            walk.set_section(title_text(line.text), 7, False, keep_sticky=True)
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


def _drop_cut_off(walk: _Walk, last_line: int, complete: bool) -> None:
    """A text cut off in the middle: the last item is kept when it says something (marked
    unsure), dropped when only a half sentence is left ("Polisen s")."""
    if complete:
        return
    for title, items in walk.areas.items():
        if items and items[-1].lines and items[-1].lines[1] == last_line:
            last = items[-1]
            words = last.text.split()
            half_word = len(words[-1]) <= 2 and words[-1].lower() not in _SHORT_WORDS
            if half_word and len(words) <= 3:
                walk.areas[title] = items[:-1]
            else:
                items[-1] = Commitment(last.party, last.party_kind, last.text, lines=last.lines,
                                       low_confidence=True)


def collect_focus_areas(lines: list[Line], fallback_title: str) -> tuple[FocusArea, ...]:
    """Walk the lines once: sections set the focus area, leads set the party, items commit.

    Focus areas listed in the introduction come first (even without commitments); a heading
    (Markdown, or a short line on its own) becomes a focus area only when commitments follow
    it; commitments outside any section go to a focus area named ``fallback_title``.
    """
    lines = [line for line in lines if line.kind != NOISE]
    walk = _Walk(focus_titles(lines), fallback_title or "Åtaganden")
    repeated = repeated_lines(lines)
    content = [line for line in lines if line.kind not in (BLANK, RULE, TABLE)]
    first = content[0].index if content else -1
    skip_to = 0
    for position, line in enumerate(lines):
        if line.kind == BLANK or position < skip_to:
            continue
        if line.kind in (TABLE, RULE):
            walk.end_lead()
            continue
        if line.kind == BULLET:
            _bullet(walk, line, position)
            continue
        lead = find_lead(line, walk.negative)
        if lead is not None:
            walk.end_lead()
            walk.lead, walk.lead_index = lead, position
            if not lead.accepts_plain and lead.party is not None:
                walk.section_lead = lead
            continue
        title = matching_title(title_text(line.text), walk.titles)
        if title is not None:
            walk.set_section(title, line.level or 7, False, keep_sticky=line.kind == PLAIN)
        elif line.kind == HEADING and line.index != first:
            _heading(walk, line)
        elif line.kind == PLAIN:
            heading_like = line.index != first and standalone_heading(lines, position, repeated)
            starts_paragraph = position == 0 or lines[position - 1].kind in (BLANK, HEADING, RULE)
            if (starts_paragraph and not heading_like and walk.lead is None
                    and walk.current is not None):
                paragraph, end = _paragraph(lines, position)
                if _joint_prose(walk, paragraph, line):
                    skip_to = end
                    continue
            _plain(walk, line, position, heading_like)
    if content:
        _drop_cut_off(walk, content[-1].end, bool(_COMPLETE.search(content[-1].text)))
    ordered = list(walk.titles) + [t for t in walk.areas if t not in walk.titles]
    return tuple(FocusArea(t, tuple(walk.areas.get(t, ()))) for t in ordered
                 if t in walk.titles or walk.areas.get(t))
