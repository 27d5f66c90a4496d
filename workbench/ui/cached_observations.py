"""Cached reads of the reported observations ("Inrapporterat") for Översikt and Inrapportering,
keyed by the organisation's change version (every report and decision is audited, so a new
observation or status is seen at once) and by the access, not the person."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from workbench.access import gate
from workbench.access import gate_observations as gobs
from workbench.access.scope import Scope
from workbench.maps.build import Basemap, map_html
from workbench.situation import Period
from workbench.ui.state import by_access, get_settings, get_store


def _version(url: str, scope: Scope) -> int:
    return gate.change_version(get_store(url), scope)


def area_counts(url: str, scope: Scope, period: Period, reference: Period) -> pd.DataFrame:
    """Observations per area in the period and the reference."""
    return _area_counts(url, scope, period.start, period.end, reference.start, reference.end,
                        _version(url, scope))


@by_access
@st.cache_data(ttl=600, max_entries=32, show_spinner=False)
def _area_counts(url: str, scope: Scope, start: date, end: date, ref_start: date, ref_end: date,
                 version: int) -> pd.DataFrame:
    return gobs.area_counts(get_store(url), get_settings(), scope, Period(start, end), Period(ref_start, ref_end))


def observation_map(url: str, scope: Scope, period: Period, reference: Period, *, points: bool,
                    suppress: bool) -> str:
    """The map's HTML: area counts, and the period's points when ``points`` (point roles only)."""
    return _observation_map(url, scope, period.start, period.end, reference.start, reference.end,
                            points and scope.points, suppress, _version(url, scope))


@by_access
@st.cache_data(ttl=600, max_entries=32, show_spinner="Ritar kartan …")
def _observation_map(url: str, scope: Scope, start: date, end: date, ref_start: date, ref_end: date,
                     points: bool, suppress: bool, version: int) -> str:
    from workbench.maps.observation_map import observation_map as build

    settings, store = get_settings(), get_store(url)
    period = Period(start, end)
    counts = _area_counts(url, scope, start, end, ref_start, ref_end, version)
    frame = None
    if points:
        frame = gobs.observations(store, settings, scope)
        frame = frame[(frame["time"] >= period.start_dt) & (frame["time"] < period.end_dt)]
    areas = gate.areas(store, scope)
    by_area = {int(r.area_id): int(r.current) for r in counts.itertuples() if pd.notna(r.area_id)}
    return map_html(build(areas, by_area, frame, min_count=settings.min_count, suppress=suppress,
                          basemap=Basemap(settings.basemap, settings.basemap_attribution),
                          levels=settings.assessment_levels))
