"""The demo's weekly inrapportering: five verksamheter reporting over the eight ISO weeks up to
today, so Inrapportering, Översikt and the EST meeting show the group's own observations from the
start. This week the school has not reported and the youth centre has nothing to report."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection

from workbench.store import reporting
from workbench.store import repositories as repo
from workbench.store.reporting import NewObservation

# (verksamhet, its area, offset of its points from the area's middle in metres)
VERKSAMHETER = (
    ("Bostadsbolaget – Hässleholmen", "Hässleholmen", (40.0, 60.0)),
    ("Bostadsbolaget – Norrby", "Norrby", (-50.0, 30.0)),
    ("Fritidsgården Norrby", "Norrby", (80.0, -40.0)),
    ("Skolan Centrum", "Centrum", (-30.0, -70.0)),
    ("Väktarbolaget – Centrum", "Centrum", (60.0, 20.0)),
)
TYPES = ("Belysning", "Klotter", "Nedskräpning", "Folksamling", "Otrygg plats", "Skadegörelse")
DESCRIPTIONS = {
    "Belysning": "Trasig belysning längs gångvägen",
    "Klotter": "Nytt klotter på gavel och elskåp",
    "Nedskräpning": "Mycket skräp och glas vid bänkarna",
    "Folksamling": "Grupp ungdomar på kvällen, boende upplevde otrygghet",
    "Otrygg plats": "Mörk och skymd passage, flera har sagt att de undviker den",
    "Skadegörelse": "Sönderslagen busskur",
}


def add_weekly_reports(conn: Connection, organisation_id: int, today: date | None = None) -> int:
    """Store the demo's reports (every write audited as 'demo'); returns the observations stored."""
    today = today or date.today()
    now = datetime.combine(today, time(23, 59))
    areas = repo.load_areas(conn, [organisation_id])
    middle = {name: geometry.representative_point() for name, geometry in zip(areas["name"], areas.geometry,
                                                                               strict=True)}
    stored = 0
    for back in range(7, -1, -1):  # oldest week first
        monday = today - timedelta(days=today.weekday(), weeks=back)
        year, week, _ = monday.isocalendar()
        for index, (verksamhet, area, (dx, dy)) in enumerate(VERKSAMHETER):
            if back == 0 and verksamhet == "Skolan Centrum":
                continue  # has not reported this week
            if verksamhet == "Fritidsgården Norrby" and back % 3 == 0:
                reporting.save_report(conn, organisation_id, verksamhet=verksamhet, iso_year=year,
                                      iso_week=week, observations=[], nothing_to_report=True, actor="demo")
                continue
            observed = []
            for k in range(1 + (index + back) % 2):
                when = datetime.combine(monday + timedelta(days=(index + 2 * k) % 7), time(19 + k, 30))
                if when > now:
                    continue
                kind = TYPES[(index + back + k) % len(TYPES)]
                point = middle.get(area)
                with_point = point is not None and (index + k) % 4 != 3  # one in four: only the area
                observed.append(NewObservation(
                    kind, when, x=point.x + dx + 15 * k if with_point and point else None,
                    y=point.y + dy - 10 * back if with_point and point else None, area=area,
                    description=DESCRIPTIONS[kind], assessment=1 + (index + back + k) % 4))
            if observed:
                reporting.save_report(conn, organisation_id, verksamhet=verksamhet, iso_year=year,
                                      iso_week=week, observations=observed, nothing_to_report=False,
                                      actor="demo")
                stored += len(observed)
    return stored
