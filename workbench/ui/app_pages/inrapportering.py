"""Inrapportering (the coordinator's side): who has reported the chosen ISO week, the reported
observations per area on the map and over the weeks (Bedömning as an index), and the decision on
each observation (handled, closed with a reason, or an åtgärd answering one or several, with
felanmälningar too)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from workbench import numbers as nf
from workbench import roles
from workbench.access import gate_observations as gobs
from workbench.anonymise.suppress import is_suppressed, suppressed_label
from workbench.services import observations as observed
from workbench.situation import Period
from workbench.store.reporting import STATUSES
from workbench.ui import cached_observations as cobs
from workbench.ui import observation_decisions as decisions
from workbench.ui.report_form import week_label
from workbench.ui.state import count_label, page, plain, show_html_map

settings, store, filters = page("Inrapportering", roles.READ_LOOP)
scope = filters.scope
show = count_label(filters, settings)
hide = scope.suppress(filters.shared_screen)
levels = settings.assessment_levels

weeks = list(reversed(observed.weeks_before(*observed.now_week(), 12)))
year, week = st.selectbox("Vecka", weeks, format_func=lambda w: week_label(*w), key="report_week")

st.subheader(f"Vem har rapporterat vecka {week}")
status = gobs.reporting_status(store, settings, scope, year, week)
c1, c2, c3 = st.columns(3)
for column, state, label in ((c1, observed.REPORTED, "Har rapporterat"), (c2, observed.NOTHING, "Inget att rapportera"),
                             (c3, observed.MISSING, "Har inte rapporterat")):
    column.metric(label, nf.integer(int((status["state"] == state).sum())), border=True)
if status.empty:
    st.info("Inga verksamheter rapporterar ännu. Samordnaren lägger till en inrapportör med "
            "`workbench user add NAMN --organisation ORG --role reporter --verksamhet \"…\"`.")
else:
    st.dataframe(pd.DataFrame({
        "Verksamhet": status["verksamhet"],
        "Område": [", ".join(a) or "–" for a in status["areas"]],
        "Status": status["label"],
        "Observationer": [show(n) if state == observed.REPORTED else "–"
                          for n, state in zip(status["observations"], status["state"], strict=True)],
    }), hide_index=True, width="stretch", key="who_reported")

# the chosen week against the week before (the sidebar's period is the lägesbild's, on Översikt)
monday = date.fromisocalendar(year, week, 1)
chosen_week = Period(monday, monday + timedelta(days=6))
week_before = Period(monday - timedelta(days=7), monday - timedelta(days=1))
st.subheader(f"Inrapporterat per område vecka {week}")
counts = cobs.area_counts(store.url, scope, chosen_week, week_before)
left, right = st.columns([3, 2], gap="medium")
with left:
    if counts.empty:
        st.info("Inga områden är inlästa ännu.")
    else:
        points = not hide and scope.points
        show_html_map(cobs.observation_map(store.url, scope, chosen_week, week_before,
                                           points=points, suppress=hide), height=480)
        st.caption("Punkterna visas bara vid det egna skrivbordet (inte på delad skärm); känsliga "
                   "kategorier och observationer utan punkt räknas bara per område."
                   if points else "Kartan visar antal per område; små antal döljs.")
with right:
    st.dataframe(pd.DataFrame({"Område": counts["area"], "Inrapporterat": [show(v) for v in counts["current"]],
                               f"Vecka {week_before.start.isocalendar()[1]}": [show(v) for v in counts["reference"]]}),
                 hide_index=True, width="stretch", key="observation_counts")

st.subheader("Bedömning per område och vecka")
trend = gobs.assessment_trend(store, settings, scope, year, week, weeks=8)
if trend.empty:
    st.caption("Inga bedömda observationer de senaste åtta veckorna.")
else:
    shown_weeks = observed.weeks_before(year, week, 8)

    def cell(found: pd.DataFrame) -> str:
        if found.empty:
            return ""
        mean, n = float(found["mean"].iloc[0]), int(found["count"].iloc[0])
        if hide and is_suppressed(n, settings.min_count):
            return suppressed_label(n, settings.min_count)
        return f"{nf.decimal(mean)} ({nf.integer(n)})"

    index = pd.DataFrame({"Område": sorted(trend["area"].unique())})
    for y, w in shown_weeks:
        index[f"v. {w}"] = [cell(trend[(trend["area"] == a) & (trend["iso_year"] == y) & (trend["iso_week"] == w)])
                            for a in index["Område"]]
    st.dataframe(index, hide_index=True, width="stretch", key="assessment_index")
    st.caption(f"Medelvärde av Bedömning (1 {levels[0]} – {len(levels)} {levels[-1]}) med antal bedömda "
               "observationer inom parentes" + (f"; färre än {settings.min_count} visas som "
                                                 f"'<{settings.min_count}'." if hide else "."))

if not gobs.may_see_rows(scope):
    st.caption(f"Rollen {plain(scope.role_label)} ser de inrapporterade observationerna bara sammanställda.")
    st.stop()

st.subheader("Observationer")
frame = gobs.observations(store, settings, scope)
wanted = st.multiselect("Status", list(STATUSES), default=list(observed.OPEN_STATUSES), key="observation_status",
                        placeholder="Alla statusar")
chosen = frame[frame["status"].isin(wanted)] if wanted else frame
chosen = chosen.sort_values(["iso_year", "iso_week", "time"], ascending=False)
if chosen.empty:
    st.info("Inga observationer med den statusen.")
else:
    decisions.table(chosen, levels, key="observation_table")
if not scope.can(roles.EDIT_LOOP):
    st.stop()

st.markdown("#### Besluta om observationer och felanmälningar")
faults = None
if scope.can(roles.READ_POINTS):
    faults = gobs.fault_reports(store, scope)
    faults = faults[(faults["reported_at"] >= filters.period.start_dt) & (faults["reported_at"] < filters.period.end_dt)
                    & faults["action_ids"].map(len).eq(0)]
decisions.decide(store, settings, scope, chosen, key="inr", faults=faults)
