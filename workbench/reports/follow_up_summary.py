"""The one-page summary that opens the yearly follow-up of the agreement to kommunstyrelsen:
key figures, one plain sentence, a row per focus area, and what needs attention (commitments
without any åtgärd, åtgärder past their date) – short enough for one printed page: the lists
are capped, texts are never cut (a reader sees what was written)."""

from __future__ import annotations

import pandas as pd

from workbench.reports.document import Bullets, KeyFigure, KeyFigures, Paragraph, Section, Table

MAX_LISTED = 6  # per list on the summary page; the rest is counted, the details follow


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def _capped(items: list[str], what: str) -> tuple[str, ...]:
    if len(items) > MAX_LISTED:
        return (*items[:MAX_LISTED], f"… och {len(items) - MAX_LISTED} {what} till (se detaljerna).")
    return tuple(items)


def summary_section(follow_up: pd.DataFrame, actions: pd.DataFrame) -> Section:
    """``follow_up``: store.loop.agreement_follow_up for one agreement; ``actions``: list_actions."""
    total = len(follow_up)
    without = int(follow_up["without_action"].sum()) if total else 0
    ids = {int(i) for i in follow_up["id"]} if total else set()
    linked = actions[[any(int(c) in ids for c in cs) for cs in actions["commitment_ids"]]] \
        if len(actions) else actions
    done = int((linked["status"] == "genomförd").sum()) if len(linked) else 0
    ongoing = int((linked["status"] == "pågår").sum()) if len(linked) else 0
    planned = int((linked["status"] == "planerad").sum()) if len(linked) else 0
    late = linked[linked["overdue"].astype(bool)] if len(linked) else linked
    areas = follow_up.groupby("focus_area", sort=False) if total else []
    rows = tuple(
        (str(area), str(len(group)), str(int((~group["without_action"]).sum())),
         str(int(group["without_action"].sum())), str(int(group["genomförd"].sum())))
        for area, group in areas)
    sentence = (
        f"Av {total} åtaganden har {total - without} minst en åtgärd och {without} saknar åtgärd. "
        f"{done} åtgärder är genomförda, {ongoing} pågår och {planned} är planerade"
        + (f"; {len(late)} har passerat sitt slutdatum." if len(late) else ".")
    )
    blocks: list = [
        KeyFigures((
            KeyFigure("Åtaganden", str(total)),
            KeyFigure("Med minst en åtgärd", str(total - without), _percent(total - without, total)),
            KeyFigure("Utan åtgärd", str(without), "behöver beslut" if without else ""),
            KeyFigure("Genomförda åtgärder", str(done), f"{ongoing} pågår"),
        )),
        Paragraph(sentence),
        Table(("Fokusområde", "Åtaganden", "Med åtgärd", "Utan åtgärd", "Genomförda åtgärder"),
              rows, numeric=(1, 2, 3, 4), widths=(3.2, 1, 1, 1, 1.3)),
    ]
    missing = [f"{r.party}: {r.text}"
               for r in follow_up[follow_up["without_action"]].itertuples()] if total else []
    if missing:
        blocks += [Paragraph("Åtaganden utan någon åtgärd:"), Bullets(_capped(missing, "åtaganden"))]
    if len(late):
        overdue = [f"{a.text} ({a.responsible_party}, klart senast {a.due_date})"
                   for a in late.itertuples()]
        blocks += [Paragraph("Åtgärder som passerat sitt slutdatum:"),
                   Bullets(_capped(overdue, "åtgärder"))]
    blocks.append(Paragraph("Varje åtagande med sina åtgärder och deras effekt följer på nästa sidor.",
                            muted=True))
    return Section("Sammanfattning", tuple(blocks), anchor="sammanfattning")
