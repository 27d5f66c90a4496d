"""Agreements: parse samverkansöverenskommelser and medborgarlöften into focus areas and commitments."""

from workbench.agreements.model import ActionRow, Commitment, FocusArea, ParsedAgreement, Period
from workbench.agreements.parse import parse_agreement, party_kind

__all__ = [
    "ActionRow",
    "Commitment",
    "FocusArea",
    "ParsedAgreement",
    "Period",
    "parse_agreement",
    "party_kind",
]
