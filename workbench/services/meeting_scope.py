"""An EST meeting cut to the areas one reader may see (a housing company: its own areas).

A meeting's figures, its live or frozen snapshot and the stored meeting row hold every agenda
area of the organisation; a reader limited to some areas gets them cut here, at read time (the
gate calls these for every read, the reports for every document), never by what a menu offers.
``area_ids`` None means every area: the input is returned unchanged (the same object).

Cut away for a limited reader: other areas' briefs, outlines, statuses and status trends; the
hot-spot cells outside its areas; the per-area hot-spots över tid of other areas (the
organisation-wide count becomes the sum over its own areas); the whole organisation's brief;
decisions about other areas (or their places); the area names of the rest of the organisation.
The meeting's own text (title, notes, public summary, attendees) is the group's and is kept.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any, overload

import shapely

from workbench.services.emerging import line_sv


def _own(area_ids: tuple[int, ...] | None, area_id: Any) -> bool:
    return area_id is not None and int(area_id) in set(area_ids or ())


def _cells_inside(cells: list[dict[str, Any]], outlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hot-spot cells whose centre lies in one of the (GeoJSON, EPSG:3006) outlines."""
    shapes = [shapely.geometry.shape(o) for o in outlines if o]
    if not shapes or not cells:
        return []
    union = shapely.union_all(shapes)
    shapely.prepare(union)
    return [c for c in cells if union.contains(shapely.Point(c["x0"] + c["cell"] / 2, c["y0"] + c["cell"] / 2))]


def _emerging(over_time: dict[str, Any] | None, area_ids: tuple[int, ...]) -> dict[str, Any] | None:
    """Hot-spots över tid with only the own areas; the totals summed over them."""
    if not over_time or over_time.get("note") or "areas" not in over_time:
        return over_time
    areas = {k: v for k, v in (over_time.get("areas") or {}).items() if _own(area_ids, k)}
    counts: dict[str, int] = {}
    for info in areas.values():
        for name, n in (info.get("counts") or {}).items():
            counts[name] = counts.get(name, 0) + int(n)
    return over_time | {"areas": areas, "counts": counts, "line": line_sv(counts)}


def cut_figures(data: dict[str, Any], area_ids: tuple[int, ...] | None) -> dict[str, Any]:
    """A meeting's figures (services/meetings.figures) as a reader limited to ``area_ids`` may see them."""
    if area_ids is None:
        return data
    areas = {int(k): v for k, v in data["areas"].items() if _own(area_ids, k)}
    return data | {
        "areas": areas, "total": None,
        "hot_cells": _cells_inside(data.get("hot_cells") or [], [a.get("outline") for a in areas.values()]),
        "emerging": _emerging(data.get("emerging"), area_ids),
        "area_names": {int(k): v for k, v in (data.get("area_names") or {}).items() if _own(area_ids, k)},
    }


def _decision_visible(decision: dict[str, Any], area_ids: tuple[int, ...],
                      own_names: set[str]) -> bool:
    if decision.get("area_id") is not None:
        return _own(area_ids, decision["area_id"])
    if decision.get("area") is not None:  # a snapshot frozen before decisions kept their area's id
        return decision["area"] in own_names
    return decision.get("place") is None  # about the whole organisation, no place named


@overload
def cut_snapshot(snapshot: dict[str, Any], area_ids: tuple[int, ...] | None,
                 own_names: AbstractSet[str] = ...) -> dict[str, Any]: ...
@overload
def cut_snapshot(snapshot: None, area_ids: tuple[int, ...] | None,
                 own_names: AbstractSet[str] = ...) -> None: ...
def cut_snapshot(snapshot: dict[str, Any] | None, area_ids: tuple[int, ...] | None,
                 own_names: AbstractSet[str] = frozenset()) -> dict[str, Any] | None:
    """A meeting's snapshot (live or frozen at closing) as a reader limited to ``area_ids`` may
    see it. ``own_names``: the names of those areas now (decisions in snapshots frozen before
    decisions kept their area's id name the area only)."""
    if area_ids is None or not snapshot:
        return snapshot
    agenda = [a for a in snapshot.get("areas") or [] if _own(area_ids, a.get("area_id"))]
    own_names = set(own_names) | {a.get("area") for a in agenda}
    actions = [x for a in agenda for x in a.get("actions") or []]
    return snapshot | {
        "areas": agenda, "total": None,
        "hot_cells": _cells_inside(snapshot.get("hot_cells") or [], [a.get("outline") for a in agenda]),
        "emerging": _emerging(snapshot.get("emerging"), area_ids),
        "decisions": [d for d in snapshot.get("decisions") or []
                      if _decision_visible(d, area_ids, own_names)],
        "open_actions": len(actions), "overdue_actions": sum(bool(x.get("overdue")) for x in actions),
    }


def cut_meeting(meeting: dict[str, Any], area_ids: tuple[int, ...] | None,
                own_names: AbstractSet[str] = frozenset()) -> dict[str, Any]:
    """The stored meeting row (store/meetings.get_meeting) with its agenda, statuses and
    snapshot cut to ``area_ids``."""
    if area_ids is None:
        return meeting
    return meeting | {
        "area_ids": [a for a in meeting.get("area_ids") or [] if _own(area_ids, a)],
        "area_statuses": {k: v for k, v in (meeting.get("area_statuses") or {}).items() if _own(area_ids, k)},
        "snapshot": cut_snapshot(meeting.get("snapshot"), area_ids, own_names),
    }
