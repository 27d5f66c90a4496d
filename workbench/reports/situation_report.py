"""Lägesbild for a period and organisation, in the order Lag (2023:196) asks for:
kartläggning → annan information → analys → åtgärdsplan → uppföljning."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import pandas as pd

from workbench import numbers as nf
from workbench.reports import charts, static_map
from workbench.reports.common import (
    CHANGE_RULE,
    Numbers,
    answers,
    cells_frame,
    decimal,
    internal,
    printed_at,
)
from workbench.reports.document import (
    Document,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)
from workbench.reports.emerging_section import emerging_sections
from workbench.reports.situation_summary import method_appendix, summary_sections
from workbench.schema import SOURCE_LABELS_SV
from workbench.situation import Period


@dataclass(frozen=True)
class SituationData:
    """Everything the lägesbild shows, already computed (see services/reports.py)."""

    organisation: str
    period: Period
    min_count: int
    totals: pd.DataFrame  # situation.source_totals against the previous period
    totals_last_year: pd.DataFrame
    areas: pd.DataFrame  # situation.area_figures against the previous period
    areas_last_year: pd.DataFrame
    area_shapes: gpd.GeoDataFrame  # id, name, geometry (EPSG:3006)
    categories: pd.DataFrame  # label, current, previous, last_year (police incidents)
    monthly: pd.DataFrame  # month, police, faults (the 12 months up to the period's end)
    hour_weekday: pd.DataFrame  # 7 × 24 police incidents in the period
    faults: pd.DataFrame  # source, label, current, previous
    fix_times: pd.DataFrame  # label, reports, fixed, median_hours
    walks: pd.DataFrame  # label, count, open
    indicators: pd.DataFrame  # area, year, indicator, value
    hot_cells: list[dict[str, Any]]
    places: pd.DataFrame  # place, kind, count
    cause_analyses: pd.DataFrame  # place, problem, created, hypotheses
    actions: pd.DataFrame  # store.loop.list_actions
    follow_ups: list[dict[str, Any]]  # action, place, start, before, after, verdict
    statuses: list[dict[str, Any]] = field(default_factory=list)  # area, level, motivation, date
    agreement: pd.DataFrame | None = None  # store.loop.agreement_follow_up
    emerging: dict[str, Any] | None = None  # services.emerging.summary (hot-spots över tid)
    reported: pd.DataFrame | None = None  # area, current, reference: the verksamheter's inrapportering


def _mapping(d: SituationData, n: Numbers) -> Section:
    totals = d.totals.set_index("source")
    year = d.totals_last_year.set_index("source")
    figures = tuple(
        KeyFigure(SOURCE_LABELS_SV[s], n(totals.loc[s, "current"]),
                  f"Föregående period {n(totals.loc[s, 'reference'])}; i fjol {n(year.loc[s, 'reference'])}")
        for s in totals.index)
    police = totals.loc["police"]
    lead = (f"Under perioden {d.period.label()} registrerades {n(police['current'])} polisiära "
            f"händelser i {d.organisation}, mot {n(police['reference'])} perioden före och "
            f"{n(year.loc['police', 'reference'])} samma period i fjol. Mot perioden före: "
            f"{n.change({'current': police['current'], 'reference': police['reference'], 'percent': police['change_pct'], 'label': police['change']})}.")
    last = d.areas_last_year.set_index("area")
    rows = []
    for r in d.areas.itertuples():
        ly = last.loc[r.area, "police_reference"] if r.area in last.index else None
        per = "–" if pd.isna(r.police_per_1000) or n.hidden(r.police_current) else decimal(r.police_per_1000)
        rows.append((r.area, n(r.police_current), n(r.police_reference), n(ly),
                     n.change({"current": r.police_current, "reference": r.police_reference,
                               "percent": r.police_change_pct, "label": r.police_change}), per))
    values = {int(r.area_id): n.value(r.police_current) for r in d.areas.itertuples()
              if not pd.isna(r.area_id)}
    labels = {int(r.area_id): n(r.police_current) for r in d.areas.itertuples() if not pd.isna(r.area_id)}
    cells, classes = cells_frame(d.hot_cells)
    area_map = static_map.area_map(d.area_shapes, values, labels, title="Polisens händelser per område",
                               legend_title="Händelser", cells=cells if len(cells) else None,
                               cell_classes=classes if len(cells) else None)
    named = [r for r in d.areas.itertuples() if not pd.isna(r.area_id)]
    area_chart = charts.bar_chart(
        [r.area for r in named], [n.value(r.police_current) for r in named],
        title="Polisens händelser per område", xlabel="Händelser under perioden",
        highlight={r.area for r in named if r.police_change == "ökning"},
        value_labels=[n(r.police_current) for r in named])
    cat = d.categories
    cat_rows = tuple((r.label, n(r.current), n(r.previous), n(r.last_year)) for r in cat.itertuples())
    cat_chart = charts.grouped_bar_chart(
        list(cat["label"]), {"Perioden": [n.value(v) for v in cat["current"]],
                             "Perioden före": [n.value(v) for v in cat["previous"]],
                             "Samma period i fjol": [n.value(v) for v in cat["last_year"]]},
        title="Händelser per kategori")
    month_chart = charts.line_chart(
        list(d.monthly["month"]), {"Polisens händelser": list(d.monthly["police"]),
                                   "Felanmälningar": list(d.monthly["faults"])},
        title="Utveckling per månad", ylabel="Antal")
    blocks: list = [
        Paragraph(lead), KeyFigures(figures), Paragraph(CHANGE_RULE, muted=True),
        Table(("Område", "Perioden", "Perioden före", "I fjol", "Förändring", "Per 1 000 inv. (årstakt)"),
              tuple(rows), caption="Polisens händelser per område", numeric=(1, 2, 3, 5),
              widths=(2.6, 1.4, 1.6, 1.2, 3.2, 2)),
        Figure(area_map, "Polisens händelser per område under perioden, med signifikanta "
               "hot-spot-celler (Getis-Ord Gi*). Ingen bakgrundskarta; inga enskilda händelser.",
               "Karta över områdena färgade efter antal händelser"),
        Figure(area_chart, "Polisens händelser per område; orange stapel = säker ökning mot perioden "
               "före (exakt test).", "Stapeldiagram per område", width_mm=150),
        Table(("Kategori", "Perioden", "Perioden före", "I fjol"), cat_rows,
              caption="Polisens händelser per kategori (de vanligaste)", numeric=(1, 2, 3),
              widths=(4, 1.5, 1.5, 1.5)),
        Figure(cat_chart, "Händelser per kategori: perioden, perioden före och samma period i fjol.",
               "Stapeldiagram per kategori"),
        Figure(month_chart, "Antal per månad de senaste tolv månaderna.", "Linjediagram per månad"),
    ]
    if int(d.hour_weekday.to_numpy().sum()) > 0:
        blocks.append(Figure(charts.heat_table(d.hour_weekday.to_numpy(), title="Veckodag och timme"),
                             "När händelserna inträffar: veckodag × timme under perioden.",
                             "Värmekarta veckodag och timme", width_mm=150))
    return Section("Kartläggning", tuple(blocks), anchor="kartlaggning")


def _other(d: SituationData, n: Numbers) -> Section:
    blocks: list = []
    fault_rows = tuple((SOURCE_LABELS_SV.get(r.source, r.source), r.label, n(r.current), n(r.previous))
                       for r in d.faults.itertuples())
    blocks.append(Table(("Källa", "Kategori", "Perioden", "Perioden före"), fault_rows,
                        caption="Felanmälningar per kategori", numeric=(2, 3), widths=(2, 3, 1.3, 1.5))
                  if fault_rows else Paragraph("Inga felanmälningar under perioden."))
    if len(d.fix_times):
        blocks.append(Table(("Kategori", "Anmälda", "Åtgärdade", "Median tid till åtgärd (timmar)"),
                            tuple((r.label, n(r.reports), n(r.fixed),
                                   "–" if pd.isna(r.median_hours) else f"{r.median_hours:.0f}")
                                  for r in d.fix_times.itertuples()),
                            caption="Hur snabbt felanmälningar åtgärdas", numeric=(1, 2, 3)))
    walk_rows = tuple((r.label, n(r.count), n(r.open)) for r in d.walks.itertuples())
    blocks.append(Table(("Iakttagelse", "Antal", "Ej åtgärdade"), walk_rows,
                        caption="Iakttagelser från trygghetsvandringar under perioden", numeric=(1, 2))
                  if walk_rows else Paragraph("Inga trygghetsvandringar under perioden."))
    if d.reported is not None and int(d.reported["current"].sum() + d.reported["reference"].sum()):
        blocks.append(Table(("Område", "Perioden", "Perioden före"),
                            tuple((r.area, n(r.current), n(r.reference)) for r in d.reported.itertuples()),
                            caption="Inrapporterat från verksamheterna (veckans inrapportering) per område",
                            numeric=(1, 2)))
    if len(d.indicators):
        latest = d.indicators.sort_values("year").groupby(["area", "indicator"]).tail(1)
        blocks.append(Table(("Område", "Indikator", "År", "Värde"),
                            tuple((r.area, r.indicator, str(int(r.year)), nf.number(r.value))
                                  for r in latest.sort_values(["area", "indicator"]).itertuples()),
                            caption="Trygghetsundersökning och andra områdesindikatorer (senaste år)",
                            numeric=(2, 3)))
    else:
        blocks.append(Paragraph("Inga resultat från trygghetsundersökningar är inlästa.", muted=True))
    return Section("Annan information", tuple(blocks), anchor="annan-information")


def _analysis(d: SituationData, n: Numbers) -> Section:
    hot = [c for c in d.hot_cells if str(c["class"]).startswith("hot")]
    blocks: list = [Paragraph(
        f"Hot-spot-analysen (Getis-Ord Gi* på ett rutnät, justerat för många test med "
        f"Benjamini–Hochberg) fann {len(hot)} rutor med signifikant fler händelser än omgivningen "
        "under perioden. De visas på kartan under Kartläggning.")]
    if len(d.places):
        blocks.append(Table(("Plats", "Typ", "Händelser"),
                            tuple((r.place, r.kind or "", n(r.count)) for r in d.places.head(10).itertuples()),
                            caption="Platser med flest händelser under perioden", numeric=(2,)))
    if d.statuses:
        blocks.append(Table(("Område", "Status", "Motivering", "Möte"),
                            tuple((s["area"], s["level"], s.get("motivation") or "", s["meeting_date"])
                                  for s in d.statuses),
                            caption="EST-gruppens bedömning vid senaste avslutade möte (en bedömning, "
                                    "inte statistik)", widths=(2, 1, 5, 1.6)))
    if len(d.cause_analyses):
        blocks.append(Table(("Plats", "Problem", "Hypoteser", "Skriven"),
                            tuple((r.place or "–", r.problem, r.hypotheses or "", r.created)
                                  for r in d.cause_analyses.itertuples()),
                            caption="Orsaksanalyser", widths=(2, 3, 4, 1.5)))
    else:
        blocks.append(Paragraph("Inga orsaksanalyser är skrivna ännu.", muted=True))
    return Section("Analys", tuple(blocks), anchor="analys")


def _action_plan(d: SituationData) -> Section:
    a = d.actions
    if a.empty:
        return Section("Åtgärdsplan", (Paragraph("Inga åtgärder är beslutade."),), anchor="atgardsplan")
    counts = a["status"].value_counts()
    rows = tuple((r.text, r.responsible_party, "" if pd.isna(r.due_date) else str(r.due_date),
                  r.status + (" (försenad)" if r.overdue else ""),
                  "" if pd.isna(r.place) else r.place, answers(r))
                 for r in a.itertuples())
    return Section("Åtgärdsplan", (
        Paragraph(", ".join(f"{k}: {v}" for k, v in counts.items()) + f"; försenade: {int(a['overdue'].sum())}."),
        Table(("Åtgärd", "Ansvarig", "Klart senast", "Status", "Plats", "Åtagande/medborgarlöfte"), rows,
              caption="Åtgärder med ansvarig och status", widths=(4, 1.8, 2, 1.8, 1.8, 3.2)),
    ), anchor="atgardsplan")


def _follow_up(d: SituationData, n: Numbers) -> Section:
    blocks: list = []
    for f in d.follow_ups:
        blocks.append(Paragraph(f"{f['action']} – {f['place']} (start {f['start']}): "
                                f"före {n(f['before'])}, efter {n(f['after'])}. {f['verdict']}"))
    if not blocks:
        blocks.append(Paragraph("Inga genomförda eller pågående åtgärder vid en plats att följa upp ännu."))
    if d.agreement is not None and len(d.agreement):
        missing = int(d.agreement["without_action"].sum())
        blocks.append(Paragraph(f"Samverkansöverenskommelsen: {len(d.agreement)} åtaganden, varav "
                                f"{missing} ännu saknar åtgärd."))
    return Section("Uppföljning", tuple(blocks), anchor="uppfoljning")


def situation_document(d: SituationData) -> Document:
    n = Numbers(d.min_count)
    return Document(
        title=f"Lägesbild {d.organisation}", subtitle=f"Period {d.period.label()}",
        meta=(("Organisation", d.organisation), ("Period", d.period.label()),
              ("Jämförs med", f"{d.period.previous().name()} och {d.period.same_last_year().name()}"),
              ("Minsta visade antal", str(d.min_count)), ("Underlag", "Lag (2023:196) om kommuners "
                                                         "ansvar för brottsförebyggande arbete")),
        sections=(*summary_sections(d, n), replace(_mapping(d, n), new_page=True),  # summary: one page
                  _other(d, n), _analysis(d, n),
                  *emerging_sections(d.emerging, dict(zip(d.area_shapes["id"], d.area_shapes["name"],
                                                          strict=True))),
                  _action_plan(d), _follow_up(d, n), method_appendix(d.min_count)),
        footer=f"Lägesbild {d.organisation} {d.period.label()} · {printed_at()}",
        classification=internal(d.min_count))
