"""Drawing one agenda area of an EST meeting (figures, map, actions) and presentation mode."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from workbench.reports.common import Numbers
from workbench.ui import meeting_over_time
from workbench.ui.state import plain

# Projector mode: large type and strong contrast; the sidebar (filters, navigation) is hidden so
# only the agenda is on the wall. Plain CSS on Streamlit's stable test ids, no user text.
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
.stApp, [data-testid="stAppViewContainer"] { background: #ffffff; color: #000000; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-top: 1.5rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.6rem;
  line-height: 1.35; color: #000000; }
h1 { font-size: 3.2rem !important; } h2 { font-size: 2.6rem !important; }
h3 { font-size: 2.1rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 4rem !important;
  line-height: 1.1 !important; color: #000000; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; color: #000000; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { font-size: 1.4rem !important; }
[data-testid="stCaptionContainer"] { font-size: 1.2rem !important; color: #222222; }
</style>
"""

LEVEL_BADGES = ("green", "orange", "orange", "red", "violet", "gray", "blue")


def level_badge(level: str | None, levels: tuple[str, ...]) -> str:
    """Markdown for a status level in its colour (levels are configured, not user free text)."""
    if not level:
        return "ej satt"
    name = LEVEL_BADGES[levels.index(level)] if level in levels else "gray"
    return f":{name}-background[**{level.upper()}**]"


def show_area(snapshot: dict[str, Any], area: dict[str, Any], map_png: bytes) -> None:
    """The figures of one area: always suppressed (the meeting is a shared screen)."""
    n = Numbers(int(snapshot["min_count"]))
    police, faults, walks = area["police"], area["faults"], area["walks"]
    c1, c2, c3, c4 = st.columns(4)
    hidden = n.hidden(police["current"], police["previous"])
    c1.metric("Polisens händelser", n(police["current"]),
              delta=None if hidden else f"{police['current'] - police['previous']:+d} mot perioden före",
              delta_color="inverse", border=True)
    c2.metric("Samma period i fjol", n(police["last_year"]), border=True,
              help="Jämförelsen prövas med ett exakt test; små skillnader kallas inte förändring.")
    c3.metric("Felanmälningar", n(faults["current"]), border=True,
              delta=None if n.hidden(faults["current"], faults["previous"])
              else f"{faults['current'] - faults['previous']:+d}", delta_color="inverse")
    c4.metric("Vandringsiakttagelser", n(walks["current"]), border=True)
    st.markdown(f"**Mot perioden före:** {n.change(police['vs_previous'])} · "
                f"**mot samma period i fjol:** {n.change(police['vs_last_year'])}")
    meeting_over_time.show_line(snapshot, area)  # hot-spots över tid (ui/meeting_over_time.py)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.image(map_png, width="stretch",
                 caption="Händelser per område och signifikanta hot-spot-celler (statistik, "
                         "skild från gruppens status). Inga enskilda händelser visas.")
    with right:
        st.markdown("**Sedan förra mötet**")
        for line in area.get("since_last") or []:
            st.markdown(f"- {plain(line)}")
        if area.get("police_categories"):
            st.markdown("**Händelser per kategori**")
            st.dataframe(pd.DataFrame({
                "Kategori": [c["label"] for c in area["police_categories"]],
                "Perioden": [n(c["current"]) for c in area["police_categories"]],
                "Före": [n(c["previous"]) for c in area["police_categories"]],
                "I fjol": [n(c["last_year"]) for c in area["police_categories"]],
            }), hide_index=True, width="stretch", key=f"cats_{area['area_id']}")
        new = faults["by_category"] + walks["by_category"]
        if new:
            st.markdown("**Nya felanmälningar och iakttagelser**")
            st.dataframe(pd.DataFrame({"Typ": [c["label"] for c in new],
                                       "Antal": [n(c["count"]) for c in new]}),
                         hide_index=True, width="stretch", key=f"new_{area['area_id']}")
    actions = area.get("actions") or []
    st.markdown(f"**Öppna åtgärder i området ({len(actions)}, varav "
                f"{sum(a['overdue'] for a in actions)} försenade)**")
    if actions:
        st.dataframe(pd.DataFrame({
            "Åtgärd": [a["text"] for a in actions], "Ansvarig": [a["responsible_party"] for a in actions],
            "Klart senast": [a["due_date"] for a in actions],
            "Status": [a["status"] + (" – försenad" if a["overdue"] else "") for a in actions],
        }), hide_index=True, width="stretch", key=f"actions_{area['area_id']}")
    if area.get("trend"):
        levels = tuple(snapshot.get("status_levels") or ())
        st.markdown("**Status vid tidigare möten:** " + " → ".join(
            f"{t['meeting_date']} {level_badge(t['level'], levels)}" for t in area["trend"]))
