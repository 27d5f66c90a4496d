"""Reported observations as a list, and the group's decision on them: mark handled, close with a
reason, or make one åtgärd of one or several (felanmälningar too) with text, place and area
prefilled. Used on Inrapportering and in the EST meeting's per-area view."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from workbench import numbers as nf
from workbench.access import gate
from workbench.access import gate_observations as gobs
from workbench.anonymise.suppress import suppressed_label
from workbench.config import Settings
from workbench.errors import WorkbenchError
from workbench.store.db import Store
from workbench.ui import personal_data
from workbench.ui.labels import label_of
from workbench.ui.state import flash, plain

PARTIES = ["Kommunen", "Polisen", "Bostadsbolaget", "Räddningstjänsten", "Annan"]
MAKE_ACTION, HANDLED, CLOSE = "Gör en åtgärd", "Behandlad på EST-möte", "Avsluta utan åtgärd"
TABLE_COLUMNS = ("Nr", "Vecka", "Verksamhet", "Kategori", "Område", "Plats", "Bedömning", "Status",
                 "Beskrivning", "Åtgärd")


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str | list) and pd.isna(value)) else str(value)


def assessment_text(value, levels: tuple[str, ...]) -> str:
    if value is None or pd.isna(value):
        return "–"
    index = int(value)
    return f"{index} {levels[index - 1]}" if 1 <= index <= len(levels) else str(index)


def status_text(row) -> str:
    reason = _text(row.status_reason)
    return f"{row.status} ({reason})" if reason else str(row.status)


def table(frame: pd.DataFrame, levels: tuple[str, ...], *, key: str) -> None:
    """The observations as a table (text cells, never Markdown)."""
    st.dataframe(pd.DataFrame({
        "Nr": [int(i) for i in frame["id"]],
        "Vecka": [f"v. {int(w)} {int(y)}" for y, w in zip(frame["iso_year"], frame["iso_week"], strict=True)],
        "Verksamhet": [_text(v) for v in frame["verksamhet"]],
        "Kategori": [_text(v) for v in frame["category"]],
        "Område": [_text(v) or "–" for v in frame["area"]],
        "Plats": [_text(v) for v in frame["place"]],
        "Bedömning": [assessment_text(v, levels) for v in frame["assessment"]],
        "Status": [status_text(r) for r in frame.itertuples()],
        "Beskrivning": [_text(v) for v in frame["description"]],
        "Åtgärd": [", ".join(f"nr {a}" for a in ids) for ids in frame["action_ids"]],
    }, columns=list(TABLE_COLUMNS)), hide_index=True, width="stretch", key=key)


def _label(row) -> str:
    where = " · ".join(x for x in (_text(row.area), _text(row.place)) if x)
    return f"nr {int(row.id)} · v. {int(row.iso_week)} · {row.category}" + (f" · {where}" if where else "")


def _fault_label(row) -> str:
    return f"F{int(row.id)} · {row.reported_at:%Y-%m-%d} · {row.category}" + (
        f" · {_text(row.description)[:40]}" if _text(row.description) else "")


def decide(store: Store, settings: Settings, scope, observations: pd.DataFrame, *, key: str,
           faults: pd.DataFrame | None = None, meeting_id: int | None = None) -> None:
    """The decision on the chosen observations (and felanmälningar). ``meeting_id``: the åtgärd is
    a decision of that EST meeting (it shows in the minutes)."""
    labels = {int(r.id): _label(r) for r in observations.itertuples()}
    fault_labels = {} if faults is None else {int(r.id): _fault_label(r) for r in faults.itertuples()}
    chosen = st.multiselect("Observationer att besluta om", list(labels), format_func=label_of(labels),
                            key=f"{key}_chosen", placeholder="Välj en eller flera observationer",
                            select_all=False)
    chosen_faults = (st.multiselect("Felanmälningar utan åtgärd (sidopanelens period) som samma åtgärd svarar mot",
                                    list(fault_labels),
                                    format_func=label_of(fault_labels), key=f"{key}_faults", select_all=False,
                                    placeholder="Välj felanmälningar (valfritt)")
                     if fault_labels else [])
    if not chosen and not chosen_faults:
        return
    choice = st.radio("Beslut", [MAKE_ACTION, HANDLED, CLOSE], horizontal=True, key=f"{key}_choice")
    if choice == HANDLED:
        if not chosen:
            st.info("Välj observationer att markera som behandlade.")
        elif st.button("Markera som behandlade", key=f"{key}_handled", type="primary"):
            _set(store, settings, scope, chosen, "behandlad på EST-möte", None, key)
        return
    if choice == CLOSE:
        with st.form(f"{key}_close"):
            reason = st.text_input("Skäl (visas för den som rapporterade)", max_chars=300, key=f"{key}_reason")
            submitted = reason if st.form_submit_button("Avsluta utan åtgärd", type="primary") else None
        submitted = personal_data.confirm(f"{key}_close", submitted, lambda text: {"Skäl": text})
        if submitted is not None:
            if not chosen:
                st.error("Välj observationer att avsluta.")
            elif not submitted.strip():
                st.error("Skriv ett skäl till att observationen avslutas utan åtgärd.")
            else:
                _set(store, settings, scope, chosen, "avslutad utan åtgärd", submitted, key)
        return
    _action_form(store, settings, scope, chosen, chosen_faults, key=key, meeting_id=meeting_id)


def _set(store, settings, scope, ids: list[int], status: str, reason: str | None, key: str) -> None:
    try:
        for observation_id in ids:
            gobs.set_status(store, settings, scope, observation_id, status, reason)
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        return
    st.session_state.pop(f"{key}_chosen", None)
    flash(f"{nf.integer(len(ids))} observation{'er' if len(ids) != 1 else ''}: {status}.")
    st.rerun()


def _action_form(store, settings, scope, chosen: list[int], faults: list[int], *, key: str,
                 meeting_id: int | None) -> None:
    try:
        prefill = gobs.action_prefill(store, settings, scope, chosen, faults)
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        return
    places = gate.place_layer(store, scope)
    place_names = {int(i): n for i, n in zip(places["id"], places["name"], strict=True)}
    areas = gate.areas(store, scope)
    area_names = {int(i): n for i, n in zip(areas["id"], areas["name"], strict=True)}
    token = f"{key}_{'-'.join(map(str, sorted(chosen)))}_{'-'.join(map(str, sorted(faults)))}"
    with st.form(f"{key}_action", clear_on_submit=True):
        st.markdown("**Ny åtgärd** (förifylld från det valda; ändra fritt)")
        text = st.text_area("Åtgärd (vad ska göras?)", value=prefill["text"], max_chars=2000,
                            key=f"{token}_text")
        c1, c2 = st.columns(2)
        party = c1.selectbox("Ansvarig part", PARTIES, key=f"{token}_party")
        due = c2.date_input("Klart senast", value=date.today() + timedelta(days=30), format="YYYY-MM-DD",
                            key=f"{token}_due")
        place_options = [None, *place_names]
        place = c1.selectbox("Plats", place_options, key=f"{token}_place",
                             index=place_options.index(prefill["place_id"]) if prefill["place_id"] in place_options else 0,
                             format_func=lambda i: "– ingen –" if i is None else place_names[i])
        area_options = [None, *area_names]
        area = c2.selectbox("Område", area_options, key=f"{token}_area",
                            index=area_options.index(prefill["area_id"]) if prefill["area_id"] in area_options else 0,
                            format_func=lambda i: "– inget –" if i is None else area_names[i])
        public = st.checkbox("Får visas i återkopplingen till boende", key=f"{token}_public")
        submitted = None
        if st.form_submit_button("Skapa åtgärden", type="primary"):
            if not text.strip():
                st.error("Skriv vad som ska göras.")
            else:
                submitted = {"text": text.strip(), "responsible_party": party, "due_date": due,
                             "start_date": date.today(), "status": "planerad", "place_id": place,
                             "area_id": area, "public": public}
    submitted = personal_data.confirm(f"{key}_action", submitted, lambda values: {"Åtgärd": values["text"]})
    if submitted is None:
        return
    try:
        if meeting_id is not None:
            action_id = gate.record_decision(store, scope, meeting_id, submitted, observation_ids=chosen,
                                             fault_report_ids=faults)
        else:
            action_id = gate.create_action(store, scope, submitted, observation_ids=chosen,
                                           fault_report_ids=faults)
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        return
    st.session_state.pop(f"{key}_chosen", None)
    st.session_state.pop(f"{key}_faults", None)
    flash(f"Åtgärd nr {action_id} är skapad och svarar mot {nf.integer(len(chosen) + len(faults))} rapporter.")
    st.rerun()


def meeting_section(store: Store, settings: Settings, scope, *, area_id: int, meeting_id: int,
                    editor: bool, hide: bool) -> None:
    """The EST meeting's per-area view: the area's new (not yet decided) reported observations,
    with the decision on each for those who edit; only their number for aggregate roles."""
    from workbench.roles import READ_AGGREGATES
    from workbench.services.observations import OPEN_STATUSES

    if not scope.can(READ_AGGREGATES):
        return
    st.markdown("#### Inrapporterat: nya observationer i området")
    if not gobs.may_see_rows(scope):
        frame = gobs.open_counts(store, settings, scope)
        n = int(frame.get(area_id, 0))
        st.caption(f"{suppressed_label(n, settings.min_count) if hide else nf.integer(n)} "
                   "nya observationer (visas sammanställda för rollen).")
        return
    frame = gobs.observations(store, settings, scope)
    frame = frame[(frame["area_id"] == area_id) & frame["status"].isin(OPEN_STATUSES)]
    if frame.empty:
        st.caption("Inga nya inrapporterade observationer i området.")
        return
    table(frame.sort_values("time", ascending=False), settings.assessment_levels, key=f"meeting_obs_{area_id}")
    if editor:
        decide(store, settings, scope, frame, key=f"meeting_obs_{area_id}_{meeting_id}", meeting_id=meeting_id)
