"""Rapportera, "Mina rapporter": the verksamhet's weekly reports and what became of each
observation (ny, behandlad på EST-möte, åtgärd beslutad, åtgärdad, avslutad utan åtgärd with the
reason) — the reporter's återkoppling. User text is escaped before it reaches Markdown."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.ui.report_form import assessment_text, plain, week_label, when_text

STATUS_TEXT = {
    "ny": "Ny – inte behandlad än",
    "behandlad på EST-möte": "Behandlad på EST-möte",
    "åtgärd beslutad": "Åtgärd beslutad",
    "åtgärdad": "Åtgärdad",
    "avslutad utan åtgärd": "Avslutad utan åtgärd",
}


def status_text(status: str, reason: str | None) -> str:
    """The status in bold and the reason (escaped) after it, as Markdown."""
    text = f"**{plain(STATUS_TEXT.get(status, status))}**"
    return f"{text}: {plain(reason)}" if reason else text


def _observation_line(obs: dict[str, Any], levels: tuple[str, ...]) -> str:
    where = plain(obs["place"] or obs["area"] or "punkt i kartan")
    if obs["place"] and obs["area"]:
        where += f", {plain(obs['area'])}"
    line = (f"**{plain(obs['category'])}** · {when_text(obs['occurred_from'], obs['occurred_to'])} · {where}  \n"
            f"Bedömning: {assessment_text(obs['assessment'], levels)}  \n"
            f"Status: {status_text(obs['status'], obs['status_reason'])}")
    if obs["description"]:
        line += f"  \n{plain(obs['description'])}"
    return line


def show(reports: list[dict[str, Any]], levels: tuple[str, ...]) -> None:
    """Each weekly report, newest first, with its observations and their status."""
    if not reports:
        st.info("Du har inte skickat någon rapport än.")
        return
    for report in reports:
        with st.container(border=True):
            seen = report["observations"]
            heading = week_label(report["iso_year"], report["iso_week"])
            if report["nothing_to_report"] and not seen:
                st.markdown(f"**{heading}** – inget att rapportera")
                continue
            st.markdown(f"**{heading}** – {len(seen)} {'observation' if len(seen) == 1 else 'observationer'}")
            for obs in seen:
                st.markdown(_observation_line(obs, levels))
