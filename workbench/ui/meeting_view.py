"""Drawing one agenda area of an EST meeting (figures, map, actions) and presentation mode."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from workbench import numbers as nf
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
/* one area per screen at 1920 × 1080: no page title or meeting picker, the agenda bar stays on
   top while the forms below are scrolled, the map at most half the screen high */
[data-testid="stMainBlockContainer"] h1, .st-key-meeting_pick, [data-testid="stHeader"] { display: none; }
div:has(> .st-key-agenda_nav) { position: sticky; top: 0; z-index: 999; background: #ffffff;
  border-bottom: 2px solid #000000; padding: 0.3rem 0; }
.st-key-agenda_nav button { font-size: 1.6rem !important; min-height: 3.4rem; padding: 0 1.4rem; }
.st-key-agenda_nav button p { font-size: 1.6rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; }
[data-testid="stMetric"] { padding: 0.5rem 0.9rem !important; }
[data-testid="stImage"] img { max-height: 46vh; width: auto !important; max-width: 100%; }
h2 { font-size: 2rem !important; margin: 0 !important; padding: 0.2rem 0 !important; }
[data-testid="stImageCaption"], [data-testid="stImage"] + div { font-size: 1.1rem !important; }
[data-testid="stTable"] table, [data-testid="stTable"] th, [data-testid="stTable"] td {
  font-size: 1.35rem !important; color: #000000; line-height: 1.3; }
[data-testid="stTable"] th { font-weight: 700; }
[data-testid="stRadio"] label p, [data-testid="stWidgetLabel"] p { font-size: 1.5rem !important; }
[data-testid="stRadio"] [role="radiogroup"] { gap: 1.6rem; }
[data-testid="stRadio"] [role="radiogroup"] label > div:first-child { transform: scale(1.6);
  margin-right: 0.6rem; }
[data-testid="stFormSubmitButton"] button p { font-size: 1.4rem !important; }
</style>
"""

PRESENTATION_ROWS = 6  # rows of a table on the projector (the rest stay in the documents)

LEVEL_BADGES = ("green", "orange", "orange", "red", "violet", "gray", "blue")


def level_badge(level: str | None, levels: tuple[str, ...]) -> str:
    """Markdown for a status level in its colour (levels are configured, not user free text)."""
    if not level:
        return "ej satt"
    name = LEVEL_BADGES[levels.index(level)] if level in levels else "gray"
    return f":{name}-background[**{level.upper()}**]"


def scroll_to_top() -> None:
    """Scroll the page to its top (after 'Nästa' pressed at the bottom of the previous area).
    A zero-height component on the app's own origin; no user text."""
    import streamlit.components.v1 as components

    components.html("<script>const main = window.parent.document.querySelector("
                    "'[data-testid=stMain]'); if (main) { main.scrollTo(0, 0); }"
                    "window.parent.scrollTo(0, 0);</script>", height=0)


def _table(frame: pd.DataFrame, *, presentation: bool, key: str) -> None:
    """A grid at the desk; on the projector an HTML table whose type can be made large (the grid
    draws on a canvas that CSS cannot enlarge)."""
    if presentation:
        st.table(frame.style.hide(axis="index"))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", key=key)


def show_area(snapshot: dict[str, Any], area: dict[str, Any], map_png: bytes, *,
              presentation: bool = False) -> None:
    """The figures of one area: always suppressed (the meeting is a shared screen). In
    ``presentation`` the tables are large HTML tables and show at most PRESENTATION_ROWS rows."""
    n = Numbers(int(snapshot["min_count"]))
    police, faults, walks = area["police"], area["faults"], area["walks"]
    c1, c2, c3, c4 = st.columns(4)
    hidden = n.hidden(police["current"], police["previous"])
    c1.metric("Polisens händelser", n(police["current"]),
              delta=None if hidden else f"{nf.metric_delta(police['current'] - police['previous'])} mot perioden före",
              delta_color="inverse", border=True)
    c2.metric("Samma period i fjol", n(police["last_year"]), border=True,
              help="Jämförelsen prövas med ett exakt test; små skillnader kallas inte förändring.")
    c3.metric("Felanmälningar", n(faults["current"]), border=True,
              delta=None if n.hidden(faults["current"], faults["previous"])
              else nf.metric_delta(faults['current'] - faults['previous']), delta_color="inverse")
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
            shown = area["police_categories"][:PRESENTATION_ROWS] if presentation else area["police_categories"]
            _table(pd.DataFrame({
                "Kategori": [c["label"] for c in shown],
                "Perioden": [n(c["current"]) for c in shown],
                "Före": [n(c["previous"]) for c in shown],
                "I fjol": [n(c["last_year"]) for c in shown],
            }), presentation=presentation, key=f"cats_{area['area_id']}")
        new = faults["by_category"] + walks["by_category"]
        if new:
            st.markdown("**Nya felanmälningar och iakttagelser**")
            new = new[:PRESENTATION_ROWS] if presentation else new
            _table(pd.DataFrame({"Typ": [c["label"] for c in new], "Antal": [n(c["count"]) for c in new]}),
                   presentation=presentation, key=f"new_{area['area_id']}")
    actions = area.get("actions") or []
    st.markdown(f"**Öppna åtgärder i området ({len(actions)}, varav "
                f"{sum(a['overdue'] for a in actions)} försenade)**")
    if actions:
        _table(pd.DataFrame({
            "Åtgärd": [a["text"] for a in actions], "Ansvarig": [a["responsible_party"] for a in actions],
            "Klart senast": [str(a["due_date"] or "") for a in actions],
            "Status": [a["status"] + (" – försenad" if a["overdue"] else "") for a in actions],
        }), presentation=presentation, key=f"actions_{area['area_id']}")
    if area.get("trend"):
        levels = tuple(snapshot.get("status_levels") or ())
        st.markdown("**Status vid tidigare möten:** " + " → ".join(
            f"{t['meeting_date']} {level_badge(t['level'], levels)}" for t in area["trend"]))
