"""What is known about trygghet in and around a plan area: counts per zone, from every source.

Pure: frames in, one frozen :class:`PlanningFigures` out. Only rows with a real point position
are placed in a zone; rows known only at area level are counted separately, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from workbench.hotspots.followthrough import repeat_spots
from workbench.planning.area import geometry_zone, zone_codes
from workbench.schema import OPEN_ACTION_STATUSES, POINT_PRECISIONS
from workbench.situation import Period
from workbench.taxonomy import all_categories

INSIDE, RING = 1, 2
# Hours of the day as planners and the police talk about them: [from, to) hours.
TIME_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Natt 00–06", 0, 6), ("Förmiddag 06–12", 6, 12), ("Eftermiddag 12–18", 12, 18),
    ("Kväll 18–24", 18, 24),
)
# Commitments that concern planning: the stems of how agreements and medborgarlöften say it.
PLANNING_TERMS = (
    r"samhällsplaner", r"byggprocess", r"detaljplan", r"bygglov", r"stadsbygg", r"samhällsbygg",
    r"plan- och bygg", r"plan och bygg", r"stadsplaner", r"översiktsplan", r"gestaltning",
    r"fysisk\w* (?:\w+ )?miljö", r"offentlig\w* (?:miljö|rum)", r"utemiljö", r"stadsmiljö",
    r"belysning", r"trygghetsvandring", r"skymmer sikt", r"vegetation",
)
_PLANNING = re.compile("|".join(PLANNING_TERMS), re.IGNORECASE)
_WALK_DONE = re.compile(r"^(åtgärd|klar|avslut|stängd|utförd)", re.IGNORECASE)
_FAULT_DONE = re.compile(r"^(åtgärd|klar|avslut|stängd|utförd|löst)", re.IGNORECASE)


def concerns_planning(text: str) -> bool:
    """True when a commitment's text concerns planning or the physical environment.

    >>> concerns_planning("Inkludera trygghetsaspekten i byggprocessen och samhällsplaneringen")
    True
    >>> concerns_planning("Sanera klotter inom 24 timmar")
    False
    """
    return bool(_PLANNING.search(str(text or "")))


@dataclass(frozen=True)
class PlanningFigures:
    """Everything the planning check shows; counts are raw (suppression is the reader's job)."""

    period: Period
    buffer_m: float
    plan_area_m2: float
    incidents: pd.DataFrame  # category, label, inside, ring
    incident_times: pd.DataFrame  # band, inside, ring
    incidents_area_level: int  # police events in overlapping districts known only at area level
    faults: pd.DataFrame  # source, category, label, inside, ring, open
    fault_median_days: float | None  # median days to fix, inside + ring
    repeat_spots: pd.DataFrame  # label, reports, zone, first, last
    walks: pd.DataFrame  # category, label, inside, ring, open
    last_walk: date | None
    hot_cells: pd.DataFrame  # x0, y0, cell, class, count, zone
    places: pd.DataFrame  # id, name, kind, zone, open_actions, analyses
    actions: pd.DataFrame  # place, text, responsible_party, status, due_date, overdue
    analyses: pd.DataFrame  # place, problem, hypotheses, created
    commitments: pd.DataFrame  # agreement, kind, focus_area, party, text
    districts: pd.DataFrame  # area_id, name, share (of the plan area inside the district)
    indicators: pd.DataFrame  # area, year, indicator, value (latest year per district)

    @property
    def is_empty(self) -> bool:
        """No incident, fault report, walk note, hot-spot cell or place in or near the area."""
        return not (self.total("incidents") or self.total("faults") or self.total("walks")
                    or len(self.hot_cells) or len(self.places))

    def total(self, what: str, zone: str | None = None) -> int:
        """Sum of ``what`` (incidents, faults, walks) in ``zone`` (inside, ring) or both."""
        frame: pd.DataFrame = getattr(self, what)
        columns = [zone] if zone else ["inside", "ring"]
        return int(frame[columns].to_numpy().sum()) if len(frame) else 0

    def within(self, what: str, categories: tuple[str, ...]) -> int:
        """``what`` rows of the given categories, inside and around."""
        frame: pd.DataFrame = getattr(self, what)
        if frame.empty:
            return 0
        chosen = frame[frame["category"].isin(categories)]
        return int(chosen[["inside", "ring"]].to_numpy().sum())


def _labels(kind: str) -> dict[str, str]:
    return dict(all_categories(kind))


def _zone_counts(frame: pd.DataFrame, codes: np.ndarray, by: str, labels: dict[str, str],
                 extra: pd.Series | None = None) -> pd.DataFrame:
    """Counts per ``by`` value in zone 1 (inside) and 2 (ring), plus ``open`` if given."""
    chosen = codes > 0
    data = pd.DataFrame({by: frame[by].astype("string").to_numpy()[chosen], "zone": codes[chosen]})
    if extra is not None:
        data["open"] = extra.to_numpy()[chosen]
    if data.empty:
        columns = [by, "label", "inside", "ring"] + (["open"] if extra is not None else [])
        return pd.DataFrame(columns=columns).astype({"inside": int, "ring": int})
    table = pd.crosstab(data[by], data["zone"]).reindex(columns=[INSIDE, RING], fill_value=0)
    out = pd.DataFrame({by: table.index.astype(str), "inside": table[INSIDE].to_numpy(),
                        "ring": table[RING].to_numpy()})
    if extra is not None:
        out["open"] = data.groupby(by)["open"].sum().reindex(out[by]).fillna(0).astype(int).to_numpy()
    out.insert(1, "label", [labels.get(k, k) for k in out[by]])
    total = out["inside"] + out["ring"]
    return out.assign(_t=total).sort_values(["_t", by], ascending=[False, True]).drop(columns="_t") \
        .reset_index(drop=True)


def _points(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[frame["precision"].astype("string").isin(POINT_PRECISIONS).to_numpy()
                 & frame["x"].notna().to_numpy()]


def _incident_times(police: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
    hours = pd.to_datetime(police["time"]).dt.hour.to_numpy() if len(police) else np.zeros(0)
    if "date_only" in police and len(police):  # no time of day: in no band (never "night")
        hours = np.where(police["date_only"].to_numpy(dtype=bool), -1, hours)
    rows = []
    for label, lo, hi in TIME_BANDS:
        band = (hours >= lo) & (hours < hi)
        rows.append({"band": label, "inside": int((band & (codes == INSIDE)).sum()),
                     "ring": int((band & (codes == RING)).sum())})
    return pd.DataFrame(rows, columns=["band", "inside", "ring"])


def _districts(plan: BaseGeometry, buffer_m: float, areas: pd.DataFrame) -> pd.DataFrame:
    if areas is None or areas.empty:
        return pd.DataFrame(columns=["area_id", "name", "share"])
    geoms = np.asarray(list(areas.geometry), dtype=object)
    near = geometry_zone(plan, buffer_m, geoms) > 0
    share = np.zeros(len(geoms))
    if near.any():
        share[near] = shapely.area(shapely.intersection(geoms[near], plan)) / plan.area
    out = pd.DataFrame({"area_id": areas["id"].astype(int).to_numpy(), "name": areas["name"].to_numpy(),
                        "share": share})[near]
    return out.sort_values("share", ascending=False).reset_index(drop=True)


def _latest_indicators(indicators: pd.DataFrame, districts: pd.DataFrame) -> pd.DataFrame:
    columns = ["area", "year", "indicator", "value"]
    if indicators is None or indicators.empty or districts.empty:
        return pd.DataFrame(columns=columns)
    names = dict(zip(districts["area_id"], districts["name"], strict=True))
    mine = indicators[indicators["area_id"].isin(list(names))]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    latest = mine[mine["year"] == mine.groupby("area_id")["year"].transform("max")]
    return (latest.assign(area=latest["area_id"].map(names))[columns]
            .sort_values(["area", "indicator"]).reset_index(drop=True))


def _places(plan: BaseGeometry, buffer_m: float, places: pd.DataFrame, actions: pd.DataFrame,
            analyses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    place_cols = ["id", "name", "kind", "zone", "open_actions", "analyses"]
    action_cols = ["place", "text", "responsible_party", "status", "due_date", "overdue"]
    analysis_cols = ["place", "problem", "hypotheses", "created"]
    if places is None or places.empty:
        return (pd.DataFrame(columns=place_cols), pd.DataFrame(columns=action_cols),
                pd.DataFrame(columns=analysis_cols))
    zones = geometry_zone(plan, buffer_m, list(places.geometry))
    near = places.assign(zone=zones)[zones > 0]
    ids = set(near["id"].astype(int))
    names = dict(zip(near["id"].astype(int), near["name"], strict=True))
    open_actions = (actions[actions["place_id"].isin(ids) & actions["status"].isin(OPEN_ACTION_STATUSES)]
                    if len(actions) else pd.DataFrame(columns=["place_id", *action_cols[1:]]))
    mine_analyses = (analyses[analyses["place_id"].isin(ids)] if len(analyses)
                     else pd.DataFrame(columns=["place_id", "problem", "hypotheses", "created_at"]))
    place_rows = pd.DataFrame({
        "id": near["id"].astype(int).to_numpy(), "name": near["name"].to_numpy(),
        "kind": near["kind"].to_numpy(), "zone": near["zone"].to_numpy(),
        "open_actions": [int((open_actions["place_id"] == i).sum()) for i in near["id"]],
        "analyses": [int((mine_analyses["place_id"] == i).sum()) for i in near["id"]],
    }, columns=place_cols).sort_values(["zone", "name"]).reset_index(drop=True)
    action_rows = pd.DataFrame({
        "place": [names[int(p)] for p in open_actions["place_id"]],
        "text": open_actions["text"].to_numpy(),
        "responsible_party": open_actions["responsible_party"].to_numpy(),
        "status": open_actions["status"].to_numpy(), "due_date": open_actions["due_date"].to_numpy(),
        "overdue": (open_actions["overdue"].fillna(False).astype(bool).to_numpy()
                    if "overdue" in open_actions else False),
    }, columns=action_cols)
    analysis_rows = pd.DataFrame({
        "place": [names[int(p)] for p in mine_analyses["place_id"]],
        "problem": mine_analyses["problem"].to_numpy(),
        "hypotheses": mine_analyses["hypotheses"].to_numpy(),
        "created": [f"{pd.Timestamp(c):%Y-%m-%d}" for c in mine_analyses["created_at"]],
    }, columns=analysis_cols)
    return place_rows, action_rows, analysis_rows


def _hot_cells(plan: BaseGeometry, buffer_m: float, cells: pd.DataFrame) -> pd.DataFrame:
    columns = ["x0", "y0", "cell", "class", "count", "zone"]
    if cells is None or cells.empty:
        return pd.DataFrame(columns=columns)
    boxes = shapely.box(cells["x0"], cells["y0"], cells["x0"] + cells["cell"], cells["y0"] + cells["cell"])
    zones = geometry_zone(plan, buffer_m, boxes)
    return cells.assign(zone=zones)[zones > 0][columns].reset_index(drop=True)


def planning_figures(*, plan: BaseGeometry, buffer_m: float, period: Period, events: pd.DataFrame,
                     faults: pd.DataFrame, walks: pd.DataFrame, hot_cells: pd.DataFrame,
                     places: pd.DataFrame, actions: pd.DataFrame, analyses: pd.DataFrame,
                     commitments: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame,
                     sensitive: frozenset[str] = frozenset()) -> PlanningFigures:
    """The planning check of ``plan`` (EPSG:3006) with a surrounding ring of ``buffer_m``.

    ``events`` is the analysis frame of police incidents (kind/source/category/time/x/y/precision/
    area_id), ``faults`` and ``walks`` the stored rows of the period; ``hot_cells`` the period's
    significant cells (x0, y0, cell, class, count). Sensitive categories are never counted by
    point, even if a point slipped through.
    """
    in_period = ((events["time"] >= pd.Timestamp(period.start_dt))
                 & (events["time"] < pd.Timestamp(period.end_dt))) if len(events) else []
    police = events[in_period] if len(events) else events
    police = police[(police["source"] == "police").to_numpy()] if len(police) else police
    placed = _points(police)
    placed = placed[~placed["category"].astype("string").isin(sensitive).to_numpy()]
    codes = zone_codes(plan, buffer_m, placed["x"].to_numpy(), placed["y"].to_numpy())
    districts = _districts(plan, buffer_m, areas)
    area_level = police[~police.index.isin(placed.index)] if len(police) else police
    containing = list(districts.loc[districts["share"] > 0, "area_id"])  # the plan lies in these
    n_area_level = (int(area_level["area_id"].isin(containing).sum())
                    if len(area_level) and containing else 0)

    fault_points = _points(faults)
    fault_codes = zone_codes(plan, buffer_m, fault_points["x"].to_numpy(), fault_points["y"].to_numpy())
    fault_open = (fault_points["fixed_at"].isna() & ~fault_points["status"].fillna("").astype(str)
                  .str.match(_FAULT_DONE)) if len(fault_points) else pd.Series(dtype=bool)
    fault_rows = []
    for source in ("municipality", "housing"):
        mine = (fault_points["source"] == source).to_numpy() if len(fault_points) else np.zeros(0, bool)
        counts = _zone_counts(fault_points[mine], fault_codes[mine], "category", _labels("fault_report"),
                              fault_open[mine])
        fault_rows.append(counts.assign(source=source))
    fault_table = pd.concat(fault_rows, ignore_index=True)[["source", "category", "label", "inside",
                                                            "ring", "open"]]
    near_faults = fault_points[fault_codes > 0]
    days = ((near_faults["fixed_at"] - near_faults["reported_at"]).dt.total_seconds() / 86400
            if len(near_faults) else pd.Series(dtype=float))
    days = days[days >= 0]
    spots = repeat_spots(near_faults) if len(near_faults) else pd.DataFrame(
        columns=["x", "y", "reports", "category", "first", "last"])
    labels = _labels("fault_report")
    spots = spots.assign(
        label=[labels.get(c, c) for c in spots["category"]],
        zone=zone_codes(plan, buffer_m, spots["x"].to_numpy(), spots["y"].to_numpy()))[
        ["label", "category", "reports", "zone", "first", "last"]]

    walk_points = _points(walks)
    walk_codes = zone_codes(plan, buffer_m, walk_points["x"].to_numpy(), walk_points["y"].to_numpy())
    walk_open = (~walk_points["status"].fillna("").astype(str).str.match(_WALK_DONE)
                 if len(walk_points) else pd.Series(dtype=bool))
    walk_table = _zone_counts(walk_points, walk_codes, "category", _labels("walk_observation"), walk_open)
    near_walks = walk_points[walk_codes > 0]
    last_walk = pd.Timestamp(near_walks["observed_at"].max()).date() if len(near_walks) else None

    place_rows, action_rows, analysis_rows = _places(plan, buffer_m, places, actions, analyses)
    chosen = (commitments[commitments["text"].map(concerns_planning)] if len(commitments)
              else pd.DataFrame(columns=["agreement", "kind", "focus_area", "party", "text"]))
    return PlanningFigures(
        period=period, buffer_m=float(buffer_m), plan_area_m2=float(plan.area),
        incidents=_zone_counts(placed, codes, "category", _labels("incident")),
        incident_times=_incident_times(placed, codes), incidents_area_level=n_area_level,
        faults=fault_table, fault_median_days=float(days.median()) if len(days) else None,
        repeat_spots=spots.sort_values(["reports", "last"], ascending=False).reset_index(drop=True), walks=walk_table, last_walk=last_walk,
        hot_cells=_hot_cells(plan, buffer_m, hot_cells), places=place_rows, actions=action_rows,
        analyses=analysis_rows,
        commitments=chosen[["agreement", "kind", "focus_area", "party", "text"]].reset_index(drop=True),
        districts=districts, indicators=_latest_indicators(indicators, districts))
