"""Widgets of the Importera page: the column mapping editor, the report and category mapping."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench.io.importers.base import ImportReport, ParsedFile
from workbench.reports.cells import csv_bytes
from workbench.taxonomy import OTHER, all_categories
from workbench.ui import text_sv as T
from workbench.ui.labels import label_of
from workbench.ui.state import plain


def mapping_editor(headers: list[str], detected: dict[str, str], saved: dict[str, str],
                   unplaced: dict[str, str | None] | None = None,
                   not_stored: tuple[str, ...] = (), *, labels: dict[str, str] | None = None,
                   key_prefix: str = "map_") -> dict[str, str]:
    """One selectbox per canonical field, defaulting to the saved profile, else the detection;
    a header that was not recognised is named, and its best guess preselected and marked."""
    choices = [T.NO_COLUMN, *headers]
    guesses = {f: h for h, f in (unplaced or {}).items() if f and f not in detected and f not in saved}
    unknown = [h for h, f in (unplaced or {}).items() if not f]
    if guesses:
        st.warning("Rubriker som inte känns igen, med en gissning (markerad med ⚠ nedan – "
                   "kontrollera): " + "; ".join(
                       f"'{plain(h)}' → {(labels or T.FIELD_LABELS).get(f, f)}" for f, h in guesses.items()))
    if unknown:
        st.caption("Används inte (okänd rubrik): " + ", ".join(f"'{plain(h)}'" for h in unknown))
    if not_stored:
        st.caption("Känns igen men sparas inte (adresser pekar ut hem): "
                   + ", ".join(f"'{plain(h)}'" for h in not_stored))
    mapping: dict[str, str] = {}
    left, right = st.columns(2)
    labels = labels or T.FIELD_LABELS
    for i, (field, label) in enumerate(labels.items()):
        default = saved.get(field) or detected.get(field) or guesses.get(field)
        index = choices.index(default) if default in choices else 0
        column = left if i % 2 == 0 else right
        if field in guesses:
            label = f"⚠ {label} (gissning)"
        chosen = column.selectbox(label, choices, index=index, key=f"{key_prefix}{field}")
        mapping[field] = "" if chosen == T.NO_COLUMN else chosen
    return mapping


def problems_frame(problems) -> pd.DataFrame:
    frame = pd.DataFrame([{"Rad": p.row, "Kolumn": p.column, "Problem": p.message} for p in problems],
                         columns=["Rad", "Kolumn", "Problem"])
    frame["Rad"] = frame["Rad"].astype("Int64")  # row 5, not 5.0, when some rows have no number
    return frame


def problems_csv(problems) -> bytes:
    """The problem list as CSV for Excel; headers and values taken from the uploaded file cannot
    run as formulas (reports.cells)."""
    return csv_bytes(problems_frame(problems))


def problems_section(problems, file_name: str, key: str) -> None:
    """The problems (first 200 shown) and a CSV download of all of them."""
    if not problems:
        st.success("Inga problem hittades.")
        return
    frame = problems_frame(problems)
    st.warning(f"{len(frame)} rader har problem och importeras inte (eller importeras delvis, "
               "se meddelandet).")
    st.dataframe(frame.head(200), hide_index=True, width="stretch", key=f"{key}_table")
    st.download_button("Ladda ner problemlistan (CSV)", problems_csv(problems),
                       file_name=f"problem_{file_name}.csv", mime="text/csv", key=f"{key}_download")


def preview_table(parsed: ParsedFile, rows: int = 20, key: str = "import_preview_table") -> None:
    frame = parsed.frame.head(rows).drop(columns=["area_hint_x", "area_hint_y"], errors="ignore")
    frame = frame.rename(columns=T.PREVIEW_COLUMNS)
    st.dataframe(frame, hide_index=True, width="stretch", key=key)


def report_metrics(report: ImportReport) -> None:
    cols = st.columns(6)
    cols[0].metric("Importerade", report.imported)
    cols[1].metric("Dubbletter", report.duplicates)
    cols[2].metric("Ändrade", report.changed,
                   help="Samma id men annat innehåll" + (f"; {report.updated} uppdaterades"
                                                         if report.updated else "; de lagrade behölls"))
    cols[3].metric("Avvisade", report.rejected)
    cols[4].metric("Maskerade personuppgifter", report.redacted)
    cols[5].metric("Koordinatsystem", report.crs or "–")
    if report.changed:
        rows = ", ".join(str(r) for r in report.changed_rows[:50])
        st.caption(f"Ändrade rader i filen: {rows}" + (" …" if report.changed > 50 else "") + ".")
    if len(report.routed) > 1 or report.created:
        st.caption("Fördelat per kommun: " + ", ".join(f"{plain(o)} {n}" for o, n in sorted(report.routed.items()))
                   + (". Nya organisationer: " + plain(", ".join(report.created)) if report.created else "")
                   + ".")


def unmapped_categories(parsed: ParsedFile) -> list[str]:
    """Original categories that fell into 'övrigt' (candidates for the organisation's mapping)."""
    frame = parsed.frame
    originals = frame.loc[frame["category"] == OTHER, "category_original"].dropna()
    return sorted(originals.unique().tolist())[:50]


def category_mapping_form(kind: str, originals: list[str]) -> tuple[str, str] | None:
    """Pick an original category and what it means; returns (original, key) when saved."""
    options = all_categories(kind)
    labels = {key: label for key, label in options}
    with st.form("category_mapping"):
        original = st.selectbox("Ursprunglig kategori", originals, key="catmap_original")
        key = st.selectbox("Betyder", [k for k, _ in options], format_func=label_of(labels),
                           key="catmap_key")
        if st.form_submit_button("Spara kategorimappning"):
            return original, key
    return None
