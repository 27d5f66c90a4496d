"""Åtgärder: every action with owner, dates, status and what it answers to; create, edit, export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.errors import ConflictError, WorkbenchError
from workbench.reports.plans import actions_xlsx
from workbench.store.loop import ACTION_STATUSES
from workbench.ui import cached, personal_data
from workbench.ui.action_links import UNLINKED, commitment_labels, promise_labels
from workbench.ui.labels import label_of
from workbench.ui.state import already_saved, download, flash, page, plain, saved

PARTIES = ["Kommunen", "Polisen", "Bostadsbolaget", "Räddningstjänsten", "Annan"]
ACTION_PARAM = "atgard"  # ?atgard=ID opens that åtgärd in the edit form (see state.PAGE_PARAMS)

settings, store, filters = page("Åtgärder", roles.READ_LOOP)
scope = filters.scope

actions = gate.actions(store, scope)
commitments = gate.commitments(store, scope)
promises = gate.citizen_promises(store, scope)
places = cached.places(store.url, scope)
# every label (what an åtgärd is linked to is named even when the form no longer offers it)
commitment_label = commitment_labels(commitments, commitments["id"])
promise_label = promise_labels(promises, promises["id"])
place_names = {int(i): n for i, n in zip(places["id"], places["name"], strict=True)} if len(places) else {}
analyses = gate.cause_analyses(store, scope)
analysis_names = ({int(r.id): f"{pd.Timestamp(r.created_at):%Y-%m-%d}: {r.problem[:60]}"
                   for r in analyses.itertuples()} if len(analyses) else {})

c1, c2, c3 = st.columns([2, 2, 1])
party = c1.multiselect("Ansvarig", sorted(actions["responsible_party"].dropna().unique()) if len(actions) else [],
                       key="act_party")
status = c2.multiselect("Status", list(ACTION_STATUSES), key="act_status")
overdue = c3.toggle("Bara försenade", key="act_overdue")
shown = actions
if party:
    shown = shown[shown["responsible_party"].isin(party)]
if status:
    shown = shown[shown["status"].isin(status)]
if overdue:
    shown = shown[shown["overdue"]]
if filters.area_id is not None and len(shown):
    shown = shown[shown["area_id"] == filters.area_id]

st.caption(f"{len(shown)} av {len(actions)} åtgärder · {int(actions['overdue'].sum()) if len(actions) else 0} försenade")
st.dataframe(pd.DataFrame({
    "Id": shown["id"], "Åtgärd": shown["text"], "Ansvarig": shown["responsible_party"],
    "Status": shown["status"], "Klart senast": shown["due_date"].fillna(""), "Plats": shown["place"].fillna(""),
    "Åtaganden": shown["commitments"], "Medborgarlöften": shown["promises"],
    "Försenad": shown["overdue"].map({True: "ja", False: ""}),
}), hide_index=True, width="stretch", key="act_table")
if scope.can(roles.EXPORT):
    download(st, store, scope, "Exportera åtgärdsplanen (Excel)",
             lambda: actions_xlsx(shown, title=f"Åtgärdsplan – {filters.organisation}"), "atgardsplan.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="act_export",
             what="action-plan", rows=len(shown))


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _date(value, default: date) -> date:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return default
    return pd.Timestamp(value).date()


def _initial(current: dict) -> dict[str, Any]:
    """What the form shows for ``current`` (a stored action; empty for a new one), by field."""
    def known(value, names: dict) -> int | None:
        return None if value is None or pd.isna(value) or int(value) not in names else int(value)

    return {"text": _text(current.get("text")), "party": current.get("responsible_party") or PARTIES[0],
            "role": _text(current.get("responsible_role")),
            "start": _date(current.get("start_date"), date.today()),
            "due": _date(current.get("due_date"), date.today() + timedelta(days=90)),
            "status": current.get("status") or "planerad",
            "place": known(current.get("place_id"), place_names),
            "analysis": known(current.get("cause_analysis_id"), analysis_names),
            "commitments": [c for c in current.get("commitment_ids", []) if c in commitment_label],
            "promises": [p for p in current.get("promise_ids", []) if p in promise_label],
            "method": _text(current.get("follow_up_method"))}


def reset_form(key: str, current: dict) -> None:
    """Put ``current`` into the form's widgets through the Session State API: the browser keeps a
    widget's typed value when only its default changes (a save after "Ladda om" sent it again)."""
    for field, value in _initial(current).items():
        st.session_state[f"{key}_{field}"] = value


def action_form(key: str, current: dict | None, *, from_state: bool = False) -> dict | None:
    """The fields of one action; returns the values when the form is submitted. ``from_state``:
    :func:`reset_form` has just set the values (no widget default then, or Streamlit warns)."""
    init = _initial(current or {})

    def default(field: str) -> Any:
        return None if from_state else init[field]

    def index(options: list, field: str) -> int | None:
        return None if from_state else options.index(init[field])

    with st.form(key):
        text = st.text_area("Åtgärd", value=default("text"), key=f"{key}_text") or ""
        a, b = st.columns(2)
        parties = PARTIES if init["party"] in PARTIES else [init["party"], *PARTIES]
        responsible = a.selectbox("Ansvarig part", parties, index=index(parties, "party"), key=f"{key}_party")
        role = b.text_input("Roll (aldrig ett personnamn)", value=default("role"), key=f"{key}_role") or ""
        c, d, e = st.columns(3)
        start = c.date_input("Start", value=default("start"), key=f"{key}_start", format="YYYY-MM-DD")
        due = d.date_input("Klart senast", value=default("due"), key=f"{key}_due", format="YYYY-MM-DD")
        state = e.selectbox("Status", list(ACTION_STATUSES), index=index(list(ACTION_STATUSES), "status"),
                            key=f"{key}_status")
        places = [None, *place_names]
        place = st.selectbox("Plats", places, format_func=lambda i: "–" if i is None else place_names[i],
                             index=index(places, "place"), key=f"{key}_place")
        analyses = [None, *analysis_names]
        analysis = st.selectbox("Orsaksanalys", analyses,
                                format_func=lambda i: "–" if i is None else analysis_names[i],
                                index=index(analyses, "analysis"), key=f"{key}_analysis")
        offered = commitment_labels(commitments, init["commitments"])
        linked = st.multiselect("Svarar mot åtaganden", list(offered), default=default("commitments"),
                                format_func=label_of(offered), key=f"{key}_commitments",
                                select_all=False, placeholder="Välj åtaganden ur överenskommelsen")
        # one slip linked a decision to every commitment: no "Select all" here either
        pledged = promise_labels(promises, init["promises"])
        promised = st.multiselect("Svarar mot medborgarlöften", list(pledged), default=default("promises"),
                                  format_func=label_of(pledged), key=f"{key}_promises",
                                  select_all=False, placeholder="Välj löften ur medborgarlöftena",
                                  disabled=not pledged,
                                  help=None if pledged else "Inget gällande medborgarlöfte är inläst "
                                                            "(läs in det under Överenskommelse).")
        st.caption("Varje åtgärd bör svara mot ett åtagande i överenskommelsen eller ett medborgarlöfte.")
        method = st.text_input("Hur följs den upp?", value=default("method"), key=f"{key}_method") or ""
        if st.form_submit_button("Spara"):
            if not text.strip():
                st.error("Skriv vad åtgärden är.")
                return None
            return {"values": {"text": text.strip(), "responsible_party": responsible,
                               "responsible_role": role.strip() or None, "start_date": start,
                               "due_date": due, "status": state, "place_id": place,
                               "cause_analysis_id": analysis,
                               "follow_up_method": method.strip() or None},
                    "commitment_ids": linked, "promise_ids": promised}
    return None


def _unsaved_fields(submitted: dict, stored: dict) -> list[tuple[str, str]]:
    """What the person typed before the conflict, field by field, as plain text: the free-text
    fields always (when not empty), the choices only where they differ from the stored version."""
    values, shown = submitted["values"], []
    for label, field in (("Åtgärd", "text"), ("Roll (aldrig ett personnamn)", "responsible_role"),
                         ("Hur följs den upp?", "follow_up_method")):
        if values.get(field):
            shown.append((label, str(values[field])))
    choices = (("Ansvarig part", "responsible_party", str), ("Status", "status", str),
               ("Start", "start_date", lambda d: f"{d:%Y-%m-%d}"),
               ("Klart senast", "due_date", lambda d: f"{d:%Y-%m-%d}"),
               ("Plats", "place_id", lambda i: place_names.get(i, "–")),
               ("Orsaksanalys", "cause_analysis_id", lambda i: analysis_names.get(i, "–")))
    for label, field, shown_as in choices:
        mine, theirs = values.get(field), stored.get(field)
        if field.endswith("_date"):  # compared with what the form shows for the stored row
            theirs = _date(theirs, date.today() + timedelta(days=90 if field == "due_date" else 0))
        elif theirs is not None and not isinstance(theirs, str):
            theirs = None if pd.isna(theirs) else int(theirs)
        if mine != theirs:
            shown.append((label, "–" if mine is None else shown_as(mine)))
    if sorted(submitted["commitment_ids"]) != sorted(stored.get("commitment_ids") or []):
        shown.append(("Svarar mot åtaganden",
                      "\n".join(commitment_label.get(c, str(c)) for c in submitted["commitment_ids"]) or "–"))
    if sorted(submitted.get("promise_ids") or []) != sorted(stored.get("promise_ids") or []):
        shown.append(("Svarar mot medborgarlöften",
                      "\n".join(promise_label.get(p, str(p)) for p in submitted["promise_ids"]) or "–"))
    return shown


def _show_unsaved(chosen: int, stored: dict) -> None:
    """The person's own text from before the conflict, read-only beside the reloaded form."""
    held = st.session_state[f"act_unsaved_{chosen}"]
    with st.expander("Din osparade text", expanded=True):
        st.caption("Det här skrev du innan någon annan sparade åtgärden. Formuläret ovan visar den "
                   "sparade versionen; kopiera det du vill behålla dit och spara igen.")
        for label, value in _unsaved_fields(held, stored):
            st.text(label)
            st.code(value, language=None, wrap_lines=True)
        if st.button("Släng min osparade text", key=f"act_unsaved_drop_{chosen}"):
            st.session_state.pop(f"act_unsaved_{chosen}", None)
            st.rerun()


def _texts(submitted: dict) -> dict[str, str | None]:
    values = submitted["values"]
    return {"Åtgärd": values["text"], "Roll": values["responsible_role"],
            "Hur följs den upp?": values["follow_up_method"]}


if not scope.can(roles.EDIT_LOOP):
    st.caption(f"Rollen {scope.role_label} kan läsa åtgärderna men inte ändra dem.")
    st.stop()
EDIT_TAB = "Ändra åtgärd"
if (linked_from := st.query_params.get(ACTION_PARAM)) is not None:
    # opened from a link (Överenskommelse, "Öppna åtgärd"): that åtgärd in the edit form
    del st.query_params[ACTION_PARAM]
    wanted = int(linked_from) if linked_from.isdigit() else None
    if wanted is not None and wanted in set(actions["id"]):
        st.session_state["act_edit_id"], st.session_state["act_tab"] = wanted, EDIT_TAB
    else:
        st.warning(f"Åtgärd {plain(linked_from[:20])} finns inte (längre) bland kommunens åtgärder.")
UNLINKED_SAVED = "act_unlinked_saved"  # the åtgärd just saved answers nothing: said after the rerun
new_tab, edit_tab = st.tabs(["Ny åtgärd", EDIT_TAB], key="act_tab", on_change="rerun")
with new_tab:
    if (unlinked := st.session_state.pop(UNLINKED_SAVED, None)) is not None:
        st.warning(f"Åtgärd {int(unlinked)} är sparad. {UNLINKED}")
    submitted = personal_data.confirm("act_new", action_form("act_new", None), _texts)
    if submitted:
        values = {**submitted["values"], "commitment_ids": tuple(submitted["commitment_ids"]),
                  "promise_ids": tuple(submitted["promise_ids"])}
        if (earlier := already_saved("act_new", values)) is not None:
            st.info(f"Åtgärd {earlier} är redan sparad med just de här uppgifterna; ingen ny skapades.")
        else:
            try:
                action_id = gate.create_action(store, scope, submitted["values"],
                                               commitment_ids=submitted["commitment_ids"],
                                               promise_ids=submitted["promise_ids"])
            except WorkbenchError as exc:
                st.error(plain(str(exc)))
            else:
                saved("act_new", values, action_id, "act_new_")
                if not submitted["commitment_ids"] and not submitted["promise_ids"]:
                    st.session_state[UNLINKED_SAVED] = action_id  # a warning, not a block
                v = submitted["values"]
                flash(f"Åtgärd {action_id} är sparad: {plain(v['text'][:120])} – {plain(v['responsible_party'])}, "
                      f"{plain(v['status'])}, klart senast {v['due_date']:%Y-%m-%d}. Formuläret är tömt för nästa.")
                st.rerun()
with edit_tab:
    if actions.empty:
        st.info("Inga åtgärder ännu.")
    else:
        chosen = st.selectbox("Åtgärd", list(actions["id"]), key="act_edit_id",
                              format_func=lambda i: f"{i}: {actions.set_index('id').loc[i, 'text'][:70]}")
        row = actions.set_index("id").loc[chosen].to_dict()
        # The version the person opened: a save based on it fails if someone saved in between.
        opened = st.session_state.setdefault(f"act_opened_{chosen}", int(row["version"]))
        st.caption(f"Version {opened} öppnad.")
        conflict, unsaved = f"act_conflict_{chosen}", f"act_unsaved_{chosen}"
        reset = bool(st.session_state.pop(f"act_reset_{chosen}", False))
        if reset:  # "Ladda om åtgärden": the stored version into the form, what was typed beside it
            reset_form(f"act_edit_{chosen}", row)
        answers = [*(row.get("commitment_ids") or []), *(row.get("promise_ids") or [])]
        submitted = personal_data.confirm(f"act_edit_{chosen}",
                                          action_form(f"act_edit_{chosen}", row, from_state=reset), _texts)
        if submitted:
            try:
                version = gate.update_action(store, scope, int(chosen), opened, submitted["values"],
                                             commitment_ids=submitted["commitment_ids"],
                                             promise_ids=submitted["promise_ids"])
            except ConflictError as exc:
                st.session_state[conflict] = str(exc)  # kept: the reload button below survives reruns
                st.session_state[unsaved] = submitted  # shown read-only after the reload
            except WorkbenchError as exc:
                st.error(plain(str(exc)))
            else:
                st.session_state[f"act_opened_{chosen}"] = version
                st.session_state.pop(unsaved, None)
                st.success(f"Sparat (version {version}).")
                answers = [*submitted["commitment_ids"], *submitted["promise_ids"]]
        if not answers:  # a warning, not a block: a decision may come before its commitment
            st.warning(UNLINKED)
        if unsaved in st.session_state and conflict not in st.session_state:
            _show_unsaved(chosen, row)
        if conflict in st.session_state:
            st.error(plain(st.session_state[conflict]))
            if st.button("Ladda om åtgärden", key="act_reload"):
                # The next run puts the stored version into the form (a save after the reload
                # overwrote the other change while the form kept what was typed).
                for key in (conflict, f"act_opened_{chosen}", f"personal_data_act_edit_{chosen}"):
                    st.session_state.pop(key, None)
                st.session_state[f"act_reset_{chosen}"] = True
                st.rerun()
