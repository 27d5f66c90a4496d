"""The follow-up document of one trygghetsvandring: its observations, the åtgärder decided on
them and where each stands — for the next walk or the third meeting with the participants.

It has the återkoppling's public-safe form: area level only (no coordinates, no map), every text
scanned for personal data once more, and an åtgärd's own text only when the group marked it
public (otherwise only that one was decided, by whom and its status).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from workbench import numbers
from workbench.anonymise.scan import redact_text
from workbench.reports.common import printed_at
from workbench.reports.document import (
    Bullets,
    Document,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)
from workbench.schema import ACTION_STATUSES

CLASSIFICATION = ("Uppföljning av trygghetsvandring: bara områdesnivå (inga koordinater), texten "
                  "granskad för personuppgifter, åtgärdernas text bara när den markerats publik.")
ACTION_STATUS = {status: status.capitalize() for status in ACTION_STATUSES}  # "pågår" → "Pågår"
OPEN = ("ny", "behandlad på EST-möte", "åtgärd beslutad")
PRIORITY = {1: "Hög", 2: "Medel", 3: "Låg"}


@dataclass(frozen=True)
class WalkFollowUp:
    organisation: str
    walk_date: date
    area: str
    participants: str  # roles, as stored ("kommunen, polisen, bostadsbolaget")
    planned: bool  # not yet walked
    observations: list[dict[str, Any]]  # number, label, area, priority, comment, status, reason, actions
    actions: list[dict[str, Any]]  # id, text, public, responsible, status, due, answers (numbers)


def _text(value: Any) -> str:
    return redact_text(str(value)).text if value not in (None, "") and value == value else ""


def _priority(value: Any) -> str:
    try:
        return PRIORITY.get(int(value), str(int(value)))
    except (TypeError, ValueError):
        return "–"


def _status(observation: dict[str, Any]) -> str:
    status = observation["status"]
    reason = _text(observation.get("reason"))
    return f"{status}: {reason}" if reason else status


def walk_follow_up_document(d: WalkFollowUp) -> Document:
    counts = {s: sum(o["status"] == s for o in d.observations)
              for s in ("ny", "behandlad på EST-möte", "åtgärd beslutad", "åtgärdad", "avslutad utan åtgärd")}
    sections = [Section("Sammanfattning", (KeyFigures((
        KeyFigure("Iakttagelser", numbers.integer(len(d.observations))),
        KeyFigure("Åtgärd beslutad", numbers.integer(counts["åtgärd beslutad"])),
        KeyFigure("Åtgärdade", numbers.integer(counts["åtgärdad"])),
        KeyFigure("Avslutade utan åtgärd", numbers.integer(counts["avslutad utan åtgärd"])),
        KeyFigure("Ej behandlade", numbers.integer(counts["ny"] + counts["behandlad på EST-möte"])),
    )),), anchor="sammanfattning")]
    if d.observations:
        sections.append(Section("Iakttagelser", (Table(
            ("Nr", "Vad", "Område", "Prioritet", "Kommentar", "Status"),
            tuple((str(o["number"]), o["label"], o.get("area") or d.area or "–", _priority(o.get("priority")),
                   _text(o.get("comment")) or "–", _status(o)) for o in d.observations),
            numeric=(0,), widths=(0.5, 1.6, 1.3, 0.9, 4, 2)),), anchor="iakttagelser"))
    else:
        sections.append(Section("Iakttagelser", (Paragraph(
            "Vandringen är planerad; inga iakttagelser är registrerade ännu." if d.planned
            else "Inga iakttagelser registrerades på vandringen."),), anchor="iakttagelser"))
    if d.actions:
        sections.append(Section("Beslutade åtgärder", (Table(
            ("Åtgärd", "Ansvarig", "Status", "Klar senast", "Svarar på iakttagelse"),
            tuple((_text(a["text"]) if a["public"] else "Åtgärd beslutad (texten är inte publicerad)",
                   _text(a.get("responsible")) or "–", ACTION_STATUS.get(a["status"], a["status"]),
                   f"{a['due']:%Y-%m-%d}" if isinstance(a.get("due"), date) else "–",
                   ", ".join(f"nr {n}" for n in a["answers"])) for a in d.actions),
            widths=(4, 1.6, 1, 1.1, 1.3)),), anchor="atgarder"))
    else:
        sections.append(Section("Beslutade åtgärder", (Paragraph("Inga åtgärder är beslutade ännu."),),
                                anchor="atgarder"))
    still_open = [o for o in d.observations if o["status"] in OPEN]
    sections.append(Section("Inför nästa vandring", (
        Bullets(tuple(f"Nr {o['number']} {o['label']} ({o.get('area') or d.area or 'området'}): {o['status']}"
                      for o in still_open)) if still_open
        else Paragraph("Alla iakttagelser är åtgärdade eller avslutade."),
    ), anchor="nasta"))
    title_date = f"{d.walk_date:%Y-%m-%d}"
    return Document(
        title=f"Uppföljning av trygghetsvandringen i {d.area or d.organisation}", subtitle=title_date,
        meta=(("Datum", title_date), ("Område", d.area or "–"),
              ("Deltagande organisationer", _text(d.participants) or "–"),
              ("Vandringen", "Planerad" if d.planned else "Genomförd"),
              ("Från", f"{d.organisation} och lokalpolisområdet")),
        sections=tuple(sections),
        footer=f"Uppföljning trygghetsvandring {d.area} {title_date} · {printed_at()}",
        classification=CLASSIFICATION)
