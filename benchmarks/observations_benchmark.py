"""Benchmark the coordinator's inrapportering reads at realistic and large volumes.

    PYTHONPATH=. .venv/bin/python benchmarks/observations_benchmark.py [--weeks 52] [--verksamheter 20 100]

A kommun of 12 districts (the demo town's) where every verksamhet reports every week of a year,
three observations a week (one in five with only an area, one in fifty of a sensitive category).
Prints one JSON line per size: observations, and best/median seconds of the reads the
Inrapportering page makes (observations with areas, who has reported, counts per area, the
Bedömning index; the frame is kept until the organisation changes, "cold" reads it afresh) and of
making one åtgärd from five observations.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta

from workbench.access import gate
from workbench.access import gate_observations as gobs
from workbench.access.scope import open_scope, single_user
from workbench.config import Settings
from workbench.demo.load import load_demo
from workbench.services import observations as observed
from workbench.situation import Period
from workbench.store import reporting
from workbench.store import repositories as repo
from workbench.store.db import open_store
from workbench.store.reporting import NewObservation


def _fill(store, org: int, verksamheter: int, weeks: int) -> int:
    areas = repo.load_areas(store.engine, [org])
    names = list(areas["name"])
    points = [a.representative_point() for a in areas.geometry]
    end = date(2026, 11, 30)
    n = 0
    with store.transaction() as conn:
        for week_back in range(weeks):
            monday = end - timedelta(weeks=week_back)
            year, week, _ = monday.isocalendar()
            for v in range(verksamheter):
                observed = []
                for k in range(3):
                    i = (v * 7 + k + week_back) % len(names)
                    when = datetime.combine(monday + timedelta(days=k), datetime.min.time()) + timedelta(hours=20)
                    category = "vald_i_nara_relation" if (v + k + week_back) % 50 == 0 else "Belysning"
                    if (v + k) % 5 == 0:
                        observed.append(NewObservation(category, when, area=names[i], assessment=1 + (v + k) % 4))
                    else:
                        observed.append(NewObservation(category, when, x=points[i].x + k, y=points[i].y,
                                                       assessment=1 + (v + k) % 4,
                                                       description="Trasig belysning längs gångvägen"))
                reporting.save_report(conn, org, verksamhet=f"Verksamhet {v}", iso_year=year, iso_week=week,
                                      observations=observed, nothing_to_report=False, actor="bench")
                n += len(observed)
    return n


def _time(fn, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return {"best_s": round(min(runs), 3), "median_s": round(statistics.median(runs), 3)}


def _measure(store, org: int, settings: Settings, repeat: int) -> dict:
    scope = open_scope(store, single_user("coordinator"), org)
    period = Period(date(2026, 11, 3), date(2026, 11, 30))
    reference = Period(date(2026, 10, 6), date(2026, 11, 2))
    frame = gobs.observations(store, settings, scope)
    ids = [int(i) for i in frame["id"].head(5)]
    return {
        "observations_cold": _time(lambda: (observed._FRAMES.clear(),
                                            gobs.observations(store, settings, scope)), repeat),
        "observations_read": _time(lambda: gobs.observations(store, settings, scope), repeat),
        "who_has_reported": _time(lambda: gobs.reporting_status(store, settings, scope, 2026, 49),
                                  repeat),
        "area_counts": _time(lambda: gobs.area_counts(store, settings, scope, period, reference),
                             repeat),
        "assessment_index": _time(lambda: gobs.assessment_trend(store, settings, scope, 2026, 49),
                                  repeat),
        "action_from_5": _time(lambda: gate.create_action(
            store, scope, {"text": "Byt belysningen", "responsible_party": "Kommunen"},
            observation_ids=ids), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--verksamheter", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = Settings.load({})
    for count in args.verksamheter:
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"sqlite:///{folder}/bench.sqlite")
            load_demo(store)
            org = int(repo.list_organisations(store.engine)["id"].iloc[0])
            n = _fill(store, org, count, args.weeks)
            result = _measure(store, org, settings, args.repeat) | {"observations": n, "verksamheter": count}
            print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
