"""Överenskommelse: read a samverkansöverenskommelse or medborgarlöfte, correct it, save it, and
see per commitment which actions answer to it — and which commitments have none."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.agreements.corrections import document_key
from workbench.errors import WorkbenchError
from workbench.io.uploads import max_upload_bytes
from workbench.ui import agreement_editor as editor_view
from workbench.ui import agreement_follow_view as follow_view
from workbench.ui import personal_data
from workbench.ui.labels import label_of
from workbench.ui.state import page, plain


@st.cache_data(max_entries=8, show_spinner="Läser överenskommelsen …")
def _parse(data: bytes, name: str, max_bytes: int) -> tuple[str, dict]:
    """Text and structure of an uploaded file, once per file (not on every correction), after
    the same checks as every upload (size, type, content)."""
    from workbench.services.agreements import read_document

    return read_document(data, name, max_bytes)


def _open(text: str, parsed: dict) -> None:
    """A newly uploaded document becomes the working document: the corrections saved for the
    same document when there are any, else the parser's reading."""
    key = document_key(text)
    if st.session_state.get("agr_key") == key:
        return
    saved = gate.saved_agreement_version(store, scope, text)
    doc = parsed if saved is None else saved[1] | {"actions": parsed["actions"]}
    for stale in [k for k in st.session_state if str(k).startswith("agr_") and k != "agr_file"]:
        del st.session_state[stale]
    st.session_state.update({"agr_key": key, editor_view.DOC: doc,
                             "agr_saved": saved is not None})


settings, store, filters = page("Överenskommelse", roles.READ_LOOP)
scope = filters.scope

editor = scope.can(roles.EDIT_LOOP)
tabs = st.tabs(["Läs in", "Uppföljning av åtaganden"] if editor else ["Uppföljning av åtaganden"])
upload_tab, follow_tab = tabs if editor else (None, tabs[0])
if upload_tab is not None:
    with upload_tab:
        upload = st.file_uploader("Överenskommelse eller medborgarlöfte (text, Markdown, DOCX, PDF)",
                                  type=["txt", "md", "docx", "pdf"], key="agr_file")
        if upload is not None:
            try:
                text, parsed = _parse(upload.getvalue(), upload.name, max_upload_bytes(settings))
            except WorkbenchError as exc:
                st.error(plain(str(exc)))
                st.stop()
            _open(text, parsed)
            doc = st.session_state[editor_view.DOC]
            if st.session_state.get("agr_saved"):
                st.info("Dokumentet är sparat tidigare: rättelserna från den sparade versionen visas. "
                        "Spara igen för att uppdatera den (åtgärder som är kopplade till ett åtagande "
                        "behåller kopplingen även när det rättas, slås ihop eller delas).")
            a, b = st.columns([3, 1])
            title = a.text_input("Titel", value=doc["title"], key="agr_title")
            kind = b.selectbox("Slag", ["agreement", "citizen_promise"], key="agr_kind",
                               index=0 if doc["kind"] == "agreement" else 1,
                               format_func=label_of({"agreement": "Samverkansöverenskommelse",
                                                     "citizen_promise": "Medborgarlöfte"}))
            period = doc.get("period") or {}
            st.caption(f"Parter: {plain(', '.join(doc['parties'])) or '–'} · Period: "
                       f"{plain(period.get('start') or '?')} – {plain(period.get('end') or 'tills vidare' if period else '?')}")
            editor_view.correction_view(doc, text, editor_view.linked_actions(gate.actions(store, scope)))
            if doc.get("actions"):
                st.markdown("**Åtgärdstabell i dokumentet**")
                st.dataframe(pd.DataFrame(doc["actions"]).rename(columns={
                    "cause": "Orsak", "action": "Åtgärd", "responsible": "Ansvarig", "follow_up": "Uppföljning"}),
                    hide_index=True, width="stretch", key="agr_actions")
            agreement = None
            if st.button("Spara överenskommelsen", type="primary", key="agr_save"):
                agreement = doc | {"title": title, "kind": kind}
            agreement = personal_data.confirm(
                "agreement", agreement,
                lambda submitted: {"Titel": submitted["title"], "Parter": submitted["parties"],
                                   "Åtaganden": submitted["focus_areas"]})
            if agreement is not None:
                try:
                    _, replaced = gate.save_corrected_agreement(store, scope, agreement, source_text=text)
                except WorkbenchError as exc:
                    st.error(plain(str(exc)))  # a refusal names åtgärder by their (user) text
                else:
                    st.session_state["agr_saved"] = True
                    # the saved version (with the stored ids) is the working document from now on,
                    # so further corrections keep the åtgärd links of what was just saved
                    again = gate.saved_agreement_version(store, scope, text)
                    if again is not None:
                        st.session_state[editor_view.DOC] = again[1] | {"actions": doc.get("actions") or []}
                    commitments = sum(len(f["commitments"]) for f in agreement["focus_areas"])
                    st.success(f"Sparat: {editor_view.counts(commitments, len(agreement['focus_areas']))}"
                               + (" (den sparade versionen är uppdaterad)." if replaced else "."))
with follow_tab:
    follow = gate.agreement_follow_up(store, scope)
    if follow.empty:
        st.info("Ingen överenskommelse är sparad ännu.")
    else:
        follow_view.follow_up_view(follow, gate.actions(store, scope), can_edit=editor)
