"""Logg: the organisation's audit log — who did what and when — filtered, read and exported."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.reports.audit_log import VERB_LABELS, audit_table, changes, entity_label
from workbench.reports.cells import csv_bytes, xlsx_bytes
from workbench.ui.state import download, page, plain

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
chosen_entities = c.multiselect("Gäller", entities, format_func=entity_label, key="audit_entities")
actor = d.text_input("Vem (del av namnet)", key="audit_actor", max_chars=200)
start: date | None
end: date | None
if isinstance(span, tuple):  # a range; while the second day is being picked, one day
    start, end = (span[0], span[-1]) if span else (None, None)
else:
    start, end = (span, span) if span else (None, None)

log = gate.audit_entries(
    store, scope, start=datetime.combine(start, datetime.min.time()) if start else None,
    end=datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None,
    actor=actor or None, verbs=chosen_verbs, entities=chosen_entities, limit=LIMIT)
st.caption(f"{len(log)} poster" + (f" (de {LIMIT} senaste – avgränsa urvalet)" if len(log) >= LIMIT else ""))


table = audit_table(log)
st.dataframe(table, hide_index=True, width="stretch", key="audit_table", height=560)

if len(table):  # one entry's before and after, field by field
    positions = list(range(len(log)))
    chosen = st.selectbox(
        "Visa före och efter för", positions, key="audit_entry",
        format_func=lambda i: f"{table['Tid'].iloc[i]} · {table['Vem'].iloc[i]} {table['Händelse'].iloc[i]} "
                              f"{table['Gäller'].iloc[i]}" + (f" {table['Id'].iloc[i]}" if table['Id'].iloc[i] else ""))
    st.dataframe(changes(log["before"].iloc[chosen], log["after"].iloc[chosen]), hide_index=True,
                 width="stretch", key="audit_changes")

if len(table):  # the files are written when a button is clicked, not on every rerun
    stamp = f"{start:%Y%m%d}-{end:%Y%m%d}" if start and end else "urval"
    e1, e2 = st.columns(2)
    download(e1, store, scope, "Exportera (CSV)", lambda: csv_bytes(table), f"logg-{stamp}.csv", "text/csv",
             key="audit_csv", what="audit_log", needs=roles.AUDIT, rows=len(table))
    download(e2, store, scope, "Exportera (Excel)", lambda: xlsx_bytes(table, "Logg"), f"logg-{stamp}.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_xlsx",
             what="audit_log", needs=roles.AUDIT, rows=len(table))
