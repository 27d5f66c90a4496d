"""EST-loop use cases: one transaction per user action; exports safe to open in Excel."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd

from workbench.store import loop
from workbench.store.db import Store

EXPORT_COLUMNS = {
    "id": "Id", "text": "Åtgärd", "responsible_party": "Ansvarig", "responsible_role": "Roll",
    "start_date": "Start", "due_date": "Klart senast", "status": "Status", "place": "Plats",
    "commitments": "Åtaganden", "follow_up_method": "Uppföljning", "overdue": "Försenad",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe.

    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")"), neutralise_formula("Klotter")
    ('\\'=HYPERLINK("http://x")', 'Klotter')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def create_action(store: Store, organisation_id: int, values: dict[str, Any], *, actor: str,
                  commitment_ids: list[int] = ()) -> int:
    with store.transaction() as conn:
        return loop.create_action(conn, organisation_id, values, actor=actor,
                                  commitment_ids=list(commitment_ids))


def update_action(store: Store, organisation_id: int, action_id: int, expected_version: int,
                  changes: dict[str, Any], *, actor: str, commitment_ids: list[int] | None = None) -> int:
    with store.transaction() as conn:
        return loop.update_action(conn, organisation_id, action_id, expected_version, changes,
                                  actor=actor, commitment_ids=commitment_ids)


def actions_xlsx(actions: pd.DataFrame, *, title: str) -> bytes:
    """The action plan as an Excel file (formulas neutralised)."""
    frame = actions.reindex(columns=list(EXPORT_COLUMNS)).rename(columns=EXPORT_COLUMNS)
    frame["Försenad"] = frame["Försenad"].map({True: "ja", False: ""})
    frame = frame.map(neutralise_formula)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Åtgärdsplan", index=False, startrow=2)
        sheet = writer.sheets["Åtgärdsplan"]
        sheet["A1"] = neutralise_formula(title)
        sheet["A2"] = f"Utskriven {date.today():%Y-%m-%d}"
        for column, width in zip("ABCDEFGHIJK", (6, 50, 18, 18, 12, 12, 12, 22, 50, 30, 10), strict=True):
            sheet.column_dimensions[column].width = width
    return buffer.getvalue()
