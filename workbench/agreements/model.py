"""Frozen dataclasses for a parsed samverkansöverenskommelse or medborgarlöfte."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

PARTY_KINDS: tuple[str, ...] = ("kommun", "polis", "bostadsbolag", "gemensam", "annan")
KIND_AGREEMENT = "agreement"
KIND_CITIZEN_PROMISE = "citizen_promise"
KINDS: tuple[str, ...] = (KIND_AGREEMENT, KIND_CITIZEN_PROMISE)


@dataclass(frozen=True)
class Commitment:
    """One promise of one party (or of several parties jointly) within a focus area."""

    party: str
    party_kind: str
    text: str
    # the source lines the commitment was read from (first, last; 0-based, inclusive) and
    # whether the parser is unsure (the party was guessed, or the text may be cut off)
    lines: tuple[int, int] | None = field(default=None, compare=False)
    low_confidence: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        if self.party_kind not in PARTY_KINDS:
            raise ValueError(f"party_kind {self.party_kind!r} är inte en av {PARTY_KINDS}")

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"party": self.party, "party_kind": self.party_kind,
                                    "text": self.text}
        if self.lines is not None:
            document["lines"] = list(self.lines)
        if self.low_confidence:
            document["low_confidence"] = True
        return document


@dataclass(frozen=True)
class FocusArea:
    """A theme of the agreement (samverkansområde, fokusområde) with its commitments."""

    title: str
    commitments: tuple[Commitment, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "commitments": [c.to_json() for c in self.commitments]}


@dataclass(frozen=True)
class ActionRow:
    """One row of an action table: Orsak – Åtgärd – Ansvarig – Uppföljning."""

    cause: str
    action: str
    responsible: str
    follow_up: str

    def to_json(self) -> dict[str, str]:
        return {
            "cause": self.cause,
            "action": self.action,
            "responsible": self.responsible,
            "follow_up": self.follow_up,
        }


@dataclass(frozen=True)
class Period:
    """The period an agreement is valid, both ends inclusive; ``end`` None = open-ended
    ("tills vidare", "från 2022").

    >>> Period(date(2022, 1, 1), date(2024, 12, 31)).to_json()
    {'start': '2022-01-01', 'end': '2024-12-31'}
    >>> Period(date(2022, 1, 1), None).to_json()
    {'start': '2022-01-01', 'end': None}
    """

    start: date
    end: date | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"Perioden slutar ({self.end}) före den börjar ({self.start})")

    def to_json(self) -> dict[str, str | None]:
        return {"start": self.start.isoformat(),
                "end": self.end.isoformat() if self.end is not None else None}


@dataclass(frozen=True)
class ParsedAgreement:
    """What the parser found in one agreement text; ``kind`` is agreement or citizen_promise."""

    title: str
    kind: str
    parties: tuple[str, ...]
    period: Period | None
    focus_areas: tuple[FocusArea, ...]
    actions: tuple[ActionRow, ...]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} är inte en av {KINDS}")

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        """Every commitment of every focus area, in document order."""
        return tuple(c for area in self.focus_areas for c in area.commitments)

    def to_json(self) -> dict[str, Any]:
        """The CLI contract of ``workbench agreement parse FILE --json`` (DESIGN.md)."""
        return {
            "title": self.title,
            "kind": self.kind,
            "parties": list(self.parties),
            "period": self.period.to_json() if self.period is not None else None,
            "focus_areas": [area.to_json() for area in self.focus_areas],
            "actions": [row.to_json() for row in self.actions],
        }
