"""Trygghetsvandringar: plan a walk, record observations on it from a phone, and after it decide
on each observation (åtgärd, or closed with a reason) and hand out the follow-up document."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from workbench import numbers as nf
from workbench import roles
from workbench.access import gate_walks
from workbench.errors import WorkbenchError
from workbench.maps.build import Basemap
from workbench.maps.walk_map import record_map, route_map
from workbench.store.walks import CATEGORIES, PARTICIPANT_ROLES, PRIORITIES, WALK_STATUS_SV
from workbench.ui import cached, personal_data, walk_follow_view
from workbench.ui.folium_map import st_folium
from workbench.ui.labels import label_of
from workbench.ui.state import flash, page, plain

# Large targets for a phone held in one hand (390 × 844): taller buttons and choices.
PHONE_CSS = """<style>
.stButton button, .stFormSubmitButton button, .stDownloadButton button {min-height: 3rem; font-size: 1.05rem;}
div[data-testid="stRadio"] label {min-height: 2.6rem; align-items: center; font-size: 1.05rem;}
</style>"""
PLAN, RECORD, AFTER = "Planera", "Under vandringen", "Efter vandringen"
GOTO = "_walk_goto"  # the walk to open on the next run (a widget's value cannot change once drawn)

settings, store, filters = page("Trygghetsvandringar", roles.READ_LOOP, roles.RECORD_WALK)
scope = filters.scope
st.markdown(PHONE_CSS, unsafe_allow_html=True)
basemap = Basemap(settings.basemap, settings.basemap_attribution)
areas = cached.area_layer(store.url, scope, "district")
walks = gate_walks.walks(store, scope)

views = ([PLAN] if scope.can(roles.EDIT_LOOP) else []) + ([RECORD] if scope.can(roles.RECORD_WALK) else []) + [AFTER]
if GOTO in st.session_state:
    goto_walk, goto_view = st.session_state.pop(GOTO)
    st.session_state["walk_id"], st.session_state["walk_view"] = goto_walk, goto_view
view = st.radio("Vad vill du göra?", views, horizontal=True, key="walk_view")


def walk_label(walk: dict) -> str:
    count = walk["observations"]
    return (f"{walk['walk_date']:%Y-%m-%d} · {walk['area'] or 'område saknas'} · "
            f"{WALK_STATUS_SV.get(walk['status'], walk['status'])} · "
            f"{nf.integer(count)} {'iakttagelse' if count == 1 else 'iakttagelser'}")


def plan_view() -> None:
    st.caption("Planera vandringen: datum, område, deltagande organisationer (roller, aldrig namn) "
               "och gärna sträckan. Iakttagelserna registreras sedan under vandringen, i telefonen.")
    if areas.empty:
        st.info("Inga områden är inlästa. Importera områden på sidan Importera först.")
        return
    names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    area_id = st.selectbox("Vandringens område", list(names), format_func=label_of(names), key="plan_area")
    if area_id is None:
        return
    st.markdown("**Sträcka (valfritt):** tryck på linjeverktyget i kartan, klicka ut sträckan och "
                "avsluta på sista punkten.")
    drawn = st_folium(route_map(areas[areas["id"] == area_id], areas, basemap), height=360,
                      use_container_width=True, key=f"walk_route_map_{area_id}",
                      returned_objects=["all_drawings"])
    lines = [d.get("geometry") for d in ((drawn or {}).get("all_drawings") or [])
             if (d.get("geometry") or {}).get("type") == "LineString"]
    route = lines[-1] if lines else None
    st.caption(f"Sträcka ritad ({nf.integer(len(route['coordinates']))} punkter)." if route
               else "Ingen sträcka ritad – vandringen kan planeras ändå.")
    with st.form("walk_plan", clear_on_submit=False):
        walk_date = st.date_input("Datum", value=date.today(), format="YYYY-MM-DD", key="plan_date")
        parts = st.multiselect("Deltagande organisationer (roller, aldrig namn)", list(PARTICIPANT_ROLES),
                               key="plan_parts")
        other = st.text_input("Annan deltagande organisation (roll, t.ex. 'hyresgästföreningen')",
                              key="plan_other")
        notes = st.text_area("Anteckning (samlingsplats, tid)", key="plan_notes", max_chars=1000)
        submitted = st.form_submit_button("Planera vandringen", type="primary", use_container_width=True)
    values: dict[str, Any] | None = ({"walk_date": walk_date, "area_id": int(area_id), "route": route,
               "participants": [*parts, *[p for p in other.split(",") if p.strip()]], "notes": notes}
              if submitted else None)
    values = personal_data.confirm("walk_plan", values, lambda v: {
        "Deltagande organisationer": ", ".join(v["participants"]), "Anteckning": v["notes"]})
    if values is not None:
        try:
            walk_id = gate_walks.plan(store, scope, **values)
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
            return
        flash(f"Vandringen {values['walk_date']:%Y-%m-%d} i {plain(names[area_id])} är planerad. "
              "Registrera iakttagelserna under vandringen.")
        st.session_state[GOTO] = (walk_id, RECORD if scope.can(roles.RECORD_WALK) else AFTER)
        st.rerun()


def record_view(walk_id: int) -> None:
    walk, observations = gate_walks.agenda(store, scope, walk_id)
    spot_key, round_key = f"walk_spot_{walk_id}", f"walk_round_{walk_id}"
    spot = st.session_state.get(spot_key)
    area = areas[areas["id"] == walk["area_id"]] if walk["area_id"] is not None else areas.iloc[0:0]
    st.caption("Tryck i kartan där du står, eller på **Min position**. Välj sedan vad du ser och spara.")
    picked = st_folium(record_map(area, walk["route"], basemap, observations=observations, chosen=spot),
                       height=340, use_container_width=True,
                       key=f"walk_record_map_{walk_id}_{st.session_state.get(round_key, 0)}",
                       returned_objects=["last_clicked"])
    clicked = (picked or {}).get("last_clicked")
    if clicked and (clicked["lat"], clicked["lng"]) != spot:
        st.session_state[spot_key] = (clicked["lat"], clicked["lng"])
        st.rerun()
    if spot:
        st.success(f"Plats vald: {nf.number(spot[0], 5)} N, {nf.number(spot[1], 5)} Ö")
    else:
        st.info("Ingen plats vald ännu.")
    with st.form(f"walk_obs_{walk_id}", clear_on_submit=True):
        category = st.radio("Vad ser du?", list(CATEGORIES), format_func=CATEGORIES.get, key="obs_category")
        priority = st.radio("Prioritet", list(PRIORITIES), format_func=PRIORITIES.get, index=1,
                            horizontal=True, key="obs_priority")
        comment = st.text_area("Kommentar (inga namn på personer)", key="obs_comment", max_chars=1000)
        submitted = st.form_submit_button("Spara iakttagelsen", type="primary", use_container_width=True)
    values: dict[str, Any] | None = ({"category": category, "priority": int(priority or 2), "comment": comment,
                                      "spot": spot} if submitted else None)
    if values is not None and values["spot"] is None:
        st.error("Välj platsen först: tryck i kartan eller på Min position.")
        values = None
    values = personal_data.confirm(f"walk_obs_{walk_id}", values, lambda v: {"Kommentar": v["comment"]})
    if values is not None:
        lat, lon = values.pop("spot")
        try:
            gate_walks.record(store, scope, walk_id, lon=lon, lat=lat, **values)
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
            return
        st.session_state.pop(spot_key, None)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1  # a fresh map, no old tap
        flash(f"Iakttagelse {len(observations) + 1} sparad: {CATEGORIES[values['category']]}.")
        st.rerun()
    st.subheader(f"Iakttagelser på vandringen ({nf.integer(len(observations))})")
    for number, o in enumerate(observations, start=1):
        st.markdown(f"**{int(number)}\\. {plain(o['label'])}** · prioritet {plain(str(o['priority'] or '–'))} · "
                    f"{plain(o['status'])}")
        if o["comment"]:
            st.text(o["comment"])
    if walk["status"] == "planned" and scope.can(roles.EDIT_LOOP) and observations:
        if st.button("Vandringen är klar", key=f"walk_done_{walk_id}", use_container_width=True):
            try:
                gate_walks.set_walk_status(store, scope, walk_id, "done")
            except WorkbenchError as exc:
                st.error(plain(str(exc)))
                return
            flash("Vandringen är markerad som genomförd. Besluta om iakttagelserna under Efter vandringen.")
            st.session_state[GOTO] = (walk_id, AFTER)
            st.rerun()


if view == PLAN:
    plan_view()
    st.stop()
if not walks:
    st.info("Ingen trygghetsvandring finns ännu. Planera en här, eller importera en på sidan Importera.")
    st.stop()
labels = {int(w["id"]): walk_label(w) for w in walks}
if st.session_state.get("walk_id") not in labels:
    st.session_state.pop("walk_id", None)
walk_id = st.selectbox("Vandring", list(labels), format_func=label_of(labels), key="walk_id")
if walk_id is None:
    st.stop()
if view == RECORD:
    record_view(walk_id)
else:
    walk_follow_view.show(store, scope, walk_id)
