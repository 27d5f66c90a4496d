"""Översikt: key figures per area and source for the period, and the area map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench import numbers as nf
from workbench.anonymise.suppress import is_suppressed, suppressed_label
from workbench.schema import SOURCE_LABELS_SV, SOURCES
from workbench.services.observations import SOURCE_LABEL
from workbench.ui import cached
from workbench.ui import cached_observations as cobs
from workbench.ui import text_sv as T
from workbench.ui.state import context, plain, show_html_map, sidebar

settings, store = context()
filters = sidebar(settings, store)
if filters is None:
    st.title("Översikt")
    st.info(T.EMPTY_DATABASE)
    st.stop()

if filters.scope.area_ids == ():  # a role limited to its own areas, with none named
    st.title(f"Översikt – {plain(filters.organisation)}")
    st.info(T.NO_OWN_AREAS.format(role=filters.scope.role_label, organisation=plain(filters.organisation)))
    st.stop()

period, reference = filters.period, filters.reference
figures, totals = cached.overview(store.url, filters.scope, period.start, period.end,
                                  reference.start, reference.end)
min_count = settings.min_count
suppress = filters.shared_screen


REPORTED = "reported"


def show(value: int) -> str:
    return suppressed_label(value, min_count) if suppress else nf.integer(value)


st.title(f"Översikt – {plain(filters.area or filters.organisation)}")
st.caption(f"Period {period.name()} {period.compared_with(reference, filters.reference_kind)}. "
           f"{T.CHANGE_HELP}")

scope = figures if filters.area_id is None else figures[figures["area_id"] == filters.area_id]
# the verksamheter's weekly inrapportering is a source of its own ("Inrapporterat")
reported = cobs.area_counts(store.url, filters.scope, period, reference)
reported_scope = reported if filters.area_id is None else reported[reported["area_id"] == filters.area_id]
columns = st.columns(len(SOURCES) + 1)
for column, source in zip(columns, (*SOURCES, REPORTED), strict=True):
    chosen = (reported_scope.rename(columns={"current": f"{REPORTED}_current", "reference": f"{REPORTED}_reference"})
              if source == REPORTED else scope)
    current = int(chosen[f"{source}_current"].sum())
    previous = int(chosen[f"{source}_reference"].sum())
    hidden = suppress and (is_suppressed(current, min_count) or is_suppressed(previous, min_count))
    delta = None if hidden else current - previous
    column.metric(SOURCE_LABELS_SV.get(source, SOURCE_LABEL), show(current),
                  delta=None if delta is None else f"{nf.metric_delta(delta)} mot {show(previous)}",
                  delta_color="inverse" if delta else "off", border=True)

if filters.area_id is None:
    row = totals.set_index("source").loc["police"]
    verdict = row["change"]
    where = "era områden" if filters.scope.area_ids is not None else f"hela {plain(filters.organisation)}"
    st.markdown(f"**Polisens händelser i {where}:** {verdict} "
                f"({nf.p_value(row['p'])}).")

reported_by_area = {None if pd.isna(a) else int(a): int(c)
                    for a, c in zip(reported["area_id"], reported["current"], strict=True)}
left, right = st.columns([3, 2], gap="medium")
with left:
    st.subheader("Händelser per område")
    if cached.areas(store.url, filters.scope).empty:
        st.info("Inga områden är inlästa ännu: läs in stadsdelar under Importera för kartan och "
                "siffrorna per område.")
    else:
        html = cached.overview_map(store.url, filters.scope, period.start, period.end,
                                   reference.start, reference.end, min_count, suppress,
                                   settings.basemap, settings.basemap_attribution)
        show_html_map(html, height=540)
with right:
    st.subheader("Nyckeltal per område")
    table = pd.DataFrame({
        "Område": figures["area"],
        "Händelser": [show(v) for v in figures["police_current"]],
        "Jämförelse": [show(v) for v in figures["police_reference"]],
        "Förändring": [
            "–" if pd.isna(p) or (suppress and (is_suppressed(c, min_count) or is_suppressed(r, min_count)))
            else nf.signed_percent(p)
            for c, r, p in zip(figures["police_current"], figures["police_reference"],
                               figures["police_change_pct"], strict=True)
        ],
        "Säker förändring": [
            "nej" if label == "ingen säker förändring" else label for label in figures["police_change"]
        ],
        "Per 1 000 inv. (årstakt)": [
            "–" if pd.isna(v) or (suppress and is_suppressed(c, min_count)) else nf.decimal(v)
            for v, c in zip(figures["police_per_1000"], figures["police_current"], strict=True)
        ],
        "Felanmälningar": [show(v) for v in figures["municipality_current"]],
        "Bostadsbolaget": [show(v) for v in figures["housing_current"]],
        "Vandringsiakttagelser": [show(v) for v in figures["walk_current"]],
        SOURCE_LABEL: [show(reported_by_area.get(None if pd.isna(a) else int(a), 0)) for a in figures["area_id"]],
    })
    st.dataframe(table, hide_index=True, width="stretch", key="area_table",
                 height=min(35 * (len(table) + 1) + 3, 540))
    approximate = cached.areas(store.url, filters.scope)["approximate"].any()
    if approximate:
        st.caption("Områdesgränserna är ungefärliga (demogeografi), inte officiella gränser.")
