"""The Hot-spots page's right-hand panel: what was clicked or drawn on the map, its figures over
time, and making it a place (from a cell, a drawn polygon, a circle or a map click)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
import streamlit as st
from shapely.geometry import Point, shape

from workbench import numbers as nf
from workbench import roles
from workbench.access import gate
from workbench.access.scope import Scope
from workbench.errors import WorkbenchError
from workbench.filters import EventFilter
from workbench.geo.crs import SWEREF99TM, WGS84, to_wgs84, transform
from workbench.hotspots.gistar import cell_text
from workbench.hotspots.history import History, history, trend_label
from workbench.hotspots.ranking import place_geometries
from workbench.hotspots.timeprofile import hour_weekday
from workbench.services.places import polygon_sweref
from workbench.taxonomy import category_label
from workbench.ui import cached, personal_data, profile_chart
from workbench.ui.state import by_access, flash, get_store, plain

PLACE_KINDS = ["torg", "busstation", "park", "skolgård", "gångtunnel", "centrum", "annan"]
SEEN, SELECTED = "hs_map_seen", "hs_map_selected"


def selection_label(state, default_cell: int = 250) -> str:
    """The filter expander's title: what is chosen, so the filters can stay folded and the map in
    view (the widgets' values from the last run; the defaults before the first)."""
    from workbench.schema import SOURCE_LABELS_SV

    categories = state.get("hs_categories") or []
    sources = state.get("hs_sources", ["police"]) or []
    parts = [f"{len(categories)} kategorier" if len(categories) > 1 else
             (plain(category_label(categories[0])) if categories else "alla kategorier"),
             ", ".join(SOURCE_LABELS_SV.get(s, s) for s in sources) or "alla källor",
             f"{state.get('hs_cell', default_cell)} m-rutor"]
    if state.get("hs_weekdays"):
        parts.append(f"{len(state['hs_weekdays'])} veckodagar")
    hours = state.get("hs_hours", (0, 23))
    if tuple(hours) != (0, 23):
        parts.append(f"kl. {hours[0]}–{hours[1]}")
    return "Urval: " + " · ".join(parts)


@dataclass(frozen=True)
class Selection:
    """What the person last chose on the map."""

    kind: str  # "cell", "place", "drawn" (a polygon), "circle" (point and radius) or "point"
    cell_id: int | None = None
    place_id: int | None = None
    geometry: dict[str, Any] | None = None  # GeoJSON in WGS 84 (drawn polygon)
    lon: float | None = None
    lat: float | None = None
    radius_m: float | None = None


def _from_drawing(drawing: dict[str, Any]) -> Selection | None:
    properties = drawing.get("properties") or {}
    geometry = drawing.get("geometry") or {}
    if properties.get("place_id") is not None:
        return Selection("place", place_id=int(properties["place_id"]))
    if properties.get("cell_id") is not None:
        return Selection("cell", cell_id=int(properties["cell_id"]))
    if geometry.get("type") == "Point" and properties.get("radius"):
        lon, lat = geometry["coordinates"][:2]
        return Selection("circle", lon=float(lon), lat=float(lat), radius_m=float(properties["radius"]))
    if geometry.get("type") in ("Polygon", "MultiPolygon"):
        return Selection("drawn", geometry=geometry)
    return None


def _inside(drawing: dict[str, Any] | None, clicked: dict[str, Any]) -> bool:
    try:
        return bool(drawing) and drawing is not None and shape(drawing["geometry"]).covers(Point(clicked["lng"], clicked["lat"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def selection(returned: dict[str, Any] | None) -> Selection | None:
    """The latest choice: a newly clicked feature or drawn shape wins; a click elsewhere on the map
    (not inside the feature chosen last) is a point for a new place."""
    drawing = (returned or {}).get("last_active_drawing")
    clicked = (returned or {}).get("last_clicked")
    now = (json.dumps(drawing, sort_keys=True), json.dumps(clicked, sort_keys=True))
    seen = st.session_state.get(SEEN)
    if now != seen:
        st.session_state[SEEN] = now
        chosen = None
        if drawing and (seen is None or now[0] != seen[0]):
            chosen = _from_drawing(drawing)
        elif clicked and not _inside(drawing, clicked):
            chosen = Selection("point", lon=float(clicked["lng"]), lat=float(clicked["lat"]))
        if chosen is not None:
            st.session_state[SELECTED] = chosen
    return st.session_state.get(SELECTED)


@by_access
@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def _events_inside(url: str, scope: Scope, version: int, event_filter: EventFilter, cell: int,
                   what: tuple) -> pd.DataFrame:
    """Time and category of every event of the chosen kinds (categories, sources, weekdays, hours)
    inside a cell, place or drawn shape, all dates (for the period, the period before, last year
    and the trend): read from the database by the shape's box, then the exact test."""
    from workbench.access import gate_hotspots

    store = get_store(url)
    if what[0] == "cell":
        grid = cached.hotspot_run(url, scope, version, event_filter, cell).result.grid
        return gate_hotspots.events_in_cell(store, scope, event_filter, grid, int(what[1]))
    if what[0] == "place":
        chosen = cached.places(url, scope)
        chosen = chosen[chosen["id"] == what[1]]
        if chosen.empty:
            return pd.DataFrame({"time": pd.Series(dtype="datetime64[ns]"),
                                 "category": pd.Series(dtype=object), "date_only": pd.Series(dtype=bool)})
        geometry = place_geometries(chosen)[0]
    else:
        geometry = shapely.from_wkb(what[1])
    return gate_hotspots.events_inside(store, scope, event_filter, geometry)


def _shape_key(chosen: Selection) -> tuple | None:
    if chosen.kind == "cell":
        return ("cell", chosen.cell_id)
    if chosen.kind == "place":
        return ("place", chosen.place_id)
    if chosen.kind == "drawn" and chosen.geometry is not None:  # a drawn selection has its polygon
        return ("shape", shapely.to_wkb(polygon_sweref(chosen.geometry)))
    if chosen.kind == "circle":
        x, y = transform(np.array([chosen.lon]), np.array([chosen.lat]), WGS84, SWEREF99TM)
        return ("shape", shapely.to_wkb(Point(float(x[0]), float(y[0])).buffer(chosen.radius_m)))
    return None


def figures(history_: History, show, hidden, reference_label: str) -> None:
    """The period against the period before and the same period last year, each with the test."""
    c1, c2, c3 = st.columns(3)
    c1.metric("Perioden", show(history_.current))
    c2.metric("Perioden före", show(history_.previous),
              help=f"{history_.period.previous().label()}")
    c3.metric("Samma period i fjol", show(history_.last_year),
              help=f"{history_.period.same_last_year().label()}")
    lines = []
    for label, change, other in (("mot perioden före", history_.vs_previous, history_.previous),
                                 ("mot samma period i fjol", history_.vs_last_year, history_.last_year)):
        lines.append(f"{label}: " + ("dolt (små tal)" if hidden(history_.current, other)
                                     else change.label_sv()))
    st.caption("Förändring " + " · ".join(lines) + f". Vald jämförelse i sidopanelen: {reference_label}.")


def trend(history_: History, hidden, min_count: int) -> None:
    monthly = history_.monthly
    counts = monthly["count"].to_numpy()
    st.markdown("**Trend: händelser per månad, senaste året**")
    if hidden(*[c for c in counts if c > 0]):
        st.caption(f"Månadsstaplarna visas inte på delad skärm: någon månad har färre än {min_count}.")
        return
    st.altair_chart(profile_chart.trend_chart(monthly), width="stretch", key="hs_detail_trend")
    half = len(counts) // 2
    if not hidden(int(counts[:half].sum()), int(counts[half:].sum())):
        st.caption(f"Trend: {trend_label(monthly)}.")


def detail(chosen: Selection, ctx: dict[str, Any]) -> None:
    """Figures, trend, time profile and categories of the chosen cell, place or drawn shape."""
    show, hidden, min_count, suppress = ctx["show"], ctx["hidden"], ctx["min_count"], ctx["suppress"]
    result = ctx["run"].result
    if chosen.kind == "cell":
        n_cell = int(result.counts[chosen.cell_id])
        st.subheader(f"Ruta {chosen.cell_id}")
        n_around = int(result.neighbourhood()[chosen.cell_id])
        st.caption(cell_text(str(result.hotspot_class[chosen.cell_id]), show(n_cell), show(n_around))
                   + f" (z = {nf.decimal(result.z[chosen.cell_id], 2)})")
    elif chosen.kind == "place":
        names = ctx["places"].set_index("id")["name"] if len(ctx["places"]) else pd.Series(dtype=str)
        st.subheader(plain(str(names.get(chosen.place_id, "Plats"))))
    elif chosen.kind == "drawn":
        st.subheader("Ritad yta")
    elif chosen.kind == "circle":
        st.subheader(f"Cirkel, radie {chosen.radius_m:.0f} m")
    key = _shape_key(chosen)
    if key is not None:
        inside = _events_inside(ctx["url"], ctx["scope"], ctx["version"], ctx["event_filter"], ctx["cell"],
                                key)
        period = ctx["period"]
        history_ = history(inside["time"], period)
        figures(history_, show, hidden, ctx["reference_label"])
        now = inside[(inside["time"] >= period.start_dt) & (inside["time"] < period.end_dt)]
        if suppress and 0 < len(now) < min_count:
            st.caption("För få händelser i perioden för att visa tidsprofil och kategorier på en delad skärm.")
        else:
            trend(history_, hidden, min_count)
            st.markdown("**Tidsprofil (veckodag × timme)**")
            profile_chart.show_profile(hour_weekday(now), show, hide_small=suppress,
                                       min_count=min_count, key="hs_detail_profile", height=210)
            top = now["category"].astype(str).value_counts().head(5)
            st.dataframe(pd.DataFrame({"Kategori": [category_label(c) for c in top.index],
                                       "Antal": [show(v) for v in top.to_numpy()]}),
                         hide_index=True, key="hs_detail_categories")
    if chosen.kind != "place":
        new_place(chosen, ctx)


def _cell_polygon(ctx: dict[str, Any], cell_id: int) -> dict[str, Any]:
    box = ctx["run"].result.grid.boxes(np.array([cell_id]))[0]
    coords = shapely.get_coordinates(box)
    lon, lat = to_wgs84(coords[:, 0], coords[:, 1])
    return {"type": "Polygon", "coordinates": [[[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]]}


def new_place(chosen: Selection, ctx: dict[str, Any]) -> None:
    """A form to save the chosen cell, drawn shape, circle or clicked point as a named place."""
    scope = ctx["scope"]
    if not scope.can(roles.EDIT_LOOP):
        return
    titles = {"cell": "Gör rutan till en plats", "drawn": "Spara ytan som en plats",
              "circle": "Spara cirkeln som en plats", "point": "Ny plats där du klickade"}
    st.markdown(f"**{titles[chosen.kind]}**")
    if chosen.kind == "point":
        st.caption(f"Punkt {chosen.lat:.5f}, {chosen.lon:.5f}".replace(".", ",") +
                   ". Rita en yta med verktygen till vänster på kartan om platsen inte är en cirkel.")
    with st.form("hs_new_place", clear_on_submit=True):
        a, b = st.columns([3, 2])
        name = a.text_input("Namn på platsen", key="hs_place_name")
        kind = b.selectbox("Typ", PLACE_KINDS, key="hs_place_kind")
        radius = None
        if chosen.kind in ("point", "circle"):
            radius = st.number_input("Radie (m)", 5, 5000, int(round(chosen.radius_m or 50)), step=10,
                                     key="hs_place_radius")
        submitted = st.form_submit_button("Spara platsen", type="primary")
    values = (name, kind, radius) if submitted else None
    values = personal_data.confirm("hs_new_place", values, lambda v: {"Namn": v[0]})
    if values is None:
        return
    name, kind, radius = values
    try:
        if chosen.kind in ("point", "circle"):
            assert radius is not None and chosen.lon is not None and chosen.lat is not None
            new_id = gate.create_place(ctx["store"], scope, name, kind, float(radius), chosen.lon, chosen.lat)
        else:
            assert chosen.geometry is not None or chosen.cell_id is not None  # a polygon or a cell
            geometry = (chosen.geometry if chosen.kind == "drawn" or chosen.cell_id is None
                        else _cell_polygon(ctx, chosen.cell_id))
            assert geometry is not None
            new_id = gate.create_polygon_place(ctx["store"], scope, name, kind, geometry)
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        return
    st.session_state[SELECTED] = Selection("place", place_id=new_id)
    flash(f"Platsen '{plain(name.strip())}' är sparad. Den finns nu på kartan, i platslistan och på sidan Platser.")
    st.rerun()
