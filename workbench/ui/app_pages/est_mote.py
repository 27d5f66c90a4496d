"""EST-möte: walk the agenda area by area, set statuses, record decisions, close and keep the minutes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.errors import WorkbenchError
from workbench.meeting import PERIOD_KINDS, attendees_text, meeting_period, parse_attendees
from workbench.ui import cached, observation_decisions, personal_data
from workbench.ui.action_links import commitment_labels, promise_labels
from workbench.ui.labels import label_of
from workbench.ui.meeting_view import PRESENTATION_CSS, level_badge, scroll_to_top, show_area
from workbench.ui.state import download, flash, latest_date, page, plain, show_html_map

PARTIES = ["Kommunen", "Polisen", "Bostadsbolaget", "Räddningstjänsten", "Annan"]
NEW = 0

settings, store, filters = page("EST-möte", roles.READ_LOOP, shared_room=True)
scope = filters.scope
editor = scope.can(roles.EDIT_LOOP)
levels = settings.status_levels

listed = gate.meeting_list(store, scope)
# (no open/closed suffix: a selectbox keeps showing the label it had when the meeting was closed)
labels = ({NEW: "➕ Nytt möte …"} if editor else {}) | {int(r.id): f"{r.title or r.meeting_date} (nr {int(r.id)})"
                                    for r in listed.itertuples()}
options = list(labels)
if "meeting_next" in st.session_state:  # set by "Starta mötet" before the rerun
    st.session_state["meeting_pick"] = st.session_state.pop("meeting_next")
if "meeting_pick" in st.session_state and st.session_state["meeting_pick"] not in options:
    del st.session_state["meeting_pick"]
# first visit: the open meeting if there is one, else a new one
st.session_state.setdefault("meeting_pick", next((int(r.id) for r in listed.itertuples()
                                                  if pd.isna(r.closed_at)), NEW))
meeting_id = st.selectbox("Möte", options, format_func=label_of(labels), key="meeting_pick")

if meeting_id == NEW:
    areas = cached.areas(store.url, scope)
    area_names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    latest = latest_date(store.url, scope) or date.today()
    with st.form("new_meeting"):
        st.subheader("Starta ett möte")
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox("Period", list(PERIOD_KINDS), index=2, format_func=label_of(PERIOD_KINDS),
                            key="new_kind")
        end = c2.date_input("Periodens sista dag", value=min(latest, date.today()), key="new_end",
                            format="YYYY-MM-DD")
        start = c3.date_input("Första dag (bara anpassad)", value=end - timedelta(days=27),
                              key="new_start", format="YYYY-MM-DD")
        chosen = st.multiselect("Områden på dagordningen (i ordning)", list(area_names),
                                default=list(area_names), format_func=label_of(area_names), key="new_areas")
        if st.form_submit_button("Starta mötet", type="primary"):
            try:
                period = meeting_period(kind, end, start)
                new_id = gate.start_meeting(store, scope, kind=kind, end=period.end,
                                            start_date=period.start, area_ids=chosen)
            except (ValueError, WorkbenchError) as exc:
                st.error(plain(str(exc)))
            else:
                st.session_state["meeting_next"] = new_id
                st.session_state["agenda_index"] = 0
                st.rerun()
    if listed.empty:
        st.info("Inga möten ännu. Välj period och områden och starta det första.")
    st.stop()

meeting = gate.meeting(store, scope, meeting_id)
closed = meeting["closed_at"] is not None
presentation = st.toggle("Presentationsläge (projektor)", key="presentation",
                         help="Stor text, hög kontrast, ett område i taget; sidopanelen döljs.")
# always one element here, so toggling does not shift (and reset) the widgets below
st.markdown(PRESENTATION_CSS if presentation else "", unsafe_allow_html=True)

if closed:
    st.success(f"Mötet avslutades {meeting['closed_at']:%Y-%m-%d %H:%M} av {plain(meeting['closed_by'])}. "
               "Lägesbilden är låst och visas exakt som den var.")
    html = cached.report_bytes(store.url, scope, "minutes", "html", None, None, meeting_id)
    if scope.can(roles.EXPORT):
        c1, c2, c3 = st.columns(3)
        download(c1, store, scope, "Protokoll (HTML)", html, f"protokoll-{meeting_id}.html", "text/html",
                 key="minutes_html", what="minutes")
        download(c2, store, scope, "Protokoll (PDF)",
                 cached.report_bytes(store.url, scope, "minutes", "pdf", None, None, meeting_id),
                 f"protokoll-{meeting_id}.pdf", "application/pdf", key="minutes_pdf", what="minutes")
        download(c3, store, scope, "Återkoppling (PDF)",
                 cached.report_bytes(store.url, scope, "feedback", "pdf", None, None, meeting_id),
                 f"aterkoppling-{meeting_id}.pdf", "application/pdf", key="feedback_pdf", what="feedback")
    show_html_map(html.decode("utf-8"), height=900)
    st.stop()

data = cached.meeting_figures(store.url, scope, meeting["period_start"], meeting["period_end"],
                              tuple(int(a) for a in meeting["area_ids"] or []))
snapshot = gate.meeting_snapshot(store, settings, scope, meeting_id, data=data)
agenda = snapshot["areas"]
st.subheader(plain(snapshot["title"]))
st.caption("" if presentation else f"Period {snapshot['period']['label']} · jämförs med {snapshot['previous_label']} och "
           f"{snapshot['last_year_label']} · små tal visas som <{settings.min_count} · "
           f"{snapshot['open_actions']} öppna åtgärder, {snapshot['overdue_actions']} försenade")
if not agenda:
    st.warning("Inga av mötets områden finns kvar i databasen.")
    st.stop()

index = min(st.session_state.get("agenda_index", 0), len(agenda) - 1)
nav = st.container(key="agenda_nav").columns([1, 4, 1], vertical_alignment="center")
if nav[0].button("◀ Föregående", disabled=index == 0, key="agenda_prev"):
    st.session_state["agenda_index"] = index - 1
    st.rerun()
if nav[2].button("Nästa ▶", disabled=index >= len(agenda) - 1, key="agenda_next"):
    st.session_state["agenda_index"] = index + 1
    st.rerun()
area = agenda[index]
if presentation and st.session_state.get("agenda_shown") != index:  # the new area from its top
    scroll_to_top()
st.session_state["agenda_shown"] = index
status = area.get("status") or {}
nav[1].markdown(f"### {index + 1}/{len(agenda)} · {plain(area['area'])} · "
                f"{level_badge(status.get('level'), levels)}")
show_area(snapshot, area, cached.meeting_area_map(
    store.url, scope, meeting["period_start"], meeting["period_end"],
    tuple(int(a) for a in meeting["area_ids"] or []), int(area["area_id"]), presentation),
    presentation=presentation)
observation_decisions.meeting_section(store, settings, scope, area_id=int(area["area_id"]), meeting_id=meeting_id,
                                      editor=editor, hide=filters.shared_screen or scope.always_suppress)


def show_decisions() -> None:
    decisions = snapshot["decisions"]
    st.markdown(f"#### Beslut på mötet ({len(decisions)})")
    if decisions:
        st.dataframe(pd.DataFrame({"Beslut": [d["text"] for d in decisions],
                                   "Ansvarig": [d["responsible_party"] for d in decisions],
                                   "Klart senast": [d["due_date"] for d in decisions],
                                   "Plats/område": [d.get("place") or d.get("area") or "" for d in decisions],
                                   "Svarar mot": [d.get("commitments") or "" for d in decisions],
                                   "Publik": ["ja" if d["public"] else "" for d in decisions]}),
                     hide_index=True, width="stretch", key="decisions_table")


if not editor:
    st.caption(f"Rollen {scope.role_label} kan följa mötet men inte ändra det.")
    show_decisions()
    st.stop()

area_id = int(area["area_id"])
left, right = st.columns(2, gap="large")
with left, st.form(f"status_{area_id}"):
    st.markdown("**Gruppens status för området** (en bedömning, skild från statistiken)")
    level = st.radio("Status", levels, horizontal=True, key=f"level_{area_id}",
                     index=levels.index(status["level"]) if status.get("level") in levels else None)
    motivation = st.text_input("Motivering", value=status.get("motivation", ""), max_chars=300,
                               key=f"motivation_{area_id}")
    status_submitted = (level, motivation) if st.form_submit_button("Spara status") else None
with left:
    status_submitted = personal_data.confirm(f"status_{area_id}", status_submitted,
                                             lambda submitted: {"Motivering": submitted[1]})
    if status_submitted is not None:
        try:
            gate.set_area_status(store, settings, scope, meeting_id, meeting["version"], area_id,
                                 *status_submitted)
            st.rerun()
        except (WorkbenchError, ValueError) as exc:
            st.error(plain(str(exc)))

places = cached.places(store.url, scope)
places = places[places["area_id"] == area_id] if len(places) else places
place_names = {int(i): n for i, n in zip(places["id"], places["name"], strict=True)}
analyses = gate.cause_analyses(store, scope)
analysis_names = ({int(r.id): f"{r.problem[:60]}" for r in analyses.itertuples()
                   if pd.notna(r.place_id) and int(r.place_id) in place_names} if len(analyses) else {})
commitments = gate.commitments(store, scope)
commitment_label = commitment_labels(commitments)  # a medborgarlöfte's items are offered as promises
promise_label = promise_labels(gate.citizen_promises(store, scope))  # of the current medborgarlöften
with right, st.form(f"decision_{area_id}", clear_on_submit=True):
    st.markdown("**Beslut → åtgärd**")
    text = st.text_area("Beslut (vad ska göras?)", key=f"decision_text_{area_id}", max_chars=2000)
    d1, d2 = st.columns(2)
    party = d1.selectbox("Ansvarig part", PARTIES, key=f"decision_party_{area_id}")
    due = d2.date_input("Klart senast", value=date.today() + timedelta(days=30), format="YYYY-MM-DD",
                        key=f"decision_due_{area_id}")
    place = d1.selectbox("Plats", [None, *place_names], format_func=lambda i: "– ingen –" if i is None
                         else place_names[i], key=f"decision_place_{area_id}")
    analysis = d2.selectbox("Orsaksanalys", [None, *analysis_names], key=f"decision_analysis_{area_id}",
                            format_func=lambda i: "– ingen –" if i is None else analysis_names[i])
    linked = st.multiselect("Åtagande i överenskommelsen", list(commitment_label),
                            format_func=label_of(commitment_label), key=f"decision_commitments_{area_id}",
                            select_all=False)  # one slip linked a decision to every commitment
    promised = st.multiselect("Löfte i medborgarlöfte", list(promise_label), format_func=label_of(promise_label),
                              key=f"decision_promises_{area_id}", select_all=False,
                              disabled=not promise_label, placeholder="Välj löften ur medborgarlöftena")
    public = st.checkbox("Får visas i återkopplingen till boende", key=f"decision_public_{area_id}")
    decision = None
    if st.form_submit_button("Lägg till beslutet"):
        if not text.strip():
            st.error("Skriv vad som ska göras.")
        else:
            decision = ({"text": text.strip(), "responsible_party": party, "due_date": due,
                         "start_date": date.today(), "status": "planerad", "place_id": place,
                         "cause_analysis_id": analysis, "area_id": area_id, "public": public}, linked,
                        promised)
with right:
    decision = personal_data.confirm(f"decision_{area_id}", decision,
                                     lambda submitted: {"Beslut": submitted[0]["text"]})
    if decision is not None:
        try:
            gate.record_decision(store, scope, meeting_id, decision[0], commitment_ids=decision[1],
                                 promise_ids=decision[2])
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
        else:
            flash("Beslutet är sparat som åtgärd.")
            st.rerun()

show_decisions()

with st.form("meeting_notes"):
    notes = st.text_area("Anteckningar (protokollet)", value=meeting["notes"] or "", key="notes",
                         max_chars=20000)
    summary = st.text_area("Publik sammanfattning (går till återkopplingen)", key="public_summary",
                           value=meeting["public_summary"] or "", max_chars=5000,
                           help="Bara den här texten och åtgärder markerade som publika går till boende.")
    st.markdown("**Till protokollet**")
    p1, p2 = st.columns([3, 2])
    attendees = p1.text_area("Närvarande (en rad per organisation och roll, t.ex. ”Polisen – kommunpolis”)",
                             value=attendees_text(meeting.get("attendees")), key="attendees", height=120,
                             max_chars=3000, help="Roller, inte namn: protokollet kan bli en allmän handling.")
    adjusted_by = p2.text_input("Justeras av (roll och organisation)", value=meeting.get("adjusted_by") or "",
                                key="adjusted_by", max_chars=300)
    next_meeting = p2.date_input("Nästa möte", value=meeting.get("next_meeting"), key="next_meeting",
                                 format="YYYY-MM-DD")
    notes_submitted: dict[str, Any] | None = ({"notes": notes, "public_summary": summary, "attendees": parse_attendees(attendees),
                        "adjusted_by": adjusted_by.strip() or None, "next_meeting": next_meeting or None}
                       if st.form_submit_button("Spara anteckningar") else None)
notes_submitted = personal_data.confirm(
    "meeting_notes", notes_submitted,
    lambda submitted: {"Anteckningar": submitted["notes"], "Publik sammanfattning": submitted["public_summary"],
                       "Närvarande": attendees_text(submitted["attendees"]),
                       "Justeras av": submitted["adjusted_by"] or ""})
if notes_submitted is not None:
    try:
        gate.update_meeting(store, scope, meeting_id, meeting["version"], notes_submitted)
        st.rerun()
    except WorkbenchError as exc:
        st.error(plain(str(exc)))

with st.expander("Avsluta mötet"):
    unset = [a["area"] for a in agenda if not (a.get("status") or {}).get("level")]
    if unset:
        st.warning("Status saknas för: " + ", ".join(plain(a) for a in unset))
    sure = st.checkbox("Jag vill låsa lägesbilden och skriva protokollet", key="close_confirm")
    if st.button("Avsluta mötet", type="primary", disabled=not sure, key="close_meeting"):
        try:
            gate.close_meeting(store, settings, scope, meeting_id, meeting["version"])
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
        else:
            st.rerun()
