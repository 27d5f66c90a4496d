"""Överenskommelse: read a samverkansöverenskommelse or medborgarlöfte, correct it, save it, and
see per commitment which actions answer to it — and which commitments have none."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.agreements.model import PARTY_KINDS
from workbench.errors import WorkbenchError
from workbench.io.uploads import max_upload_bytes
from workbench.store.loop import ACTION_STATUSES
from workbench.ui import personal_data
from workbench.ui.state import page, plain


@st.cache_data(max_entries=8, show_spinner="Läser överenskommelsen …")
def _parse(data: bytes, name: str, max_bytes: int) -> tuple[str, dict]:
    """Text and structure of an uploaded file, once per file (not on every edit in the table),
    after the same checks as every upload (size, type, content)."""
    from workbench.agreements.parse import extract_text, parse_agreement
    from workbench.io.uploads import check_upload

    check_upload(data, name, max_bytes=max_bytes, allowed="agreement")
    text = extract_text(data, name)
    return text, parse_agreement(text).to_json()


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
                st.error(str(exc))
                st.stop()
            a, b = st.columns([3, 1])
            title = a.text_input("Titel", value=parsed["title"], key="agr_title")
            kind = b.selectbox("Slag", ["agreement", "citizen_promise"], key="agr_kind",
                               index=0 if parsed["kind"] == "agreement" else 1,
                               format_func={"agreement": "Samverkansöverenskommelse",
                                            "citizen_promise": "Medborgarlöfte"}.get)
            period = parsed.get("period") or {}
            st.caption(f"Parter: {plain(', '.join(parsed['parties'])) or '–'} · Period: "
                       f"{period.get('start', '?')} – {period.get('end', '?')}")
            rows = [{"Fokusområde": f["title"], "Part": c["party"], "Partstyp": c["party_kind"], "Åtagande": c["text"]}
                    for f in parsed["focus_areas"] for c in f["commitments"]]
            st.markdown("**Åtaganden** – rätta text, part och fokusområde; lägg till rader för att dela "
                        "ett åtagande, ta bort rader för att slå ihop.")
            edited = st.data_editor(
                pd.DataFrame(rows, columns=["Fokusområde", "Part", "Partstyp", "Åtagande"]),
                num_rows="dynamic", width="stretch", key="agr_editor",
                column_config={"Partstyp": st.column_config.SelectboxColumn(options=list(PARTY_KINDS), required=True),
                               "Åtagande": st.column_config.TextColumn(width="large")})
            if parsed["actions"]:
                st.markdown("**Åtgärdstabell i dokumentet**")
                st.dataframe(pd.DataFrame(parsed["actions"]).rename(columns={
                    "cause": "Orsak", "action": "Åtgärd", "responsible": "Ansvarig", "follow_up": "Uppföljning"}),
                    hide_index=True, width="stretch", key="agr_actions")
            agreement = None
            if st.button("Spara överenskommelsen", type="primary", key="agr_save"):
                edited = edited.dropna(subset=["Åtagande"])
                focus: dict[str, list[dict]] = {}
                for row in edited.itertuples(index=False):
                    focus.setdefault(str(row[0] or "Övrigt"), []).append(
                        {"party": str(row[1] or ""), "party_kind": str(row[2] or "annan"), "text": str(row[3])})
                agreement = parsed | {"title": title, "kind": kind,
                                      "focus_areas": [{"title": k, "commitments": v} for k, v in focus.items()]}
            agreement = personal_data.confirm(
                "agreement", agreement,
                lambda submitted: {"Titel": submitted["title"], "Parter": submitted["parties"],
                                   "Åtaganden": submitted["focus_areas"]})
            if agreement is not None:
                try:
                    gate.save_agreement(store, scope, agreement, source_text=text)
                except WorkbenchError as exc:
                    st.error(str(exc))
                else:
                    commitments = sum(len(f["commitments"]) for f in agreement["focus_areas"])
                    st.success(f"Sparat: {commitments} åtaganden i {len(agreement['focus_areas'])} fokusområden.")
with follow_tab:
    follow = gate.agreement_follow_up(store, scope)
    if follow.empty:
        st.info("Ingen överenskommelse är sparad ännu.")
    else:
        missing = int(follow["without_action"].sum())
        st.markdown(f"**{len(follow)} åtaganden, {missing} utan någon åtgärd.**")
        st.dataframe(pd.DataFrame({
            "Överenskommelse": follow["agreement"], "Fokusområde": follow["focus_area"],
            "Part": follow["party"], "Åtagande": follow["text"],
            **{s.capitalize(): follow[s] for s in ACTION_STATUSES},
            "Utan åtgärd": follow["without_action"].map({True: "⚠ ingen åtgärd", False: ""}),
        }), hide_index=True, width="stretch", key="agr_follow")
