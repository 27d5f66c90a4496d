"""Rapporter: lägesbild, åtgärdsplan, protokoll, återkoppling and the agreement follow-up as files."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.errors import WorkbenchError
from workbench.services.reports import KIND_LABELS_SV, KINDS, MIME
from workbench.ui import cached
from workbench.ui.labels import label_of
from workbench.ui.state import download, page, plain, show_html_map

HELP = {
    "situation": "Kartläggning, annan information, analys, åtgärdsplan och uppföljning – i den "
                 "ordning lagen (2023:196) beskriver. Period från sidopanelen.",
    "action-plan": "Öppna åtgärder och de som startar eller ska vara klara under perioden.",
    "minutes": "Protokollet från ett avslutat EST-möte, ur mötets låsta lägesbild.",
    "feedback": "Publik sammanfattning för boende och personal: bara områdesnivå, små tal dolda, "
                "bara text som markerats publik.",
    "agreement-follow-up": "Per fokusområde och åtagande: åtgärderna och deras effekt, för "
                           "kommunstyrelsen och lokalpolisområdet.",
}

settings, store, filters = page("Rapporter", roles.EXPORT)
scope = filters.scope
kind = st.radio("Rapport", list(KINDS), format_func=label_of(KIND_LABELS_SV), key="report_kind")
st.caption(HELP[kind])
meeting_id = None
if kind in ("minutes", "feedback"):
    listed = gate.meeting_list(store, scope)
    closed = listed[listed["closed_at"].notna()]
    if kind == "minutes" and closed.empty:
        st.info("Inget EST-möte är avslutat ännu. Protokollet skrivs när ett möte avslutas.")
        st.stop()
    choices = ([None] if kind == "feedback" else []) + [int(i) for i in closed["id"]]
    names = dict(zip(closed["id"].astype(int), closed["title"].fillna("EST-möte"), strict=True))
    meeting_id = st.selectbox("Möte", choices, key="report_meeting",
                              format_func=lambda i: f"Perioden {filters.period.label()}" if i is None
                              else names[i])
use_period = kind in ("situation", "feedback", "action-plan") and meeting_id is None
period = filters.period if use_period else None
if period is not None:
    st.markdown(f"**Period:** {period.label()} (ändras i sidopanelen)")
fmt = st.radio("Format", list(KINDS[kind]), horizontal=True, key="report_format",
               format_func=lambda f: f.upper())
if st.button("Skapa rapporten", type="primary", key="report_make"):
    st.session_state["report_request"] = (kind, fmt, period, meeting_id)
request = st.session_state.get("report_request")
if request and request == (kind, fmt, period, meeting_id):
    try:
        data = cached.report_bytes(store.url, scope, kind, fmt, period.start if period else None,
                                   period.end if period else None, meeting_id)
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        st.stop()
    stamp = f"-{period.start:%Y%m%d}-{period.end:%Y%m%d}" if period else (f"-{meeting_id}" if meeting_id else "")
    download(st, store, scope, f"Ladda ner {KIND_LABELS_SV[kind].lower()} ({fmt.upper()}, {len(data) // 1024} kB)",
             data, f"{kind}{stamp}.{fmt}", MIME[fmt], key="report_download", what=kind, format=fmt)
    if fmt == "html":
        show_html_map(data.decode("utf-8"), height=900)
    else:
        st.caption(f"Skapad {pd.Timestamp.now():%Y-%m-%d %H:%M}.")
