"""EST meeting (lägesbild per meeting): periods, per-area briefs, what changed since last time.

Pure functions on frames and plain dicts. A brief is JSON-able as it is, because closing a meeting
freezes the briefs into the situation's snapshot and every later document is read from there.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypedDict, cast

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.situation import Change, Period, change_test, count_in, preset_period
from workbench.taxonomy import category_label

# --- the frozen snapshot of a closed meeting ---------------------------------------------------
# Stored as JSON when a meeting closes and read by every later document (protokoll, återkoppling,
# lägesbild, the next meeting's "since last time"). Its keys are declared here once: a key renamed
# in services.meetings.assemble is a mypy error, and a snapshot closed by an older program must
# still read (tests/store/test_meeting_snapshot.py keeps one written today). Change a key's name or
# meaning only with a new SNAPSHOT_SCHEMA and an upgrade in read_snapshot.
SNAPSHOT_SCHEMA = 1


class SnapshotPeriod(TypedDict):
    kind: str | None
    start: str  # ISO date
    end: str
    label: str
    title: str


class MeetingSnapshot(TypedDict):
    schema: int
    id: int
    organisation: str
    title: str | None
    meeting_date: str  # ISO date
    period: SnapshotPeriod
    previous_label: str
    last_year_label: str
    min_count: int
    status_levels: list[str]
    total: dict[str, Any]  # meeting.area_brief for the whole organisation
    areas: list[dict[str, Any]]  # the agenda: one brief per area, with actions, status, trend
    decisions: list[dict[str, Any]]  # the åtgärder decided at the meeting
    hot_cells: list[dict[str, Any]]
    emerging: dict[str, Any] | None
    open_actions: int
    overdue_actions: int
    notes: str
    public_summary: str
    attendees: list[dict[str, str]]
    adjusted_by: str
    next_meeting: str | None
    created_by: str | None
    closed_by: str | None
    closed_at: str | None


SNAPSHOT_KEYS = frozenset(MeetingSnapshot.__annotations__)


class SnapshotTooNewError(WorkbenchError):
    """A snapshot closed by a newer program than this one."""


def read_snapshot(stored: dict[str, Any]) -> MeetingSnapshot:
    """A stored snapshot as this program reads it. One without ``schema`` predates the version
    number (schema 1); one from a newer program is refused rather than misread.

    >>> read_snapshot({"schema": 1, "id": 7})["id"]
    7
    >>> read_snapshot({"schema": 99})
    Traceback (most recent call last):
    ...
    workbench.meeting.SnapshotTooNewError: Mötet stängdes av en nyare version av programmet (ögonblicksbild version 99, den här läser till och med 1); uppdatera programmet för att läsa det.
    """
    version = int(stored.get("schema") or 1)
    if version > SNAPSHOT_SCHEMA:
        raise SnapshotTooNewError(
            f"Mötet stängdes av en nyare version av programmet (ögonblicksbild version {version}, "
            f"den här läser till och med {SNAPSHOT_SCHEMA}); uppdatera programmet för att läsa det.")
    return cast(MeetingSnapshot, stored)


PERIOD_KINDS: dict[str, str] = {
    "week": "Vecka",
    "14d": "14 dagar",
    "month": "Månad",
    "tertial": "Tertial",
    "year": "År",
    "custom": "Anpassad",
}
FAULT_SOURCES = ("municipality", "housing")
TOP_CATEGORIES = 8


def meeting_period(kind: str, end: date, start: date | None = None) -> Period:
    """The period a meeting looks back on, ending at ``end``.

    >>> meeting_period("week", date(2026, 11, 15)).label()
    '2026-11-09 – 2026-11-15'
    >>> meeting_period("tertial", date(2026, 6, 30)).start
    datetime.date(2026, 5, 1)
    """
    if kind == "week":
        return Period(end - timedelta(days=6), end)
    if kind == "14d":
        return Period(end - timedelta(days=13), end)
    if kind == "month":
        return Period(end.replace(day=1), end)
    if kind in ("tertial", "year"):
        return preset_period("tertial" if kind == "tertial" else "ytd", end)
    if kind == "custom":
        if start is None:
            raise ValueError("en anpassad period behöver ett startdatum")
        return Period(start, end)
    raise ValueError(f"okänd periodtyp '{kind}' (tillåtna: {', '.join(PERIOD_KINDS)})")


def period_title(kind: str, period: Period) -> str:
    """A Swedish name for the period, e.g. 'vecka 46 2026' or 'tertial 2 2026'."""
    if kind == "week" and period.start.weekday() == 0:
        week = period.start.isocalendar()
        return f"vecka {week.week} {week.year}"
    if kind == "month":
        months = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                  "september", "oktober", "november", "december")
        return f"{months[period.start.month - 1]} {period.start.year}"
    if kind == "tertial":
        return f"tertial {(period.start.month - 1) // 4 + 1} {period.start.year}"
    if kind == "year":
        return f"år {period.start.year}"
    if period.name() != period.label():  # a whole month, tertial or year chosen as dates
        return period.name()
    return f"{period.start:%Y-%m-%d} till {period.end:%Y-%m-%d}"  # no second dash beside the title's


def meeting_title(meeting_date: date, kind: str, period: Period) -> str:
    """'EST-möte 2026-12-04, period 18–31 oktober …': the meeting's date once, then its period."""
    return f"EST-möte {meeting_date:%Y-%m-%d}, period {period_title(kind, period)}"


def span(period: Period) -> tuple[Period, Period, Period]:
    """(period, previous period, same period last year)."""
    return period, period.previous(), period.same_last_year()


def change_dict(change: Change) -> dict[str, Any]:
    return {"current": change.current, "reference": change.reference, "p": round(change.p_value, 4),
            "significant": change.significant, "label": change.label_sv(),
            "percent": None if change.percent is None else round(change.percent, 1)}


def _by_category(frame: pd.DataFrame) -> list[dict[str, Any]]:
    counts = frame["category"].astype("string").value_counts()
    return [{"category": str(k), "label": category_label(str(k)), "count": int(v)}
            for k, v in counts.items() if v > 0]


def area_brief(events: pd.DataFrame, *, area_id: int | None, name: str,
               population: float | None, period: Period) -> dict[str, Any]:
    """The figures of one area for the meeting, as a JSON-able dict.

    ``events``: columns source, category, time, area_id (every source, summaries already
    removed), covering at least the period, the previous period and the same period last year.
    ``area_id`` None = the whole organisation.
    """
    rows = events if area_id is None else events[events["area_id"] == area_id]
    current_period, previous, last_year = span(period)
    police = rows[rows["source"] == "police"]
    now, before, year_ago = (count_in(police, p) for p in (current_period, previous, last_year))
    categories = pd.DataFrame({
        "current": now["category"].astype("string").value_counts(),
        "previous": before["category"].astype("string").value_counts(),
        "last_year": year_ago["category"].astype("string").value_counts(),
    }).fillna(0).astype(int)
    categories = categories.sort_values(["current", "previous"], ascending=False).head(TOP_CATEGORIES)
    faults = rows[rows["source"].isin(FAULT_SOURCES)]
    walks = rows[rows["source"] == "walk"]
    faults_now, faults_before = count_in(faults, current_period), count_in(faults, previous)
    walks_now = count_in(walks, current_period)
    per_1000 = None
    if population is not None and not pd.isna(population) and population > 0:
        per_1000 = round(len(now) / float(population) * 1000.0 * 365.0 / period.days, 2)
    return {
        "area_id": area_id,
        "area": name,
        "population": None if population is None or pd.isna(population) else int(population),
        "police": {
            "current": len(now), "previous": len(before), "last_year": len(year_ago),
            "vs_previous": change_dict(change_test(len(now), len(before))),
            "vs_last_year": change_dict(change_test(len(now), len(year_ago))),
            "per_1000": per_1000,
        },
        "police_categories": [
            {"category": str(k), "label": category_label(str(k)), "current": int(r.current),
             "previous": int(r.previous), "last_year": int(r.last_year)}
            for k, r in categories.iterrows()
        ],
        "faults": {"current": len(faults_now), "previous": len(faults_before),
                   "by_category": _by_category(faults_now),
                   "by_source": {s: int((faults_now["source"] == s).sum()) for s in FAULT_SOURCES}},
        "walks": {"current": len(walks_now), "by_category": _by_category(walks_now)},
    }


def status_trend(snapshots: list[dict[str, Any]], area_id: int | None) -> list[dict[str, Any]]:
    """The statuses the group set for an area at earlier closed meetings, oldest first."""
    trend = []
    for snap in sorted(snapshots, key=lambda s: (s.get("meeting_date") or "", s.get("id") or 0)):
        for area in snap.get("areas", []):
            status = area.get("status") or {}
            if area.get("area_id") == area_id and status.get("level"):
                trend.append({"meeting_date": snap.get("meeting_date"), "level": status["level"],
                              "motivation": status.get("motivation") or ""})
    return trend


def since_last(previous: dict[str, Any] | None, brief: dict[str, Any],
               actions: pd.DataFrame) -> list[str]:
    """What changed in an area since the last closed meeting, in plain Swedish sentences.

    ``previous``: that meeting's snapshot (or None); ``actions``: the area's actions now, with
    columns id, status, created_at and situation_id. The snapshot keeps only the actions that
    were open then, so "new" means created after that meeting closed (and not decided in it).
    """
    if previous is None:
        return ["Inget tidigare avslutat möte att jämföra med."]
    before = next((a for a in previous.get("areas", []) if a.get("area_id") == brief["area_id"]), None)
    lines = []
    date_label = previous.get("meeting_date") or "förra mötet"
    if before is None:
        return [f"Området var inte med på mötet {date_label}."]
    status = before.get("status") or {}
    if status.get("level"):
        motivation = str(status.get("motivation") or "").rstrip(". ")
        lines.append(f"Status vid mötet {date_label}: {status['level']}"
                     + (f" – {motivation}" if motivation else "") + ".")
    else:
        lines.append(f"Ingen status sattes vid mötet {date_label}.")
    then_statuses = {int(a["id"]): a.get("status") for a in before.get("actions", [])}
    now_statuses = {int(i): s for i, s in zip(actions.get("id", []), actions.get("status", []),
                                              strict=True)}
    finished = [i for i, s in now_statuses.items()
                if s == "genomförd" and then_statuses.get(i) not in (None, "genomförd")]
    closed_at = pd.Timestamp(previous["closed_at"]) if previous.get("closed_at") else None
    decided_then = actions.get("situation_id", pd.Series(dtype=float)) == previous.get("id")
    created = pd.to_datetime(actions.get("created_at", pd.Series(dtype="datetime64[ns]")))
    new = ([] if closed_at is None else
           list(actions.loc[((created > closed_at) & ~decided_then).to_numpy(), "id"]))
    if finished:
        lines.append(f"{len(finished)} åtgärd(er) har blivit genomförda sedan dess.")
    if new:
        lines.append(f"{len(new)} ny(a) åtgärd(er) sedan dess.")
    if not finished and not new:
        lines.append("Inga åtgärder har tillkommit eller blivit genomförda sedan dess.")
    return lines


def parse_attendees(text: str) -> list[dict[str, str]]:
    """Närvarande as typed, one per line: 'Polisen – kommunpolis', 'Kommunen, trygghetssamordnare'
    or 'Bostadsbolaget: förvaltare' (organisation, then role; a line without a separator is an
    organisation).

    >>> parse_attendees("Polisen – kommunpolis\\n\\nKommunen, trygghetssamordnare\\nRäddningstjänsten")
    [{'organisation': 'Polisen', 'role': 'kommunpolis'}, {'organisation': 'Kommunen', 'role': 'trygghetssamordnare'}, {'organisation': 'Räddningstjänsten', 'role': ''}]
    """
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•* ").strip()
        if not line:
            continue
        for separator in (" – ", " — ", " - ", ":", ",", "\t"):
            if separator in line:
                organisation, role = line.split(separator, 1)
                break
        else:
            organisation, role = line, ""
        out.append({"organisation": organisation.strip()[:200], "role": role.strip()[:200]})
    return out


def attendees_text(attendees: list[dict[str, str]] | None) -> str:
    """The stored närvarande as the lines they are typed as."""
    return "\n".join(f"{a.get('organisation', '')} – {a['role']}" if a.get("role") else a.get("organisation", "")
                     for a in attendees or [])
