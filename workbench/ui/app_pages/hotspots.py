"""Hot-spots: Getis-Ord Gi* on a grid, heat, places, time profiles and change — aggregated only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench import numbers as nf
from workbench import roles
from workbench.anonymise.suppress import is_suppressed
from workbench.filters import EventFilter
from workbench.hotspots.gistar import CLASS_LABELS_SV
from workbench.hotspots.timeprofile import WEEKDAYS_SV
from workbench.schema import SOURCE_LABELS_SV, SOURCE_POLICE, SOURCES
from workbench.taxonomy import category_label
from workbench.ui import cached, folium_map, hotspot_detail, hotspots_over_time, profile_chart
from workbench.ui import text_sv as T
from workbench.ui.labels import label_of
from workbench.ui.state import count_label, page, plain

settings, store, filters = page("Hot-spots", roles.READ_POINTS)
url, scope = store.url, filters.scope
version = cached.data_version(url, scope)
suppress, min_count = filters.shared_screen, settings.min_count
show = count_label(filters, settings)


def hidden(*counts) -> bool:
    """On a shared screen a share or p-value of a small count would give the count away."""
    return suppress and any(is_suppressed(c, min_count) for c in counts)


def share(value: float, count: int) -> str:
    return "–" if hidden(count) else nf.share(value, 1)



with st.expander(hotspot_detail.selection_label(st.session_state, settings.grid_size_m), expanded=False):  # the map in view
    c1, c2, c3 = st.columns([2, 2, 1])
    present = sorted(cached.event_categories(url, scope, version), key=category_label)
    categories = c1.multiselect("Kategorier (tomt = alla)", present, format_func=category_label,
                                key="hs_categories")
    sources = c2.multiselect("Källor", list(SOURCES), default=[SOURCE_POLICE],
                             format_func=label_of(SOURCE_LABELS_SV), key="hs_sources")
    cell = c3.selectbox("Rutstorlek (m)", [100, 250, 500, 1000],
                        index=[100, 250, 500, 1000].index(settings.grid_size_m)
                        if settings.grid_size_m in (100, 250, 500, 1000) else 1, key="hs_cell")
    c4, c5 = st.columns(2)
    weekdays = c4.multiselect("Veckodagar (tomt = alla)", list(range(7)),
                              format_func=lambda d: WEEKDAYS_SV[d], key="hs_weekdays")
    hours = c5.slider("Klockslag", 0, 23, (0, 23), key="hs_hours")

event_filter = EventFilter(filters.period.start, filters.period.end, tuple(categories),
                           tuple(sources), tuple(weekdays), None if hours == (0, 23) else hours)
try:
    run = cached.hotspot_run(url, scope, version, event_filter, int(cell))
except ValueError as exc:
    st.warning(f"Ingen hot-spot-analys: {plain(str(exc))}.")
    st.stop()
result = run.result
n_points = run.n_points
tables = cached.hotspot_tables(url, scope, version, event_filter, int(cell), filters.reference.start,
                               filters.reference.end)
area_only = tables["area_only"]
st.caption(f"{filters.period.label()} · {show(n_points)} händelser med punkt i {nf.integer(result.grid.n_cells)} "
           f"rutor à {cell} m" + (f" · {nf.integer(area_only)} händelser med bara område (känsliga kategorier, "
                                  "polisens händelse-API m.m.) ingår inte i kartan" if area_only else ""))

places = cached.places(url, scope)
ranking = tables["ranking"]
fault_in_period = tables["faults"]
can_draw = scope.can(roles.EDIT_LOOP)  # drawing tools for a new place
prepared = cached.hotspot_map(url, scope, version, event_filter, int(cell), filters.reference.start,
                              filters.reference.end, min_count, suppress, settings.basemap,
                              settings.basemap_attribution, "hs_map", filters.area_id, can_draw)

left, right = st.columns([3, 2], gap="medium")
with left:
    clicked = folium_map.show(prepared, height=620, returned_objects=["last_active_drawing", "last_clicked"])
    if can_draw:
        st.caption("Klicka på en ruta eller plats för dess siffror. Ny plats: klicka på kartan (punkt och "
                   "radie), rita en yta eller cirkel med verktygen på kartan, eller gör en ruta till plats.")
with right:
    chosen = hotspot_detail.selection(clicked)
    if chosen is None:
        st.info("Klicka på en ruta eller en plats för att se dess siffror, trend, tidsprofil och kategorier.")
    else:
        hotspot_detail.detail(chosen, {
            "url": url, "scope": scope, "store": store, "version": version, "event_filter": event_filter,
            "cell": int(cell), "run": run, "places": places, "period": filters.period,
            "reference_label": filters.reference.label(), "show": show, "hidden": hidden,
            "min_count": min_count, "suppress": suppress})

tabs = st.tabs(["Platser", "Signifikanta rutor", "Största förändringar", "Tider", "Felanmälningar"])
with tabs[0]:
    if ranking is None:
        st.info("Inga platser är inlagda (importera platser på sidan Importera).")
    else:
        st.dataframe(pd.DataFrame({"Plats": ranking["place"], "Typ": ranking["kind"],
                                   "Händelser": [show(v) for v in ranking["count"]],
                                   "Andel": [share(v, c) for v, c in zip(ranking["share"], ranking["count"],
                                                                          strict=True)]}),
                     hide_index=True, width="stretch", key="hs_places")
    areas_ranked = tables["area_ranking"]
    st.markdown("**Områden** (takt per 1 000 invånare och år där befolkningen är känd)")
    st.dataframe(pd.DataFrame({
        "Område": areas_ranked["area"], "Händelser": [show(v) for v in areas_ranked["count"]],
        "Andel": [share(v, c) for v, c in zip(areas_ranked["share"], areas_ranked["count"], strict=True)],
        "Per 1 000 inv./år": ["–" if pd.isna(r) or (suppress and 0 < c < min_count) else nf.decimal(r)
                              for r, c in zip(areas_ranked["per_1000_year"], areas_ranked["count"],
                                              strict=True)]}),
        hide_index=True, width="stretch", key="hs_areas")
with tabs[1]:
    top = tables["top_cells"]
    st.markdown("**Rutor med flest händelser**")
    st.dataframe(pd.DataFrame({"Ruta": top["cell_id"], "Händelser": [show(v) for v in top["count"]],
                               "z": top["z"].round(2),
                               "Klass": [CLASS_LABELS_SV[c] for c in top["hotspot_class"]]}),
                 hide_index=True, width="stretch", key="hs_top_cells")
    st.markdown("**Signifikanta rutor (Gi\\*)**")
    cells = result.frame()
    cells = cells[cells["hotspot_class"] != "ns"].sort_values("z", ascending=False)
    st.dataframe(pd.DataFrame({"Ruta": cells["cell_id"], "Rad": cells["row"], "Kolumn": cells["col"],
                               "Händelser": [show(v) for v in cells["count"]],
                               "z": cells["z"].round(2), "p (FDR)": cells["p_fdr"].round(4),
                               "Klass": [CLASS_LABELS_SV[c] for c in cells["hotspot_class"]]}),
                 hide_index=True, width="stretch", key="hs_cells")
with tabs[2]:
    changes = tables["area_changes"]
    st.caption(f"{filters.period.name()} {filters.period.compared_with(filters.reference, filters.reference_kind)}. "
               f"{T.CHANGE_HELP}")
    st.dataframe(pd.DataFrame({"Område": changes["area"], "Nu": [show(v) for v in changes["current"]],
                               "Jämförelse": [show(v) for v in changes["reference"]],
                               "Bedömning": changes["change"],
                               "p-värde": ["–" if hidden(c, r) else nf.p_value(p) for c, r, p in
                                     zip(changes["current"], changes["reference"], changes["p"], strict=True)]}),
                 hide_index=True, width="stretch", key="hs_changes")
    cell_change = tables["cell_changes"]
    significant = cell_change[cell_change["significant"]].head(20)
    st.markdown(f"**Rutor med säker förändring:** {len(cell_change[cell_change['significant']])}")
    st.dataframe(pd.DataFrame({"Ruta": significant["key"], "Nu": [show(v) for v in significant["current"]],
                               "Jämförelse": [show(v) for v in significant["reference"]],
                               "Bedömning": significant["change"]}),
                 hide_index=True, width="stretch", key="hs_cell_changes")
with tabs[3]:
    st.markdown("**Veckodag × timme**")
    profile_chart.show_profile(tables["profile"], show, hide_small=suppress, min_count=min_count,
                               key="hs_profile")
    if tables.get("date_only"):
        st.caption(f"{show(tables['date_only'])} händelser har bara datum (ingen tid i källan) och "
                   "ingår inte i veckodag × timme eller i klockslagsfiltret; de räknas per dag "
                   "i kritiska datum.")
    st.markdown("**Kritiska datum jämfört med vanliga dagar** (hela dataperioden)")
    crit = tables["critical"]
    st.dataframe(crit.assign(expected=crit["expected"].round(1), ratio=crit["ratio"].round(2),
                             p=crit["p"].round(4)).rename(columns={
        "name": "Datum", "start": "Från", "end": "Till", "count": "Händelser",
        "expected": "Väntat (vanliga dagar)", "ratio": "Kvot"}), hide_index=True, width="stretch",
        key="hs_critical")
with tabs[4]:
    if fault_in_period.empty:
        st.info("Inga felanmälningar i perioden.")
    else:
        times = tables["fix_times"]
        st.dataframe(pd.DataFrame({
            "Kategori": [category_label(c) for c in times["category"]],
            "Ärenden": times["reports"], "Åtgärdade": times["fixed"],
            "Median (timmar)": times["median_hours"].round(1),
            "Inom 24 h": [nf.share(v) for v in times["within_24h"]],
            "Inom 48 h": [nf.share(v) for v in times["within_48h"]]}),
            hide_index=True, width="stretch", key="hs_fix")
        spots = tables["repeat_spots"]
        st.markdown(f"**Platser som anmäls igen och igen:** {len(spots)} (minst 3 ärenden inom 10 m)")

# hot-spots över tid, near-repeat and the export (ui/hotspots_over_time.py)
hotspots_over_time.render(settings, store, filters, event_filter, int(cell))
