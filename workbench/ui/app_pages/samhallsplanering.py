"""Samhällsplanering: a planner's check of a planned area — what is known about trygghet in and
around it, a BoTryggt 2030 checklist saved with its history, and a trygghetsbedömning to attach."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
import streamlit as st

from workbench import numbers as nf
from workbench import roles
from workbench.access import gate
from workbench.errors import WorkbenchError
from workbench.io.plan_file import CRS_CHOICES, PLAN_FILE_SUFFIXES
from workbench.maps.build import Basemap
from workbench.maps.plan_map import draw_map
from workbench.planning.area import DEFAULT_BUFFER_M, MAX_BUFFER_M, PlanArea
from workbench.planning.checklist import ASSESSMENTS, BOTRYGGT_AREAS
from workbench.services import planning
from workbench.services.reports import MIME
from workbench.situation import trailing_months
from workbench.ui import cached, personal_data
from workbench.ui.folium_map import st_folium
from workbench.ui.labels import label_of
from workbench.ui.state import count_label, download, flash, latest_date, page, plain, show_html_map

SOURCES = {"saved": "Sparad plan", "upload": "Ladda upp fil", "draw": "Rita i kartan"}
ZONES = {1: "Planområdet", 2: "Omgivningen"}
GOTO = "_plan_goto"  # a plan to open on the next run (a widget's value cannot change after it is drawn)

if GOTO in st.session_state:
    st.session_state["plan_source"] = "saved"
    st.session_state["plan_pick"] = st.session_state.pop(GOTO)

settings, store, filters = page("Samhällsplanering", roles.PLANNING)
scope, url = filters.scope, store.url
show = count_label(filters, settings)
basemap = Basemap(settings.basemap, settings.basemap_attribution)
st.caption("Vad vet vi om trygghet här? Ladda upp eller rita ett planområde och se händelser, "
           "felanmälningar, trygghetsvandringar, hot-spots, platser och åtaganden i och runt det. "
           "Bedöm de nio områdena i BoTryggt 2030 och spara bedömningen som bilaga till planen.")

saved_plans = gate.plans(store, scope)
source = st.radio("Planområde", list(SOURCES), format_func=label_of(SOURCES), horizontal=True,
                  key="plan_source", index=0 if len(saved_plans) else 1)
row: dict | None = None
name, reference, source_label = "Planområde", None, None
default_buffer = float(DEFAULT_BUFFER_M)
if source == "saved":
    if saved_plans.empty:
        st.info("Inga planer är sparade ännu. Ladda upp eller rita ett planområde.")
        st.stop()
    names = dict(zip(saved_plans["id"].astype(int), saved_plans["name"], strict=True))
    if st.session_state.get("plan_pick") not in names:
        st.session_state.pop("plan_pick", None)
    plan_id = st.selectbox("Plan", list(names), format_func=label_of(names), key="plan_pick")
    row = gate.plan(store, scope, int(plan_id))
    area = PlanArea(row["geometry"])
    name, reference, default_buffer = row["name"], row["reference"], float(row["buffer_m"])
    st.caption(f"Version {row['version']} · källa: {plain(row['source'] or '–')}"
               + (f" · planbeteckning {plain(row['reference'])}" if row["reference"] else ""))
elif source == "upload":
    a, b = st.columns([3, 2])
    uploaded = a.file_uploader("Planområdet som GeoJSON, GeoPackage, zippad Shapefile eller DXF",
                               type=[s.lstrip(".") for s in PLAN_FILE_SUFFIXES], key="plan_file")
    crs_codes = [None] + [code for code, _ in CRS_CHOICES]
    crs_names = dict(CRS_CHOICES)
    crs = b.selectbox("Koordinatsystem, om filen saknar uppgift (t.ex. DXF)", crs_codes, key="plan_crs",
                      format_func=lambda c: "Läs ur filen / gissa" if c is None else crs_names[c])
    if uploaded is None:
        st.info("Välj en fil med planområdets gräns (plangränsen).")
        st.stop()
    try:
        area = planning.read_plan(uploaded.getvalue(), uploaded.name, crs=crs)
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        st.stop()
    name, source_label = Path(uploaded.name).stem, uploaded.name
else:
    st.caption("Rita planområdet med polygon- eller rektangelverktyget uppe till vänster i kartan. "
               "En ny yta ersätter den förra.")
    drawn = st_folium(draw_map(cached.area_layer(url, scope, "district"), basemap), height=480,
                      use_container_width=True, key="plan_draw_map", returned_objects=["all_drawings"])
    drawings = (drawn or {}).get("all_drawings")
    if drawings is not None:  # None until the planner draws or edits
        shapes = [d.get("geometry") for d in drawings if (d.get("geometry") or {}).get("type")
                  in ("Polygon", "MultiPolygon")]
        st.session_state["plan_drawn"] = shapes[-1] if shapes else None
    if not st.session_state.get("plan_drawn"):
        st.info("Inget planområde är ritat ännu.")
        st.stop()
    try:
        area = planning.drawn_plan(st.session_state["plan_drawn"])
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        st.stop()
    name, source_label = "Ritat planområde", planning.DRAWN_SOURCE

a, b, c = st.columns([1, 1, 2])
buffer_m = a.number_input("Omgivning runt planområdet (meter)", 0, MAX_BUFFER_M, int(default_buffer),
                          step=50, key=f"plan_buffer_{row['id'] if row else 'new'}")
months = b.selectbox("Underlag", planning.PERIOD_MONTHS, key="plan_months",
                     format_func=lambda m: f"Senaste {m} månaderna")
period = trailing_months(latest_date(url, scope) or date.today(), int(months))
c.markdown(f"**Period:** {period.label()}  \nRäknat bakåt från senaste polisanmälda händelsen "
           "(perioden i sidopanelen gäller inte här).")
wkb = shapely.to_wkb(area.geometry)
if source != "saved":  # keyed by the area: a new file or drawing starts from its own name
    shape_key = hashlib.sha1(wkb).hexdigest()[:12]
    name = st.text_input("Planens namn", value=name, key=f"plan_name_{shape_key}",
                         max_chars=200).strip() or name
    reference = st.text_input("Planbeteckning eller diarienummer (valfritt)",
                              key=f"plan_reference_{shape_key}", max_chars=100).strip() or None

version = gate.change_version(store, scope)
result = cached.planning_check(url, scope, wkb, area.notes, float(buffer_m), period.start, period.end,
                               name, reference, version)
f = result.figures
for note in result.plan.notes:
    st.warning(note)
if f.is_empty:
    st.info(f"Inga polisanmälda händelser med känd plats, felanmälningar, iakttagelser från "
            f"trygghetsvandringar, hot-spot-rutor eller platser finns inom planområdet eller "
            f"{buffer_m} m runt det under perioden. Det betyder att underlaget saknas – inte att "
            "platsen är trygg.")

cols = st.columns(5)
cols[0].metric("Planområdets yta", f"{nf.decimal(f.plan_area_m2 / 10_000)} ha")
for col, (label, what) in zip(cols[1:4], (("Polisanmälda händelser", "incidents"),
                                          ("Felanmälningar", "faults"),
                                          ("Iakttagelser (vandringar)", "walks")), strict=True):
    col.metric(label, show(f.total(what)), f"{show(f.total(what, 'inside'))} inom planområdet",
               delta_color="off", delta_arrow="off")
cols[4].metric("Hot-spot-rutor", len(f.hot_cells), "signifikanta", delta_color="off", delta_arrow="off")
key = "|".join([str(scope.organisation_id), hashlib.sha1(wkb).hexdigest(), str(buffer_m), str(period.start), str(period.end),
                name, reference or "", str(version)])  # identifies this check for the caches below
show_html_map(cached.planning_map(result, key, settings.basemap, settings.basemap_attribution), height=460)
if f.incidents_area_level:
    st.caption(f"{show(f.incidents_area_level)} händelser i områdena runt planen är bara kända på "
               "områdesnivå och ingår inte i siffrorna.")


def total(inside: int, ring: int) -> str:
    """A row's total, hidden when a part is (else the part follows by subtraction)."""
    hidden = any(show(v).startswith("<") for v in (inside, ring))
    return "–" if hidden else show(inside + ring)


def zone_table(frame: pd.DataFrame, first: str, extra: str | None = None) -> pd.DataFrame:
    out = pd.DataFrame({first: frame["label"], "Inom planområdet": [show(v) for v in frame["inside"]],
                        f"Omgivning {f.buffer_m:.0f} m": [show(v) for v in frame["ring"]],
                        "Totalt": [total(i, r) for i, r in zip(frame["inside"], frame["ring"], strict=True)]})
    if extra:
        out[extra] = [show(v) for v in frame["open"]]
    return out


tabs = st.tabs(["Händelser", "Felanmälningar", "Trygghetsvandringar", "Platser och åtgärder", "Åtaganden"])
with tabs[0]:
    if f.total("incidents"):
        left, right = st.columns([3, 2])
        left.dataframe(zone_table(f.incidents, "Brottskategori"), hide_index=True, width="stretch")
        right.dataframe(zone_table(f.incident_times.assign(label=f.incident_times["band"]), "Tid på dygnet"),
                        hide_index=True, width="stretch")
    else:
        st.write("Inga polisanmälda händelser med känd plats här under perioden.")
with tabs[1]:
    if f.total("faults"):
        for src, label in (("municipality", "Kommunen"), ("housing", "Bostadsbolaget")):
            part = f.faults[f.faults["source"] == src]
            if part[["inside", "ring"]].to_numpy().sum():
                st.markdown(f"**{label}**")
                st.dataframe(zone_table(part, "Typ", "Ej åtgärdade"), hide_index=True, width="stretch")
        if f.fault_median_days is not None:
            st.caption(f"Mediantid till åtgärd: {nf.decimal(f.fault_median_days)} dygn.")
        if len(f.repeat_spots):
            st.markdown("**Platser där felanmälningar återkommer** (minst 3 inom 10 m)")
            st.dataframe(pd.DataFrame({
                "Typ": f.repeat_spots["label"], "Felanmälningar": [show(v) for v in f.repeat_spots["reports"]],
                "Var": [ZONES.get(int(z), "–") for z in f.repeat_spots["zone"]],
                "Första": [f"{pd.Timestamp(t):%Y-%m-%d}" for t in f.repeat_spots["first"]],
                "Senaste": [f"{pd.Timestamp(t):%Y-%m-%d}" for t in f.repeat_spots["last"]]}),
                hide_index=True, width="stretch")
    else:
        st.write("Inga felanmälningar här under perioden.")
with tabs[2]:
    if f.total("walks"):
        st.dataframe(zone_table(f.walks, "Iakttagelse", "Ej åtgärdade"), hide_index=True, width="stretch")
        if f.last_walk:
            st.caption(f"Senaste iakttagelse här: {f.last_walk:%Y-%m-%d}.")
    else:
        st.write("Inga iakttagelser från trygghetsvandringar här under perioden.")
with tabs[3]:
    if len(f.places):
        st.dataframe(pd.DataFrame({"Plats": f.places["name"], "Typ": f.places["kind"],
                                   "Var": [ZONES.get(int(z), "–") for z in f.places["zone"]],
                                   "Öppna åtgärder": f.places["open_actions"],
                                   "Orsaksanalyser": f.places["analyses"]}),
                     hide_index=True, width="stretch")
        if len(f.actions):
            st.markdown("**Öppna åtgärder**")
            st.dataframe(f.actions.rename(columns={"place": "Plats", "text": "Åtgärd",
                                                   "responsible_party": "Ansvarig", "status": "Status",
                                                   "due_date": "Klar senast", "overdue": "Försenad"}),
                         hide_index=True, width="stretch")
        if len(f.analyses):
            st.markdown("**Orsaksanalyser**")
            st.dataframe(f.analyses.rename(columns={"place": "Plats", "problem": "Problem",
                                                    "hypotheses": "Hypoteser", "created": "Skriven"}),
                         hide_index=True, width="stretch")
    else:
        st.write("Inga av EST-gruppens platser ligger här.")
with tabs[4]:
    if len(f.commitments):
        st.dataframe(f.commitments[["agreement", "party", "text"]].rename(
            columns={"agreement": "Överenskommelse", "party": "Part", "text": "Åtagande"}),
            hide_index=True, width="stretch")
    else:
        st.write("Inga åtaganden i inlästa överenskommelser gäller planering eller den fysiska miljön.")

st.subheader("Checklista enligt BoTryggt 2030")
st.caption("Underlaget är arbetsbänkens förslag ur data; bedömningen och kommentaren är dina.")
saved_items = {i["key"]: i for i in (row["checklist"] if row else [])}
labels = list(ASSESSMENTS.values())
by_label = {v: k for k, v in ASSESSMENTS.items()}
editor = pd.DataFrame({
    "Område": [a.label for a in BOTRYGGT_AREAS],
    "Underlag ur data": [result.suggestions.get(a.key, "") for a in BOTRYGGT_AREAS],
    "Bedömning": [ASSESSMENTS.get(saved_items.get(a.key, {}).get("assessment", "not_assessed"), labels[0])
                  for a in BOTRYGGT_AREAS],
    "Kommentar": [saved_items.get(a.key, {}).get("comment", "") for a in BOTRYGGT_AREAS],
})
edited = st.data_editor(
    editor, key=f"plan_checklist_{row['id'] if row else 'new'}_{row['version'] if row else 0}",
    hide_index=True, width="stretch", disabled=["Område", "Underlag ur data"],
    column_config={
        "Underlag ur data": st.column_config.TextColumn(width="large"),
        "Bedömning": st.column_config.SelectboxColumn(options=labels, required=True),
        "Kommentar": st.column_config.TextColumn(max_chars=4000, width="large")})
checklist = [{"key": a.key, "assessment": by_label.get(str(r["Bedömning"]), "not_assessed"),
              "comment": str(r["Kommentar"] or "").strip()}
             for a, (_, r) in zip(BOTRYGGT_AREAS, edited.iterrows(), strict=True)]
unchanged = row is not None and all(
    (saved_items.get(i["key"], {}).get("assessment", "not_assessed"), saved_items.get(i["key"], {}).get("comment", ""))
    == (i["assessment"], i["comment"]) for i in checklist) and float(buffer_m) == float(row["buffer_m"])

if row is not None:
    a, b = st.columns([3, 1])
    note = a.text_input("Vad har ändrats? (valfritt)", key=f"plan_note_{row['id']}_{row['version']}",
                        max_chars=500)
    clicked = b.button("Spara ny version", type="primary", key="plan_save", disabled=unchanged)
    submitted = personal_data.confirm(
        f"plan_save_{row['id']}", (checklist, note) if clicked else None,
        lambda held: {"Kommentar": [i["comment"] for i in held[0]], "Vad har ändrats?": held[1]})
    if submitted is not None:
        try:
            version = gate.save_plan(store, settings, scope, int(row["id"]), int(row["version"]), result,
                                     submitted[0], note=submitted[1])
        except WorkbenchError as exc:  # a ConflictError says who saved in between
            st.error(plain(str(exc)))
        else:
            flash(f"Bedömningen av {plain(name)} sparades som version {version}.")
            st.rerun()
else:
    clicked = st.button("Spara planen och bedömningen", type="primary", key="plan_create")
    new_plan: dict[str, Any] | None = {"name": name, "reference": reference, "source": source_label,
                                       "checklist": checklist} if clicked else None
    to_create = personal_data.confirm(
        "plan_create", new_plan,
        lambda held: {"Planens namn": held["name"], "Planbeteckning": held["reference"],
                      "Fil": held["source"], "Kommentar": [i["comment"] for i in held["checklist"]]})
    if to_create is not None:
        try:
            new_id = gate.create_plan(store, settings, scope, result, **to_create)
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
        else:
            st.session_state[GOTO] = new_id
            flash(f"Planen {plain(to_create['name'])} sparades (version 1).")
            st.rerun()

history = gate.plan_history(store, scope, int(row["id"])) if row is not None else []
if history:
    with st.expander(f"Versioner ({len(history)})"):
        st.dataframe(pd.DataFrame({
            "Version": [v["version"] for v in history],
            "Sparad": [f"{v['saved_at']:%Y-%m-%d %H:%M}" for v in history],
            "Av": [v["saved_by"] for v in history],
            "Omgivning (m)": [int(v["buffer_m"]) for v in history],
            "Bedömda områden": [sum(i["assessment"] != "not_assessed" for i in v["checklist"]) for v in history],
            "Anteckning": [v["note"] or "" for v in history]}), hide_index=True, width="stretch")
        chosen = st.selectbox("Visa checklistan i version", [v["version"] for v in history], key="plan_version")
        picked = next(v for v in history if v["version"] == chosen)
        area_labels = {a.key: a.label for a in BOTRYGGT_AREAS}
        st.dataframe(pd.DataFrame({
            "Område": [area_labels.get(i["key"], i["key"]) for i in picked["checklist"]],
            "Underlag då": [i.get("suggestion", "") for i in picked["checklist"]],
            "Bedömning": [ASSESSMENTS.get(i["assessment"], i["assessment"]) for i in picked["checklist"]],
            "Kommentar": [i["comment"] for i in picked["checklist"]]}), hide_index=True, width="stretch")

st.subheader("Trygghetsbedömning")
st.caption("Karta, siffror och checklista som bilaga till detaljplanen. Små tal visas som "
           f"'<{settings.min_count}' och inga händelser visas som punkter.")
fmt = st.radio("Format", ["pdf", "html"], horizontal=True, key="plan_report_format",
               format_func=str.upper)
report_version = (planning.version_label(history[0]) if unchanged and history
                  else "Bedömningen är ett osparat utkast")
request = (key, fmt, tuple((i["key"], i["assessment"], i["comment"]) for i in checklist), report_version)
if st.button("Skapa trygghetsbedömningen", key="plan_report_make"):
    st.session_state["plan_report_request"] = request
if st.session_state.get("plan_report_request") == request:
    data = cached.planning_report(scope, result, key, fmt, request[2], report_version)
    built_name = planning.report_name(result, fmt)
    download(st, store, scope, f"Ladda ner trygghetsbedömningen ({fmt.upper()}, {len(data) // 1024} kB)",
             data, built_name, MIME[fmt], key="plan_report_download", what="planning", needs=roles.PLANNING,
             format=fmt)
    if fmt == "html":
        show_html_map(data.decode("utf-8"), height=900)

if row is not None:
    with st.expander("Ta bort planen"):
        sure = st.checkbox(f"Ja, ta bort {plain(name)} och alla dess versioner", key="plan_delete_sure")
        if st.button("Ta bort", key="plan_delete", disabled=not sure):
            try:
                gate.remove_plan(store, scope, int(row["id"]))
            except WorkbenchError as exc:  # removed by someone else meanwhile
                st.error(plain(str(exc)))
            else:
                st.session_state.pop("plan_pick", None)
                flash(f"Planen {plain(name)} togs bort.")
                st.rerun()
