"""Benchmark: the first visit after a server start and the first visit after an import (issue 21:
≤ 3 s and ≤ 2 s), in headless Chromium.

    .venv/bin/python benchmarks/first_visit_benchmark.py [--db URL] [--runs 5] [--page hotspots]

Server start: RUNS times, `workbench app` is started, and as soon as /_stcore/health answers
(also timed: the warm-up must not delay it) a new browser session opens the page; seconds from
navigation to the drawn page. The same again with the visit SETTLE seconds after the health
check (a person opening the link some seconds after the server was started: the warm-up has
run). After an import: with one server running and the page warm,
another process (`workbench import`, as a second app process or the CLI would) imports a small
police file of new incidents; the page is then opened in a new session and timed. Without --db
the demo database is built; a given one gets the new incidents (use a copy). Prints one JSON line with the medians and the load average.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _app

HERE = Path(__file__).resolve().parent


def small_file(folder: Path, run: int) -> Path:
    sys.path.insert(0, str(HERE))
    from import_benchmark import write_csv

    path = folder / f"nya_{run}.csv"
    write_csv(path, 200, seed=100 + run, start="2026-10-01", end="2026-10-31",
              number=f"5000-K{{:07d}}-{run:02d}N")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", default="", help="url path (default Översikt)")
    parser.add_argument("--organisation", default="Borås stad")
    parser.add_argument("--settle", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or _app.demo_db(Path(tmp))
        load_before = _app.load()
        health, first, settled = [], [], []
        with _app.chromium() as browser:
            for _ in range(args.runs):
                with _app.app(db) as (base, healthy_after, _):
                    health.append(healthy_after)
                    seconds, ok = _app.open_timed(browser, f"{base}/{args.page}")
                    if ok:
                        first.append(seconds)
                with _app.app(db) as (base, _, _):
                    time.sleep(args.settle)
                    seconds, ok = _app.open_timed(browser, f"{base}/{args.page}")
                    if ok:
                        settled.append(seconds)
            after_import, imports = [], []
            with _app.app(db) as (base, _, _):
                _app.open_timed(browser, f"{base}/{args.page}")
                _app.open_timed(browser, f"{base}/{args.page}")
                for run in range(args.runs):
                    path = small_file(Path(tmp), run)
                    started = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "workbench", "import", "incidents", str(path),
                                    "--db", db, "--organisation", args.organisation],
                                   check=True, capture_output=True)
                    imports.append(time.perf_counter() - started)
                    seconds, ok = _app.open_timed(browser, f"{base}/{args.page}")
                    if ok:
                        after_import.append(seconds)
        print(json.dumps({
            "page": args.page or "oversikt",
            "health_after_start_median_s": _app.median(health),
            "first_visit_after_start_median_s": _app.median(first),
            "first_visit_after_start_s": [round(s, 2) for s in first],
            f"first_visit_{args.settle:g}s_after_start_median_s": _app.median(settled),
            "first_visit_after_import_median_s": _app.median(after_import),
            "first_visit_after_import_s": [round(s, 2) for s in after_import],
            "small_import_median_s": _app.median(imports),
            "runs": args.runs, "load_average_1min": [load_before, _app.load()],
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
