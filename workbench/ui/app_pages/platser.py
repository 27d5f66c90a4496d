"""Platser: one place's figures, its orsaksanalyser, its åtgärder and whether they worked."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from workbench import numbers as nf
from workbench import roles
from workbench.access import gate, gate_hotspots
from workbench.anonymise.suppress import is_suppressed
from workbench.errors import WorkbenchError
from workbench.follow_up import follow_up
from workbench.hotspots.ranking import place_geometries
from workbench.hotspots.timeprofile import date_only_count, hour_weekday
from workbench.maps.build import Basemap, places_map
from workbench.situation import change_test
from workbench.taxonomy import category_label
from workbench.ui import cached, personal_data, profile_chart
from workbench.ui.folium_map import st_folium
from workbench.ui.labels import label_of
from workbench.ui.state import already_saved, count_label, flash, page, plain, saved

TRIANGLE = (  # the problem triangle and who can act on each side
    ("place", "Plats/miljö"), ("offender", "Gärningsperson"), ("target", "Offer/mål"),
    ("place_manager", "Platsansvarig (kan påverka platsen)"), ("handler", "Kontaktperson (kan påverka gärningspersonen)"),
    ("guardian", "Väktare/skydd (kan skydda målet)"),
)

settings, store, filters = page("Platser", roles.READ_POINTS)
url, scope = store.url, filters.scope
places = cached.places(url, scope)
if places.empty:
    st.info("Inga platser är inlagda. Importera platser (GeoJSON, GeoPackage, Shapefile) på sidan Importera.")
    st.stop()
suppress, min_count = filters.shared_screen, settings.min_count
show = count_label(filters, settings)


names = dict(zip(places["id"].astype(int), places["name"], strict=True))
with st.expander("Karta: klicka på en plats för att välja den, eller någon annanstans för att lägga till en",
                 expanded=False):
    picked = st_folium(places_map(places, cached.area_layer(url, scope, "district"),
                                  Basemap(settings.basemap, settings.basemap_attribution),
                                  selected=st.session_state.get("place_id")),
                       height=380, key="place_map", returned_objects=["last_active_drawing", "last_clicked"])
    drawing = ((picked or {}).get("last_active_drawing") or {}).get("properties") or {}
    clicked = (picked or {}).get("last_clicked")
    click_key = str(clicked)
    if drawing.get("place_id") is not None and st.session_state.get("place_click") != click_key:
        st.session_state["place_click"] = click_key
        st.session_state["place_id"] = int(drawing["place_id"])
    elif clicked and not drawing.get("place_id") and scope.can(roles.EDIT_LOOP):
        with st.form("new_place"):
            st.markdown(f"**Ny plats vid {clicked['lat']:.5f}, {clicked['lng']:.5f}**")
            a, b, c = st.columns([3, 2, 1])
            new_name = a.text_input("Namn", key="new_place_name")
            new_kind = b.selectbox("Typ", ["torg", "busstation", "park", "skolgård", "gångtunnel",
                                           "centrum", "annan"], key="new_place_kind")
            radius = c.number_input("Radie (m)", 10, 500, 50, step=10, key="new_place_radius")
            new_place = ((new_name, new_kind, float(radius), float(clicked["lng"]), float(clicked["lat"]))
                         if st.form_submit_button("Lägg till platsen") else None)
        new_place = personal_data.confirm("new_place", new_place, lambda submitted: {"Namn": submitted[0]})
        if new_place is not None:
            try:
                new_id = gate.create_place(store, scope, *new_place)
            except WorkbenchError as exc:
                st.error(plain(str(exc)))
            else:  # the new place changes the data version: every cached view sees it
                st.session_state["place_id"] = new_id
                st.rerun()
if st.session_state.get("place_id") not in names:
    st.session_state.pop("place_id", None)
place_id = st.selectbox("Plats", list(names), format_func=label_of(names), key="place_id")
place_row = places[places["id"] == place_id]
geometry = place_geometries(place_row)[0]
version = cached.data_version(url, scope)
inside = cached.place_events(url, scope, version, int(place_id))
period, reference = filters.period, filters.reference


def in_period(frame: pd.DataFrame, p) -> pd.DataFrame:
    return frame[(frame["time"] >= p.start_dt) & (frame["time"] < p.end_dt)]


now, before = in_period(inside, period), in_period(inside, reference)
police_now, police_before = now[now["source"] == "police"], before[before["source"] == "police"]
change = change_test(len(police_now), len(police_before), period.days / reference.days)
c1, c2, c3 = st.columns(3)
c1.metric("Polisens händelser", show(len(police_now)), help=f"Jämfört med {show(len(police_before))}")
c2.metric("Felanmälningar", show(int((now["kind"] == "fault_report").sum())))
c3.metric("Vandringsiakttagelser", show(int((now["kind"] == "walk_observation").sum())))
small = suppress and any(is_suppressed(n, min_count) for n in (len(police_now), len(police_before)))
st.caption(f"{period.name()} {period.compared_with(reference, filters.reference_kind)}: {change.label_sv()}"
           + ("" if small else f" ({nf.p_value(change.p_value)})") + ".")
if not suppress or len(police_now) >= min_count:
    left, right = st.columns([3, 2])
    left.markdown("**Tidsprofil (veckodag × timme)**")
    with left:
        profile_chart.show_profile(hour_weekday(police_now), show, hide_small=suppress,
                                   min_count=min_count, key="place_profile")
        undated = date_only_count(police_now)
        if undated:
            st.caption(f"{show(undated)} händelser har bara datum och ingår inte i tidsprofilen.")
    top = police_now["category"].astype(str).value_counts().head(8)
    right.markdown("**Kategorier**")
    right.dataframe(pd.DataFrame({"Kategori": [category_label(c) for c in top.index],
                                  "Antal": [show(v) for v in top.to_numpy()]}), hide_index=True,
                    key="place_categories")

EVIDENCE = {"frozen_at": "Sparat", "place": "Plats", "period": "Period", "reference": "Jämförelseperiod",
            "police_incidents": "Polisens händelser", "police_incidents_reference": "Polisens händelser, jämförelse",
            "fault_reports": "Felanmälningar", "walk_observations": "Vandringsiakttagelser"}


def evidence_table(evidence: dict, show) -> pd.DataFrame:
    """A cause analysis's frozen figures as a Swedish table (counts shown as the screen may)."""
    rows = []
    for key, value in evidence.items():
        if isinstance(value, dict):  # the categories: one row each
            rows += [(f"Kategori: {k}", show(v)) for k, v in value.items()]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            rows.append((EVIDENCE.get(key, key.replace("_", " ").capitalize()), show(value)))
        else:
            rows.append((EVIDENCE.get(key, key.replace("_", " ").capitalize()), str(value)))
    return pd.DataFrame(rows, columns=["Uppgift", "Värde"])


analyses, actions = st.tabs(["Orsaksanalyser", "Åtgärder och uppföljning"])
with analyses:
    history = gate.cause_analyses(store, scope, place_id)
    for row in history.itertuples():
        # typed text made inert: a Markdown image would make every viewer fetch its address
        with st.expander(f"{pd.Timestamp(row.created_at):%Y-%m-%d}: {plain(row.problem)}"):
            triangle = row.triangle or {}
            st.markdown("\n".join(f"- **{label}:** {plain(triangle.get(key) or '–')}"
                                   for key, label in TRIANGLE))
            st.markdown("**Varför?** " + " → ".join(plain(w) for w in row.whys or []))
            st.markdown(f"**Hypoteser:** {plain(row.hypotheses or '–')}")
            if row.evidence:
                st.markdown("**Underlag (siffrorna när analysen sparades)**")
                st.dataframe(evidence_table(row.evidence, show), hide_index=True, width="stretch",
                             key=f"ca_evidence_{row.id}")
    st.markdown("**Ny orsaksanalys**")
    with st.form("cause_analysis"):
        problem = st.text_input("Problem (vad, när)", key="ca_problem",
                                placeholder="t.ex. Skadegörelse kvällstid vid busshållplatsen")
        cols = st.columns(3)
        answers: dict[str, str] = {}
        for i, (key, label) in enumerate(TRIANGLE):
            answers[key] = cols[i % 3].text_area(label, key=f"ca_{key}", height=80)
        whys = st.text_area("Varför? (en orsak per rad, från problemet och bakåt)", key="ca_whys")
        hypotheses = st.text_area("Hypoteser", key="ca_hypotheses")
        analysis = None
        if st.form_submit_button("Spara orsaksanalysen"):
            if not problem.strip():
                st.error("Beskriv problemet.")
            else:
                evidence = {
                    "frozen_at": date.today().isoformat(), "place": names[place_id],
                    "period": period.label(), "reference": reference.label(),
                    "police_incidents": len(police_now), "police_incidents_reference": len(police_before),
                    "categories": {category_label(k): int(v) for k, v in
                                   police_now["category"].astype(str).value_counts().head(10).items()},
                    "fault_reports": int((now["kind"] == "fault_report").sum()),
                    "walk_observations": int((now["kind"] == "walk_observation").sum()),
                }
                analysis = {"place_id": place_id, "problem": problem.strip(),
                            "triangle": {k: v.strip() for k, v in answers.items()},
                            "whys": [w.strip() for w in whys.splitlines() if w.strip()],
                            "hypotheses": hypotheses.strip() or None, "evidence": evidence}
    analysis = personal_data.confirm(
        "cause_analysis", analysis,
        lambda submitted: {"Problem": submitted["problem"], **{label: submitted["triangle"][key] for key, label in TRIANGLE},
                           "Varför?": submitted["whys"], "Hypoteser": submitted["hypotheses"]})
    typed = None if analysis is None else {k: v for k, v in analysis.items() if k != "evidence"}
    if typed is not None and already_saved("cause_analysis", typed) is not None:
        st.info("Den här orsaksanalysen är redan sparad; ingen ny skapades.")
    elif analysis is not None:
        created = gate.create_cause_analysis(store, scope, **analysis)
        saved("cause_analysis", typed or {}, created if created is not None else True, "ca_")
        flash(f"Orsaksanalysen ”{plain(analysis['problem'][:120])}” vid {plain(names[place_id])} är "
              "sparad med siffrorna som de ser ut i dag (se listan ovan). Formuläret är tömt.")
        st.rerun()
with actions:
    here = gate.actions(store, scope)
    here = here[here["place_id"] == place_id] if len(here) else here
    if here.empty:
        st.info("Inga åtgärder vid platsen. Lägg till en på sidan Åtgärder.")
    else:
        st.dataframe(pd.DataFrame({"Åtgärd": here["text"], "Ansvarig": here["responsible_party"],
                                   "Status": here["status"], "Start": here["start_date"]}),
                     hide_index=True, width="stretch", key="place_actions")
        started = here[here["start_date"].notna()]
        if len(started):
            st.markdown("**Uppföljning: fungerade åtgärden?**")
            a, b, c = st.columns(3)
            action_id = a.selectbox("Åtgärd", list(started["id"]), key="fu_action",
                                    format_func=lambda i: started.set_index("id").loc[i, "text"][:60])
            window = b.selectbox("Fönster före/efter (dagar)", [30, 60, 90, 180, 365], index=2, key="fu_window")
            buffer_m = c.number_input("Omgivning (m)", 50, 1000, 200, step=50, key="fu_buffer")
            areas = cached.area_layer(url, scope, "district")
            area_names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
            # areas by id, other places by −id: WDD wants a comparison of about the place's level,
            # which is usually a similar place rather than a whole district
            others = places[places["id"].astype(int) != int(place_id)]
            other_geometry = dict(zip(-others["id"].astype(int), place_geometries(others), strict=True))
            labels = {**area_names, **{-int(i): f"Plats: {n}" for i, n in
                                       zip(others["id"], others["name"], strict=True)}}
            control_id = st.selectbox("Jämförelseområde", [None, *labels], key="fu_control",
                                      format_func=lambda i: "–" if i is None else labels[i])
            if control_id is None:
                control = None
            elif control_id < 0:
                control = other_geometry[control_id]
            else:
                control = areas.loc[areas["id"] == control_id, "geometry"].iloc[0]
            start = pd.Timestamp(started.set_index("id").loc[action_id, "start_date"]).date()
            near = [geometry.buffer(float(buffer_m)), *([] if control is None else [control])]
            police = gate_hotspots.police_points_near(store, scope, near)  # read by their boxes
            result = follow_up(police, start=start, window_days=int(window), place=geometry,
                               buffer_m=float(buffer_m), control=control)
            rows = [("Platsen", result.target), ("Omgivningen", result.buffer)]
            if result.control is not None:
                rows.append(("Jämförelseområdet", result.control))
            st.dataframe(pd.DataFrame({"Var": [r[0] for r in rows],
                                       "Före": [show(r[1].before) for r in rows],
                                       "Efter": [show(r[1].after) for r in rows]}),
                         hide_index=True, key="fu_table")
            st.info(result.verdict_sv(show))
