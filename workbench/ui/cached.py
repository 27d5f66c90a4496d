"""Cached loaders and builders: keyed by plain values so reruns and other sessions reuse them."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from workbench.access import gate
from workbench.access.scope import Scope
from workbench.maps.build import Basemap, area_count_map, map_html
from workbench.situation import Period
from workbench.ui.state import by_access, get_store

# Every loader below is keyed by the organisation's data version (see data_version): an import or
# a new place is seen at once, with no cache clearing that would empty every session's caches.
# And by the access, not the person (by_access): signed-in users with the same role in the same
# organisation share the cached frames and analyses.


def areas(url: str, scope: Scope) -> gpd.GeoDataFrame:
    """The district areas (the lägesbild's division)."""
    return area_layer(url, scope, "district")


def overview(url: str, scope: Scope, start: date, end: date, ref_start: date,
             ref_end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-area figures, per-source totals) for the period against the reference."""
    return _overview(url, scope, start, end, ref_start, ref_end,
                     data_version(url, scope))


@by_access
@st.cache_data(ttl=600, max_entries=32, show_spinner=False)
def _overview(url: str, scope: Scope, start: date, end: date, ref_start: date,
              ref_end: date, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counted per area and source in the database: no event is read into memory."""
    from workbench.access import gate_figures

    return gate_figures.overview_figures(get_store(url), scope, Period(start, end),
                                         Period(ref_start, ref_end))


def overview_map(url: str, scope: Scope, start: date, end: date, ref_start: date,
                 ref_end: date, min_count: int, suppress: bool, basemap: str,
                 attribution: str) -> str:
    """Self-contained HTML of the area map (aggregated counts only)."""
    return _overview_map(url, scope, start, end, ref_start, ref_end, min_count, suppress,
                         basemap, attribution, data_version(url, scope))


@by_access
@st.cache_data(ttl=600, max_entries=32, show_spinner="Ritar kartan …")
def _overview_map(url: str, scope: Scope, start: date, end: date, ref_start: date,
                  ref_end: date, min_count: int, suppress: bool, basemap: str,
                  attribution: str, version: int) -> str:
    figures, _ = overview(url, scope, start, end, ref_start, ref_end)
    counts = {int(r.area_id): int(r.police_current) for r in figures.itertuples()
              if r.area_id is not None and not pd.isna(r.area_id)}
    m = area_count_map(areas(url, scope), counts, min_count=min_count, suppress=suppress,
                       basemap=Basemap(basemap, attribution))
    return map_html(m)


# --- hot-spots: big frames live in cache_resource (shared, not copied per rerun) -------------

def data_version(url: str, scope: Scope) -> int:
    """Changes whenever something is imported or a place is drawn, so cached analyses are
    rebuilt at once (one small query per run: not cached, or a change would wait for a ttl)."""
    return gate.data_version(get_store(url), scope)


@by_access
@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def extent(url: str, scope: Scope, version: int) -> tuple[float, float, float, float]:
    """The study area (boundary, else the points' bounding box), from the database."""
    from workbench.access import gate_hotspots

    return gate_hotspots.extent(get_store(url), scope)


@by_access
@st.cache_resource(max_entries=16, ttl=3600, show_spinner="Beräknar hot-spots …")
def hotspot_run(url: str, scope: Scope, version: int, event_filter, cell: int):
    """Gi* of one selection, counted per cell in the database (no event held in memory)."""
    from workbench.access import gate_hotspots

    return gate_hotspots.run(get_store(url), scope, event_filter, cell)


def places(url: str, scope: Scope) -> gpd.GeoDataFrame:
    return _places(url, scope, data_version(url, scope))


@by_access
@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _places(url: str, scope: Scope, version: int) -> gpd.GeoDataFrame:
    return gate.place_layer(get_store(url), scope)


def area_layer(url: str, scope: Scope, layer: str) -> gpd.GeoDataFrame:
    return _area_layer(url, scope, layer, data_version(url, scope))


@by_access
@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _area_layer(url: str, scope: Scope, layer: str, version: int) -> gpd.GeoDataFrame:
    return gate.areas(get_store(url), scope, layer)


@by_access
@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def fault_reports(url: str, scope: Scope, version: int) -> pd.DataFrame:
    return gate.fault_reports(get_store(url), scope)


@by_access
@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def hotspot_tables(url: str, scope: Scope, version: int, event_filter, cell: int,
                   reference_start: date, reference_end: date) -> dict:
    """The page's tables for one selection, computed once (reruns and other sessions reuse them),
    counted in the database; only the period's fault reports are rows in memory."""
    from workbench.access import gate_hotspots
    from workbench.hotspots.followthrough import fix_times, repeat_spots
    from workbench.hotspots.ranking import top_cells

    run = hotspot_run(url, scope, version, event_filter, cell)
    period = Period(event_filter.start, event_filter.end)
    reference = Period(reference_start, reference_end)
    faults = fault_reports(url, scope, version)
    faults = faults[(faults["reported_at"] >= period.start_dt) & (faults["reported_at"] < period.end_dt)]
    tables = gate_hotspots.tables(get_store(url), scope, event_filter, run, period, reference,
                                  area_layer(url, scope, "district"), places(url, scope))
    kinds = type(event_filter)(None, None, event_filter.categories, event_filter.sources,
                               event_filter.weekdays, event_filter.hours)
    return {**tables, "critical": hotspot_critical(url, scope, version, kinds),
            "top_cells": top_cells(run.result, 10), "faults": faults,
            "fix_times": fix_times(faults) if len(faults) else None,
            "repeat_spots": repeat_spots(faults) if len(faults) else None}


@by_access
@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def hotspot_critical(url: str, scope: Scope, version: int, kinds) -> pd.DataFrame:
    """Critical dates of one kind of selection (no period: a new period reuses it; one scan of
    every stored date, 0.5 s at a million in SQLite)."""
    from workbench.access import gate_hotspots

    return gate_hotspots.critical(get_store(url), scope, kinds)


def _hotspot_layers(url: str, scope: Scope, version: int, event_filter, cell: int,
                    reference_start: date, reference_end: date):
    """What the hot-spot map shows for one selection (aggregates only); called only by the
    cached hotspot_map, so not cached itself (a second copy of the density grid per selection)."""
    from workbench.access import gate_hotspots
    from workbench.maps.hotspot_map import HotspotLayers

    store = get_store(url)
    run = hotspot_run(url, scope, version, event_filter, cell)
    tables = hotspot_tables(url, scope, version, event_filter, cell, reference_start,
                            reference_end)  # the page's own call: computed once
    faults = tables["faults"]
    grid = run.result.grid
    place_frame = places(url, scope)
    ranking = tables["ranking"]
    period = Period(event_filter.start, event_filter.end)
    return HotspotLayers(
        result=run.result,
        density=gate_hotspots.density(store, scope, event_filter, extent(url, scope, version))
        if run.n_points else None,
        areas=area_layer(url, scope, "district"),
        other_areas={"Grannsamverkan": area_layer(url, scope, "neighbourhood_watch"),
                     "Utsatta områden": area_layer(url, scope, "vulnerable_area")},
        places=place_frame.assign(count=ranking.set_index("place_id")["count"]
                                  .reindex(place_frame["id"]).to_numpy()) if ranking is not None else None,
        fault_counts=grid.counts(faults["x"].to_numpy(), faults["y"].to_numpy()).ravel(),
        walk_counts=gate_hotspots.walk_counts(store, scope, period, grid),
    )


@by_access
@st.cache_resource(max_entries=16, ttl=3600, show_spinner="Ritar kartan …")
def hotspot_map(url: str, scope: Scope, version: int, event_filter, cell: int,
                reference_start: date, reference_end: date, min_count: int, suppress: bool,
                basemap: str, attribution: str, key: str, area_id: int | None = None,
                draw: bool = False):
    """The hot-spot map rendered once per selection (st_folium would render it on every rerun),
    first fitted to the chosen area or to the hot cells."""
    from workbench.maps.hotspot_map import hotspot_map as build
    from workbench.ui import folium_map

    layers = _hotspot_layers(url, scope, version, event_filter, cell, reference_start, reference_end)
    return folium_map.prepare(build(layers, min_count=min_count, suppress=suppress,
                                    basemap=Basemap(basemap, attribution), area_id=area_id,
                                    draw=draw), key)


@by_access
@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def event_categories(url: str, scope: Scope, version: int) -> tuple[str, ...]:
    """The categories present in the scope's events (the hot-spot filter's choices), listed in
    the database (SELECT DISTINCT), not from the full event frame."""
    return gate.event_categories(get_store(url), scope)


@by_access
@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def place_events(url: str, scope: Scope, version: int, place_id: int) -> pd.DataFrame:
    """Every event with a point inside one place (its polygon, or its point and radius), read
    from the database by the place's box."""
    from workbench.access import gate_hotspots
    from workbench.hotspots.ranking import place_geometries

    chosen = places(url, scope)
    chosen = chosen[chosen["id"] == place_id]
    if chosen.empty:
        return pd.DataFrame(columns=["kind", "source", "category", "time", "x", "y", "precision", "date_only"])
    return gate_hotspots.place_events(get_store(url), scope, place_geometries(chosen)[0])


# --- EST meetings and reports ----------------------------------------------------------------

def meeting_figures(url: str, scope: Scope, start: date, end: date,
                    area_ids: tuple[int, ...]) -> dict:
    """Per-area briefs, outlines and hot-spot cells of a meeting's period, cached per data
    version (a new import gives new figures at once)."""
    from workbench.ui.state import get_settings

    return _meeting_figures(url, scope, start, end, area_ids,
                            data_version(url, scope), get_settings().grid_size_m)


@by_access
@st.cache_data(ttl=3600, max_entries=16, show_spinner="Tar fram mötets siffror …")
def _meeting_figures(url: str, scope: Scope, start: date, end: date,
                     area_ids: tuple[int, ...], version: int, cell: int) -> dict:
    from workbench.ui.state import get_settings

    return gate.meeting_figures(get_store(url), get_settings(), scope, Period(start, end),
                                list(area_ids))


def meeting_area_map(url: str, scope: Scope, start: date, end: date,
                     area_ids: tuple[int, ...], area_id: int, presentation: bool = False) -> bytes:
    """The compact map of one agenda area (drawn once per data version, not on every rerun);
    for the projector with larger type."""
    from workbench.ui.state import get_settings

    return _meeting_area_map(url, scope, start, end, area_ids, area_id,
                             data_version(url, scope), get_settings().min_count, presentation)


@by_access
@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _meeting_area_map(url: str, scope: Scope, start: date, end: date,
                      area_ids: tuple[int, ...], area_id: int, version: int, min_count: int,
                      presentation: bool = False) -> bytes:
    from workbench.reports.meeting_docs import area_map

    data = meeting_figures(url, scope, start, end, area_ids)
    return area_map({"areas": list(data["areas"].values()), "hot_cells": data["hot_cells"],
                     "min_count": min_count}, area_id, width_in=4.6 if presentation else 8.0)


def report_bytes(url: str, scope: Scope, kind: str, fmt: str, start: date | None,
                 end: date | None, meeting_id: int | None) -> bytes:
    """A report's file, rebuilt whenever anything of the organisation changed (audit log)."""
    version = gate.change_version(get_store(url), scope)
    return _report_bytes(url, scope, kind, fmt, start, end, meeting_id, version)


@by_access
@st.cache_data(ttl=3600, max_entries=32, show_spinner="Skriver rapporten …")
def _report_bytes(url: str, scope: Scope, kind: str, fmt: str, start: date | None,
                  end: date | None, meeting_id: int | None, version: int) -> bytes:
    from workbench.ui.state import get_settings

    period = Period(start, end) if start is not None and end is not None else None
    return gate.report(get_store(url), get_settings(), scope, kind, fmt, period=period,
                       meeting_id=meeting_id, on_screen=(kind, fmt) == ("minutes", "html")).data



@by_access
@st.cache_data(ttl=3600, max_entries=16, show_spinner="Tar fram underlaget …")
def planning_check(url: str, scope: Scope, wkb: bytes, notes: tuple[str, ...], buffer_m: float,
                   start: date, end: date, name: str, reference: str | None, version: int):
    """The planning check of a plan area (WKB, EPSG:3006); ``version`` is the organisation's
    change version (gate.change_version), so any change rebuilds it."""
    import shapely

    from workbench.planning.area import PlanArea
    from workbench.ui.state import get_settings

    plan = PlanArea(shapely.from_wkb(wkb), notes)
    return gate.planning_check(get_store(url), get_settings(), scope, plan, buffer_m=buffer_m,
                               period=Period(start, end), name=name, reference=reference)


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def planning_map(_result, key: str, basemap: str, attribution: str) -> str:
    """The planning check's web map as HTML (built once per check, not on every checklist edit)."""
    from workbench.maps.build import map_html
    from workbench.maps.plan_map import plan_check_map

    f = _result.figures
    return map_html(plan_check_map(_result.plan.geometry, f.buffer_m, districts=_result.districts,
                                   cells=f.hot_cells.to_dict("records"), places=_result.places,
                                   basemap=Basemap(basemap, attribution), title=_result.name))


@st.cache_data(ttl=3600, max_entries=8, show_spinner="Skriver trygghetsbedömningen …")
def planning_report(scope: Scope, _result, key: str, fmt: str,
                    checklist: tuple[tuple[str, str, str], ...], version: str | None) -> bytes:
    """The trygghetsbedömning's file; ``key`` identifies the check (the result is not hashed)."""
    items = [{"key": k, "assessment": a, "comment": c} for k, a, c in checklist]
    return gate.planning_document(scope, _result, fmt, checklist=items, version=version).data
