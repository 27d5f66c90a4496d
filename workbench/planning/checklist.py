"""The BoTryggt 2030 checklist: nine areas, a suggested note from the data, the planner's view.

BoTryggt 2030 (Polisen, Boverket, Brottsförebyggande rådet m.fl.) describes how a built
environment supports trygghet. The workbench suggests what the data says for each area; the
planner assesses it. Suggestions never state a count below the minimum (``show`` formats).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench import numbers as nf
from workbench.planning.figures import PlanningFigures


@dataclass(frozen=True)
class ChecklistArea:
    key: str
    label: str
    question: str  # what the planner assesses, in BoTryggt's spirit


BOTRYGGT_AREAS: tuple[ChecklistArea, ...] = (
    ChecklistArea("design", "Gestaltning",
                  "Ger utformningen överblick, attraktiva och omhändertagna miljöer och undviker "
                  "otrygga passager, baksidor och gångtunnlar?"),
    ChecklistArea("mixed_functions", "Mix av funktioner",
                  "Finns verksamheter och bostäder som ger folk i rörelse under dygnets alla timmar?"),
    ChecklistArea("mixed_people", "Mix av människor",
                  "Blandas upplåtelseformer, storlekar och målgrupper så att området inte blir ensidigt?"),
    ChecklistArea("legibility", "Tydlighet",
                  "Är det lätt att orientera sig, se vart gångvägar leder och vem som ansvarar för en yta?"),
    ChecklistArea("social_control", "Social kontroll",
                  "Kan gator, entréer och gårdar ses från bostäder och verksamheter; skymmer "
                  "vegetation eller byggnader sikten?"),
    ChecklistArea("lighting", "Belysning",
                  "Är gångstråk, entréer, hållplatser och parkering jämnt belysta utan bländning "
                  "och mörka partier?"),
    ChecklistArea("perimeter", "Skalskydd",
                  "Skyddar entréer, förråd, källare, cykel- och bilparkering mot inbrott och stöld?"),
    ChecklistArea("management", "Förvaltning",
                  "Finns en förvaltning som snabbt åtgärdar klotter, skadegörelse, nedskräpning och "
                  "trasig belysning?"),
    ChecklistArea("information", "Information",
                  "Får boende och verksamma veta vad som görs, vem de kontaktar och hur de kan "
                  "medverka (t.ex. grannsamverkan, trygghetsvandringar)?"),
)
AREA_KEYS = tuple(a.key for a in BOTRYGGT_AREAS)
ASSESSMENTS: dict[str, str] = {
    "not_assessed": "Ej bedömd",
    "met": "Tillgodosett",
    "partly": "Delvis tillgodosett",
    "needs_action": "Behöver åtgärdas",
    "not_applicable": "Ej aktuellt",
}
MAX_COMMENT = 4000

HOME_BURGLARY = ("bostadsinbrott", "inbrott")
THEFT = ("cykelstold", "fordonsstold")
VANDALISM = ("klotter", "skadegorelse", "nedskrapning")


def _join(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def suggestions(f: PlanningFigures, show: Callable[[Any], str]) -> dict[str, str]:  # noqa: C901 - still to split (issue 22, item 10)
    """One suggested note per area drawn from the figures (Swedish, counts through ``show``)."""
    within = f"inom {f.buffer_m:.0f} m" if f.buffer_m else "inom planområdet"

    def hidden(value: int) -> bool:
        return show(value).startswith("<")

    def c(value: int, one: str, many: str) -> str:  # '7 anmärkningar', '<3 anmärkningar', '1 plats'
        label = show(value)
        return f"{label} {one if label == '1' else many}"

    def places(value: int, one: str, many: str) -> str:  # counts of places are not about people
        return f"{value} {one if value == 1 else many}"

    def walks(*cats: str) -> int:
        return f.within("walks", cats)

    def faults(*cats: str) -> int:
        return f.within("faults", cats)

    out: dict[str, str] = {}
    hot = f.hot_cells
    n_hot_inside = int((hot["zone"] == 1).sum()) if len(hot) else 0
    tunnels = (f.places[f.places["kind"].astype("string").str.contains("tunnel", case=False, na=False)]
               if len(f.places) else f.places)
    design = []
    if len(hot):
        design.append(f"{len(hot)} {'signifikant hot-spot-ruta' if len(hot) == 1 else 'signifikanta hot-spot-rutor'}"
                      f" för polisanmälda händelser {within}"
                      + (f", varav {n_hot_inside} överlappar planområdet" if n_hot_inside else ""))
    if walks("otrygg_passage"):
        design.append(f"{c(walks('otrygg_passage'), 'anmärkning', 'anmärkningar')} om otrygga "
                      f"passager från trygghetsvandringar {within}")
    if len(tunnels):
        design.append("gångtunnel i närheten (" + ", ".join(tunnels["name"].astype(str)) + ")")
    out["design"] = (_cap("; ".join(design)) + "." if design else
                     f"Inga hot-spot-rutor, anmärkningar om otrygga passager eller gångtunnlar {within}.")

    times = f.incident_times
    total = f.total("incidents")
    if total:
        late = int(times[times["band"].isin(["Natt 00–06", "Kväll 18–24"])][["inside", "ring"]]
                   .to_numpy().sum())
        exact = not (hidden(late) or hidden(total))
        share = f", {nf.percent(100 * late / total)}" if exact else ""
        out["mixed_functions"] = (f"{show(late)} av {c(total, 'polisanmäld händelse', 'polisanmälda händelser')}"
                                  f" {within} skedde kväll eller natt (18–06{share}). Människor i "
                                  "rörelse även kvällstid ger naturlig övervakning.")
    else:
        out["mixed_functions"] = f"Inga polisanmälda händelser med känd plats {within} under perioden."

    if len(f.indicators):
        rows = [f"{r.area} {r.year}: {r.indicator} {r.value:g}" for r in f.indicators.head(4).itertuples()]
        out["mixed_people"] = "Inlästa indikatorer för området: " + "; ".join(rows) + "."
    elif len(f.districts):
        names = ", ".join(f.districts["name"].astype(str).head(3))
        out["mixed_people"] = (f"Ingen trygghetsundersökning är inläst för {names}. Befolkningens "
                               "sammansättning bedöms med kommunens statistik.")
    else:
        out["mixed_people"] = "Planområdet ligger utanför kommunens redovisningsområden."

    legibility = walks("otrygg_passage", "trafik")
    out["legibility"] = (f"{_cap(c(legibility, 'anmärkning', 'anmärkningar'))} om otrygga passager "
                         f"eller trafik från trygghetsvandringar {within}." if legibility else
                         f"Inga anmärkningar om otrygga passager eller trafik {within}.")

    sight_w, sight_f = walks("skymd_sikt"), faults("vegetation")
    out["social_control"] = (
        _cap(_join([f"{c(sight_w, 'anmärkning', 'anmärkningar')} om skymd sikt från "
                    "trygghetsvandringar" if sight_w else "",
                    f"{c(sight_f, 'felanmälan', 'felanmälningar')} om vegetation" if sight_f else ""]))
        + f" {within}." if sight_w or sight_f
        else f"Inga anmärkningar om skymd sikt eller vegetation {within}.")

    light_w, light_f = walks("belysning"), faults("belysning")
    repeated = (f.repeat_spots[f.repeat_spots["category"] == "belysning"] if len(f.repeat_spots)
                else f.repeat_spots)
    if light_w or light_f:
        parts = [f"{c(light_f, 'felanmälan', 'felanmälningar')} om trasig belysning" if light_f else "",
                 f"{c(light_w, 'iakttagelse', 'iakttagelser')} från trygghetsvandringar" if light_w else ""]
        count = ("Anmärkningar" if hidden(light_w) or hidden(light_f)  # a total would reveal a part
                 else _cap(c(light_w + light_f, "anmärkning", "anmärkningar")))
        text = f"{count} om belysning {within} ({_join(parts)})."
        if len(repeated):
            text += (f" {places(len(repeated), 'plats', 'platser')} med upprepade felanmälningar "
                     "om belysning.")
        out["lighting"] = text
    else:
        out["lighting"] = f"Inga anmärkningar om belysning {within}."

    burglary = f.within("incidents", HOME_BURGLARY)
    theft = f.within("incidents", THEFT)
    out["perimeter"] = (
        _cap(_join([f"{c(burglary, 'inbrott', 'inbrott')}" if burglary else "",
                    f"{c(theft, 'cykelstöld eller stöld ur/av fordon', 'cykelstölder och stölder ur/av fordon')}"
                    if theft else ""]))
        + f" {within} under perioden." if burglary or theft
        else f"Inga polisanmälda inbrott eller fordons- och cykelstölder {within}.")

    vandal = faults(*VANDALISM)
    if vandal:
        open_ = int(f.faults[f.faults["category"].isin(VANDALISM)]["open"].sum())
        days = (f" Mediantid till åtgärd (alla felanmälningar här): {f.fault_median_days:.0f} dygn."
                if f.fault_median_days is not None else "")
        spots = (f.repeat_spots[f.repeat_spots["category"].isin(VANDALISM)]
                 if len(f.repeat_spots) else f.repeat_spots)
        again = (f" {places(len(spots), 'plats', 'platser')} där felanmälningar återkommer."
                 if len(spots) else "")
        out["management"] = (f"{_cap(c(vandal, 'felanmälan', 'felanmälningar'))} om klotter, "
                             f"skadegörelse och nedskräpning {within}, varav {show(open_)} ej "
                             f"åtgärdade.{days}{again}")
    else:
        out["management"] = f"Inga felanmälningar om klotter, skadegörelse eller nedskräpning {within}."

    info = []
    if len(f.actions):
        info.append(f"{len(f.actions)} {'öppen åtgärd' if len(f.actions) == 1 else 'öppna åtgärder'}"
                    f" vid platser {within}")
    if len(f.commitments):
        info.append(f"{len(f.commitments)} {'åtagande' if len(f.commitments) == 1 else 'åtaganden'} "
                    "i överenskommelser och medborgarlöften gäller planering och den fysiska miljön")
    if f.last_walk:
        info.append(f"senaste trygghetsvandringen med anmärkningar här: {f.last_walk:%Y-%m-%d}")
    out["information"] = (_cap(_join(info)) + "." if info else
                          f"Inga öppna åtgärder, planeringsåtaganden eller trygghetsvandringar {within}.")
    return out


def blank_checklist(suggested: dict[str, str]) -> list[dict[str, str]]:
    """The nine areas, not yet assessed, with the data's suggestion."""
    return [{"key": a.key, "assessment": "not_assessed", "comment": "",
             "suggestion": suggested.get(a.key, "")} for a in BOTRYGGT_AREAS]


def clean_checklist(items: list[dict[str, Any]], suggested: dict[str, str]) -> list[dict[str, str]]:
    """The planner's checklist validated: the nine areas in order, known assessments, comments
    trimmed; today's suggestion kept beside it. Raises ValueError with a Swedish message."""
    by_key = {str(i.get("key")): i for i in items}
    unknown = set(by_key) - set(AREA_KEYS)
    if unknown:
        raise ValueError(f"okänt område i checklistan: {', '.join(sorted(unknown))}")
    out = []
    for area in BOTRYGGT_AREAS:
        item = by_key.get(area.key, {})
        assessment = str(item.get("assessment") or "not_assessed")
        if assessment not in ASSESSMENTS:
            raise ValueError(f"{area.label}: okänd bedömning '{assessment}' "
                             f"(tillåtna: {', '.join(ASSESSMENTS.values())})")
        comment = str(item.get("comment") or "").strip()
        if len(comment) > MAX_COMMENT:
            raise ValueError(f"{area.label}: kommentaren är längre än {MAX_COMMENT} tecken")
        out.append({"key": area.key, "assessment": assessment, "comment": comment,
                    "suggestion": suggested.get(area.key, str(item.get("suggestion") or ""))})
    return out
