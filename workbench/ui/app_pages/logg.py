"""Logg: the organisation's audit log — who did what and when — filtered, read and exported."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.reports.cells import neutralise_frame
from workbench.ui.state import download, page, plain

VERB_LABELS = {
    "insert": "skapade", "update": "ändrade", "delete": "tog bort", "import": "importerade",
    "export": "exporterade", "sign_in": "loggade in", "sign_in_failed": "misslyckad inloggning",
    "user_add": "lade till användare", "user_change": "ändrade användare",
    "user_remove": "tog bort användare", "close": "avslutade",
}
LIMIT = 5000

settings, store, filters = page("Logg", roles.AUDIT)
scope = filters.scope
st.caption("Allt som ändras, importeras, exporteras och varje inloggning i "
           f"{plain(filters.organisation)} – vem, när och vad (före och efter). Loggen kan inte ändras.")

verbs, entities = gate.audit_vocabulary(store, scope)
a, b, c, d = st.columns([2, 2, 2, 2])
span = a.date_input("Från – till", value=(date.today() - timedelta(days=30), date.today()),
                    format="YYYY-MM-DD", key="audit_span")
chosen_verbs = b.multiselect("Händelse", verbs, format_func=lambda v: VERB_LABELS.get(v, v),
                             key="audit_verbs")
chosen_entities = c.multiselect("Gäller", entities, key="audit_entities")
actor = d.text_input("Vem (del av namnet)", key="audit_actor", max_chars=200)
start, end = (span if isinstance(span, tuple) and len(span) == 2 else (span, span)) if span else (None, None)

log = gate.audit_entries(
    store, scope, start=datetime.combine(start, datetime.min.time()) if start else None,
    end=datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None,
    actor=actor or None, verbs=chosen_verbs, entities=chosen_entities, limit=LIMIT)
st.caption(f"{len(log)} poster" + (f" (de {LIMIT} senaste – avgränsa urvalet)" if len(log) >= LIMIT else ""))


def _json(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else json.dumps(
        value, ensure_ascii=False, default=str)


table = pd.DataFrame({
    "Tid": pd.to_datetime(log["at"]).dt.strftime("%Y-%m-%d %H:%M:%S") if len(log) else [],
    "Vem": log["actor"], "Händelse": [VERB_LABELS.get(v, v) for v in log["verb"]],
    "Gäller": log["entity"], "Id": log["entity_id"],
    "Före": [_json(v) for v in log["before"]], "Efter": [_json(v) for v in log["after"]],
})
st.dataframe(table, hide_index=True, width="stretch", key="audit_table", height=560)

if len(table):
    safe = neutralise_frame(table)
    buffer = io.BytesIO()
    safe.to_csv(buffer, index=False, sep=";", encoding="utf-8-sig")
    stamp = f"{start:%Y%m%d}-{end:%Y%m%d}" if start and end else "urval"
    e1, e2 = st.columns(2)
    download(e1, store, scope, "Exportera (CSV)", buffer.getvalue(), f"logg-{stamp}.csv", "text/csv",
             key="audit_csv", what="audit_log", needs=roles.AUDIT, rows=len(safe))
    xlsx = io.BytesIO()
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name="Logg", index=False)
    download(e2, store, scope, "Exportera (Excel)", xlsx.getvalue(), f"logg-{stamp}.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_xlsx",
             what="audit_log", needs=roles.AUDIT, rows=len(safe))
