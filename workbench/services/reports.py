"""Report use cases: gather the figures from the store, build a Document, render HTML/PDF/XLSX.

The CLI (`workbench report …`) and the Rapporter page call the same ``build``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from workbench.config import Settings
from workbench.errors import AccessDenied, NotFoundError, WorkbenchError
from workbench.follow_up import follow_up
from workbench.hotspots.emerging import default_span
from workbench.hotspots.followthrough import fix_times
from workbench.hotspots.ranking import place_geometries, place_ranking
from workbench.hotspots.timeprofile import hour_weekday
from workbench.meeting import span
from workbench.reports.common import Numbers
from workbench.reports.document import Document
from workbench.reports.html import render_html
from workbench.reports.meeting_docs import FeedbackData, feedback_document, minutes_document
from workbench.reports.pdf import render_pdf
from workbench.reports.plans import action_plan_document, actions_xlsx, agreement_follow_up_document
from workbench.reports.situation_report import SituationData, situation_document
from workbench.schema import (
    ACTION_DONE,
    ACTION_ONGOING,
    KIND_FAULT_REPORT,
    KIND_WALK_OBSERVATION,
    OPEN_ACTION_STATUSES,
    REPORT_FORMATS,
    REPORT_KIND_LABELS_SV,
)
from workbench.services import hotspots as hs
from workbench.services import meeting_scope, observations
from workbench.services import meetings as meeting_service
from workbench.situation import Period, area_figures, count_in, source_totals
from workbench.store import loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import Store
from workbench.taxonomy import category_label

KINDS: dict[str, tuple[str, ...]] = REPORT_FORMATS  # kind → formats (schema.py)
KIND_LABELS_SV = REPORT_KIND_LABELS_SV
FOLLOW_UP_WINDOW_DAYS = 90


class ReportError(WorkbenchError):
    """The report cannot be made from what was asked (a clear Swedish sentence)."""


@dataclass(frozen=True)
class Built:
    data: bytes
    file_name: str
    mime: str


def organisation_name(store: Store, organisation_id: int) -> str:
    orgs = repo.list_organisations(store.engine).set_index("id")
    if organisation_id not in orgs.index:
        raise NotFoundError(f"Organisationen {organisation_id} finns inte.")
    return str(orgs.loc[organisation_id, "name"])


def _labelled_counts(frame: pd.DataFrame) -> pd.Series:
    return frame["category"].astype("string").value_counts()


def _follow_ups(store: Store, organisation_id: int, actions: pd.DataFrame, until: date,
                min_count: int) -> tuple[list[dict], dict[int, str]]:
    """Before/after at the place of every started action (equal windows, at most 90 days)."""
    chosen = actions[actions["place_id"].notna() & actions["start_date"].notna()
                     & actions["status"].isin([ACTION_ONGOING, ACTION_DONE])] if len(actions) else actions
    if chosen.empty:
        return [], {}
    places = repo.load_places(store.engine, [organisation_id]).set_index("id", drop=False)
    first = pd.Timestamp(chosen["start_date"].min()) - pd.Timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    events = hs.load_events(store, [organisation_id], start=first.to_pydatetime(),
                           end=datetime.combine(until + timedelta(days=1), datetime.min.time()))
    points = hs.point_events(events[events["source"] == "police"])
    results, effects = [], {}
    show = Numbers(min_count)  # every document shows small counts as '<N'
    for row in chosen.itertuples():
        start = pd.Timestamp(row.start_date).date()
        window = min(FOLLOW_UP_WINDOW_DAYS, (until - start).days)
        if window < 7 or int(row.place_id) not in places.index:
            continue
        geometry = place_geometries(places.loc[[int(row.place_id)]])[0]
        result = follow_up(points, start=start, window_days=window, place=geometry)
        results.append({"action": row.text, "place": row.place, "start": str(start),
                        "before": result.target.before, "after": result.target.after,
                        "verdict": result.verdict_sv(show)})
        effects[int(row.id)] = result.verdict_sv(show)
    return results, effects


def situation_data(store: Store, settings: Settings, organisation_id: int, period: Period) -> SituationData:
    current, previous, last_year = span(period)
    over_time = datetime.combine(default_span("month", period.end)[0], datetime.min.time())
    first = min(previous.start_dt, last_year.start_dt, period.end_dt - timedelta(days=365), over_time)
    events = hs.load_events(store, [organisation_id], start=first, end=period.end_dt)
    areas = repo.load_areas(store.engine, [organisation_id])
    police = events[events["source"] == "police"]
    cats = pd.DataFrame({"current": _labelled_counts(count_in(police, current)),
                         "previous": _labelled_counts(count_in(police, previous)),
                         "last_year": _labelled_counts(count_in(police, last_year))}).fillna(0).astype(int)
    cats = cats.sort_values(["current", "previous"], ascending=False).head(10)
    cats.insert(0, "label", [category_label(str(k)) for k in cats.index])
    year = events[events["time"] >= period.end_dt - timedelta(days=365)]
    months = pd.period_range(end=pd.Period(period.end, "M"), periods=12, freq="M")
    by_month = year.assign(month=year["time"].dt.to_period("M"))
    monthly = pd.DataFrame({
        "month": [m.strftime("%Y-%m") for m in months],
        "police": by_month[by_month["source"] == "police"]["month"].value_counts().reindex(months, fill_value=0).to_numpy(),
        "faults": by_month[by_month["source"].isin(["municipality", "housing"])]["month"]
        .value_counts().reindex(months, fill_value=0).to_numpy()})
    fault_rows = []
    for source in ("municipality", "housing"):
        mine = events[events["source"] == source]
        now, before = _labelled_counts(count_in(mine, current)), _labelled_counts(count_in(mine, previous))
        for key in now.index.union(before.index):
            fault_rows.append({"source": source, "label": category_label(str(key)),
                               "current": int(now.get(key, 0)), "previous": int(before.get(key, 0))})
    faults = pd.DataFrame(fault_rows, columns=["source", "label", "current", "previous"])
    reports = repo.load_points(store.engine, KIND_FAULT_REPORT, [organisation_id],
                               start=current.start_dt, end=current.end_dt)
    fixes = (fix_times(reports).assign(label=lambda f: f["category"].map(lambda c: category_label(str(c))))
             if len(reports) else pd.DataFrame(columns=["label", "reports", "fixed", "median_hours"]))
    walk_rows = repo.load_points(store.engine, KIND_WALK_OBSERVATION, [organisation_id],
                                 start=current.start_dt, end=current.end_dt)
    walks = (walk_rows.assign(open=~walk_rows["status"].fillna("").str.lower().str.startswith("åtgärd"))
             .groupby("category").agg(count=("id", "size"), open=("open", "sum")).reset_index()
             .assign(label=lambda f: f["category"].map(lambda c: category_label(str(c))))
             if len(walk_rows) else pd.DataFrame(columns=["label", "count", "open"]))
    names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    indicators = repo.load_indicators(store.engine, organisation_id)
    indicators = indicators.assign(area=indicators["area_id"].map(names)).dropna(subset=["area"])
    place_frame = repo.load_places(store.engine, [organisation_id])
    points = hs.point_events(count_in(police, current))
    ranking = (place_ranking(points["x"].to_numpy(), points["y"].to_numpy(), place_frame)
               if len(place_frame) else pd.DataFrame(columns=["place", "kind", "count"]))
    analyses = loop.cause_analyses(store.engine, organisation_id)
    place_names = dict(zip(place_frame["id"], place_frame["name"], strict=True))
    analyses = (pd.DataFrame({"place": [place_names.get(p) for p in analyses["place_id"]],
                              "problem": analyses["problem"], "hypotheses": analyses["hypotheses"],
                              "created": [f"{c:%Y-%m-%d}" for c in analyses["created_at"]]})
                if len(analyses) else pd.DataFrame(columns=["place", "problem", "hypotheses", "created"]))
    actions = loop.list_actions(store.engine, organisation_id, today=period.end)
    follow_ups, _ = _follow_ups(store, organisation_id, actions, period.end, settings.min_count)
    statuses = []
    closed = meetings.closed_snapshots(store.engine, organisation_id)
    if closed:
        last = closed[-1]
        statuses = [{"area": a["area"], "level": a["status"]["level"],
                     "motivation": a["status"].get("motivation"), "meeting_date": last["meeting_date"]}
                    for a in last["areas"] if (a.get("status") or {}).get("level")]
    return SituationData(
        organisation=organisation_name(store, organisation_id), period=period,
        min_count=settings.min_count,
        totals=source_totals(events, current, previous),
        totals_last_year=source_totals(events, current, last_year),
        areas=area_figures(events, areas, current, previous),
        areas_last_year=area_figures(events, areas, current, last_year),
        area_shapes=areas[["id", "name", "geometry"]], categories=cats.reset_index(drop=True),
        monthly=monthly, hour_weekday=hour_weekday(count_in(police, current)),
        faults=faults, fix_times=fixes, walks=walks, indicators=indicators,
        hot_cells=meeting_service.hot_cells(events, store, organisation_id, period, settings.grid_size_m),
        places=ranking[ranking["count"] > 0] if len(ranking) else ranking,
        cause_analyses=analyses, actions=actions, follow_ups=follow_ups, statuses=statuses,
        agreement=loop.agreement_follow_up(store.engine, organisation_id),
        emerging=meeting_service.hotspots_over_time(store, settings, organisation_id, events, areas, period),
        reported=observations.area_counts(
            observations.observation_frame(store, organisation_id, sensitive=settings.sensitive_categories),
            areas, current, previous))


def actions_in(actions: pd.DataFrame, period: Period | None) -> pd.DataFrame:
    """Actions that belong to a period's plan: open ones, and those started or due in it."""
    if period is None or actions.empty:
        return actions
    due = pd.to_datetime(actions["due_date"])
    started = pd.to_datetime(actions["start_date"])
    lo, hi = pd.Timestamp(period.start), pd.Timestamp(period.end)
    keep = (actions["status"].isin(OPEN_ACTION_STATUSES) | due.between(lo, hi).fillna(False)
            | started.between(lo, hi).fillna(False))
    return actions[keep.to_numpy()]


def feedback_data(store: Store, settings: Settings, organisation_id: int, period: Period, *,
                  meeting_id: int | None = None, area_ids: tuple[int, ...] | None = None) -> FeedbackData:
    current, previous, _ = span(period)
    events = _in_areas(hs.load_events(store, [organisation_id], start=previous.start_dt, end=current.end_dt),
                       area_ids)
    areas = _in_areas(repo.load_areas(store.engine, [organisation_id]), area_ids, "id")
    figures = area_figures(events, areas, current, previous)
    area_rows = [{"area": r.area, "current": r.police_current, "previous": r.police_reference,
                  "change": {"current": r.police_current, "reference": r.police_reference,
                             "percent": r.police_change_pct, "label": r.police_change}}
                 for r in figures.itertuples()]
    reports = _in_areas(repo.load_points(store.engine, KIND_FAULT_REPORT, [organisation_id],
                                         start=current.start_dt, end=current.end_dt), area_ids)
    faults = [{"label": category_label(str(k)), "reported": len(g), "fixed": int(g["fixed_at"].notna().sum())}
              for k, g in reports.groupby("category")] if len(reports) else []
    names = dict(zip(areas["id"].astype(int), areas["name"], strict=True))
    actions = own_actions(actions_in(loop.list_actions(store.engine, organisation_id, today=period.end),
                                     period), area_ids)
    public = actions[actions["public"].fillna(False).astype(bool)] if len(actions) else actions
    summary = ""
    if meeting_id is not None:
        summary = meetings.get_meeting(store.engine, organisation_id, meeting_id)["public_summary"] or ""
    return FeedbackData(
        organisation=organisation_name(store, organisation_id), period_label=period.label(),
        min_count=settings.min_count, areas=area_rows, faults=faults,
        actions=[{"text": r.text, "area": names.get(int(r.area_id)) if not pd.isna(r.area_id) else None,
                  "status": r.status, "promise": getattr(r, "promises", "") or ""}
                 for r in public.itertuples()],
        summary=summary)


def _in_areas(frame: pd.DataFrame, area_ids: tuple[int, ...] | None, column: str = "area_id") -> pd.DataFrame:
    """Only the rows in ``area_ids`` (None: every row; a row without an area is in none)."""
    if area_ids is None or frame.empty:
        return frame if area_ids is None else frame.iloc[0:0]
    return frame[frame[column].isin(area_ids).fillna(False).astype(bool).to_numpy()].reset_index(drop=True)


def own_actions(actions: pd.DataFrame, area_ids: tuple[int, ...] | None) -> pd.DataFrame:
    """The actions a reader limited to ``area_ids`` may read in a document: those in its areas,
    and those about the whole organisation (no area and no place)."""
    if area_ids is None or actions.empty:
        return actions
    in_own = actions["area_id"].isin(area_ids).fillna(False).astype(bool)
    general = actions["area_id"].isna() & actions["place_id"].isna()
    return actions[(in_own | general).to_numpy()]


def area_names(store: Store, organisation_id: int, area_ids: tuple[int, ...] | None) -> set[str]:
    """The names of ``area_ids`` now (every area's when None)."""
    areas = repo.load_areas(store.engine, [organisation_id])
    return set(_in_areas(areas, area_ids, "id")["name"].astype(str))


def document(kind: str, store: Store, settings: Settings, organisation_id: int, *,
             period: Period | None = None, meeting_id: int | None = None,
             area_ids: tuple[int, ...] | None = None) -> Document:
    """The Document of one report kind (see KINDS), cut to ``area_ids`` (a reader limited to
    some areas; None = every area). The lägesbild and the follow-up of the agreement are about
    the whole organisation (hot-spots, places, indicators, the agreement's effects) and are
    refused to a limited reader rather than given in part."""
    if kind == "minutes":
        meeting_id = meeting_id or _latest_closed(store, organisation_id)
        meeting = meetings.get_meeting(store.engine, organisation_id, meeting_id)
        if meeting["closed_at"] is None or not meeting["snapshot"]:
            raise ReportError(f"Mötet {meeting['meeting_date']} är inte avslutat; protokollet skrivs "
                              "när mötet avslutas.")
        return minutes_document(meeting_scope.cut_snapshot(
            meeting["snapshot"], area_ids, area_names(store, organisation_id, area_ids)))
    if area_ids is not None and kind in ("situation", "agreement-follow-up"):
        raise AccessDenied(f"{KIND_LABELS_SV[kind]} gäller hela organisationen och kan inte tas ut "
                           "av en roll som bara ser sina egna områden.")
    if meeting_id is not None and period is None:
        period = meeting_service.period_of(meetings.get_meeting(store.engine, organisation_id, meeting_id))
    name = organisation_name(store, organisation_id)
    if kind == "action-plan":
        actions = own_actions(actions_in(loop.list_actions(store.engine, organisation_id), period), area_ids)
        return action_plan_document(actions, organisation=name,
                                    period_label=period.label() if period else "Alla åtgärder")
    if kind == "agreement-follow-up":
        follow = loop.agreement_follow_up(store.engine, organisation_id)
        agreements = follow[follow["kind"] == "agreement"]
        if agreements.empty:
            raise ReportError(f"{name} har ingen samverkansöverenskommelse inläst "
                              "(läs in den under Överenskommelse).")
        agreement_id = int(agreements["agreement_id"].iloc[-1])
        follow = follow[follow["agreement_id"] == agreement_id]
        actions = loop.list_actions(store.engine, organisation_id)
        _, effects = _follow_ups(store, organisation_id, actions, period.end if period else date.today(),
                                 settings.min_count)
        return agreement_follow_up_document(
            follow, actions, effects, organisation=name, agreement=str(follow["agreement"].iloc[0]),
            period_label=period.label() if period else "Hela överenskommelsens period",
            min_count=settings.min_count)
    if period is None:
        raise ReportError("Ange en period (--from och --to) för lägesbild och återkoppling.")
    if kind == "situation":
        return situation_document(situation_data(store, settings, organisation_id, period))
    if kind == "feedback":
        return feedback_document(feedback_data(store, settings, organisation_id, period,
                                               meeting_id=meeting_id, area_ids=area_ids))
    raise ReportError(f"Okänd rapport '{kind}' (finns: {', '.join(KINDS)}).")


def _latest_closed(store: Store, organisation_id: int) -> int:
    listed = meetings.list_meetings(store.engine, organisation_id)
    closed = listed[listed["closed_at"].notna()]
    if closed.empty:
        raise ReportError("Det finns inget avslutat EST-möte att skriva protokoll från.")
    return int(closed.sort_values(["closed_at", "id"]).iloc[-1]["id"])


MIME = {"html": "text/html", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def build(kind: str, fmt: str, store: Store, settings: Settings, organisation_id: int, *,
          period: Period | None = None, meeting_id: int | None = None,
          area_ids: tuple[int, ...] | None = None) -> Built:
    """The report as bytes with a suggested file name, cut to ``area_ids`` (see ``document``)."""
    if kind not in KINDS:
        raise ReportError(f"Okänd rapport '{kind}' (finns: {', '.join(KINDS)}).")
    if fmt not in KINDS[kind]:
        raise ReportError(f"{KIND_LABELS_SV[kind]} kan sparas som {', '.join(KINDS[kind])}, inte {fmt}.")
    if meeting_id is not None and period is None and kind != "minutes":  # the meeting's period
        period = meeting_service.period_of(meetings.get_meeting(store.engine, organisation_id, meeting_id))
    stem = f"{kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}" if period else kind
    if fmt == "xlsx":
        name = organisation_name(store, organisation_id)
        actions = own_actions(actions_in(loop.list_actions(store.engine, organisation_id), period), area_ids)
        data = actions_xlsx(actions, title=f"Åtgärdsplan – {name}")
        return Built(data, f"{stem}.xlsx", MIME[fmt])
    doc = document(kind, store, settings, organisation_id, period=period, meeting_id=meeting_id,
                   area_ids=area_ids)
    data = render_pdf(doc) if fmt == "pdf" else render_html(doc).encode("utf-8")
    return Built(data, f"{stem}.{fmt}", MIME[fmt])


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in MIME:
        raise ReportError(f"Filen '{path}' ska sluta på .html, .pdf eller .xlsx.")
    return suffix
