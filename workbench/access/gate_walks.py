"""The gate for trygghetsvandringar: who may see, plan, record and decide on walks.

- See the walks and their observations: EST work readers (READ_LOOP) and those who record
  (RECORD_WALK); housing only walks in its own areas; no coordinates without point access.
- Plan a walk, mark it done, decide on observations (åtgärd, status, closing with a reason):
  EDIT_LOOP (coordinator, police).
- Record observations on a walk: RECORD_WALK (coordinator, police, housing in its own areas).
- The follow-up document as a file: EXPORT (the download is audited by the page's button).

The organisation always comes from the scope. Every write is audited by the store in its
transaction; texts are scanned by the store before they are saved (the page warns first).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from workbench import roles as r
from workbench.access.scope import Scope
from workbench.errors import AccessDenied
from workbench.services import walks as walk_service
from workbench.services.reports import Built
from workbench.store import walks as walk_store
from workbench.store.db import Store

READ = (r.READ_LOOP, r.RECORD_WALK)


def _require_any(scope: Scope, *permissions: str) -> None:
    if not any(scope.can(p) for p in permissions):
        scope.require(permissions[0])


def _own_area(scope: Scope, area_id: Any) -> None:
    """Housing reaches only walks in its own areas."""
    if scope.area_ids is not None and (area_id is None or int(area_id) not in scope.area_ids):
        raise AccessDenied(f"Rollen {scope.role_label} når bara vandringar i de egna områdena.")


def walks(store: Store, scope: Scope) -> list[dict[str, Any]]:
    """The organisation's walks (imported and planned in the app), newest first."""
    _require_any(scope, *READ)
    with store.engine.connect() as conn:
        found = walk_store.walks(conn, scope.organisation_id, area_ids=scope.area_ids)
    if not scope.points:
        for walk in found:
            walk["route"] = None
    return found


def agenda(store: Store, scope: Scope, walk_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A walk and its observations; without point access the observations carry no coordinates."""
    _require_any(scope, *READ)
    walk, observations = walk_service.agenda(store, scope.organisation_id, walk_id)
    _own_area(scope, walk["area_id"])
    if not scope.points:
        walk["route"] = None
        for observation in observations:
            observation["x"] = observation["y"] = None
    return walk, observations


def plan(store: Store, scope: Scope, *, walk_date: date, area_id: int, participants: list[str],
         route: dict[str, Any] | None = None, notes: str | None = None) -> int:
    scope.require(r.EDIT_LOOP)
    _own_area(scope, area_id)
    return walk_service.plan(store, scope.organisation_id, walk_date=walk_date, area_id=area_id,
                             participants=participants, route=route, notes=notes, actor=scope.actor)


def set_walk_status(store: Store, scope: Scope, walk_id: int, status: str) -> None:
    scope.require(r.EDIT_LOOP)
    walk_service.set_walk_status(store, scope.organisation_id, walk_id, status, actor=scope.actor)


def record(store: Store, scope: Scope, walk_id: int, *, category: str, lon: float, lat: float,
           comment: str | None = None, priority: int | None = None,
           observed_at: datetime | None = None) -> int:
    """An observation on a walk at (lon, lat)."""
    scope.require(r.RECORD_WALK)
    walk, _ = walk_service.agenda(store, scope.organisation_id, walk_id)
    _own_area(scope, walk["area_id"])
    return walk_service.record(store, scope.organisation_id, walk_id, category=category, lon=lon,
                               lat=lat, comment=comment, priority=priority, observed_at=observed_at,
                               actor=scope.actor)


def suggestion(store: Store, scope: Scope, observation: dict[str, Any]) -> dict[str, Any]:
    scope.require(r.EDIT_LOOP)
    return walk_service.suggestion(store, scope.organisation_id, observation)


def decide(store: Store, scope: Scope, observation_ids: list[int], values: dict[str, Any]) -> int:
    """One åtgärd for one or several observations (the EST loop's action, with the links)."""
    scope.require(r.EDIT_LOOP)
    return walk_service.decide(store, scope.organisation_id, observation_ids, values, actor=scope.actor)


def link(store: Store, scope: Scope, observation_id: int, action_id: int) -> None:
    scope.require(r.EDIT_LOOP)
    walk_service.link(store, scope.organisation_id, observation_id, action_id, actor=scope.actor)


def close_without_action(store: Store, scope: Scope, observation_id: int, reason: str) -> None:
    scope.require(r.EDIT_LOOP)
    walk_service.close_without_action(store, scope.organisation_id, observation_id, reason,
                                      actor=scope.actor)


def set_status(store: Store, scope: Scope, observation_id: int, status: str, *,
               reason: str | None = None) -> None:
    scope.require(r.EDIT_LOOP)
    walk_service.set_status(store, scope.organisation_id, observation_id, status, reason=reason,
                            actor=scope.actor)


def follow_up(store: Store, scope: Scope, walk_id: int, fmt: str) -> Built:
    """The walk's follow-up document as a file (HTML or PDF)."""
    scope.require(r.EXPORT)
    walk, _ = walk_service.agenda(store, scope.organisation_id, walk_id)
    _own_area(scope, walk["area_id"])
    return walk_service.follow_up(store, scope.organisation_id, walk_id, fmt)
