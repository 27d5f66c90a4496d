"""Cached builders of hot-spots over time, near-repeat and the QGIS/Excel export: keyed by the
data version and the access (by_access), like ui/cached.py (kept apart: others change that file)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from workbench.access import gate, gate_hotspots
from workbench.access.scope import Scope
from workbench.maps.build import Basemap
from workbench.situation import Period
from workbench.ui import cached
from workbench.ui.state import by_access, get_store


@by_access
@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Beräknar hot-spots över tid …")
def emerging_run(url: str, scope: Scope, version: int, event_filter, cell: int, step: str):
    """The EmergingResult of one selection, or the Swedish reason there is none (a str)."""
    from workbench.hotspots.emerging import TooFewSteps

    try:
        return gate_hotspots.emerging(get_store(url), scope, event_filter, cell, step)
    except TooFewSteps as exc:
        return str(exc)
    except ValueError as exc:
        return f"Ingen analys av hot-spots över tid: {exc}."


@by_access
@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Beräknar hot-spots över tid …")
def emerging_areas(url: str, scope: Scope, version: int, event_filter, step: str):
    """Areas as bins: (AreaEmergingResult, prepared map args) or the Swedish reason (a str)."""
    from workbench.hotspots.emerging import TooFewSteps

    try:
        return gate_hotspots.emerging_areas(get_store(url), scope, cached.area_layer(url, scope, "district"),
                                            event_filter, step)
    except TooFewSteps as exc:
        return str(exc)
    except ValueError as exc:
        return f"Ingen analys av hot-spots över tid per område: {exc}."


@by_access
@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Ritar kartan …")
def emerging_area_map(url: str, scope: Scope, version: int, event_filter, step: str, min_count: int,
                      suppress: bool, basemap: str, attribution: str, key: str):
    from workbench.maps.emerging_map import area_emerging_map
    from workbench.ui import folium_map

    result = emerging_areas(url, scope, version, event_filter, step)
    return folium_map.prepare(area_emerging_map(result, cached.area_layer(url, scope, "district"),
                                                min_count=min_count, suppress=suppress,
                                                basemap=Basemap(basemap, attribution)), key)


@by_access
@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Ritar kartan …")
def emerging_map(url: str, scope: Scope, version: int, event_filter, cell: int, step: str,
                 min_count: int, suppress: bool, basemap: str, attribution: str, key: str):
    from workbench.maps.emerging_map import emerging_map as build
    from workbench.ui import folium_map

    result = emerging_run(url, scope, version, event_filter, cell, step)
    return folium_map.prepare(build(result, cached.area_layer(url, scope, "district"),
                                    min_count=min_count, suppress=suppress,
                                    basemap=Basemap(basemap, attribution)), key)


@by_access
@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Räknar par och permutationer …")
def near_repeat_table(url: str, scope: Scope, version: int, categories: tuple[str, ...],
                      start: date, end: date, distance_bands: tuple[float, ...],
                      time_bands: tuple[float, ...], permutations: int):
    """The KnoxTable, or the Swedish reason there is none (a str)."""
    from workbench.hotspots.near_repeat import NearRepeatError

    try:
        return gate_hotspots.near_repeat(get_store(url), scope, categories, start=start, end=end,
                                         distance_bands=distance_bands, time_bands=time_bands,
                                         permutations=permutations)
    except NearRepeatError as exc:
        return str(exc)


@by_access
@st.cache_data(max_entries=4, ttl=600, show_spinner="Förbereder exporten …")
def export_bytes(url: str, scope: Scope, version: int, start: date, end: date, fmt: str, cell: int,
                 categories: tuple[str, ...], min_count: int, shared_screen: bool) -> bytes:
    from workbench.config import Settings

    settings = Settings.load(db_url=url)
    data, _, _ = gate.export_layers(get_store(url), settings, scope, Period(start, end), fmt, cell=cell,
                                    near_categories=categories, shared_screen=shared_screen)
    return data


@by_access
@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Beräknar uppmärksamhetszoner …")
def attention(url: str, scope: Scope, version: int, categories: tuple[str, ...], start: date,
              end: date, distance_bands: tuple[float, ...], time_bands: tuple[float, ...], cell: int,
              horizon: int, min_count: int, suppress: bool, basemap: str, attribution: str, key: str):
    """(zones shown, zones hidden on the shared screen, prepared map or None) for the near-repeat
    view; None when the table has no significant pattern."""
    from workbench.geo.grid import grid_over
    from workbench.maps.emerging_map import attention_map
    from workbench.ui import folium_map

    table = near_repeat_table(url, scope, version, categories, start, end, distance_bands, time_bands, 999)
    if isinstance(table, str) or not table.significant():
        return None
    grid = grid_over(cached.extent(url, scope, version), cell)
    zones = gate_hotspots.attention(get_store(url), scope, categories, table, grid, end, horizon)
    hidden = zones[zones["events"] < min_count] if suppress else zones.iloc[0:0]
    shown = zones.drop(hidden.index)
    prepared = (folium_map.prepare(attention_map(grid, shown, cached.area_layer(url, scope, "district"),
                                                 basemap=Basemap(basemap, attribution)), key)
                if len(shown) else None)
    return shown, len(hidden), prepared
