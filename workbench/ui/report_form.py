"""Rapportera, the form: one observation at a time (what, where, when, a short description,
Bedömning) added to the week's list, then sent as the verksamhet's weekly report — or "Inget att
rapportera denna vecka". One column with large touch targets: it is used on a phone.

Where: a tap on the map (streamlit-folium's ``last_clicked``), a known place, or the phone's
position (a local component asking the browser, see ui/geolocation), or only an area.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import shapely
import streamlit as st

from workbench import numbers as nf
from workbench.access import gate_reporting
from workbench.access.gate_reporting import FormChoices
from workbench.geo.crs import SWEREF99TM, WGS84, transform
from workbench.ui import folium_map, geolocation
from workbench.ui.text_sv import plain

PENDING = "rp_pending"  # the observations added to the week's report, not sent yet
NEW = "rp_new_"  # widget keys of the observation being entered (cleared when it is added)
POINT = "rp_point"  # (lat, lon, how) of the chosen point
SEEN = "rp_seen"  # the map click / position already taken (a stale click is not reused)
WARNING = "rp_warning"  # (observation, warning) waiting for the reporter's choice
ERROR = "rp_error"

MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
WHERE_MAP, WHERE_PLACE, WHERE_POSITION, WHERE_AREA = (
    "Tryck i kartan", "Välj en känd plats", "Min position", "Bara område")
PHONE_CSS = """<style>
.stButton button, .stFormSubmitButton button { min-height: 3rem; font-size: 1.05rem; }
div[role="radiogroup"] label { min-height: 2.5rem; align-items: center; }
</style>"""


def day_text(day: date) -> str:
    """'1 dec 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def clock(moment: datetime) -> str:
    """'21.15' (Swedish: a full stop between hours and minutes)."""
    return f"{moment:%H}.{moment:%M}"


def when_text(start: datetime, end: datetime | None) -> str:
    """'1 dec 2026 kl. 21.15', '1 dec 2026 kl. 19.00–22.30' or across days."""
    if end is None:
        return f"{day_text(start.date())} kl. {clock(start)}"
    if end.date() == start.date():
        return f"{day_text(start.date())} kl. {clock(start)}–{clock(end)}"
    return f"{day_text(start.date())} kl. {clock(start)} – {day_text(end.date())} kl. {clock(end)}"


def week_label(iso_year: int, iso_week: int) -> str:
    """'Vecka 49 (30 nov–6 dec 2026)', 'Vecka 48 (23–29 nov 2026)'."""
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    sunday = monday + timedelta(days=6)
    if monday.month == sunday.month:
        first = str(monday.day)
    else:
        first = f"{monday.day} {MONTHS[monday.month - 1]}" + (f" {monday.year}" if monday.year != sunday.year else "")
    return f"Vecka {iso_week} ({first}–{day_text(sunday)})"


def observation_count(count: int) -> str:
    """The count of observations in Swedish, singular or plural.

    >>> observation_count(1), observation_count(2), observation_count(1126)
    ('1 observation', '2 observationer', '1\\u202f126 observationer')
    """
    return f"{nf.integer(count)} {'observation' if count == 1 else 'observationer'}"


def recent_weeks(today: date, count: int = 4) -> list[tuple[int, int]]:
    """This ISO week and the ``count - 1`` before it, newest first."""
    return [tuple((today - timedelta(weeks=i)).isocalendar()[:2]) for i in range(count)]  # type: ignore[misc]


def assessment_text(value: int | None, levels: tuple[str, ...]) -> str:
    if value is None or not 1 <= int(value) <= len(levels):
        return "ingen bedömning"
    return f"{int(value)} – {levels[int(value) - 1]}"


def where_text(obs: dict[str, Any]) -> str:
    parts = []
    if obs.get("place"):
        parts.append(plain(obs["place"]))
    elif obs.get("lat") is not None:
        parts.append(f"punkt {nf.number(obs['lat'], 5)}, {nf.number(obs['lon'], 5)}")
    if obs.get("area"):
        parts.append(f"område {plain(obs['area'])}")
    return ", ".join(parts) or "ingen plats"


def area_at(choices: FormChoices, lat: float, lon: float) -> str | None:
    """The name of the area the point lies in (what the store will fill in), or None."""
    if not len(choices.outlines):
        return None
    x, y = transform(np.array([lon]), np.array([lat]), WGS84, SWEREF99TM)
    hit = choices.outlines[choices.outlines.geometry.covers(shapely.Point(float(x[0]), float(y[0])))]
    return str(hit["name"].iloc[0]) if len(hit) else None


# --- where ------------------------------------------------------------------------------------------

def _take(value: dict | None, how: str, lat_key: str, lon_key: str) -> None:
    """Take a new map click or position as the chosen point (one already taken is not reused)."""
    if not value or value.get(lat_key) is None:
        return
    seen = st.session_state.setdefault(SEEN, {})
    if seen.get(how) == value:
        return
    seen[how] = value
    st.session_state[POINT] = (float(value[lat_key]), float(value[lon_key]), how)


def where(choices: FormChoices, prepared_map) -> None:
    """The 'Var?' part: the chosen way of saying where, and an optional area."""
    options = [WHERE_MAP] + ([WHERE_PLACE] if choices.places else []) + [WHERE_POSITION, WHERE_AREA]
    how = st.radio("Var?", options, key=f"{NEW}where", horizontal=False)
    if how == WHERE_MAP:
        st.caption("Tryck där det hände.")
        clicked = folium_map.show(prepared_map, height=340, returned_objects=["last_clicked"])
        _take((clicked or {}).get("last_clicked"), "map", "lat", "lng")
    elif how == WHERE_PLACE:
        st.selectbox("Känd plats", [p.name for p in choices.places], index=None, key=f"{NEW}place",
                     placeholder="Välj en plats")
    elif how == WHERE_POSITION:
        st.caption("Telefonen frågar om du vill dela din position; den används bara för den här "
                   "observationen.")
        found = geolocation.position("rp_geolocation")
        if found and found.get("error") is not None:
            st.warning("Positionen kunde inte hämtas. Tryck i kartan eller välj en känd plats i stället.")
        _take(found, "position", "lat", "lon")
    point = st.session_state.get(POINT)
    if how in (WHERE_MAP, WHERE_POSITION) and point is not None:
        source = "i kartan" if point[2] == "map" else "från din position"
        area = area_at(choices, point[0], point[1])
        st.success(f"Vald punkt {source}: {nf.number(point[0], 5)}, {nf.number(point[1], 5)}"
                   + (f" – i {plain(area)}" if area else " – utanför områdena"))
    st.selectbox("Område" + ("" if how == WHERE_AREA else " (fylls i från punkten om du inte väljer)"),
                 list(choices.areas), index=None, key=f"{NEW}area", placeholder="Välj ett område")


# --- one observation --------------------------------------------------------------------------------

def _observation_from_widgets(choices: FormChoices) -> dict[str, Any]:
    """The observation the widgets hold, or ValueError with the Swedish sentence to show."""
    state = st.session_state
    category = state.get(f"{NEW}category")
    if not category:
        raise ValueError("Välj vad du såg.")
    how = state.get(f"{NEW}where", WHERE_MAP)
    obs: dict[str, Any] = {"category": category, "area": state.get(f"{NEW}area")}
    point = state.get(POINT)
    if how == WHERE_PLACE:
        if not state.get(f"{NEW}place"):
            raise ValueError("Välj en känd plats, eller säg var på ett annat sätt.")
        obs["place"] = state[f"{NEW}place"]
    elif how in (WHERE_MAP, WHERE_POSITION):
        if point is None:
            raise ValueError("Tryck i kartan där det hände." if how == WHERE_MAP
                             else "Tryck på 'Använd min position' först, eller tryck i kartan.")
        obs["lat"], obs["lon"] = point[0], point[1]
    elif not obs["area"]:
        raise ValueError("Välj ett område.")
    day = state.get(f"{NEW}date") or date.today()
    start = datetime.combine(day, state.get(f"{NEW}time") or time(12, 0))
    obs["occurred_from"], obs["occurred_to"] = start, None
    if state.get(f"{NEW}span"):
        end = datetime.combine(state.get(f"{NEW}end_date") or day, state.get(f"{NEW}end_time") or time(23, 45))
        if end < start:
            raise ValueError("Slutet av tidsspannet ligger före början.")
        obs["occurred_to"] = end
    if start > datetime.now() + timedelta(hours=1):
        raise ValueError("Tiden ligger i framtiden.")
    if state.get(f"{NEW}assessment") is None:
        raise ValueError("Välj en bedömning.")
    obs["assessment"] = int(state[f"{NEW}assessment"])
    obs["description"] = (state.get(f"{NEW}description") or "").strip() or None
    return obs


# Set back explicitly after 'Lägg till': a deleted key alone left the browser's widget showing
# (and sending) the text already added, so the next observation took the previous description.
CLEARED = {"description": "", "category": None, "place": None, "area": None, "assessment": None}


def _clear_new() -> None:
    for key in [k for k in st.session_state if str(k).startswith(NEW) and k != f"{NEW}where"]:
        del st.session_state[key]
    for name, value in CLEARED.items():
        st.session_state[f"{NEW}{name}"] = value
    st.session_state.pop(POINT, None)


def _append(obs: dict[str, Any]) -> None:
    st.session_state.setdefault(PENDING, []).append(obs)
    _clear_new()


def _add(choices: FormChoices) -> None:
    """'Lägg till' (a callback: it may clear the widgets before they are drawn again)."""
    st.session_state.pop(ERROR, None)
    try:
        obs = _observation_from_widgets(choices)
    except ValueError as exc:
        st.session_state[ERROR] = plain(str(exc))  # shown as Markdown below
        return
    warning = gate_reporting.description_warning({"Beskrivning": obs["description"] or ""})
    if warning:
        st.session_state[WARNING] = (obs, warning)
        return
    _append(obs)


def _keep_masked() -> None:
    obs, _ = st.session_state.pop(WARNING)
    _append(obs)


def observation_form(choices: FormChoices, prepared_map) -> None:
    """What, where, when, description and Bedömning of one observation, and 'Lägg till'."""
    st.selectbox("Vad har du sett?", list(choices.categories), index=None, key=f"{NEW}category",
                 placeholder="Välj vad du såg")
    where(choices, prepared_map)
    now = datetime.now()
    st.date_input("Datum", value=now.date(), max_value=now.date(), key=f"{NEW}date", format="YYYY-MM-DD")
    st.time_input("Klockan", value=time(now.hour, now.minute // 15 * 15), step=timedelta(minutes=15),
                  key=f"{NEW}time")
    if st.checkbox("Pågick en stund (ange när det slutade)", key=f"{NEW}span"):
        st.date_input("Slutdatum", value=now.date(), max_value=now.date(), key=f"{NEW}end_date",
                      format="YYYY-MM-DD")
        st.time_input("Slutade klockan", value=time(23, 45), step=timedelta(minutes=15), key=f"{NEW}end_time")
    st.text_area("Kort beskrivning", key=f"{NEW}description", max_chars=500, height=100,
                 placeholder="T.ex. trasig belysning i gångtunneln")
    # a caption, not a help tooltip: tooltips need hovering, which a phone cannot do
    st.caption("Skriv aldrig namn, personnummer, telefonnummer eller registreringsnummer.")
    levels = choices.assessment_levels
    st.radio("Bedömning", list(range(1, len(levels) + 1)), index=None, key=f"{NEW}assessment",
             format_func=lambda v: assessment_text(v, levels))
    st.caption("Hur allvarligt bedömer du det du såg?")
    if WARNING in st.session_state:
        _, warning = st.session_state[WARNING]
        st.warning(warning)
        st.button("Ändra texten", key="rp_warning_edit", on_click=lambda: st.session_state.pop(WARNING, None),
                  width="stretch")
        st.button("Lägg till med uppgifterna maskerade", key="rp_warning_keep", on_click=_keep_masked,
                  width="stretch")
    else:
        st.button("Lägg till i veckans rapport", key="rp_add", on_click=_add, args=(choices,),
                  type="secondary", width="stretch")
    if ERROR in st.session_state:
        st.error(st.session_state.pop(ERROR))
