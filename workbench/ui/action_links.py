"""What an åtgärd answers, as Åtgärder's form offers it: the commitments of the samverkans-
överenskommelser and the promises of the current medborgarlöften, each labelled with where it
comes from. A medborgarlöfte's items are offered as promises only (its document rows would
show the same text twice); a link the åtgärd already has is always offered, so saving the form
never drops it silently."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from workbench.ui.text_sv import shortened

UNLINKED = ("Åtgärden svarar inte mot något åtagande eller medborgarlöfte. Varje åtgärd bör svara "
            "mot ett åtagande i samverkansöverenskommelsen eller ett löfte i ett medborgarlöfte – "
            "välj det under ”Svarar mot åtaganden” eller ”Svarar mot medborgarlöften”.")


def commitment_labels(commitments: pd.DataFrame, linked: Iterable[int] = ()) -> dict[int, str]:
    """Commitment id → "Fokusområde – Part: text" for the agreements' commitments, and for a
    medborgarlöfte item an åtgärd is already linked to as a commitment (named by its document)."""
    keep = {int(i) for i in linked}
    labels: dict[int, str] = {}
    for row in commitments.itertuples():
        if getattr(row, "kind", "agreement") == "citizen_promise":
            if int(row.id) in keep:
                labels[int(row.id)] = f"{shortened(row.agreement, 60)} – {row.party}: {shortened(row.text, 80)}"
        else:
            labels[int(row.id)] = f"{row.focus_area} – {row.party}: {shortened(row.text, 80)}"
    return labels


def promise_phrase(party: str | None, text: str) -> str:
    """"Polisen och kommunen lovar att genomföra …" from a promise's party and its text (an
    "att"-clause in lower case, as the lists read); a text that is a sentence of its own is kept."""
    text = " ".join(str(text).split())
    if not party:
        return text
    if text[:1].islower():
        return f"{party} lovar {'' if text.startswith('att ') else 'att '}{text}"
    return f"{party}: {text}"


def promise_labels(promises: pd.DataFrame, linked: Iterable[int] = ()) -> dict[int, str]:
    """Promise id → "Medborgarlöfte …: Polisen lovar att …" for the current medborgarlöften,
    and for an ended one an åtgärd is already linked to (marked as ended)."""
    keep = {int(i) for i in linked}
    labels: dict[int, str] = {}
    for row in promises.itertuples():
        if bool(row.current) or int(row.id) in keep:
            ended = "" if bool(row.current) else " (avslutat)"
            party = None if row.party is None or pd.isna(row.party) else str(row.party)
            labels[int(row.id)] = f"{shortened(row.agreement, 60)}{ended}: {shortened(promise_phrase(party, row.text), 110)}"
    return labels
