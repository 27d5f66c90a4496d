"""Planning check use cases: read or draw a plan area, gather what is known around it, keep
the planner's BoTryggt assessment with its version history, and render the trygghetsbedömning.

The Samhällsplanering page and ``workbench report planning`` call the same functions.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from workbench.config import Settings
from workbench.errors import WorkbenchError
from workbench.geo.crs import SWEREF99TM, WGS84, transform
from workbench.hotspots.ranking import place_geometries
from workbench.io import plan_file
from workbench.planning.area import PlanArea, check_buffer, plan_area
from workbench.planning.checklist import blank_checklist, clean_checklist, suggestions
from workbench.planning.figures import planning_figures
from workbench.planning.result import PlanningCheck
from workbench.planning.stored import ASSESSMENT_SCHEMA, AssessmentFigures, SideCounts
from workbench.reports.common import Numbers
from workbench.reports.html import render_html
from workbench.reports.pdf import render_pdf
from workbench.reports.planning_report import planning_document
from workbench.schema import KIND_FAULT_REPORT, KIND_INCIDENT, KIND_WALK_OBSERVATION
from workbench.services import hotspots as hs
from workbench.services.meetings import hot_cells
from workbench.services.reports import MIME, Built, ReportError, organisation_name
from workbench.situation import Period, trailing_months
from workbench.store import loop
from workbench.store import planning as plans
from workbench.store import repositories as repo
from workbench.store.db import Store

DRAWN_SOURCE = "ritad i kartan"
PERIOD_MONTHS = (12, 24, 36)


def read_plan(data: bytes, file_name: str, *, crs: str | None = None) -> PlanArea:
    """The plan area of an uploaded file, repaired where possible, with every note."""
    read = plan_file.read_plan_file(data, file_name, crs=crs)
    area = plan_area(read.geometries, source=file_name)
    return PlanArea(area.geometry, tuple(read.notes) + area.notes)


def drawn_plan(geometry: dict[str, Any]) -> PlanArea:
    """The plan area drawn on the web map (a GeoJSON geometry in WGS 84)."""
    try:
        drawn = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise WorkbenchError(f"Den ritade ytan kan inte läsas: {exc}") from None
    projected = shapely.transform(drawn, lambda xy: np.column_stack(
        transform(xy[:, 0], xy[:, 1], WGS84, SWEREF99TM)))
    return plan_area([projected], source="Den ritade ytan")


def stored_plan(store: Store, organisation_id: int, plan_id: int) -> dict[str, Any]:
    return plans.get_plan(store.engine, organisation_id, plan_id)


def find(store: Store, organisation_id: int, name: str) -> int:
    """The id of the saved plan called ``name``."""
    plan_id = plans.find_plan(store.engine, organisation_id, name)
    if plan_id is None:
        known = ", ".join(plans.list_plans(store.engine, organisation_id)["name"].astype(str)) or "inga"
        raise WorkbenchError(f"Det finns ingen sparad plan som heter '{name}' (sparade: {known}).")
    return plan_id


def default_period(store: Store, organisation_id: int, months: int = 12) -> Period:
    """The ``months`` months up to the newest police incident (today without data)."""
    _, latest = repo.data_extent(store.engine, KIND_INCIDENT, [organisation_id])
    return trailing_months(latest.date() if latest is not None else date.today(), months)


def check(store: Store, settings: Settings, organisation_id: int, plan: PlanArea, *,
          buffer_m: float, period: Period, name: str = "Planområde",
          reference: str | None = None) -> PlanningCheck:
    """Everything the workbench knows in and around ``plan`` during ``period``."""
    buffer_m = check_buffer(buffer_m)
    organisation = organisation_name(store, organisation_id)
    engine = store.engine
    events = hs.load_events(store, [organisation_id], start=period.start_dt, end=period.end_dt)
    faults = repo.load_points(engine, KIND_FAULT_REPORT, [organisation_id],
                              start=period.start_dt, end=period.end_dt)
    walks = repo.load_points(engine, KIND_WALK_OBSERVATION, [organisation_id],
                             start=period.start_dt, end=period.end_dt)
    cells = pd.DataFrame(hot_cells(events, store, organisation_id, period, settings.grid_size_m,
                                   limit=None), columns=["x0", "y0", "cell", "class", "count"])
    places = repo.load_places(engine, [organisation_id])
    if len(places):
        places = places.set_geometry(gpd.GeoSeries(place_geometries(places), crs=SWEREF99TM))
    areas = repo.load_areas(engine, [organisation_id])
    figures = planning_figures(
        plan=plan.geometry, buffer_m=buffer_m, period=period, events=events, faults=faults,
        walks=walks, hot_cells=cells, places=places, actions=loop.list_actions(engine, organisation_id),
        analyses=loop.cause_analyses(engine, organisation_id),
        commitments=loop.commitments(engine, organisation_id), areas=areas,
        indicators=repo.load_indicators(engine, organisation_id),
        sensitive=settings.sensitive_categories)
    near_ids = set(figures.districts["area_id"])
    districts = areas[areas["id"].isin(near_ids)][["id", "name", "geometry"]]
    place_layer = (places[places["id"].isin(set(figures.places["id"]))]
                   .merge(figures.places[["id", "zone"]], on="id")[["id", "name", "kind", "zone", "geometry"]]
                   if len(places) and len(figures.places)
                   else gpd.GeoDataFrame(columns=["id", "name", "kind", "zone", "geometry"],
                                         geometry="geometry", crs=SWEREF99TM))
    return PlanningCheck(
        organisation=organisation, name=name, reference=reference, plan=plan, figures=figures,
        suggestions=suggestions(figures, Numbers(settings.min_count)),
        districts=gpd.GeoDataFrame(districts, geometry="geometry", crs=SWEREF99TM),
        places=gpd.GeoDataFrame(place_layer, geometry="geometry", crs=SWEREF99TM),
        min_count=settings.min_count)


def summary(result: PlanningCheck, min_count: int) -> AssessmentFigures:
    """The key figures of a check as stored with a saved version (already suppressed)."""
    show = Numbers(min_count)
    f = result.figures

    def sides(source: str) -> SideCounts:
        return SideCounts(inside=show(f.total(source, "inside")), ring=show(f.total(source, "ring")))

    return AssessmentFigures(
        schema=ASSESSMENT_SCHEMA, period=[str(f.period.start), str(f.period.end)], buffer_m=f.buffer_m,
        area_m2=round(f.plan_area_m2, 1), incidents=sides("incidents"), faults=sides("faults"),
        walks=sides("walks"), hot_cells=len(f.hot_cells), places=list(f.places["name"].astype(str)),
        suggestions=result.suggestions)


def create(store: Store, settings: Settings, organisation_id: int, result: PlanningCheck, *,
           name: str, reference: str | None, source: str | None, actor: str,
           checklist: list[dict[str, Any]] | None = None) -> int:
    """Save a new plan: outline, buffer and a first version with the planner's checklist (or
    the data's suggestions, not yet assessed)."""
    try:
        items = (clean_checklist(checklist, result.suggestions) if checklist
                 else blank_checklist(result.suggestions))
    except ValueError as exc:
        raise WorkbenchError(f"Checklistan kan inte sparas: {exc}.") from None
    with store.transaction() as conn:
        return plans.create_plan(
            conn, organisation_id, name=name, reference=reference, source=source,
            geometry=result.plan.geometry, buffer_m=result.figures.buffer_m,
            checklist=items, figures=summary(result, settings.min_count),
            period=(result.figures.period.start, result.figures.period.end), actor=actor)


def save(store: Store, settings: Settings, organisation_id: int, plan_id: int, expected_version: int,
         result: PlanningCheck, checklist: list[dict[str, Any]], *, note: str | None,
         actor: str) -> int:
    """Save the planner's checklist (and the current outline and buffer) as a new version."""
    try:
        cleaned = clean_checklist(checklist, result.suggestions)
    except ValueError as exc:
        raise WorkbenchError(f"Checklistan kan inte sparas: {exc}.") from None
    with store.transaction() as conn:
        return plans.save_version(
            conn, organisation_id, plan_id, expected_version, geometry=result.plan.geometry,
            buffer_m=result.figures.buffer_m, checklist=cleaned,
            figures=summary(result, settings.min_count),
            period=(result.figures.period.start, result.figures.period.end), note=note, actor=actor)


def history(store: Store, organisation_id: int, plan_id: int) -> list[dict[str, Any]]:
    return plans.versions(store.engine, organisation_id, plan_id)


def remove(store: Store, organisation_id: int, plan_id: int, *, actor: str) -> None:
    with store.transaction() as conn:
        plans.delete_plan(conn, organisation_id, plan_id, actor=actor)


def version_label(version: dict[str, Any]) -> str:
    """'Bedömningen är version 2, sparad …' of a saved version (or of a plan: its latest)."""
    return (f"Bedömningen är version {version['version']}, sparad {version['saved_at']:%Y-%m-%d %H:%M} "
            f"av {version['saved_by']}")


def report(result: PlanningCheck, fmt: str, *, checklist: list[dict[str, Any]] | None = None,
           version: str | None = None) -> Built:
    """The trygghetsbedömning as HTML or PDF, with a file name from the plan's name."""
    if fmt not in ("html", "pdf"):
        raise ReportError(f"Trygghetsbedömningen kan sparas som html eller pdf, inte {fmt}.")
    doc = planning_document(result, checklist=checklist, version=version)
    data = render_pdf(doc) if fmt == "pdf" else render_html(doc).encode("utf-8")
    return Built(data, report_name(result, fmt), MIME[fmt])


def report_name(result: PlanningCheck, fmt: str) -> str:
    """'trygghetsbedomning-detaljplan-for-norrby.pdf': a safe ASCII file name from the plan's."""
    ascii_name = result.name.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "plan"
    return f"trygghetsbedomning-{stem[:60]}.{fmt}"
