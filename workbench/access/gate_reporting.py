"""The gate for weekly inrapportering, the reporter's side: save its verksamhet's weekly report,
read the choices of the form, follow its own reports (the coordinator's side is gate_observations).

A reporter's scope has only the ``report`` permission: every other function of the gate refuses
it (tests/store/test_reporting_gate.py calls each function of every gate module as a reporter). The verksamhet always comes from the
reporter's membership (the scope), never from a parameter, like the organisation. Descriptions
are redacted by the store; :func:`description_warning` is what the page shows before saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from workbench import roles as r
from workbench.access.scope import Scope
from workbench.anonymise import values as personal_values
from workbench.config import Settings
from workbench.errors import AccessDenied, WorkbenchError
from workbench.geo.crs import SWEREF99TM, WGS84, inside_sweden, to_wgs84, transform
from workbench.schema import KIND_INCIDENT
from workbench.store import reporting
from workbench.store import repositories as repo
from workbench.store.db import Store
from workbench.store.reporting import NewObservation
from workbench.taxonomy import NOT_COUNTED, all_categories

# Taxonomy keys not offered to a reporter (not something one observes).
_NOT_OFFERED = NOT_COUNTED | {"ovrigt"}


@dataclass(frozen=True)
class KnownPlace:
    name: str
    lon: float
    lat: float
    x: float
    y: float


@dataclass(frozen=True)
class FormChoices:
    """What the Rapportera form offers: categories (labels), the assessment scale, the areas and
    known places of the organisation, and the map's extent (lon/lat) — names and outlines only."""

    categories: tuple[str, ...]
    assessment_levels: tuple[str, ...]
    areas: tuple[str, ...]
    places: tuple[KnownPlace, ...]
    bounds: tuple[float, float, float, float] | None  # min lon, min lat, max lon, max lat
    outlines: gpd.GeoDataFrame  # the areas' names and outlines (EPSG:3006), for the map


def _require_verksamhet(scope: Scope) -> str:
    scope.require(r.REPORT)
    if not scope.verksamhet:
        raise AccessDenied(f"{scope.username or scope.role_label} har ingen verksamhet angiven i "
                           f"{scope.organisation}; be samordnaren lägga till den "
                           "(workbench user add … --verksamhet).")
    return scope.verksamhet


def _categories() -> list[tuple[str, str | None]]:
    """(label, taxonomy key or None) — the EST observation types first, then the crime categories."""
    out: dict[str, str | None] = {label: None for label in reporting.OBSERVATION_TYPES}
    for key, label in all_categories(KIND_INCIDENT):
        if key not in _NOT_OFFERED:
            out.setdefault(label, key)
    out.setdefault("Övrigt", "ovrigt")
    return list(out.items())


def form_choices(store: Store, settings: Settings, scope: Scope) -> FormChoices:
    """The choices of the report form (reporter only)."""
    _require_verksamhet(scope)
    areas = repo.load_areas(store.engine, [scope.organisation_id])
    places = repo.load_places(store.engine, [scope.organisation_id])
    known = []
    if len(places):
        points = places.geometry.representative_point()
        lon, lat = to_wgs84(points.x.to_numpy(), points.y.to_numpy())
        known = [KnownPlace(str(n), float(a), float(b), float(p.x), float(p.y))
                 for n, a, b, p in zip(places["name"], lon, lat, points, strict=True)]
    bounds = None
    if len(areas):
        minx, miny, maxx, maxy = areas.total_bounds
        lon, lat = to_wgs84(np.array([minx, maxx]), np.array([miny, maxy]))
        bounds = (float(lon[0]), float(lat[0]), float(lon[1]), float(lat[1]))
    return FormChoices(tuple(label for label, _ in _categories()), tuple(settings.assessment_levels),
                       tuple(str(n) for n in areas["name"]), tuple(known), bounds,
                       areas[["name", "geometry"]].reset_index(drop=True))


def _area_of(store: Store, scope: Scope, x: float, y: float) -> str | None:
    areas = repo.load_areas(store.engine, [scope.organisation_id])
    if not len(areas):
        return None
    hit = areas[areas.geometry.covers(shapely.Point(x, y))]
    return str(hit["name"].iloc[0]) if len(hit) else None


def _observation(store: Store, settings: Settings, scope: Scope, values: dict[str, Any],
                 places: dict[str, KnownPlace], number: int) -> NewObservation:
    """One observation of the form as the store takes it: lon/lat to SWEREF 99 TM, a known place
    to its point, the area from the point when none is named, and no point for a sensitive
    category (area level only)."""
    which = f"Observation {number}: "
    category = (values.get("category") or "").strip()
    key = (dict(_categories()).get(category) or "") if category else ""
    occurred_from, occurred_to = values.get("occurred_from"), values.get("occurred_to")
    if not isinstance(occurred_from, datetime):
        raise WorkbenchError(which + "ange när det hände (datum och tid).")
    if occurred_from > datetime.now() + timedelta(hours=1):
        raise WorkbenchError(which + "tiden ligger i framtiden.")
    x = y = None
    place = (values.get("place") or "").strip() or None
    if values.get("lon") is not None and values.get("lat") is not None:
        lon, lat = float(values["lon"]), float(values["lat"])
        xs, ys = transform(np.array([lon]), np.array([lat]), WGS84, SWEREF99TM)
        x, y = float(xs[0]), float(ys[0])
        if not bool(np.all(inside_sweden(np.array([x]), np.array([y])))):
            raise WorkbenchError(which + "punkten ligger utanför Sverige.")
    elif place is not None:
        if place not in places:
            raise WorkbenchError(which + f"platsen '{place}' finns inte bland kända platser.")
        x, y = places[place].x, places[place].y
    area = (values.get("area") or "").strip() or None
    if area is None and x is not None and y is not None:
        area = _area_of(store, scope, x, y)
    if key and key in settings.sensitive_categories:
        if area is None:
            raise WorkbenchError(which + f"'{category}' lagras bara på områdesnivå; välj ett område.")
        x = y = None
        place = None
    return NewObservation(category, occurred_from, occurred_to, x=x, y=y, place=place, area=area,
                          description=values.get("description"), assessment=values.get("assessment"))


def save_weekly_report(store: Store, settings: Settings, scope: Scope, *, iso_year: int, iso_week: int,
                       observations: list[dict[str, Any]], nothing_to_report: bool = False) -> int:
    """The reporter's verksamhet's report for ISO week ``iso_year``-W``iso_week``: observations
    (dicts of the form: category, occurred_from, occurred_to, lon/lat or place, area, description,
    assessment 1…n) added to the week's report, or a nil report ("inget att rapportera").
    Validated before anything is written; the store audits each row in the same transaction."""
    verksamhet = _require_verksamhet(scope)
    try:
        monday = date.fromisocalendar(int(iso_year), int(iso_week), 1)
    except ValueError:
        raise WorkbenchError(f"Vecka {iso_week} år {iso_year} finns inte.") from None
    if monday > date.today():
        raise WorkbenchError(f"Vecka {int(iso_week)} har inte börjat än.")
    choices = form_choices(store, settings, scope)
    places = {p.name: p for p in choices.places}
    new = [_observation(store, settings, scope, o, places, i) for i, o in enumerate(observations, 1)]
    with store.transaction() as conn:
        if nothing_to_report:
            week = reporting.reports(conn, scope.organisation_id, iso_year=iso_year, iso_week=iso_week)
            mine = [w["id"] for w in week if w["verksamhet"] == verksamhet]
            if mine and reporting.observations(conn, scope.organisation_id, report_ids=mine):
                raise WorkbenchError(f"{verksamhet} har redan rapporterat observationer vecka "
                                     f"{int(iso_week)}; 'inget att rapportera' går inte den veckan.")
        return reporting.save_report(conn, scope.organisation_id, verksamhet=verksamhet,
                                     iso_year=int(iso_year), iso_week=int(iso_week), observations=new,
                                     nothing_to_report=nothing_to_report, actor=scope.actor,
                                     levels=len(settings.assessment_levels))


def own_reports(store: Store, scope: Scope) -> list[dict[str, Any]]:
    """The reporter's återkoppling: its verksamhet's weekly reports, newest first, each with its
    observations (category, time, place or area, assessment, status and the reason)."""
    verksamhet = _require_verksamhet(scope)
    with store.engine.connect() as conn:
        weeks = [w for w in reporting.reports(conn, scope.organisation_id) if w["verksamhet"] == verksamhet]
        seen = reporting.observations(conn, scope.organisation_id, report_ids=[w["id"] for w in weeks]) \
            if weeks else []
    keep = ("id", "category", "place", "area", "occurred_from", "occurred_to", "description",
            "assessment", "status", "status_reason")
    by_report: dict[int, list[dict[str, Any]]] = {}
    for o in seen:
        by_report.setdefault(int(o["report_id"]), []).append({k: o[k] for k in keep})
    return [{"id": w["id"], "iso_year": w["iso_year"], "iso_week": w["iso_week"],
             "nothing_to_report": bool(w["nothing_to_report"]), "created_at": w["created_at"],
             "observations": by_report.get(int(w["id"]), [])} for w in weeks]


def description_warning(texts: dict[str, Any]) -> str | None:
    """The reporter's warning before saving free text that looks like personal data, or None."""
    return personal_values.removal_warning(personal_values.findings(texts))
