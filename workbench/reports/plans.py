"""Åtgärdsplan (PDF/HTML and XLSX) and the yearly follow-up of the samverkansöverenskommelse."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd

from workbench.reports.cells import neutralise, neutralise_frame, storable
from workbench.reports.common import answers, internal, printed_at
from workbench.reports.document import Bullets, Document, Paragraph, Section, Table
from workbench.reports.follow_up_summary import summary_section

EXPORT_COLUMNS = {
    "id": "Id", "text": "Åtgärd", "responsible_party": "Ansvarig", "responsible_role": "Roll",
    "start_date": "Start", "due_date": "Klart senast", "status": "Status", "place": "Plats",
    "commitments": "Åtaganden", "promises": "Medborgarlöften", "follow_up_method": "Uppföljning", "overdue": "Försenad",
}


def actions_xlsx(actions: pd.DataFrame, *, title: str) -> bytes:
    """The action plan as an Excel file: no cell runs as a formula (reports.cells), and control
    characters Excel cannot store are dropped instead of failing the whole export."""
    frame = actions.reindex(columns=list(EXPORT_COLUMNS)).rename(columns=EXPORT_COLUMNS)
    frame["Försenad"] = frame["Försenad"].map({True: "ja", False: ""})
    frame = neutralise_frame(frame.map(storable))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Åtgärdsplan", index=False, startrow=2)
        sheet = writer.sheets["Åtgärdsplan"]
        sheet["A1"] = neutralise(storable(title))
        sheet["A2"] = f"Utskriven {date.today():%Y-%m-%d}"
        for column, width in zip("ABCDEFGHIJKL", (6, 50, 18, 18, 12, 12, 12, 22, 50, 50, 30, 10), strict=True):
            sheet.column_dimensions[column].width = width
    return buffer.getvalue()


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def action_plan_document(actions: pd.DataFrame, *, organisation: str, period_label: str,
                         min_count: int | None = None) -> Document:
    """The åtgärdsplan: Orsak/plats – Åtgärd – Ansvarig – Klart senast – Status – Uppföljning."""
    if actions.empty:
        body: tuple = (Paragraph("Inga åtgärder under perioden."),)
    else:
        counts = actions["status"].value_counts()
        body = (
            Paragraph(", ".join(f"{k}: {v}" for k, v in counts.items())
                      + f". Försenade: {int(actions['overdue'].sum())}."),
            Table(("Åtgärd", "Ansvarig", "Start", "Klart senast", "Status", "Plats", "Uppföljning",
                   "Åtagande"),
                  tuple((_text(r.text), _text(r.responsible_party), _text(r.start_date),
                         _text(r.due_date), r.status + (" (försenad)" if r.overdue else ""),
                         _text(r.place), _text(r.follow_up_method), answers(r))
                        for r in actions.itertuples()),
                  widths=(4, 1.8, 2, 2, 1.7, 1.8, 2.8, 2.8)),
        )
    return Document(title=f"Åtgärdsplan {organisation}", subtitle=period_label,
                    meta=(("Organisation", organisation), ("Period", period_label)),
                    sections=(Section("Åtgärder", body, anchor="atgarder"),),
                    footer=f"Åtgärdsplan {organisation} · {printed_at()}",
                    classification=internal(min_count))


def agreement_follow_up_document(follow_up: pd.DataFrame, actions: pd.DataFrame,
                                 effects: dict[int, str], *, organisation: str, agreement: str,
                                 period_label: str, min_count: int | None = None) -> Document:
    """Per focus area and commitment: the actions taken and their effect.

    ``follow_up``: store.loop.agreement_follow_up; ``actions``: list_actions (with
    commitment_ids); ``effects``: action id → the follow-up verdict in plain Swedish.
    """
    by_commitment: dict[int, list] = {}
    for row in actions.itertuples():
        for cid in row.commitment_ids:
            by_commitment.setdefault(int(cid), []).append(row)
    sections = [summary_section(follow_up, actions)]
    for focus, group in follow_up.groupby("focus_area", sort=False):
        blocks: list = []
        for c in group.itertuples():
            linked = by_commitment.get(int(c.id), [])
            blocks.append(Paragraph(f"{c.party}: {c.text}"))
            if linked:
                blocks.append(Bullets(tuple(
                    f"{a.text} ({a.responsible_party}, {a.status}"
                    + (f", klart senast {a.due_date}" if _text(a.due_date) else "") + ")"
                    + (f" – effekt: {effects[int(a.id)]}" if int(a.id) in effects else "")
                    for a in linked)))
            else:
                blocks.append(Paragraph("Ingen åtgärd kopplad till åtagandet ännu.", muted=True))
        sections.append(Section(str(focus), tuple(blocks), anchor=f"fokus-{len(sections)}",
                                new_page=len(sections) == 1))  # the summary is a page of its own
    return Document(
        title=f"Uppföljning av samverkansöverenskommelsen – {organisation}", subtitle=agreement,
        meta=(("Överenskommelse", agreement), ("Period", period_label),
              ("Till", "Kommunstyrelsen och lokalpolisområdet")),
        sections=tuple(sections), footer=f"Uppföljning {agreement} · {printed_at()}",
        classification=internal(min_count))
