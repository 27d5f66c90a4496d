"""The BoTryggt 2030 checklist: nine areas, a suggested note from the data, the planner's view.

BoTryggt 2030 (Polisen, Boverket, Brottsförebyggande rådet m.fl.) describes how a built
environment supports trygghet. The workbench suggests what the data says for each area; the
planner assesses it. Suggestions never state a count below the minimum (``show`` formats).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench import numbers as nf
from workbench.planning.figures import PlanningFigures
from workbench.planning.stored import ChecklistItem


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


@dataclass(frozen=True)
class _Say:
    """The figures of one planning check and how counts are shown (``show``: '<3' below the
    minimum on a shared document), with the phrases every area's note uses."""

    f: PlanningFigures
    show: Callable[[Any], str]

    @property
    def within(self) -> str:
        return f"inom {self.f.buffer_m:.0f} m" if self.f.buffer_m else "inom planområdet"

    def hidden(self, value: int) -> bool:
        return self.show(value).startswith("<")

    def c(self, value: int, one: str, many: str) -> str:  # '7 anmärkningar', '<3 anmärkningar'
        label = self.show(value)
        return f"{label} {one if label == '1' else many}"

    @staticmethod
    def places(value: int, one: str, many: str) -> str:  # counts of places are not about people
        return f"{value} {one if value == 1 else many}"

    def walks(self, *cats: str) -> int:
        return self.f.within("walks", cats)

    def faults(self, *cats: str) -> int:
        return self.f.within("faults", cats)

    def repeated(self, categories: tuple[str, ...]) -> pd.DataFrame:
        spots = self.f.repeat_spots
        return spots[spots["category"].isin(categories)] if len(spots) else spots


def _design(s: _Say) -> str:
    f, within = s.f, s.within
    hot = f.hot_cells
    n_hot_inside = int((hot["zone"] == 1).sum()) if len(hot) else 0
    tunnels = (f.places[f.places["kind"].astype("string").str.contains("tunnel", case=False, na=False)]
               if len(f.places) else f.places)
    design = []
    if len(hot):
        design.append(f"{len(hot)} {'signifikant hot-spot-ruta' if len(hot) == 1 else 'signifikanta hot-spot-rutor'}"
                      f" för polisanmälda händelser {within}"
                      + (f", varav {n_hot_inside} överlappar planområdet" if n_hot_inside else ""))
    if s.walks("otrygg_passage"):
        design.append(f"{s.c(s.walks('otrygg_passage'), 'anmärkning', 'anmärkningar')} om otrygga "
                      f"passager från trygghetsvandringar {within}")
    if len(tunnels):
        design.append("gångtunnel i närheten (" + ", ".join(tunnels["name"].astype(str)) + ")")
    return (_cap("; ".join(design)) + "." if design else
            f"Inga hot-spot-rutor, anmärkningar om otrygga passager eller gångtunnlar {within}.")


def _mixed_functions(s: _Say) -> str:
    f, within = s.f, s.within
    times = f.incident_times
    total = f.total("incidents")
    if not total:
        return f"Inga polisanmälda händelser med känd plats {within} under perioden."
    late = int(times[times["band"].isin(["Natt 00–06", "Kväll 18–24"])][["inside", "ring"]].to_numpy().sum())
    exact = not (s.hidden(late) or s.hidden(total))
    share = f", {nf.percent(100 * late / total)}" if exact else ""
    return (f"{s.show(late)} av {s.c(total, 'polisanmäld händelse', 'polisanmälda händelser')}"
            f" {within} skedde kväll eller natt (18–06{share}). Människor i "
            "rörelse även kvällstid ger naturlig övervakning.")


def _mixed_people(s: _Say) -> str:
    f = s.f
    if len(f.indicators):
        rows = [f"{r.area} {r.year}: {r.indicator} {r.value:g}" for r in f.indicators.head(4).itertuples()]
        return "Inlästa indikatorer för området: " + "; ".join(rows) + "."
    if len(f.districts):
        names = ", ".join(f.districts["name"].astype(str).head(3))
        return (f"Ingen trygghetsundersökning är inläst för {names}. Befolkningens "
                "sammansättning bedöms med kommunens statistik.")
    return "Planområdet ligger utanför kommunens redovisningsområden."


def _legibility(s: _Say) -> str:
    legibility = s.walks("otrygg_passage", "trafik")
    return (f"{_cap(s.c(legibility, 'anmärkning', 'anmärkningar'))} om otrygga passager "
            f"eller trafik från trygghetsvandringar {s.within}." if legibility else
            f"Inga anmärkningar om otrygga passager eller trafik {s.within}.")


def _social_control(s: _Say) -> str:
    sight_w, sight_f = s.walks("skymd_sikt"), s.faults("vegetation")
    if not (sight_w or sight_f):
        return f"Inga anmärkningar om skymd sikt eller vegetation {s.within}."
    return _cap(_join([f"{s.c(sight_w, 'anmärkning', 'anmärkningar')} om skymd sikt från "
                       "trygghetsvandringar" if sight_w else "",
                       f"{s.c(sight_f, 'felanmälan', 'felanmälningar')} om vegetation" if sight_f else ""])) \
        + f" {s.within}."


def _lighting(s: _Say) -> str:
    light_w, light_f = s.walks("belysning"), s.faults("belysning")
    if not (light_w or light_f):
        return f"Inga anmärkningar om belysning {s.within}."
    parts = [f"{s.c(light_f, 'felanmälan', 'felanmälningar')} om trasig belysning" if light_f else "",
             f"{s.c(light_w, 'iakttagelse', 'iakttagelser')} från trygghetsvandringar" if light_w else ""]
    count = ("Anmärkningar" if s.hidden(light_w) or s.hidden(light_f)  # a total would reveal a part
             else _cap(s.c(light_w + light_f, "anmärkning", "anmärkningar")))
    text = f"{count} om belysning {s.within} ({_join(parts)})."
    repeated = s.repeated(("belysning",))
    if len(repeated):
        text += f" {s.places(len(repeated), 'plats', 'platser')} med upprepade felanmälningar om belysning."
    return text


def _perimeter(s: _Say) -> str:
    burglary = s.f.within("incidents", HOME_BURGLARY)
    theft = s.f.within("incidents", THEFT)
    if not (burglary or theft):
        return f"Inga polisanmälda inbrott eller fordons- och cykelstölder {s.within}."
    return _cap(_join([f"{s.c(burglary, 'inbrott', 'inbrott')}" if burglary else "",
                       f"{s.c(theft, 'cykelstöld eller stöld ur/av fordon', 'cykelstölder och stölder ur/av fordon')}"
                       if theft else ""])) + f" {s.within} under perioden."


def _management(s: _Say) -> str:
    f = s.f
    vandal = s.faults(*VANDALISM)
    if not vandal:
        return f"Inga felanmälningar om klotter, skadegörelse eller nedskräpning {s.within}."
    open_ = int(f.faults[f.faults["category"].isin(VANDALISM)]["open"].sum())
    days = (f" Mediantid till åtgärd (alla felanmälningar här): {f.fault_median_days:.0f} dygn."
            if f.fault_median_days is not None else "")
    spots = s.repeated(VANDALISM)
    again = f" {s.places(len(spots), 'plats', 'platser')} där felanmälningar återkommer." if len(spots) else ""
    return (f"{_cap(s.c(vandal, 'felanmälan', 'felanmälningar'))} om klotter, "
            f"skadegörelse och nedskräpning {s.within}, varav {s.show(open_)} ej "
            f"åtgärdade.{days}{again}")


def _information(s: _Say) -> str:
    f = s.f
    info = []
    if len(f.actions):
        info.append(f"{len(f.actions)} {'öppen åtgärd' if len(f.actions) == 1 else 'öppna åtgärder'}"
                    f" vid platser {s.within}")
    if len(f.commitments):
        info.append(f"{len(f.commitments)} {'åtagande' if len(f.commitments) == 1 else 'åtaganden'} "
                    "i överenskommelser och medborgarlöften gäller planering och den fysiska miljön")
    if f.last_walk:
        info.append(f"senaste trygghetsvandringen med anmärkningar här: {f.last_walk:%Y-%m-%d}")
    return (_cap(_join(info)) + "." if info else
            f"Inga öppna åtgärder, planeringsåtaganden eller trygghetsvandringar {s.within}.")


# One note per BoTryggt area, in the checklist's order.
SUGGESTIONS: tuple[tuple[str, Callable[[_Say], str]], ...] = (
    ("design", _design), ("mixed_functions", _mixed_functions), ("mixed_people", _mixed_people),
    ("legibility", _legibility), ("social_control", _social_control), ("lighting", _lighting),
    ("perimeter", _perimeter), ("management", _management), ("information", _information),
)


def suggestions(f: PlanningFigures, show: Callable[[Any], str]) -> dict[str, str]:
    """One suggested note per area drawn from the figures (Swedish, counts through ``show``)."""
    say = _Say(f, show)
    return {key: note(say) for key, note in SUGGESTIONS}


def blank_checklist(suggested: dict[str, str]) -> list[ChecklistItem]:
    """The nine areas, not yet assessed, with the data's suggestion."""
    return [ChecklistItem(key=a.key, assessment="not_assessed", comment="", suggestion=suggested.get(a.key, ""))
            for a in BOTRYGGT_AREAS]


def clean_checklist(items: list[dict[str, Any]] | list[ChecklistItem], suggested: dict[str, str]
                    ) -> list[ChecklistItem]:
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
        out.append(ChecklistItem(key=area.key, assessment=assessment, comment=comment,
                                 suggestion=suggested.get(area.key, str(item.get("suggestion") or ""))))
    return out
