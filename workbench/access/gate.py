"""The gate: every read and write a page, an export or a CLI command makes, checked against the
caller's Scope. The organisation always comes from the scope, never from a parameter, so a
changed URL, widget value or command option cannot reach another organisation's rows.

Roles without point access get event frames without coordinates; housing gets only its areas.
Exports are audited here (verb ``export``); changes are audited by the store in their transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from workbench import roles as r
from workbench.access.gate_meetings import meeting, meeting_figures, meeting_list, meeting_snapshot  # noqa: F401
from workbench.access.scope import Scope
from workbench.config import Settings
from workbench.errors import AccessDenied, NotFoundError
from workbench.lazy import lazy
from workbench.schema import KIND_FAULT_REPORT, KIND_INCIDENT
from workbench.store.db import Store

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from workbench.services.reports import Built
    from workbench.situation import Period

# Imported on first use (workbench.lazy): a command that reads hot-spots does not load the
# reports, planning and import machinery (1.1 s of a cold `workbench hotspots`).
hs = lazy("workbench.services.hotspots")
imports = lazy("workbench.services.imports")
meetings = lazy("workbench.services.meetings")
places = lazy("workbench.services.places")
planning = lazy("workbench.services.planning")
police_area = lazy("workbench.services.police_area")
reports = lazy("workbench.services.reports")
routing = lazy("workbench.services.routing")
loop_service = lazy("workbench.services.loop")
personal_values = lazy("workbench.anonymise.values")
audit_store = lazy("workbench.store.audit")
loop = lazy("workbench.store.loop")
plan_store = lazy("workbench.store.planning")
repo = lazy("workbench.store.repositories")

POINT_COLUMNS = ("x", "y")


# --- reading ---------------------------------------------------------------------------------

def _own_areas(scope: Scope, frame: pd.DataFrame, column: str) -> pd.DataFrame:
    if scope.area_ids is None:
        return frame
    return frame[frame[column].isin(scope.area_ids)].reset_index(drop=True)


def events(store: Store, scope: Scope, *, start: datetime | None = None,
           end: datetime | None = None) -> pd.DataFrame:
    """Counted events of the organisation (aggregation input): no coordinates for roles without
    point access, only the own areas for housing."""
    scope.require(r.READ_AGGREGATES)
    return visible_events(scope, hs.load_events(store, [scope.organisation_id], start=start, end=end))


def visible_events(scope: Scope, frame: pd.DataFrame) -> pd.DataFrame:
    """What ``scope`` may see of an event frame read for its organisation (e.g. the hot-spots'
    point frame, reused for the figures instead of a second read): only its own areas for
    housing, no coordinates without point access. Unchanged (the same object) when nothing is
    hidden; callers must not modify it."""
    scope.require(r.READ_AGGREGATES)
    frame = _own_areas(scope, frame, "area_id")
    return frame if scope.points else frame.drop(columns=[c for c in POINT_COLUMNS if c in frame])


def point_events(store: Store, scope: Scope) -> pd.DataFrame:
    """Every counted event with its point (hot-spot analysis): roles with point access only."""
    scope.require(r.READ_POINTS)
    return hs.load_events(store, [scope.organisation_id])


def event_categories(store: Store, scope: Scope) -> tuple[str, ...]:
    """The categories present in the scope's counted events (the hot-spot filters' choices),
    listed in the database."""
    scope.require(r.READ_POINTS)
    return hs.stored_categories(store, scope.organisation_id)


def study_extent(store: Store, scope: Scope, frame: pd.DataFrame) -> tuple[float, float, float, float]:
    scope.require(r.READ_POINTS)
    return hs.study_extent(store, scope.organisation_id, frame)


def hotspot_run(store: Store, scope: Scope, event_filter, cell: float):
    """Gi* of the scope's points for a filter, reading only the rows and columns it keeps."""
    scope.require(r.READ_POINTS)
    return hs.run_stored(store, scope.organisation_id, event_filter, cell)


def hotspot_cells(store: Store, scope: Scope, event_filter, cell: float):
    """(Gi* result, events with a point) of the scope's points, counted per cell in the database."""
    scope.require(r.READ_POINTS)
    return hs.cells_stored(store, scope.organisation_id, event_filter, cell)


def study_boundary(store: Store, scope: Scope):
    """The organisation's boundary (None when not imported): the study area of hot-spots over time."""
    scope.require(r.READ_POINTS)
    return repo.organisation_boundary(store.engine, scope.organisation_id)


def fault_reports(store: Store, scope: Scope) -> pd.DataFrame:
    scope.require(r.READ_POINTS)
    return repo.load_points(store.engine, KIND_FAULT_REPORT, [scope.organisation_id])


def areas(store: Store, scope: Scope, layer: str = "district") -> gpd.GeoDataFrame:
    scope.require(r.READ_AGGREGATES)
    return _own_areas(scope, repo.load_areas(store.engine, [scope.organisation_id], layer=layer), "id")


def latest(store: Store, scope: Scope) -> datetime | None:
    scope.require(r.READ_AGGREGATES)
    return repo.data_extent(store.engine, KIND_INCIDENT, [scope.organisation_id])[1]


def data_version(store: Store, scope: Scope) -> int:
    scope.require(r.READ_AGGREGATES)
    return repo.data_version(store.engine, scope.organisation_id)


def change_version(store: Store, scope: Scope) -> int:
    scope.require(r.READ_AGGREGATES)
    return repo.change_version(store.engine, scope.organisation_id)


def place_layer(store: Store, scope: Scope) -> gpd.GeoDataFrame:
    scope.require(r.READ_LOOP)
    return repo.load_places(store.engine, [scope.organisation_id])


def actions(store: Store, scope: Scope) -> pd.DataFrame:
    """The åtgärder; a reader limited to its areas gets those in them and the kommun-wide ones."""
    scope.require(r.READ_LOOP)
    return reports.own_actions(loop.list_actions(store.engine, scope.organisation_id), scope.area_ids)


def commitments(store: Store, scope: Scope) -> pd.DataFrame:
    scope.require(r.READ_LOOP)
    return loop.commitments(store.engine, scope.organisation_id)


def citizen_promises(store: Store, scope: Scope) -> pd.DataFrame:
    """The items of the organisation's medborgarlöften (``current``: the period has not ended)."""
    scope.require(r.READ_LOOP)
    return loop.citizen_promises(store.engine, scope.organisation_id)


def cause_analyses(store: Store, scope: Scope, place_id: int | None = None) -> pd.DataFrame:
    scope.require(r.READ_LOOP)
    return loop.cause_analyses(store.engine, scope.organisation_id, place_id)


def agreement_follow_up(store: Store, scope: Scope) -> pd.DataFrame:
    scope.require(r.READ_LOOP)
    return loop.agreement_follow_up(store.engine, scope.organisation_id)


def profiles(store: Store, scope: Scope, kind: str) -> list[dict[str, Any]]:
    scope.require(r.IMPORT)
    return repo.load_profiles(store.engine, scope.organisation_id, kind)


def police_area_overview(store: Store, scope: Scope, period: Period,
                         reference: Period) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Side-by-side figures of the kommuner in the scope's own police area (aggregates)."""
    scope.require(r.POLICE_AREA)
    if scope.police_area is None:
        raise NotFoundError(f"{scope.organisation} har inget lokalpolisområde angivet.")
    return police_area.overview(store, scope.police_area, period, reference)


# --- planning ----------------------------------------------------------------------------------

def plans(store: Store, scope: Scope) -> pd.DataFrame:
    scope.require(r.PLANNING)
    return plan_store.list_plans(store.engine, scope.organisation_id)


def plan(store: Store, scope: Scope, plan_id: int) -> dict[str, Any]:
    scope.require(r.PLANNING)
    return planning.stored_plan(store, scope.organisation_id, plan_id)


def find_plan(store: Store, scope: Scope, name: str) -> int:
    scope.require(r.PLANNING)
    return planning.find(store, scope.organisation_id, name)


def plan_history(store: Store, scope: Scope, plan_id: int) -> list[dict[str, Any]]:
    scope.require(r.PLANNING)
    return planning.history(store, scope.organisation_id, plan_id)


def planning_check(store: Store, settings: Settings, scope: Scope, area, **options: Any):
    scope.require(r.PLANNING)
    return planning.check(store, settings, scope.organisation_id, area, **options)


def planning_period(store: Store, scope: Scope, months: int = 12) -> Period:
    scope.require(r.PLANNING)
    return planning.default_period(store, scope.organisation_id, months)


def create_plan(store: Store, settings: Settings, scope: Scope, result, **options: Any) -> int:
    scope.require(r.PLANNING)
    return planning.create(store, settings, scope.organisation_id, result, actor=scope.actor, **options)


def save_plan(store: Store, settings: Settings, scope: Scope, plan_id: int, expected_version: int,
              result, checklist: list[dict[str, Any]], *, note: str | None) -> int:
    scope.require(r.PLANNING)
    return planning.save(store, settings, scope.organisation_id, plan_id, expected_version, result,
                         checklist, note=note, actor=scope.actor)


def remove_plan(store: Store, scope: Scope, plan_id: int) -> None:
    scope.require(r.PLANNING)
    planning.remove(store, scope.organisation_id, plan_id, actor=scope.actor)


# --- the EST loop: changes ----------------------------------------------------------------------

def create_action(store: Store, scope: Scope, values: dict[str, Any], **links: Any) -> int:
    scope.require(r.EDIT_LOOP)
    return loop_service.create_action(store, scope.organisation_id, values, actor=scope.actor, **links)


def update_action(store: Store, scope: Scope, action_id: int, expected_version: int,
                  values: dict[str, Any], **links: Any) -> int:
    scope.require(r.EDIT_LOOP)
    return loop_service.update_action(store, scope.organisation_id, action_id, expected_version,
                                      values, actor=scope.actor, **links)


def create_place(store: Store, scope: Scope, name: str, kind: str, radius_m: float,
                 lon: float, lat: float) -> int:
    scope.require(r.EDIT_LOOP)
    return places.create_place(store, scope.organisation_id, name, kind, radius_m, lon, lat,
                               actor=scope.actor)


def create_polygon_place(store: Store, scope: Scope, name: str, kind: str, geometry: dict[str, Any]) -> int:
    """A place from a polygon drawn on the map (GeoJSON in WGS 84)."""
    scope.require(r.EDIT_LOOP)
    return places.create_polygon_place(store, scope.organisation_id, name, kind, geometry,
                                       actor=scope.actor)


def create_cause_analysis(store: Store, scope: Scope, **values: Any) -> int:
    scope.require(r.EDIT_LOOP)
    with store.transaction() as conn:
        return loop.create_cause_analysis(conn, scope.organisation_id, actor=scope.actor, **values)


def save_agreement(store: Store, scope: Scope, parsed: dict[str, Any], *, source_text: str | None) -> int:
    scope.require(r.EDIT_LOOP)
    with store.transaction() as conn:
        return loop.save_agreement(conn, scope.organisation_id, parsed, source_text=source_text,
                                   actor=scope.actor)


def saved_agreement_version(store: Store, scope: Scope, text: str) -> tuple[int, dict[str, Any]] | None:
    """The corrections saved for the same document (a re-upload keeps what was corrected)."""
    scope.require(r.READ_LOOP)
    from workbench.services import agreements

    return agreements.saved_version(store, scope.organisation_id, text)


def save_corrected_agreement(store: Store, scope: Scope, doc: dict[str, Any], *,
                             source_text: str) -> tuple[int, bool]:
    scope.require(r.EDIT_LOOP)
    from workbench.services import agreements

    return agreements.save(store, scope.organisation_id, doc, source_text=source_text,
                           actor=scope.actor)


def start_meeting(store: Store, scope: Scope, **values: Any) -> int:
    scope.require(r.EDIT_LOOP)
    return meetings.start(store, scope.organisation_id, actor=scope.actor, **values)


def set_area_status(store: Store, settings: Settings, scope: Scope, meeting_id: int,
                    expected_version: int, area_id: int, level: str | None, motivation: str) -> None:
    scope.require(r.EDIT_LOOP)
    meetings.set_status(store, scope.organisation_id, meeting_id, expected_version, area_id, level,
                        motivation, settings=settings, actor=scope.actor)


def update_meeting(store: Store, scope: Scope, meeting_id: int, expected_version: int,
                   values: dict[str, Any]) -> None:
    scope.require(r.EDIT_LOOP)
    meetings.update(store, scope.organisation_id, meeting_id, expected_version, values, actor=scope.actor)


def record_decision(store: Store, scope: Scope, meeting_id: int, values: dict[str, Any], **links: Any) -> int:
    scope.require(r.EDIT_LOOP)
    return meetings.record_decision(store, scope.organisation_id, meeting_id, values, actor=scope.actor,
                                    **links)


def close_meeting(store: Store, settings: Settings, scope: Scope, meeting_id: int,
                  expected_version: int) -> None:
    scope.require(r.EDIT_LOOP)
    meetings.close(store, settings, scope.organisation_id, meeting_id, expected_version, actor=scope.actor)


def set_police_area(store: Store, scope: Scope, value: str | None) -> None:
    scope.require(r.ADMINISTER)
    police_area.set_police_area(store, scope.organisation_id, value, actor=scope.actor)


def set_up_police_area(store: Store, scope: Scope, name: str, kommuner: list[str]) -> list[dict]:
    """Put kommuner (the scope's own among them) in one lokalpolisområde (administrators)."""
    scope.require(r.ADMINISTER)
    return police_area.set_up(store, name, [scope.organisation, *kommuner], actor=scope.actor)


def import_routed(store: Store, scope: Scope, what: str, data: bytes, file_name: str,
                  **options: Any):
    """A file for the whole police area: each row to its kommun's organisation. Needs the right
    to import and to see the police area (kommunpolis, administrator)."""
    scope.require(r.IMPORT)
    scope.require(r.POLICE_AREA)
    if scope.police_area is None:
        raise AccessDenied(f"{scope.organisation} hör inte till något lokalpolisområde.")
    return routing.import_routed(store, what, data, file_name, police_areas=(scope.police_area,),
                                 actor=scope.actor, **options)


# --- imports ---------------------------------------------------------------------------------

def preview_points(store: Store, scope: Scope, source_name: str, data: bytes, file_name: str,
                   **options: Any):
    scope.require(r.IMPORT)
    return imports.preview_points(store, source_name, data, file_name, scope.organisation, **options)


def preview_walks(store: Store, scope: Scope, data: bytes, file_name: str, **options: Any):
    scope.require(r.IMPORT)
    return imports.preview_walks(store, data, file_name, scope.organisation, **options)


def store_parsed(store: Store, scope: Scope, parsed, **options: Any):
    scope.require(r.IMPORT)
    return imports.store_parsed(store, parsed, scope.organisation, actor=scope.actor, **options)


def import_file(store: Store, scope: Scope, what: str, data: bytes, file_name: str, **options: Any):
    """Any import by kind: a point source, areas/places, walks or area indicators."""
    scope.require(r.IMPORT)
    org, actor = scope.organisation, scope.actor
    if what in ("areas", "places"):
        return imports.import_layer(store, what, data, file_name, org, actor=actor, **options)
    if what == "walks":
        return imports.import_walks(store, data, file_name, org, actor=actor, **options)
    if what == "area-indicators":
        return imports.import_indicators(store, data, file_name, org, actor=actor)
    return imports.import_table(store, what, data, file_name, org, actor=actor, **options)


def save_profile(store: Store, scope: Scope, name: str, source_kind: str, mapping: dict[str, str],
                 crs: str | None = None) -> None:
    scope.require(r.IMPORT)
    imports.save_profile(store, scope.organisation, name, source_kind, mapping, crs, actor=scope.actor)


def map_category(store: Store, scope: Scope, kind: str, original: str, category: str) -> None:
    scope.require(r.IMPORT)
    imports.map_category(store, scope.organisation, kind, original, category, actor=scope.actor)


# --- exports -----------------------------------------------------------------------------------

def report(store: Store, settings: Settings, scope: Scope, kind: str, fmt: str, *,
           period: Period | None = None, meeting_id: int | None = None,
           on_screen: bool = False) -> Built:
    """A document (lägesbild, åtgärdsplan, protokoll …); counts below min_count always hidden.
    The minutes as HTML are also how a closed meeting is read on screen (``on_screen``, READ_LOOP);
    as a file (a download, the CLI) every document needs EXPORT."""
    scope.require(r.READ_LOOP if on_screen and (kind, fmt) == ("minutes", "html") else r.EXPORT)
    return reports.build(kind, fmt, store, settings, scope.organisation_id, period=period,
                         meeting_id=meeting_id, area_ids=scope.area_ids)  # cut to the reader's areas


def planning_document(scope: Scope, result, fmt: str, **options: Any) -> Built:
    scope.require(r.PLANNING)
    return planning.report(result, fmt, **options)


def export_layers(store: Store, settings: Settings, scope: Scope, period: Period, fmt: str, *,
                  cell: float, near_categories: tuple[str, ...] = ("bostadsinbrott",),
                  shared_screen: bool = True):
    """Cells, near-repeat, places, areas and åtgärder as one file (services/exports.py) with the
    role's precision (no cell or near-repeat layer without point access) and small counts
    suppressed as on the screen it is taken from (always for aggregate roles). The caller logs
    the export when the file is written or downloaded."""
    from workbench.services import exports

    scope.require(r.EXPORT)
    scope.require(r.READ_LOOP)
    frame = hs.load_events(store, [scope.organisation_id])
    extent = hs.study_extent(store, scope.organisation_id, frame) if scope.points else None
    layers, notes = exports.build(
        events=frame if scope.points else visible_events(scope, frame), extent=extent,
        boundary=repo.organisation_boundary(store.engine, scope.organisation_id) if scope.points else None,
        areas=areas(store, scope), places=place_layer(store, scope), actions=actions(store, scope),
        period=period, cell=cell, points=scope.points, near_categories=near_categories,
        min_count=settings.min_count if scope.suppress(shared_screen) else 0)
    return exports.write(layers, fmt), layers, notes


def log_export(store: Store, scope: Scope, what: str, file_name: str, **details: Any) -> None:
    """Record that ``scope``'s user took a file out of the workbench (an allmän handling)."""
    with store.transaction() as conn:
        repo.audit(conn, actor=scope.actor, verb="export", entity=what, entity_id=file_name[:50],
                   organisation_id=scope.organisation_id,
                   after={"file": file_name, "role": scope.role, **details})


def audit_entries(store: Store, scope: Scope, **filters: Any) -> pd.DataFrame:
    scope.require(r.AUDIT)
    return audit_store.entries(store.engine, [scope.organisation_id], **filters)


def audit_vocabulary(store: Store, scope: Scope) -> tuple[list[str], list[str]]:
    scope.require(r.AUDIT)
    return audit_store.vocabulary(store.engine, [scope.organisation_id])


# --- personal data in text about to be saved -----------------------------------------------------

def personal_data_warning(texts: dict[str, Any]) -> str | None:
    """The warning to show before saving ``texts`` (field label → text or JSON), or None when they
    hold nothing that looks like personal data. The store redacts whatever is saved regardless."""
    return personal_values.warning_text(personal_values.findings(texts))
