"""After a trygghetsvandring: its observations are the agenda. Each can become an åtgärd in one
step (text, place and area prefilled; one åtgärd may answer several observations), be answered by
an existing åtgärd, or be closed without åtgärd with a reason. Then the follow-up document."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate, gate_walks
from workbench.access.scope import Scope
from workbench.errors import WorkbenchError
from workbench.schema import ACTION_PLANNED
from workbench.services.reports import MIME
from workbench.store.db import Store
from workbench.ui import cached, personal_data
from workbench.ui.labels import label_of
from workbench.ui.state import download, flash, plain, show_html_map

PARTIES = ["Kommunen", "Polisen", "Bostadsbolaget", "Räddningstjänsten", "Annan"]
NEW_ACTION, EXISTING, CLOSE = "Gör till åtgärd", "Koppla till en befintlig åtgärd", "Avsluta utan åtgärd"


def _agenda_table(observations: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({
        "Nr": range(1, len(observations) + 1),
        "Vad": [o["label"] for o in observations],
        "Område": [o["area"] or "" for o in observations],
        "Prioritet": [o["priority"] if o["priority"] is not None else "" for o in observations],
        "Kommentar": [o["comment"] or "" for o in observations],
        "Status": [o["status"] + (f": {o['status_reason']}" if o["status_reason"] else "") for o in observations],
        "Åtgärd": [", ".join(str(a) for a in o["action_ids"]) for o in observations],
    })


def _new_action(store: Store, scope: Scope, observation: dict, numbers: dict[int, int],
                observations: list[dict]) -> None:
    prefilled = gate_walks.suggestion(store, scope, observation)
    places = cached.places(store.url, scope)
    place_names = dict(zip(places["id"].astype(int), places["name"], strict=True)) if len(places) else {}
    key = f"walk_action_{observation['id']}"
    st.caption("Förifyllt från iakttagelsen: text, plats "
               f"({plain(place_names.get(prefilled['place_id'], 'ingen känd plats'))}) och område "
               f"({plain(observation['area'] or '–')}).")
    others = [o["id"] for o in observations if o["id"] != observation["id"] and o["status"] == "ny"]
    with st.form(key):
        text = st.text_area("Åtgärd", value=prefilled["text"], key=f"{key}_text")
        a, b = st.columns(2)
        party = a.selectbox("Ansvarig part", PARTIES, key=f"{key}_party")
        role = b.text_input("Roll (aldrig ett personnamn)", key=f"{key}_role")
        due = a.date_input("Klart senast", value=date.today() + timedelta(days=30), format="YYYY-MM-DD",
                           key=f"{key}_due")
        public = b.checkbox("Publik (visas i uppföljningen)", value=True, key=f"{key}_public")
        also = st.multiselect("Svarar också på iakttagelse", others, key=f"{key}_also",
                              format_func=lambda i: f"Nr {numbers[i]}")
        submitted = st.form_submit_button("Skapa åtgärden", type="primary", use_container_width=True)
    values = ({"text": text, "responsible_party": party, "responsible_role": role or None,
               "due_date": due, "start_date": date.today(), "status": ACTION_PLANNED, "public": public,
               "place_id": prefilled["place_id"], "area_id": prefilled["area_id"],
               "ids": [observation["id"], *also]} if submitted else None)
    values = personal_data.confirm(key, values, lambda v: {"Åtgärd": v["text"], "Roll": v["responsible_role"]})
    if values is not None:
        ids = values.pop("ids")
        try:
            action_id = gate_walks.decide(store, scope, ids, values)
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
            return
        flash(f"Åtgärd {int(action_id)} skapad för {', '.join(f'nr {int(numbers[i])}' for i in ids)}.")
        st.rerun()


def _existing(store: Store, scope: Scope, observation: dict, numbers: dict[int, int]) -> None:
    actions = gate.actions(store, scope)
    if actions.empty:
        st.info("Det finns inga åtgärder ännu.")
        return
    names = {int(r.id): f"{int(r.id)}: {str(r.text)[:70]} ({r.status})" for r in actions.itertuples()}
    action_id = st.selectbox("Åtgärd", list(names), format_func=label_of(names),
                             key=f"walk_link_{observation['id']}")
    if action_id is not None and st.button("Koppla åtgärden", key=f"walk_link_save_{observation['id']}",
                                           use_container_width=True):
        try:
            gate_walks.link(store, scope, observation["id"], int(action_id))
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
            return
        flash(f"Iakttagelse nr {int(numbers[observation['id']])} besvaras av åtgärd {int(action_id)}.")
        st.rerun()


def _close(store: Store, scope: Scope, observation: dict, numbers: dict[int, int]) -> None:
    key = f"walk_close_{observation['id']}"
    with st.form(key):
        reason = st.text_area("Skäl (syns i uppföljningen)", key=f"{key}_reason")
        submitted = st.form_submit_button("Avsluta utan åtgärd", use_container_width=True)
    values = {"reason": reason} if submitted else None
    values = personal_data.confirm(key, values, lambda v: {"Skäl": v["reason"]})
    if values is not None:
        try:
            gate_walks.close_without_action(store, scope, observation["id"], values["reason"])
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
            return
        flash(f"Iakttagelse nr {int(numbers[observation['id']])} är avslutad utan åtgärd.")
        st.rerun()


def show(store: Store, scope: Scope, walk_id: int) -> None:
    walk, observations = gate_walks.agenda(store, scope, walk_id)
    st.caption(f"Deltagande organisationer: {plain(walk['participants'] or '–')}")
    if not observations:
        st.info("Inga iakttagelser är registrerade på vandringen ännu.")
    else:
        st.subheader("Dagordning: vandringens iakttagelser")
        st.dataframe(_agenda_table(observations), hide_index=True, width="stretch", key="walk_agenda")
    numbers = {o["id"]: n for n, o in enumerate(observations, start=1)}
    if observations and scope.can(roles.EDIT_LOOP):
        st.subheader("Besluta")
        chosen = st.selectbox("Iakttagelse att besluta om", [o["id"] for o in observations], key=f"walk_decide_{walk_id}",
                              format_func=lambda i: next(f"Nr {numbers[i]}: {o['label']} ({o['status']})"
                                                         for o in observations if o["id"] == i))
        observation = next(o for o in observations if o["id"] == chosen)
        how = st.radio("Beslut", [NEW_ACTION, EXISTING, CLOSE], horizontal=True, key=f"walk_how_{chosen}")
        if how == NEW_ACTION:
            _new_action(store, scope, observation, numbers, observations)
        elif how == EXISTING:
            _existing(store, scope, observation, numbers)
        else:
            _close(store, scope, observation, numbers)
    if scope.can(roles.EXPORT):
        st.subheader("Uppföljningsdokument")
        st.caption("Iakttagelser, beslutade åtgärder och status – för nästa vandring eller "
                   "återkopplingsmötet. Bara områdesnivå; en åtgärds text bara när den är publik.")
        fmt = st.radio("Format", ["html", "pdf"], horizontal=True, key="walk_doc_format",
                       format_func=str.upper)
        try:
            built = gate_walks.follow_up(store, scope, walk_id, fmt)
        except WorkbenchError as exc:
            st.error(plain(str(exc)))
            return
        download(st, store, scope, f"Ladda ner uppföljningen ({fmt.upper()})", built.data, built.file_name,
                 MIME[fmt], key="walk_doc_download", what="walk-follow-up", format=fmt)
        if fmt == "html":
            show_html_map(built.data.decode("utf-8"), height=700)
