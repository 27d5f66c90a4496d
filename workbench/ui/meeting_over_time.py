"""The EST meeting's per-area line on hot-spots över tid: '2 nya hot-spot-rutor, 1 intensifierande'.

Read from the meeting's figures (frozen in the snapshot when the meeting closes); cells with a
small total are not counted (the meeting is a shared screen). Called from ui/meeting_view.py."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.ui.state import plain


def line_for(snapshot: dict[str, Any], area: dict[str, Any]) -> str | None:
    """The Markdown line, or None for a meeting closed before the analysis existed."""
    info = area.get("emerging")
    over_time = snapshot.get("emerging") or {}
    if info is None:
        return None
    if over_time.get("note"):
        return f"**Hot-spots över tid:** {plain(over_time['note'])}"
    span = f"{over_time.get('steps', '')} hela månader till {over_time.get('to', '')}"
    text = info.get("line") or "inga hot-spot-mönster i området"
    caveat = " ".join(over_time.get("warnings") or [])
    return f"**Hot-spots över tid** ({plain(span)}): {plain(text)}" + (f" – {plain(caveat)}" if caveat else "")


def show_line(snapshot: dict[str, Any], area: dict[str, Any]) -> None:
    line = line_for(snapshot, area)
    if line:
        st.markdown(line)
