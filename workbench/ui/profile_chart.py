"""Small Swedish charts shared by the pages: the weekday × hour heat map and a month trend."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from workbench.anonymise.suppress import is_suppressed
from workbench.hotspots.timeprofile import WEEKDAYS_SV

HIDDEN_COLOUR = "#bdbdbd"
MONTHS_SV = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def profile_frame(table: pd.DataFrame, show: Callable[[int], str], *, hide_small: bool,
                  min_count: int) -> pd.DataFrame:
    """The 7 × 24 table (rows mån–sön, columns 0–23) as one row per weekday and hour, with the
    label a shared screen may show; a hidden count has no value to colour by."""
    rows = []
    for weekday in table.index:
        for hour in table.columns:
            n = int(table.loc[weekday, hour])
            hidden = hide_small and is_suppressed(n, min_count)
            rows.append({"Veckodag": str(weekday), "Timme": int(hour), "Händelser": None if hidden else n,
                         "Antal": show(n), "dolt": hidden})
    return pd.DataFrame(rows)


def profile_chart(table: pd.DataFrame, show: Callable[[int], str], *, hide_small: bool,
                  min_count: int, height: int = 210) -> alt.Chart:
    """Weekday × hour as a heat map that fits a column without scrolling (not 168 numbers)."""
    data = profile_frame(table, show, hide_small=hide_small, min_count=min_count)
    base = alt.Chart(data).encode(
        x=alt.X("Timme:O", title="Timme", axis=alt.Axis(labelAngle=0, labelExpr=(
            "datum.value % 3 == 0 ? datum.value : ''"))),
        y=alt.Y("Veckodag:O", sort=list(WEEKDAYS_SV), title=None, axis=alt.Axis(labelOverlap=False)),
        tooltip=[alt.Tooltip("Veckodag:N"), alt.Tooltip("Timme:O"), alt.Tooltip("Antal:N", title="Händelser")])
    shown = base.transform_filter("!datum.dolt").mark_rect(stroke="#ffffff", strokeWidth=0.5).encode(
        color=alt.Color("Händelser:Q", scale=alt.Scale(scheme="orangered"),
                        legend=alt.Legend(title="Händelser", format="d", tickMinStep=1)))  # no "1, 1, 0"
    layers = [shown]
    if hide_small and data["dolt"].any():
        layers.append(base.transform_filter("datum.dolt").mark_rect(
            color=HIDDEN_COLOUR, stroke="#ffffff", strokeWidth=0.5))
    return alt.layer(*layers).properties(height=height).configure_axis(
        labelFontSize=12, titleFontSize=12).configure_legend(labelFontSize=12, titleFontSize=12)


def show_profile(table: pd.DataFrame, show: Callable[[int], str], *, hide_small: bool, min_count: int,
                 key: str, height: int = 210) -> None:
    """The heat map in the page, with a line on what grey means on a shared screen."""
    st.altair_chart(profile_chart(table, show, hide_small=hide_small, min_count=min_count, height=height),
                    width="stretch", key=key)
    if hide_small:
        st.caption(f"Grå ruta: färre än {min_count} händelser (dolt på delad skärm).")


def month_label(month: pd.Timestamp) -> str:
    return f"{MONTHS_SV[month.month - 1]} {month:%y}"


def trend_chart(monthly: pd.DataFrame, height: int = 140) -> alt.Chart:
    """Counts per month as bars, Swedish month names in order."""
    data = monthly.assign(Månad=[month_label(m) for m in monthly["month"]],
                          Händelser=monthly["count"].astype(int))
    return alt.Chart(data).mark_bar(color="#b2182b").encode(
        x=alt.X("Månad:N", sort=list(data["Månad"]), title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("Händelser:Q", title="Händelser", axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("Månad:N"), alt.Tooltip("Händelser:Q", format="d")],
    ).properties(height=height)
