"""Rapportera: a reporter's weekly inrapportering for its verksamhet, on a phone — observations
added one at a time and sent as the week's report, or "Inget att rapportera denna vecka" — and
"Mina rapporter", the återkoppling. The reporter role sees this page and nothing else."""

from __future__ import annotations

from datetime import date

import streamlit as st

from workbench.access import gate_reporting
from workbench.errors import AccessDenied, WorkbenchError
from workbench.maps.build import Basemap
from workbench.maps.report_map import report_map
from workbench.ui import folium_map, report_feedback, report_form
from workbench.ui.report_form import PENDING, observation_count, plain, week_label
from workbench.ui.state import (
    ACCESS,
    FLASH,
    by_access,
    context,
    flash,
    get_settings,
    get_store,
    reporter_sidebar,
    resolve_access,
)


@by_access
@st.cache_data(ttl=300, show_spinner=False)
def _form(url: str, scope, basemap: str, attribution: str):
    choices = gate_reporting.form_choices(get_store(url), get_settings(), scope)
    places = [(p.name, p.lon, p.lat) for p in choices.places]
    prepared = folium_map.prepare(report_map(choices.outlines, places, choices.bounds,
                                             Basemap(basemap, attribution)), "rp_map")
    return choices, prepared


settings, store = context()
access = st.session_state.get(ACCESS) or resolve_access(settings, store)
scope = access.scope
reporter_sidebar(settings, store)
st.title("Rapportera")
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))
if scope is None:
    st.info("Du har ingen roll i någon organisation ännu.")
    st.stop()
try:
    gate_reporting.own_reports(store, scope)  # the check: only a reporter with a verksamhet
except AccessDenied as exc:
    st.error(plain(str(exc)))
    st.stop()

st.markdown(report_form.PHONE_CSS, unsafe_allow_html=True)
st.caption(f"{plain(scope.verksamhet or '')} · {plain(scope.organisation)}")
choices, prepared = _form(store.url, scope, settings.basemap, settings.basemap_attribution)
levels = choices.assessment_levels

weeks = report_form.recent_weeks(date.today())
week = st.selectbox("Vecka", weeks, format_func=lambda w: week_label(*w), key="rp_week")
own = gate_reporting.own_reports(store, scope)
sent = next((r for r in own if (r["iso_year"], r["iso_week"]) == tuple(week)), None)
if sent is not None:
    st.info(f"{week_label(*week)} är redan rapporterad"
            + (" (inget att rapportera)." if sent["nothing_to_report"] and not sent["observations"]
               else f" med {observation_count(len(sent['observations']))}. Det du skickar nu läggs till."))

st.subheader("Ny observation")
report_form.observation_form(choices, prepared)

st.subheader("Veckans rapport")
pending = st.session_state.get(PENDING, [])
if pending:
    for i, obs in enumerate(pending):
        with st.container(border=True):
            st.markdown(f"**{i + 1}. {plain(obs['category'])}** · "
                        f"{report_form.when_text(obs['occurred_from'], obs['occurred_to'])}  \n"
                        f"{report_form.where_text(obs)} · Bedömning: "
                        f"{report_form.assessment_text(obs['assessment'], levels)}"
                        + (f"  \n{plain(obs['description'])}" if obs.get("description") else ""))
            if st.button("Ta bort", key=f"rp_remove_{i}", width="stretch"):
                pending.pop(i)
                st.rerun()
    label = f"Skicka rapporten ({observation_count(len(pending))})"
    if st.button(label, key="rp_send", type="primary", width="stretch"):
        try:
            gate_reporting.save_weekly_report(store, settings, scope, iso_year=week[0], iso_week=week[1],
                                              observations=pending)
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
        else:
            st.session_state[PENDING] = []
            flash(f"Rapporten för {week_label(*week).lower()} är skickad: {observation_count(len(pending))}. Tack!")
            st.rerun()
else:
    st.caption("Lägg till det du har sett ovan, en observation i taget, och skicka sedan rapporten. "
               "Har du inget att rapportera, säg det med knappen nedan – även det är en rapport.")
    if st.button("Inget att rapportera denna vecka", key="rp_nothing", type="primary", width="stretch",
                 disabled=sent is not None and bool(sent["observations"])):
        try:
            gate_reporting.save_weekly_report(store, settings, scope, iso_year=week[0], iso_week=week[1],
                                              observations=[], nothing_to_report=True)
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
        else:
            flash(f"Inget att rapportera {week_label(*week).lower()} – tack, det är registrerat.")
            st.rerun()

st.subheader("Mina rapporter")
report_feedback.show(own, levels)
