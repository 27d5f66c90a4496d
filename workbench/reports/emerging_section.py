"""The lägesbild's section on hot-spots över tid: per area, how many hot-spot cells are new,
intensifying, persistent … over the 24 whole months up to the period (services/emerging.summary).
Cells with a small total are not counted (documents are suppressed). Hooked into
situation_report.situation_document."""

from __future__ import annotations

from typing import Any

from workbench.hotspots.emerging import CLASS_EXPLANATIONS_SV, CLASS_LABELS_SV
from workbench.reports.document import Paragraph, Section, Table

HOT_ORDER = ("hot_new", "hot_consecutive", "hot_intensifying", "hot_persistent", "hot_diminishing",
             "hot_sporadic", "hot_oscillating", "hot_historical")
SHORT_SV = {"hot_new": "Nya", "hot_consecutive": "Sammanhängande", "hot_intensifying": "Intensifierande",
            "hot_persistent": "Ihållande", "hot_diminishing": "Avtagande", "hot_sporadic": "Sporadiska",
            "hot_oscillating": "Växlande", "hot_historical": "Historiska"}


def emerging_sections(emerging: dict[str, Any] | None, area_names: dict[int, str]) -> tuple[Section, ...]:
    """() when the analysis was not run (older callers); a section with the reason when it could
    not be."""
    if emerging is None:
        return ()
    if emerging.get("note"):
        return (Section("Hot-spots över tid", (Paragraph(emerging["note"], muted=True),),
                        level=3, anchor="hot-spots-over-tid"),)
    blocks: list = [Paragraph(
        f"Hot-spots över tid, {emerging['steps']} hela månader {emerging['from']} – {emerging['to']}: "
        "space-time Getis-Ord Gi* per ruta och månad (rutan och grannarna i samma och föregående "
        "månad), Mann-Kendall-trend och Esris mönster. I hela kommunen: "
        + (emerging["line"] or "inga hot-spot-mönster") + ".")]
    for warning in emerging.get("warnings") or []:
        blocks.append(Paragraph(warning, muted=True))
    present = [c for c in HOT_ORDER if any(c in a["counts"] for a in emerging["areas"].values())]
    rows = []
    for area_id, info in sorted(emerging["areas"].items(), key=lambda kv: area_names.get(int(kv[0]), "")):
        if any(info["counts"].get(c) for c in present):
            rows.append((area_names.get(int(area_id), str(area_id)),
                         *(str(info["counts"].get(c, 0)) for c in present)))
    if rows:
        blocks.append(Table(("Område", *(SHORT_SV[c] for c in present)), tuple(rows),
                            caption="Hot-spot-rutor per område och mönster (antal rutor)",
                            numeric=tuple(range(1, len(present) + 1))))
    shown = present or [c for c in HOT_ORDER if c in emerging["counts"]]
    if shown:
        blocks.append(Paragraph("; ".join(f"{CLASS_LABELS_SV[c]}: {CLASS_EXPLANATIONS_SV[c]}"
                                          for c in shown) + ". Rutor med färre händelser än det "
                                "minsta visade antalet räknas inte.", muted=True))
    return (Section("Hot-spots över tid", tuple(blocks), level=3, anchor="hot-spots-over-tid"),)


def minutes_paragraphs(area: dict[str, Any]) -> tuple[Paragraph, ...]:
    """The meeting's per-area line in the protokoll (nothing for meetings closed before it existed)."""
    info = area.get("emerging")
    if info is None:
        return ()
    return (Paragraph("Hot-spots över tid (de senaste hela månaderna): "
                      + (info.get("line") or "inga hot-spot-mönster i området") + "."),)
