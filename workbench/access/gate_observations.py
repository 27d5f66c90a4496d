"""The gate for the coordinator's side of inrapportering (beside access/gate.py, which is near its
size limit): who has reported, the reported observations ("Inrapporterat") per area and week, and
the decisions on them. The organisation always comes from the scope.

Who may see what:
- single observations (category, place, description, status): roles with point access, and roles
  limited to their own areas (housing: its areas only, never a point); the others (the shared
  screen's viewer, the planner) see the observations only counted per area, suppressed as on
  any shared screen;
- a point only with point access, and never for a sensitive category (area level only);
- who has reported a week: roles that read the EST work (housing: verksamheter in its areas);
- deciding (status, åtgärd): roles that edit the EST work. Reporters reach none of this.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from workbench import roles as r
from workbench.access.scope import Scope
from workbench.config import Settings
from workbench.errors import AccessDenied, NotFoundError
from workbench.services import observations as obs
from workbench.situation import Period
from workbench.store import repositories as repo
from workbench.store.db import Store

POINTS = ("x", "y")


def may_see_rows(scope: Scope) -> bool:
    """Whether the scope sees single observations (else only counts per area)."""
    return scope.can(r.READ_LOOP) and (scope.points or scope.area_ids is not None)


def _frame(store: Store, settings: Settings, scope: Scope) -> pd.DataFrame:
    frame = obs.observation_frame(store, scope.organisation_id, sensitive=settings.sensitive_categories)
    if scope.area_ids is not None:
        frame = frame[frame["area_id"].isin(scope.area_ids)].reset_index(drop=True)
    return frame


def _areas(store: Store, scope: Scope):
    areas = repo.load_areas(store.engine, [scope.organisation_id])
    return areas if scope.area_ids is None else areas[areas["id"].isin(scope.area_ids)].reset_index(drop=True)


def observations(store: Store, settings: Settings, scope: Scope) -> pd.DataFrame:
    """The single reported observations the scope may see (points only with point access)."""
    scope.require(r.READ_LOOP)
    if not may_see_rows(scope):
        raise AccessDenied(f"Rollen {scope.role_label} ser inrapporterade observationer bara "
                           "sammanställda per område.")
    frame = _frame(store, settings, scope)
    if not scope.points:
        frame = frame.assign(x=float("nan"), y=float("nan"), precision="area")
    return frame


def area_counts(store: Store, settings: Settings, scope: Scope, period: Period,
                reference: Period) -> pd.DataFrame:
    """Observations per area in the period and the reference (the lägesbild's "Inrapporterat")."""
    scope.require(r.READ_AGGREGATES)
    counts = obs.area_counts(_frame(store, settings, scope), _areas(store, scope), period, reference)
    return counts if scope.area_ids is None else counts[counts["area_id"].notna()].reset_index(drop=True)


def open_counts(store: Store, settings: Settings, scope: Scope) -> dict[int, int]:
    """Area id → the number of observations not yet decided (ny, behandlad på EST-möte)."""
    scope.require(r.READ_AGGREGATES)
    frame = _frame(store, settings, scope)
    frame = frame[frame["status"].isin(obs.OPEN_STATUSES) & frame["area_id"].notna()]
    return {int(k): int(v) for k, v in frame["area_id"].astype(int).value_counts().items()}


def assessment_trend(store: Store, settings: Settings, scope: Scope, year: int, week: int,
                     weeks: int = 8) -> pd.DataFrame:
    """Mean Bedömning per area and ISO week (with counts) for ``weeks`` weeks up to (year, week)."""
    scope.require(r.READ_AGGREGATES)
    return obs.assessment_trend(_frame(store, settings, scope), _areas(store, scope),
                                obs.weeks_before(year, week, weeks))


def reporting_status(store: Store, settings: Settings, scope: Scope, year: int, week: int) -> pd.DataFrame:
    """Who has reported ISO week (year, week), per verksamhet and area. Housing: the verksamheter
    with an area of its own (by their membership or by this week's observations)."""
    scope.require(r.READ_LOOP)
    frame = obs.observation_frame(store, scope.organisation_id, sensitive=settings.sensitive_categories)
    status = obs.reporting_status(store, scope.organisation_id, year, week,
                                  sensitive=settings.sensitive_categories, observations=frame)
    if scope.area_ids is None:
        return status
    own = set(_areas(store, scope)["name"])
    mine = pd.Series([bool(own & set(a)) for a in status["areas"]], index=status.index, dtype=bool)
    status = status[mine].reset_index(drop=True)
    status["areas"] = [[a for a in areas if a in own] for areas in status["areas"]]
    return status


def set_status(store: Store, settings: Settings, scope: Scope, observation_id: int, status: str,
               reason: str | None = None) -> None:
    """The group's decision on one observation (behandlad på EST-möte, avslutad utan åtgärd …)."""
    scope.require(r.EDIT_LOOP)
    _visible(store, settings, scope, [observation_id])
    obs.set_status(store, scope.organisation_id, int(observation_id), status, reason=reason, actor=scope.actor)


def _visible(store: Store, settings: Settings, scope: Scope, ids: list[int]) -> pd.DataFrame:
    frame = _frame(store, settings, scope)
    chosen = frame[frame["id"].isin([int(i) for i in ids])]
    if len(chosen) != len(set(int(i) for i in ids)):
        raise NotFoundError("Observationen finns inte (längre).")
    return chosen


def action_prefill(store: Store, settings: Settings, scope: Scope, observation_ids: list[int],
                   fault_report_ids: Sequence[int] = ()) -> dict[str, Any]:
    """Text, place and area of a new åtgärd answering the chosen observations/felanmälningar."""
    scope.require(r.EDIT_LOOP)
    chosen = _visible(store, settings, scope, observation_ids)
    faults = pd.DataFrame(columns=["id", "category", "description", "x", "y", "area_id"])
    if fault_report_ids:
        scope.require(r.READ_POINTS)
        faults = fault_reports(store, scope)
        faults = faults[faults["id"].isin([int(i) for i in fault_report_ids])]
    return obs.action_prefill(chosen, faults, repo.load_places(store.engine, [scope.organisation_id]))


def fault_reports(store: Store, scope: Scope) -> pd.DataFrame:
    """The felanmälningar with the åtgärder answering them (``action_ids``)."""
    from workbench.schema import KIND_FAULT_REPORT

    scope.require(r.READ_POINTS)
    frame = repo.load_points(store.engine, KIND_FAULT_REPORT, [scope.organisation_id])
    linked = obs.fault_report_actions(store, scope.organisation_id)
    return frame.assign(action_ids=[linked.get(int(i), []) for i in frame["id"]])
