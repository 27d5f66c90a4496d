"""The correction view of Överenskommelse: the source text beside the parsed structure.

Each commitment highlights its source lines; unsure ones are marked; the coordinator selects
lines in the source (click rows, or type the line numbers) and makes them a commitment, edits a
commitment's text, changes its party, moves it to another focus area, merges or splits, or
removes it. The working document lives in the session until it is saved (logic in
agreements.corrections).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from workbench.agreements import corrections as fix
from workbench.agreements.model import PARTY_KINDS
from workbench.ui.state import plain
from workbench.ui.text_sv import shortened

DOC = "agr_doc"
NEW_AREA = "➕ Nytt fokusområde …"
UNSURE = "⚠ osäker"
_HIGHLIGHT = "background-color: #fff3b0"


def counts(commitments: int, areas: int) -> str:
    """ "3 åtaganden i 1 fokusområde" (Swedish singular and plural)."""
    return (f"{commitments} {'åtagande' if commitments == 1 else 'åtaganden'} i {areas} "
            f"{'fokusområde' if areas == 1 else 'fokusområden'}")


def _set(doc: dict[str, Any], message: str) -> None:
    for stale in [k for k in st.session_state if str(k).startswith("agr_text_")]:
        del st.session_state[stale]  # the text boxes show the new document's texts
    st.session_state[DOC] = doc
    st.session_state["agr_notice"] = message
    st.rerun()


def _label(row: dict[str, Any]) -> str:
    span = row.get("lines")
    where = f" (rad {span[0] + 1}–{span[1] + 1})" if span else ""
    mark = f" {UNSURE}" if row.get("low_confidence") else ""
    return f"{row['index'] + 1}. [{row['party']}] {shortened(row['text'], 70)}{where}{mark}"


def _source(text: str, highlight: list[int] | None) -> list[int]:
    """The source lines as a table; the chosen commitment's lines highlighted. Returns the rows
    the person selected."""
    lines = fix.source_lines(text)
    frame = pd.DataFrame({"Rad": range(1, len(lines) + 1), "Text": lines})
    styled = frame.style
    if highlight:
        first, last = highlight
        styled = frame.style.apply(
            lambda row: [_HIGHLIGHT if first <= row.name <= last else ""] * len(row), axis=1)
    event = st.dataframe(styled, hide_index=True, width="stretch", height=520, key="agr_source",
                         on_select="rerun", selection_mode="multi-row",
                         column_config={"Text": st.column_config.TextColumn(width="large")})
    return sorted(getattr(getattr(event, "selection", None), "rows", []) or [])


def _areas(doc: dict[str, Any]) -> list[str]:
    return [a["title"] for a in doc.get("focus_areas") or []]


def _area_choice(doc: dict[str, Any], key: str, label: str = "Fokusområde") -> str:
    choice = st.selectbox(label, _areas(doc) + [NEW_AREA], key=key)
    if choice == NEW_AREA:
        return st.text_input("Namn på det nya fokusområdet", key=f"{key}_new") or "Övrigt"
    return choice


def _make_from_lines(doc: dict[str, Any], text: str, selected: list[int], parties: list[str]) -> None:
    st.markdown("**Gör markerade rader till ett åtagande**")
    if selected and st.session_state.get("agr_last_selection") != selected:
        st.session_state["agr_last_selection"] = selected
        st.session_state["agr_from"], st.session_state["agr_to"] = selected[0] + 1, selected[-1] + 1
    count = len(fix.source_lines(text))
    a, b = st.columns(2)
    first = a.number_input("Från rad", 1, count, key="agr_from")
    last = b.number_input("Till rad", 1, count, key="agr_to")
    selected_text = fix.lines_text(text, int(first) - 1, int(last) - 1)
    st.caption(plain(selected_text[:300]) or "–")
    parts = fix.sentences(selected_text)
    chosen = None
    if len(parts) > 1:
        chosen = st.multiselect("Meningar som ingår", list(range(len(parts))), default=list(range(len(parts))),
                                format_func=lambda i: parts[i][:90], key=f"agr_sentences_{first}_{last}",
                                select_all=False, placeholder="Välj meningar")
    party = st.selectbox("Part", parties, key="agr_new_party")
    area = _area_choice(doc, "agr_new_area")
    if st.button("Gör till åtagande", key="agr_make"):
        try:
            new = fix.add_from_lines(doc, text, int(first) - 1, int(last) - 1, area=area, party=party,
                                     chosen=chosen)
        except ValueError as exc:
            st.error(plain(str(exc)))
        else:
            _set(new, f"Nytt åtagande från rad {int(first)}–{int(last)}.")


def _edit_text(doc: dict[str, Any], row: dict[str, Any], index: int) -> None:
    """Correct the commitment's wording; a saved one keeps its id, so its åtgärder stay linked."""
    text = st.text_area("Åtagandets text", value=row["text"], key=f"agr_text_{index}", height=100)
    if st.button("Ändra texten", key="agr_set_text"):
        if " ".join(text.split()) == row["text"]:
            st.info("Texten är oförändrad.")
            return
        try:
            changed = fix.set_text(doc, index, text)
        except ValueError as exc:
            st.error(plain(str(exc)))
        else:
            _set(changed, f"Åtagande {index + 1}: texten ändrad"
                 + (" (kopplade åtgärder behåller kopplingen när du sparar)." if row.get("ids") else "."))


def linked_actions(actions: pd.DataFrame) -> dict[int, list[str]]:
    """Stored commitment id → the åtgärder linked to it ("åtgärd 3 ”Klottersanering …”"); a
    medborgarlöfte's item also names the åtgärder that keep its promise (``followed_ids``)."""
    linked: dict[int, list[str]] = {}
    for action in actions.to_dict("records") if len(actions) else []:
        name = f"åtgärd {int(action['id'])} ”{shortened(action['text'], 60)}”"
        for cid in action.get("followed_ids", action.get("commitment_ids")) or []:
            linked.setdefault(int(cid), []).append(name)
    return linked


def _edit_one(doc: dict[str, Any], rows: list[dict[str, Any]], index: int, parties: list[str],
              linked: dict[int, list[str]]) -> None:
    row = rows[index]
    answering = [name for cid in row.get("ids") or [] for name in linked.get(int(cid), [])]
    if answering:
        st.caption(f"Kopplade åtgärder: {plain(', '.join(answering))}")
    _edit_text(doc, row, index)
    party_col, kind_col = st.columns([3, 2])
    options = list(dict.fromkeys([row["party"], *parties]))
    party = party_col.selectbox("Part", options, key=f"agr_party_{index}")
    kind = kind_col.selectbox("Partstyp", PARTY_KINDS, key=f"agr_kind_{index}",
                              index=PARTY_KINDS.index(row["party_kind"]))
    if st.button("Byt part", key="agr_set_party"):
        _set(fix.set_party(doc, index, party, kind), f"Åtagande {index + 1}: part {plain(party)}.")
    target = _area_choice(doc, f"agr_move_{index}", "Flytta till fokusområde")
    if st.button("Flytta", key="agr_move"):
        _set(fix.move(doc, index, target), f"Åtagande {index + 1} flyttat till {plain(target)}.")
    points = fix.split_points(row["text"])
    if points:
        at = st.selectbox("Dela efter", points, key=f"agr_split_{index}",
                          format_func=lambda p: f"… {row['text'][max(0, p - 40):p].strip()}")
        if st.button("Dela i två", key="agr_split"):
            _set(fix.split(doc, index, at), f"Åtagande {index + 1} delat i två.")
    others = [r["index"] for r in rows if r["index"] != index]
    if others:
        merge_with = st.multiselect("Slå ihop med", others, key=f"agr_merge_{index}",
                                    format_func=lambda i: _label(rows[i]),
                                    placeholder="Välj åtaganden", select_all=False)
        if st.button("Slå ihop", key="agr_merge", disabled=not merge_with):
            _set(fix.merge(doc, [index, *merge_with]), "Åtagandena är hopslagna.")
    if st.button("Ta bort åtagandet", key="agr_remove"):
        if answering:  # the store refuses it too; said here at once, with the way out
            st.error(f"Åtagande {index + 1} kan inte tas bort: {plain(', '.join(answering))} "
                     f"{'är kopplad' if len(answering) == 1 else 'är kopplade'} till det. Koppla om "
                     "under Åtgärder först, eller slå ihop det med ett annat åtagande (kopplingarna "
                     "följer med).")
        else:
            _set(fix.remove(doc, index), f"Åtagande {index + 1} borttaget.")


def correction_view(doc: dict[str, Any], text: str, linked: dict[int, list[str]] | None = None) -> None:
    """Source beside structure, and the correction tools; edits replace session_state[DOC].
    ``linked``: the åtgärder linked to each stored commitment (see :func:`linked_actions`)."""
    notice = st.session_state.pop("agr_notice", None)
    if notice:
        st.success(notice)
    rows = fix.rows(doc)
    parties = list(dict.fromkeys([*(doc.get("parties") or []), "Kommunen", "Polisen",
                                  "Kommunen och polisen"]))
    chosen = st.session_state.get("agr_pick")
    chosen = chosen if isinstance(chosen, int) and chosen < len(rows) else None
    source_col, structure_col = st.columns([1, 1])
    with structure_col:
        unsure = sum(1 for r in rows if r.get("low_confidence"))
        st.markdown(f"**Struktur** – {counts(len(rows), len(_areas(doc)))}"
                    + (f", {unsure} markerade {UNSURE}" if unsure else ""))
        for area in doc.get("focus_areas") or []:
            lines = [f"**{plain(area['title'])}**"]
            for row in (r for r in rows if r["focus_area"] == area["title"]):
                lines.append(f"- {plain(_label(row))}")
            if len(lines) == 1:
                lines.append("- *(inga åtaganden)*")
            st.markdown("\n".join(lines))
        if rows:
            index = st.selectbox("Åtagande att rätta", [r["index"] for r in rows], key="agr_pick",
                                 index=None, format_func=lambda i: _label(rows[i]),
                                 placeholder="Välj ett åtagande (dess rader markeras i källtexten)")
            if index is not None:
                chosen = index
                _edit_one(doc, rows, index, parties, linked or {})
    with source_col:
        st.markdown("**Källtext** – klicka på rader för att markera dem")
        highlight = rows[chosen].get("lines") if chosen is not None else None
        selected = _source(text, highlight)
        _make_from_lines(doc, text, selected, parties)
