"""The lägesbild's first page in plain Swedish (what changed, where, what the group decided, what
is open) and its method appendix (Gi*, FDR, the exact test, small numbers). Hooked into
situation_report.situation_document; reads only the already computed SituationData."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from workbench.reports.common import Numbers
from workbench.reports.document import Bullets, Paragraph, Section
from workbench.schema import OPEN_ACTION_STATUSES

MAX_NAMED = 4  # areas, places or actions named in one sentence


def _names(items: list[str]) -> str:
    """'A', 'A och B', 'A, B och C' (at most MAX_NAMED, then 'och N till')."""
    shown, rest = items[:MAX_NAMED], len(items) - MAX_NAMED
    if rest > 0:
        return ", ".join(shown) + f" och {rest} till"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " och " + shown[-1]


def _plain_change(n: Numbers, current: int, reference: int, percent: float | None, label: str,
                  against: str) -> str:
    """'9 % färre än perioden före – en skillnad som kan vara slump' in words a reader can use."""
    if n.hidden(current, reference):
        return f"för få händelser för att jämföra med {against}"
    if percent is None or not np.isfinite(percent):
        return f"inga händelser {against} att jämföra med"
    direction = "fler" if percent > 0 else "färre"
    amount = f"{abs(percent):.0f} % {direction} än {against}" if round(percent) else f"lika många som {against}"
    if label == "ingen säker förändring":
        return f"{amount} – en skillnad som kan vara slump"
    return f"{amount} – en säker {'ökning' if percent > 0 else 'minskning'} (exakt test)"


def _hot_areas(d: Any) -> list[str]:
    """The areas holding the period's hot-spot cells, the most cells first."""
    hot = [c for c in d.hot_cells if str(c["class"]).startswith("hot")]
    shapes = d.area_shapes
    if not hot or shapes is None or not len(shapes):
        return []
    centres = shapely.points([c["x0"] + c["cell"] / 2 for c in hot], [c["y0"] + c["cell"] / 2 for c in hot])
    counts: dict[str, int] = {}
    for name, geom in zip(shapes["name"], shapes.geometry, strict=True):
        inside = int(np.sum(shapely.contains(geom, centres))) if geom is not None else 0
        if inside:
            counts[str(name)] = inside
    return [name for name, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


def _changed(d: Any, n: Numbers) -> list[str]:
    totals = d.totals.set_index("source")
    year = d.totals_last_year.set_index("source")
    police = totals.loc["police"]
    changed = [
        f"Polisen registrerade {n(police['current'])} händelser under perioden: "
        + _plain_change(n, int(police["current"]), int(police["reference"]), police["change_pct"],
                        police["change"], "perioden före") + "; "
        + _plain_change(n, int(police["current"]), int(year.loc["police", "reference"]),
                        year.loc["police", "change_pct"], year.loc["police", "change"], "samma period i fjol")
        + "."]
    for source, label in (("municipality", "Felanmälningar till kommunen"), ("housing", "Bostadsbolagets ärenden")):
        if source in totals.index:
            row = totals.loc[source]
            changed.append(f"{label}: {n(row['current'])} – "
                           + _plain_change(n, int(row["current"]), int(row["reference"]), row["change_pct"],
                                           row["change"], "perioden före") + ".")
    return changed


def _where(d: Any, n: Numbers) -> list[str]:
    where: list[str] = []
    areas = d.areas[d.areas["area_id"].notna()]
    up = [r.area for r in areas.itertuples() if r.police_change == "ökning" and not n.hidden(r.police_current)]
    down = [r.area for r in areas.itertuples() if r.police_change == "minskning" and not n.hidden(r.police_current)]
    where.append(f"Säker ökning mot perioden före i {_names(up)}." if up
                 else "Inget område har en säker ökning mot perioden före.")
    if down:
        where.append(f"Säker minskning i {_names(down)}.")
    hot_areas = _hot_areas(d)
    hot = [c for c in d.hot_cells if str(c["class"]).startswith("hot")]
    if hot:
        where.append(f"{len(hot)} hot-spot-rutor (fler händelser än omgivningen, inte slump) ligger i "
                     f"{_names(hot_areas) if hot_areas else 'kommunen'}.")
    else:
        where.append("Hot-spot-analysen fann inga rutor med säkert fler händelser än omgivningen.")
    if len(d.places):
        top = [f"{r.place} ({n(r.count)})" for r in d.places.head(3).itertuples() if not n.hidden(r.count)]
        if top:
            where.append(f"Flest händelser vid platserna {_names(top)}.")
    emerging = (d.emerging or {}).get("line")
    if emerging:
        where.append(f"Över de senaste två åren: {emerging}.")
    return where


def _decided(d: Any) -> list[str]:
    decided: list[str] = []
    if d.statuses:
        by_level: dict[str, list[str]] = {}
        for s in d.statuses:
            by_level.setdefault(str(s["level"]), []).append(str(s["area"]))
        decided.append(f"Vid EST-mötet {d.statuses[0]['meeting_date']} bedömde gruppen områdena: "
                       + "; ".join(f"{level}: {_names(names)}" for level, names in by_level.items()) + ".")
    else:
        decided.append("Inget EST-möte med statusbedömning är avslutat ännu.")
    actions = d.actions
    if len(actions):
        done = int((actions["status"] == "genomförd").sum())
        decided.append(f"{len(actions)} åtgärder är beslutade, varav {done} genomförda.")
    else:
        decided.append("Inga åtgärder är beslutade.")
    return decided


def _open_now(d: Any) -> list[str]:
    actions = d.actions
    open_now: list[str] = []
    if len(actions):
        still = actions[actions["status"].isin(OPEN_ACTION_STATUSES)]
        late = still[still["overdue"].astype(bool)]
        open_now.append(f"{len(still)} åtgärder pågår eller är planerade; {len(late)} är försenade"
                        + (": " + _names([f"{r.text} ({r.responsible_party})" for r in late.itertuples()])
                           if len(late) else "") + ".")
    if d.agreement is not None and len(d.agreement):
        missing = int(d.agreement["without_action"].sum())
        open_now.append(f"Samverkansöverenskommelsen har {len(d.agreement)} åtaganden; {missing} saknar "
                        "ännu en åtgärd.")
    if not len(d.cause_analyses):
        open_now.append("Ingen orsaksanalys är skriven för platserna ännu.")
    if not open_now:
        open_now.append("Inget öppet att följa upp.")
    return open_now


def summary_sections(d: Any, n: Numbers) -> tuple[Section, ...]:
    """One page: what changed, where, what the group decided and what is open."""
    changed, where, decided, open_now = _changed(d, n), _where(d, n), _decided(d), _open_now(d)
    return (
        Section("Sammanfattning", (Paragraph(
            f"{d.organisation}, {d.period.label()}. Siffrorna är sammanställda; antal under "
            f"{d.min_count} visas som '<{d.min_count}'. Hur förändringar och hot-spots prövas står i "
            "bilagan Metod sist i dokumentet."),), anchor="sammanfattning"),
        Section("Vad har förändrats?", (Bullets(tuple(changed)),), level=3, anchor="vad-har-forandrats"),
        Section("Var?", (Bullets(tuple(where)),), level=3, anchor="var"),
        Section("Vad har gruppen beslutat?", (Bullets(tuple(decided)),), level=3, anchor="beslutat"),
        Section("Vad är öppet?", (Bullets(tuple(open_now)),), level=3, anchor="oppet"),
    )


def method_appendix(min_count: int) -> Section:
    """How the numbers are tested, in words a kommunstyrelse can follow."""
    return Section("Bilaga: Metod", (
        Paragraph("Förändring mot en annan period. Antalet händelser i perioden jämförs med perioden "
                  "före (lika många dagar) och med samma datum året före, med ett exakt Poisson-test "
                  "(betingat binomialtest) på 5 % nivå. Testet frågar om skillnaden är större än vad "
                  "slumpen brukar ge när händelserna är så här många. Är den inte det skrivs 'ingen säker "
                  "förändring' – också när procenten ser stor ut, vilket den ofta gör för små tal."),
        Paragraph("Hot-spots (Getis-Ord Gi*). Kommunen delas i lika stora rutor. För varje ruta räknas "
                  "händelserna i rutan och dess åtta grannar och jämförs med hela kommunens snitt. En "
                  "hot-spot är en ruta vars grannskap har klart fler händelser än väntat; därför kan en "
                  "ruta med få egna händelser bli markerad när grannarna har många. Konfidensen (90, 95 "
                  "eller 99 %) säger hur säker skillnaden är."),
        Paragraph("Många test samtidigt (FDR). Med hundratals rutor skulle några bli 'signifikanta' av "
                  "ren slump. Därför justeras p-värdena med Benjamini–Hochbergs metod, som håller "
                  "andelen falska hot-spots bland de markerade nere på den valda nivån."),
        Paragraph(f"Små tal. Antal under {min_count} visas som '<{min_count}' och förändringar med så små "
                  "tal beskrivs inte, så att ingen enskild händelse eller person kan pekas ut. Kartorna "
                  "visar områden och rutor, aldrig enskilda händelser."),
        Paragraph("Underlag. Polisens händelser (med punkt eller bara område), kommunens felanmälningar, "
                  "bostadsbolagets ärenden och trygghetsvandringar, i den omfattning de är inlästa. "
                  "Gruppens statusbedömningar är bedömningar, skilda från statistiken."),
    ), anchor="metod", new_page=True)
