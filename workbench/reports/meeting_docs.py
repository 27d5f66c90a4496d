"""Documents of an EST meeting: the protokoll (from the frozen snapshot) and the public återkoppling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.anonymise.scan import redact_text
from workbench.reports import static_map
from workbench.reports.common import (
    CHANGE_RULE,
    PUBLIC,
    Numbers,
    internal,
    outlines_frame,
    printed_at,
)
from workbench.reports.document import (
    Bullets,
    Document,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)
from workbench.reports.emerging_section import minutes_paragraphs


def _area_section(area: dict[str, Any], n: Numbers) -> Section:
    police = area["police"]
    status = area.get("status") or {}
    blocks: list = [KeyFigures((
        KeyFigure("Polisens händelser", n(police["current"]),
                  f"Före: {n(police['previous'])} · i fjol: {n(police['last_year'])}"),
        KeyFigure("Mot perioden före", n.percent(police["vs_previous"]),
                  n.verdict(police["vs_previous"])),
        KeyFigure("Felanmälningar", n(area["faults"]["current"]), f"Före: {n(area['faults']['previous'])}"),
        KeyFigure("Vandringsiakttagelser", n(area["walks"]["current"])),
    ))]
    blocks.append(Paragraph(
        f"Status: {status['level']}" + (f" – {status['motivation']}" if status.get("motivation") else "")
        if status.get("level") else "Ingen status sattes för området."))
    if area.get("trend"):
        blocks.append(Paragraph("Tidigare bedömningar: " + ", ".join(
            f"{t['meeting_date']} {t['level']}" for t in area["trend"]), muted=True))
    blocks.append(Bullets(tuple(area.get("since_last") or ())))
    blocks += minutes_paragraphs(area)  # hot-spots över tid (reports/emerging_section.py)
    if area.get("police_categories"):
        blocks.append(Table(("Kategori", "Perioden", "Före", "I fjol"),
                            tuple((c["label"], n(c["current"]), n(c["previous"]), n(c["last_year"]))
                                  for c in area["police_categories"]),
                            caption="Polisens händelser per kategori", numeric=(1, 2, 3)))
    if area.get("actions"):
        blocks.append(Table(("Öppen åtgärd", "Ansvarig", "Klart senast", "Status"),
                            tuple((a["text"], a["responsible_party"], a["due_date"] or "",
                                   a["status"] + (" (försenad)" if a["overdue"] else ""))
                                  for a in area["actions"]),
                            caption="Öppna åtgärder i området", widths=(5, 2, 2, 2)))
    return Section(area["area"], tuple(blocks), level=3, anchor=f"omrade-{area['area_id']}")


STATUS_COLOURS = ("#1a9850", "#fee08b", "#fc8d59", "#d73027", "#7b3294", "#4d4d4d", "#2166ac")


def status_map(snapshot: dict[str, Any]) -> bytes:
    """The agenda's areas coloured by the status the group set (a judgement, not statistics)."""
    levels = list(snapshot.get("status_levels") or [])
    categories: dict[int, tuple[str, str]] = {}
    labels: dict[int, str] = {}
    for area in snapshot["areas"]:
        level = (area.get("status") or {}).get("level")
        if level in levels:
            categories[int(area["area_id"])] = (str(level), STATUS_COLOURS[levels.index(level) % len(STATUS_COLOURS)])
        labels[int(area["area_id"])] = level or "ej satt"
    return static_map.area_map(outlines_frame(snapshot["areas"]), {}, labels, title="Status per område",
                               legend_title="Gruppens status", categories=categories)


def _adjustment(snapshot: dict[str, Any]) -> Section:
    """Justering (who adjusts, with lines to sign) and nästa möte, last in the protokoll."""
    adjusted_by = snapshot.get("adjusted_by") or ""
    lines = [f"Justeras av: {adjusted_by}" if adjusted_by else "Justeras av: ______________________________",
             "Ort och datum: ______________________________",
             "Underskrift: ______________________________"]
    next_meeting = snapshot.get("next_meeting")
    return Section("Justering och nästa möte", (
        *(Paragraph(line) for line in lines),
        Paragraph(f"Nästa möte: {next_meeting}" if next_meeting else "Nästa möte: inte bestämt."),
    ), anchor="justering")


def minutes_document(snapshot: dict[str, Any]) -> Document:
    """Protokoll of a closed meeting, read only from its frozen snapshot."""
    n = Numbers(int(snapshot["min_count"]))
    period = snapshot["period"]
    decisions = snapshot.get("decisions") or []
    attendees = snapshot.get("attendees") or []
    sections = [
        Section("Närvarande", (
            Table(("Organisation", "Roll"), tuple((a.get("organisation", ""), a.get("role", "")) for a in attendees),
                  widths=(2, 3)) if attendees else Paragraph("Närvarande antecknades inte."),
        ), anchor="narvarande"),
        Section("Mötet", (
            Paragraph(f"Lägesbild för {period['title']} ({period['label']}), jämfört med perioden före "
                      f"({snapshot['previous_label']}) och samma period i fjol ({snapshot['last_year_label']})."),
            Paragraph(CHANGE_RULE, muted=True),
            Figure(status_map(snapshot), "Gruppens status per område (en bedömning, skild från "
                   "hot-spot-analysen).", "Karta med status per område"),
        ), anchor="motet"),
        Section("Områden", (Paragraph(f"{len(snapshot['areas'])} områden på dagordningen."),),
                anchor="omraden"),
        *[_area_section(a, n) for a in snapshot["areas"]],
        Section("Beslut", (
            Table(("Beslut (åtgärd)", "Ansvarig", "Klart senast", "Område/plats", "Åtagande"),
                  tuple((d["text"], d["responsible_party"], d["due_date"] or "",
                         d.get("place") or d.get("area") or "", d.get("commitments") or "")
                        for d in decisions), caption="Beslut som blev åtgärder",
                  widths=(5, 2, 2, 2, 3.5)) if decisions else Paragraph("Inga beslut fattades."),
        ), anchor="beslut"),
        Section("Anteckningar", (Paragraph(snapshot.get("notes") or "Inga anteckningar."),),
                anchor="anteckningar"),
        _adjustment(snapshot),
    ]
    return Document(
        title=f"Protokoll – {snapshot['title']}", subtitle=snapshot["organisation"],
        meta=(("Mötesdatum", snapshot["meeting_date"]), ("Period", period["label"]),
              ("Avslutat", f"{str(snapshot.get('closed_at') or 'ej avslutat')[:16]} av {snapshot.get('closed_by') or '–'}"),
              ("Öppna åtgärder totalt", str(snapshot.get("open_actions", 0))),
              ("Försenade", str(snapshot.get("overdue_actions", 0)))),
        sections=tuple(sections),
        footer=f"Protokoll EST-möte {snapshot['meeting_date']} · {snapshot['organisation']} · {printed_at()}",
        classification=internal(int(snapshot["min_count"])))


@dataclass(frozen=True)
class FeedbackData:
    """What may be told to residents and staff: area figures, public actions, public text."""

    organisation: str
    period_label: str
    min_count: int
    areas: list[dict[str, Any]]  # area, current, previous, change (dict for Numbers.change)
    faults: list[dict[str, Any]]  # label, reported, fixed
    actions: list[dict[str, Any]]  # text, area, status, promise (only actions marked public)
    summary: str = ""  # text the group marked public


def feedback_document(d: FeedbackData) -> Document:
    """Återkoppling: area level only, small counts suppressed, only text marked public (and
    that text scanned for personal data once more)."""
    n = Numbers(d.min_count)
    sections = []
    if d.summary.strip():
        sections.append(Section("Sammanfattning", (Paragraph(redact_text(d.summary).text),),
                                anchor="sammanfattning"))
    sections.append(Section("Händelser per område", (
        Table(("Område", "Perioden", "Perioden före", "Förändring"),
              tuple((a["area"], n(a["current"]), n(a["previous"]), n.change(a["change"]))
                    for a in d.areas), caption="Polisens registrerade händelser", numeric=(1, 2)),
        Paragraph(CHANGE_RULE, muted=True)), anchor="omraden"))
    if d.faults:
        sections.append(Section("Felanmälningar", (Table(
            ("Typ", "Anmälda", "Åtgärdade"),
            tuple((f["label"], n(f["reported"]), n(f["fixed"])) for f in d.faults), numeric=(1, 2)),),
            anchor="felanmalningar"))
    promised = any(a.get("promise") for a in d.actions)  # the medborgarlöfte it keeps (a public text)
    sections.append(Section("Det här gör vi", (
        Table(("Åtgärd", "Område", "Status", *(("Medborgarlöfte",) if promised else ())),
              tuple((redact_text(a["text"]).text, a.get("area") or "Hela kommunen", a["status"],
                     *((redact_text(a.get("promise") or "").text,) if promised else ()))
                    for a in d.actions), widths=(6, 2, 1.5, 4) if promised else (6, 2, 1.5))
        if d.actions else Paragraph("Inga åtgärder är markerade för publicering ännu."),
    ), anchor="atgarder"))
    return Document(
        title=f"Återkoppling – trygghetsarbetet i {d.organisation}", subtitle=d.period_label,
        meta=(("Period", d.period_label), ("Från", f"{d.organisation} och lokalpolisområdet")),
        sections=tuple(sections), footer=f"Återkoppling {d.organisation} {d.period_label} · {printed_at()}",
        classification=PUBLIC)


def area_map(snapshot: dict[str, Any], area_id: int, *, width_in: float = 8.0) -> bytes:
    """Compact map of one agenda area: counts per area, the period's hot-spot cells inside it,
    the area outlined and zoomed to (no points, no background tiles). A smaller ``width_in``
    gives larger type for the projector."""
    from workbench.reports.common import cells_frame

    n = Numbers(int(snapshot["min_count"]))
    areas = snapshot["areas"]
    values = {int(a["area_id"]): n.value(a["police"]["current"]) for a in areas}
    labels = {int(a["area_id"]): n(a["police"]["current"]) for a in areas}
    cells, classes = cells_frame([c for c in snapshot.get("hot_cells") or []
                                  if str(c["class"]).startswith("hot")])
    return static_map.area_map(outlines_frame(areas), values, labels,
                           title=next((a["area"] for a in areas if a["area_id"] == area_id), ""),
                           legend_title="Polisens händelser", cells=cells if len(cells) else None,
                           cell_classes=classes if len(cells) else None, highlight_area=area_id,
                           width_in=width_in)
