"""Polisområde: the kommuner of one lokalpolisområde side by side, and one combined area map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.errors import WorkbenchError
from workbench.geo.kommuner import KOMMUNER
from workbench.maps.build import Basemap, area_count_map, map_html
from workbench.schema import SOURCE_LABELS_SV, SOURCES
from workbench.ui.state import count_label, page, plain, show_html_map

settings, store, filters = page("Polisområde", roles.POLICE_AREA, roles.ADMINISTER)
scope = filters.scope
police_area = scope.police_area

if scope.can(roles.ADMINISTER):
    with st.expander("Lokalpolisområde för " + plain(filters.organisation), expanded=police_area is None):
        with st.form("police_area_form"):
            value = st.text_input("Lokalpolisområde (LPO)", value=police_area or "", key="police_area_name",
                                  help="Kommuner med samma lokalpolisområde visas tillsammans här.")
            if st.form_submit_button("Spara"):
                try:
                    gate.set_police_area(store, scope, value)
                except WorkbenchError as exc:
                    st.error(plain(str(exc)))
                else:
                    st.rerun()
        st.markdown("**Lägg upp lokalpolisområdets kommuner** (en gång): varje kommun blir en "
                    "organisation med sin kommunkod, och en import för hela området fördelar "
                    "raderna på kommunerna.")
        with st.form("police_area_setup"):
            area_name = st.text_input("Lokalpolisområde", value=police_area or "", key="lpo_setup_name",
                                      placeholder="t.ex. LPO Hallsberg")
            others = st.multiselect("Övriga kommuner i området", sorted(KOMMUNER.values()),
                                    key="lpo_setup_kommuner", placeholder="Välj kommuner")
            if st.form_submit_button("Lägg upp kommunerna"):
                try:
                    rows = gate.set_up_police_area(store, scope, area_name, others)
                except WorkbenchError as exc:
                    st.error(plain(str(exc)))
                else:
                    new = [r["name"] for r in rows if r["created"]]
                    st.success(f"{plain(area_name)}: {len(rows)} kommuner"
                               + (f", nya organisationer: {plain(', '.join(new))}" if new else "") + ".")

if police_area is None:
    st.info("Ange vilket lokalpolisområde kommunen hör till för att se grannkommunerna bredvid varandra.")
    st.stop()
if not scope.can(roles.POLICE_AREA):
    st.info(f"{plain(filters.organisation)} hör till {plain(police_area)}. Jämförelsen mellan kommunerna "
            "visas för kommunpolisen.")
    st.stop()

period, reference = filters.period, filters.reference
table, areas = gate.police_area_overview(store, scope, period, reference)
show = count_label(filters, settings)
st.caption(f"{plain(police_area)}: {len(table)} kommuner · period {period.name()} "
           f"{period.compared_with(reference, filters.reference_kind)}. Brott rör sig över kommungränser – här syns grannarna tillsammans. "
           "Bara sammanräknade tal, inga enskilda händelser.")
st.dataframe(pd.DataFrame({
    "Kommun": table["organisation"],
    **{SOURCE_LABELS_SV[s]: [show(v) for v in table[f"{s}_current"]] for s in
       SOURCES},
    "Polisen, jämförelse": [show(v) for v in table["police_reference"]],
    "Förändring (polisen)": table["police_change"],
}), hide_index=True, width="stretch", key="police_area_table")
if len(areas):
    m = area_count_map(areas, dict(zip(areas["id"].astype(int), areas["count"], strict=True)),
                       min_count=settings.min_count, suppress=filters.shared_screen,
                       basemap=Basemap(settings.basemap, settings.basemap_attribution),
                       title="Polisens händelser")
    show_html_map(map_html(m), height=560)
else:
    st.info("Inga områden är inlästa för kommunerna i polisområdet.")
