"""Trygghetsbedömning of a plan area: map, figures and the BoTryggt 2030 checklist, written to
be attached to a detaljplan. Small counts are '<N'; no incident is ever drawn as a point."""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench import numbers as nf
from workbench.hotspots.gistar import CLASS_LABELS_SV
from workbench.planning.checklist import ASSESSMENTS, BOTRYGGT_AREAS
from workbench.planning.result import PlanningCheck
from workbench.reports import charts, static_map
from workbench.reports.common import Numbers, cells_frame, decimal, printed_at
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

CLASSIFICATION = ("Underlag för planarbetet. Antal under {n} visas som '<{n}' och inga händelser visas som "
                  "punkter. Kan bli allmän handling.")
RECEIVERS = {"municipality": "kommunen", "housing": "bostadsbolaget"}
MAX_SPOTS = 10
ZONES = {1: "Planområdet", 2: "Omgivningen"}
ABSENCE = ("Att inget finns registrerat betyder att underlaget saknas, inte att platsen är trygg: "
           "många brott anmäls inte och felanmälningar och trygghetsvandringar täcker inte alla platser.")


def _zone_table(frame: pd.DataFrame, n: Numbers, *, first: str, ring: str,
                extra: tuple[str, str] | None = None, caption: str = "") -> Table:
    columns = (first, "Inom planområdet", ring, "Totalt") + ((extra[1],) if extra else ())
    rows = []
    for r in frame.itertuples():
        row = (str(r.label), n(r.inside), n(r.ring), n.total(r.inside, r.ring))
        rows.append(row + ((n(getattr(r, extra[0])),) if extra else ()))
    return Table(columns, tuple(rows), caption=caption, numeric=tuple(range(1, len(columns))),
                 widths=(3,) + (1.3,) * (len(columns) - 1))


def _overview(d: PlanningCheck, n: Numbers, ring: str) -> Section:
    f = d.figures
    blocks: list[Any] = [KeyFigures((
        KeyFigure("Planområdets yta", f"{decimal(f.plan_area_m2 / 10_000)} ha"),
        KeyFigure("Omgivning som ingår", f"{f.buffer_m:.0f} m"),
        KeyFigure("Polisanmälda händelser", n(f.total("incidents")),
                  f"varav {n(f.total('incidents', 'inside'))} inom planområdet"),
        KeyFigure("Felanmälningar", n(f.total("faults")),
                  f"varav {n(f.total('faults', 'inside'))} inom planområdet"),
        KeyFigure("Iakttagelser från trygghetsvandringar", n(f.total("walks")),
                  f"varav {n(f.total('walks', 'inside'))} inom planområdet"),
        KeyFigure("Hot-spot-rutor", str(len(f.hot_cells)), "signifikanta, i eller nära planområdet"),
    ))]
    cells, classes = cells_frame(f.hot_cells.to_dict("records")) if len(f.hot_cells) else (None, None)
    png = static_map.plan_map(d.plan.geometry, f.buffer_m, title=d.name, districts=d.districts,
                              cells=cells, cell_classes=classes, places=d.places)
    blocks.append(Figure(png, f"{d.name} med {ring.lower()}, områden, signifikanta hot-spot-rutor "
                              "och namngivna platser. Inga enskilda händelser visas.",
                         "Karta över planområdet och omgivningen"))
    inside = [f"{r.name} ({nf.share(r.share)})" if r.share < 0.995 else str(r.name)
              for r in f.districts.itertuples() if r.share > 0]
    if inside:
        where = "Planområdet ligger i " + ", ".join(inside) + "."
    elif len(f.districts):
        where = ("Planområdet ligger utanför kommunens redovisningsområden men nära "
                 + ", ".join(f.districts["name"].astype(str)) + ".")
    else:
        where = "Planområdet ligger utanför kommunens redovisningsområden; kontrollera att rätt kommun är vald."
    blocks.append(Paragraph(where))
    if d.plan.notes:
        blocks.append(Bullets(tuple(d.plan.notes)))
    if f.is_empty:
        blocks.append(Paragraph(f"Under perioden {f.period.label()} finns inga polisanmälda händelser "
                                "med känd plats, felanmälningar, iakttagelser från trygghetsvandringar, "
                                "hot-spot-rutor eller namngivna platser inom planområdet eller "
                                f"{f.buffer_m:.0f} m runt det. " + ABSENCE))
    return Section("Planområdet och underlaget", tuple(blocks), anchor="overview")


def _incidents(d: PlanningCheck, n: Numbers, ring: str) -> Section:
    f = d.figures
    if not f.total("incidents"):
        blocks: list[Any] = [Paragraph("Inga polisanmälda händelser med känd plats inom planområdet "
                                       f"eller {ring.lower()} under perioden.")]
    else:
        blocks = [_zone_table(f.incidents, n, first="Brottskategori", ring=ring,
                              caption="Polisanmälda händelser efter kategori (brottets starttid i perioden).")]
        times = f.incident_times.assign(label=f.incident_times["band"])
        blocks.append(_zone_table(times, n, first="Tid på dygnet", ring=ring,
                                  caption="Efter tid på dygnet."))
        values = [None if n.hidden(i, r) else n.value(i + r) for i, r in zip(times["inside"], times["ring"], strict=True)]
        blocks.append(Figure(charts.bar_chart(list(times["band"]), values,
                                              title="Händelser efter tid på dygnet"),
                             "Polisanmälda händelser inom planområdet och omgivningen efter tid på "
                             "dygnet. Staplar under gränsen visas inte.",
                             "Stapeldiagram över händelser per tid på dygnet", width_mm=120))
    if f.incidents_area_level:
        blocks.append(Paragraph(f"Dessutom finns {n(f.incidents_area_level)} händelser i de områden "
                                "planområdet ligger i som bara är kända på områdesnivå (t.ex. från "
                                "Polisens öppna händelser); de kan inte placeras och ingår inte ovan.",
                                muted=True))
    return Section("Polisanmälda händelser", tuple(blocks), anchor="incidents")


def _faults(d: PlanningCheck, n: Numbers, ring: str) -> Section:
    f = d.figures
    if not f.total("faults"):
        return Section("Felanmälningar", (Paragraph(
            f"Inga felanmälningar inom planområdet eller {ring.lower()} under perioden."),),
            anchor="faults")
    blocks: list[Any] = []
    for source, group in f.faults.groupby("source", sort=False):
        if group[["inside", "ring"]].to_numpy().sum() == 0:
            continue
        blocks.append(_zone_table(group, n, first="Typ", ring=ring, extra=("open", "Ej åtgärdade"),
                                  caption=f"Felanmälningar till {RECEIVERS.get(source, source)}."))
    if f.fault_median_days is not None:
        blocks.append(Paragraph(f"Mediantid från felanmälan till åtgärd: "
                                f"{decimal(f.fault_median_days)} dygn."))
    if len(f.repeat_spots):
        rows = tuple((str(r.label), n(r.reports), ZONES.get(int(r.zone), "–"),
                      f"{pd.Timestamp(r.first):%Y-%m-%d} – {pd.Timestamp(r.last):%Y-%m-%d}")
                     for r in f.repeat_spots.head(MAX_SPOTS).itertuples())
        more = len(f.repeat_spots) - MAX_SPOTS
        blocks.append(Table(("Typ", "Felanmälningar", "Var", "Period"), rows, numeric=(1,),
                            caption="Platser där felanmälningar återkommer (minst 3 inom 10 m)"
                                    + (f"; de {MAX_SPOTS} med flest av {len(f.repeat_spots)}." if more > 0
                                       else ".")))
    return Section("Felanmälningar", tuple(blocks), anchor="faults")


def _walks(d: PlanningCheck, n: Numbers, ring: str) -> Section:
    f = d.figures
    if not f.total("walks"):
        return Section("Trygghetsvandringar", (Paragraph(
            f"Inga iakttagelser från trygghetsvandringar inom planområdet eller {ring.lower()} "
            "under perioden."),), anchor="walks")
    blocks: list[Any] = [_zone_table(f.walks, n, first="Iakttagelse", ring=ring,
                                     extra=("open", "Ej åtgärdade"),
                                     caption="Iakttagelser från trygghetsvandringar och deras status.")]
    if f.last_walk:
        blocks.append(Paragraph(f"Senaste iakttagelse här: {f.last_walk:%Y-%m-%d}."))
    return Section("Trygghetsvandringar", tuple(blocks), anchor="walks")


def _hotspots(d: PlanningCheck) -> Section:
    f = d.figures
    if f.hot_cells.empty:
        text = ("Inga statistiskt signifikanta hot-spot-rutor (Getis-Ord Gi*, FDR-korrigerat) "
                "för polisanmälda händelser överlappar planområdet eller omgivningen.")
        return Section("Hot-spots", (Paragraph(text),), anchor="hotspots")
    rows = []
    for cls, group in f.hot_cells.groupby("class"):
        rows.append((CLASS_LABELS_SV.get(str(cls), str(cls)), str(int((group["zone"] == 1).sum())),
                     str(int((group["zone"] == 2).sum()))))
    cell = int(f.hot_cells["cell"].iloc[0])
    return Section("Hot-spots", (
        Table(("Klass", "Överlappar planområdet", "I omgivningen"), tuple(sorted(rows)), numeric=(1, 2),
              caption=f"Signifikanta rutor om {cell} × {cell} m (Getis-Ord Gi*, FDR-korrigerat) "
                      "för polisanmälda händelser i hela kommunen under perioden."),), anchor="hotspots")


def _places(d: PlanningCheck) -> Section:
    f = d.figures
    if f.places.empty:
        return Section("Platser, orsaksanalyser och åtgärder", (Paragraph(
            "Inga av EST-gruppens namngivna platser ligger inom planområdet eller omgivningen."),),
            anchor="places")
    blocks: list[Any] = [Table(
        ("Plats", "Typ", "Var", "Öppna åtgärder", "Orsaksanalyser"),
        tuple((str(r.name), str(r.kind or "–"), ZONES.get(int(r.zone), "–"), str(r.open_actions),
               str(r.analyses)) for r in f.places.itertuples()), numeric=(3, 4),
        caption="EST-gruppens platser inom planområdet eller omgivningen.")]
    if len(f.actions):
        blocks.append(Table(("Plats", "Åtgärd", "Ansvarig", "Status", "Klar senast"), tuple(
            (str(r.place), str(r.text), str(r.responsible_party), str(r.status)
             + (" (försenad)" if r.overdue else ""),
             "–" if pd.isna(r.due_date) else f"{pd.Timestamp(r.due_date):%Y-%m-%d}")
            for r in f.actions.itertuples()), caption="Öppna åtgärder vid platserna.",
            widths=(2, 4, 2, 1.4, 1.4)))
    if len(f.analyses):
        blocks.append(Table(("Plats", "Problem", "Hypoteser", "Skriven"), tuple(
            (str(r.place), str(r.problem), "–" if pd.isna(r.hypotheses) or not r.hypotheses
             else str(r.hypotheses), str(r.created)) for r in f.analyses.itertuples()),
            caption="Orsaksanalyser vid platserna.", widths=(2, 4, 4, 1.4)))
    return Section("Platser, orsaksanalyser och åtgärder", tuple(blocks), anchor="places")


def _commitments(d: PlanningCheck) -> Section:
    f = d.figures
    if f.commitments.empty:
        return Section("Åtaganden som gäller planering", (Paragraph(
            "Inga åtaganden i inlästa samverkansöverenskommelser eller medborgarlöften nämner "
            "planering, byggprocessen eller den fysiska miljön."),), anchor="commitments")
    kinds = {"agreement": "Överenskommelse", "citizen_promise": "Medborgarlöfte"}
    return Section("Åtaganden som gäller planering", (Table(
        ("Källa", "Part", "Åtagande"),
        tuple((f"{kinds.get(str(r.kind), str(r.kind))}: {r.agreement}", str(r.party), str(r.text))
              for r in f.commitments.itertuples()), widths=(3, 2, 5),
        caption="Åtaganden om planering och den fysiska miljön i kommunens överenskommelser."),),
        anchor="commitments")


def _checklist(d: PlanningCheck, checklist: list[dict[str, Any]] | None,
               version: str | None) -> Section:
    items = {i["key"]: i for i in (checklist or [])}
    rows = []
    for area in BOTRYGGT_AREAS:
        item = items.get(area.key, {})
        rows.append((area.label, d.suggestions.get(area.key, ""),
                     ASSESSMENTS.get(str(item.get("assessment") or "not_assessed"), "Ej bedömd"),
                     str(item.get("comment") or "–")))
    blocks: list[Any] = [Paragraph(
        "BoTryggt 2030 beskriver nio områden där den byggda miljön påverkar trygghet och brott. "
        "Kolumnen Underlag är arbetsbänkens förslag ur data; bedömning och kommentar är "
        "planerarens." + (f" {version}." if version else " Ingen sparad bedömning – alla områden är "
                          "ej bedömda."), muted=True),
        Table(("Område", "Underlag ur data", "Bedömning", "Kommentar"), tuple(rows),
              widths=(1.6, 4.4, 1.5, 3.5))]
    return Section("Checklista enligt BoTryggt 2030", tuple(blocks), anchor="checklist")


def _method(d: PlanningCheck) -> Section:
    f = d.figures
    return Section("Om underlaget", (Bullets((
        f"Period: {f.period.label()}. Omgivningen är allt inom {f.buffer_m:.0f} m från planområdets "
        "gräns (exakt avstånd).",
        "Källor: polisanmälda händelser, kommunens och bostadsbolagets felanmälningar, "
        "trygghetsvandringar, EST-gruppens platser, åtgärder och orsaksanalyser samt inlästa "
        "överenskommelser – som de finns i arbetsbänken.",
        "Bara rader med känd punktposition placeras i planområdet eller omgivningen. Kategorier "
        "som pekar ut hem (t.ex. våld i nära relation) lagras bara på områdesnivå och ingår inte.",
        f"Antal under {d.min_count} visas som '<{d.min_count}' för att ingen enskild ska kunna pekas ut.",
        ABSENCE,
    )),), anchor="method")


def planning_document(d: PlanningCheck, *, checklist: list[dict[str, Any]] | None = None,
                      version: str | None = None) -> Document:
    """The trygghetsbedömning of one plan area (``checklist`` = a saved version's items)."""
    n = Numbers(d.min_count)
    ring = f"Omgivning {d.figures.buffer_m:.0f} m"
    meta = [("Kommun", d.organisation), ("Period", d.figures.period.label()),
            ("Omgivning", f"{d.figures.buffer_m:.0f} m")]
    if d.reference:
        meta.insert(1, ("Planbeteckning", d.reference))
    return Document(
        title=f"Trygghetsbedömning – {d.name}",
        subtitle="Underlag om trygghet och brott i och kring planområdet",
        meta=tuple(meta), classification=CLASSIFICATION.format(n=d.min_count), footer=f"{d.organisation} · {printed_at()}",
        sections=(_overview(d, n, ring), _incidents(d, n, ring), _faults(d, n, ring),
                  _walks(d, n, ring), _hotspots(d), _places(d), _commitments(d),
                  _checklist(d, checklist, version), _method(d)))
