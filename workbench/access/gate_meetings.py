"""The gate's EST-möte reads (re-exported by access/gate.py): every meeting, its figures and its
live or frozen snapshot cut to the reader's areas at read time (services/meeting_scope.py), so
a housing company limited to its own areas never receives another area's counts, statuses,
hot-spot cells or decisions — whatever the page asks for and whenever the meeting was closed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench import roles as r
from workbench.access.scope import Scope
from workbench.config import Settings
from workbench.lazy import lazy
from workbench.store.db import Store

if TYPE_CHECKING:
    import pandas as pd

    from workbench.situation import Period

# imported on first use: the gate imports this module, and a command that never opens a meeting
# should not load the reports (workbench.lazy)
meeting_scope = lazy("workbench.services.meeting_scope")
meetings = lazy("workbench.services.meetings")
report_service = lazy("workbench.services.reports")
meeting_store = lazy("workbench.store.meetings")


def _own_names(store: Store, scope: Scope) -> set[str]:
    return set() if scope.area_ids is None else report_service.area_names(store, scope.organisation_id,
                                                                            scope.area_ids)


def meeting_list(store: Store, scope: Scope) -> pd.DataFrame:
    scope.require(r.READ_LOOP)
    return meeting_store.list_meetings(store.engine, scope.organisation_id)


def meeting(store: Store, scope: Scope, meeting_id: int) -> dict[str, Any]:
    """The stored meeting; its agenda, statuses and snapshot cut to the reader's areas."""
    scope.require(r.READ_LOOP)
    found = meeting_store.get_meeting(store.engine, scope.organisation_id, meeting_id)
    return meeting_scope.cut_meeting(found, scope.area_ids, _own_names(store, scope))


def meeting_figures(store: Store, settings: Settings, scope: Scope, period: Period,
                    area_ids: list[int]) -> dict:
    """The figures of a meeting's agenda, only of the areas the reader may see."""
    scope.require(r.READ_LOOP)
    if scope.area_ids is not None:
        area_ids = [a for a in area_ids if int(a) in scope.area_ids]
    data = meetings.figures(store, settings, scope.organisation_id, period, area_ids)
    return meeting_scope.cut_figures(data, scope.area_ids)


def meeting_snapshot(store: Store, settings: Settings, scope: Scope, meeting_id: int, *,
                     data: dict) -> dict:
    """What the meeting shows (frozen when closed), cut to the reader's areas. ``data`` is
    :func:`meeting_figures`' result (cut again here: the caller's dict is not trusted)."""
    scope.require(r.READ_LOOP)
    snapshot = meetings.build_snapshot(store, settings, scope.organisation_id, meeting_id,
                                       data=meeting_scope.cut_figures(data, scope.area_ids))
    return meeting_scope.cut_snapshot(snapshot, scope.area_ids, _own_names(store, scope))
