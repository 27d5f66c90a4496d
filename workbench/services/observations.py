"""The coordinator's side of the weekly inrapportering: who has reported a week, the reported
observations as their own source ("Inrapporterat") per area and period, the reporters'
assessments per area and ISO week, and what an åtgärd made from observations is prefilled with.

The precision rules of the other sources hold: an observation of a sensitive category keeps only
its area (no point, no place), whatever the role; the gate takes the points away from roles
without point access and keeps housing to its own areas.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import select

from workbench.geo.assign import assign_points
from workbench.schema import PRECISION_AREA, PRECISION_EXACT
from workbench.situation import Period
from workbench.store import observation_links, reporting
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import Store
from workbench.taxonomy import category_label

SOURCE_LABEL = "Inrapporterat"
REPORTED, NOTHING, MISSING = "observations", "nothing", "missing"
STATE_LABELS = {REPORTED: "Rapporterat", NOTHING: "Inget att rapportera", MISSING: "Ej rapporterat"}
OPEN_STATUSES = (reporting.STATUS_NEW, "behandlad på EST-möte")
COLUMNS = ["id", "report_id", "verksamhet", "iso_year", "iso_week", "category", "x", "y", "precision",
           "place", "area", "area_id", "time", "occurred_to", "description", "assessment", "status",
           "status_reason", "action_ids"]


def iso_week_of(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return int(year), int(week)


def weeks_before(year: int, week: int, count: int) -> list[tuple[int, int]]:
    """``count`` ISO weeks ending with (year, week), oldest first."""
    monday = date.fromisocalendar(int(year), int(week), 1)
    return [iso_week_of(monday - timedelta(weeks=i)) for i in reversed(range(count))]


def _sensitive(categories: pd.Series, sensitive: frozenset[str]) -> np.ndarray:
    """Whether each category is sensitive: by key, or by the key's Swedish label."""
    names = {s.casefold() for s in sensitive} | {category_label(s).casefold() for s in sensitive}
    return categories.fillna("").astype(str).str.strip().str.casefold().isin(names).to_numpy()


# (database url, organisation, sensitive categories) → (change version, frame): the frame is read
# again only when something of the organisation changed (every report and decision is audited).
_FRAMES: dict[tuple[str, int, frozenset[str]], tuple[int, pd.DataFrame]] = {}


def observation_frame(store: Store, organisation_id: int, *, sensitive: frozenset[str]) -> pd.DataFrame:
    """Every reported observation of the organisation with its district (by the area named, else
    by its point), its precision and its linked åtgärder; sensitive categories area-level only.
    A copy of the frame kept since the organisation's last change."""
    key = (store.url, int(organisation_id), frozenset(sensitive))
    version = repo.change_version(store.engine, organisation_id)
    kept = _FRAMES.get(key)
    if kept is None or kept[0] != version:
        kept = (version, _read_frame(store, organisation_id, sensitive))
        _FRAMES[key] = kept
    return kept[1].copy()


def _read_frame(store: Store, organisation_id: int, sensitive: frozenset[str]) -> pd.DataFrame:
    with store.engine.connect() as conn:
        frame = observation_links.observation_table(conn, organisation_id)
        areas = repo.load_areas(conn, [organisation_id])
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = frame.rename(columns={"occurred_from": "time"})
    for column in ("x", "y"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    by_name = {str(n).strip().casefold(): int(i) for i, n in zip(areas["id"], areas["name"], strict=True)}
    named = frame["area"].fillna("").astype(str).str.strip().str.casefold().map(by_name)
    inside = assign_points(frame["x"].to_numpy(), frame["y"].to_numpy(), list(areas.geometry))
    area_ids = areas["id"].to_numpy(dtype="int64")
    by_point = pd.Series(np.where(inside >= 0, area_ids[np.clip(inside, 0, None)] if len(area_ids) else -1, -1),
                         index=frame.index).replace(-1, np.nan)
    frame["area_id"] = pd.array(named.where(named.notna(), by_point), dtype="Int64")
    names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    frame["area"] = [names.get(int(a)) if pd.notna(a) else (n or None)
                     for a, n in zip(frame["area_id"], frame["area"], strict=True)]
    hidden = _sensitive(frame["category"], sensitive)
    frame.loc[hidden, ["x", "y"]] = np.nan
    frame.loc[hidden, "place"] = None
    frame["precision"] = np.where(frame["x"].notna(), PRECISION_EXACT, PRECISION_AREA)
    frame["time"] = pd.to_datetime(frame["time"])
    return frame[COLUMNS].reset_index(drop=True)


def expected_verksamheter(store: Store, organisation_id: int, year: int, week: int,
                          weeks_back: int = 8) -> dict[str, tuple[str, ...]]:
    """The verksamheter expected to report (verksamhet → its areas): every reporter membership of
    the organisation, and every verksamhet that reported in the ``weeks_back`` weeks up to the week
    (a reporter account since removed still shows as expected for a while)."""
    expected: dict[str, tuple[str, ...]] = {}
    m, u = t.Membership.__table__, t.UserAccount.__table__
    with store.engine.connect() as conn:
        for verksamhet, areas in conn.execute(select(m.c.verksamhet, m.c.areas)
                                              .select_from(m.join(u, m.c.user_id == u.c.id))
                                              .where(m.c.organisation_id == organisation_id, u.c.active,
                                                     m.c.verksamhet.is_not(None))
                                              .order_by(m.c.id)):
            name = str(verksamhet or "").strip()
            if name:
                expected[name] = tuple(dict.fromkeys([*expected.get(name, ()), *(areas or [])]))
    first = weeks_before(year, week, weeks_back)[0]
    r = t.WeeklyReport.__table__
    key = r.c.iso_year * 100 + r.c.iso_week  # ISO year and week, in order
    with store.engine.connect() as conn:
        for name in conn.execute(select(r.c.verksamhet).distinct().where(
                r.c.organisation_id == organisation_id,
                key.between(first[0] * 100 + first[1], int(year) * 100 + int(week)))).scalars():
            expected.setdefault(name, ())
    return expected


def reporting_status(store: Store, organisation_id: int, year: int, week: int, *,
                     sensitive: frozenset[str], observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who has reported ISO week (year, week): one row per expected verksamhet with its state
    (observations / inget att rapportera / not reported), the number of observations and the
    areas (its own, and those its observations this week lie in)."""
    expected = expected_verksamheter(store, organisation_id, year, week)
    with store.engine.connect() as conn:
        week_reports = {r["verksamhet"]: r for r in reporting.reports(conn, organisation_id,
                                                                      iso_year=year, iso_week=week)}
    frame = observations if observations is not None else observation_frame(store, organisation_id,
                                                                             sensitive=sensitive)
    this_week = frame[(frame["iso_year"] == year) & (frame["iso_week"] == week)]
    by_verksamhet = dict(tuple(this_week.groupby("verksamhet"))) if len(this_week) else {}
    rows = []
    for verksamhet in sorted({*expected, *week_reports}, key=str.casefold):
        report = week_reports.get(verksamhet)
        own = by_verksamhet.get(verksamhet, this_week.iloc[0:0])
        if report is None:
            state = MISSING
        else:
            state = NOTHING if report["nothing_to_report"] and own.empty else REPORTED
        areas = list(dict.fromkeys([*expected.get(verksamhet, ()), *own["area"].dropna().astype(str)]))
        area_ids = sorted({int(a) for a in own["area_id"].dropna()})
        rows.append({"verksamhet": verksamhet, "state": state, "label": STATE_LABELS[state],
                     "observations": len(own), "areas": areas, "area_ids": area_ids,
                     "reported_at": None if report is None else report["created_at"]})
    return pd.DataFrame(rows, columns=["verksamhet", "state", "label", "observations", "areas",
                                       "area_ids", "reported_at"])


def area_counts(frame: pd.DataFrame, areas: pd.DataFrame, period: Period, reference: Period) -> pd.DataFrame:
    """Per area: observations in the period and in the reference (the lägesbild's columns)."""
    def counts(p: Period) -> Counter:
        chosen = frame[(frame["time"] >= p.start_dt) & (frame["time"] < p.end_dt)]
        return Counter(int(a) if pd.notna(a) else None for a in chosen["area_id"])

    current, previous = counts(period), counts(reference)
    rows = [{"area_id": int(a.id), "area": a.name, "current": current.get(int(a.id), 0),
             "reference": previous.get(int(a.id), 0)} for a in areas.itertuples()]
    if current.get(None) or previous.get(None):
        rows.append({"area_id": None, "area": "Utanför områdena", "current": current.get(None, 0),
                     "reference": previous.get(None, 0)})
    return pd.DataFrame(rows, columns=["area_id", "area", "current", "reference"])


def assessment_trend(frame: pd.DataFrame, areas: pd.DataFrame, weeks: list[tuple[int, int]]) -> pd.DataFrame:
    """The reporters' assessment per area and ISO week: mean Bedömning and how many observations
    carry one (the index over weeks). One row per area with an observation in the weeks."""
    keys = list(zip(frame["iso_year"], frame["iso_week"], strict=True)) if len(frame) else []
    in_weeks = frame[[(int(y), int(w)) in set(weeks) for y, w in keys]] if len(frame) else frame
    assessed = in_weeks[in_weeks["assessment"].notna() & in_weeks["area_id"].notna()]
    names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    rows = []
    for area_id, group in assessed.groupby(assessed["area_id"].astype(int)):
        if area_id not in names:
            continue
        for (year, week), cell in group.groupby([group["iso_year"].astype(int), group["iso_week"].astype(int)]):
            values = pd.to_numeric(cell["assessment"])
            rows.append({"area_id": area_id, "area": names[area_id], "iso_year": year, "iso_week": week,
                         "mean": float(values.mean()), "count": int(len(values))})
    return pd.DataFrame(rows, columns=["area_id", "area", "iso_year", "iso_week", "mean", "count"])


def _text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip() or None


def _point_place(x: float, y: float, places: gpd.GeoDataFrame) -> int | None:
    from workbench.hotspots.ranking import place_geometries

    if places.empty or pd.isna(x) or pd.isna(y):
        return None
    inside = assign_points(np.array([x]), np.array([y]), place_geometries(places))
    return int(places["id"].iloc[inside[0]]) if inside[0] >= 0 else None


def action_prefill(observations: pd.DataFrame, faults: pd.DataFrame, places: gpd.GeoDataFrame) -> dict[str, Any]:
    """What a new åtgärd answering the chosen observations and felanmälningar is prefilled with:
    a text naming what was seen, the known place (by name, else the place whose outline holds the
    point) and the area, when they are the same for every one chosen."""
    parts: list[str] = []
    items = [(r.category, _text(r.description), _text(r.place), r.x, r.y, r.area_id)
             for r in observations.itertuples()]
    items += [(category_label(r.category), _text(r.description), None, r.x, r.y, getattr(r, "area_id", None))
              for r in faults.itertuples()]
    if len(items) == 1:
        category, description, place, *_ = items[0]
        where = f" vid {place}" if place else ""
        parts.append(f"{category}{where}" + (f": {description}" if description else ""))
    else:
        counts = Counter(str(i[0]) for i in items)
        parts.append(f"Med anledning av {len(items)} rapporter: "
                     + ", ".join(f"{c} ({n})" for c, n in counts.most_common()))
    names = {str(n).strip().casefold(): int(i) for i, n in zip(places["id"], places["name"], strict=True)} \
        if len(places) else {}
    place_ids = set()
    for _, _, place, x, y, _ in items:
        by_name = names.get(str(place).strip().casefold()) if place else None
        place_ids.add(by_name if by_name is not None else _point_place(x, y, places))
    area_ids = {int(i[5]) if i[5] is not None and not pd.isna(i[5]) else None for i in items}
    return {"text": "; ".join(parts)[:2000],
            "place_id": next(iter(place_ids)) if len(place_ids) == 1 else None,
            "area_id": next(iter(area_ids)) if len(area_ids) == 1 else None}


def set_status(store: Store, organisation_id: int, observation_id: int, status: str, *,
               reason: str | None, actor: str) -> None:
    """The coordinator's decision on an observation (behandlad, avslutad utan åtgärd + skäl …)."""
    with store.transaction() as conn:
        reporting.set_status(conn, organisation_id, observation_id, status, reason=reason, actor=actor)


def fault_report_actions(store: Store, organisation_id: int) -> dict[int, list[int]]:
    with store.engine.connect() as conn:
        return observation_links.fault_report_actions(conn, organisation_id)


def now_week() -> tuple[int, int]:
    return iso_week_of(datetime.now().date())
