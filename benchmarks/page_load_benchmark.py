"""Benchmark: every page opened by its address to a drawn page, and moving between pages inside
the app, in headless Chromium (issue 21: ≤ 1.5 s on the demo data, ≤ 2 s at 1,000,000
incidents, warm; moving ≤ 0.7 s).

    .venv/bin/python benchmarks/page_load_benchmark.py [--db URL] [--runs 5] [--pages hotspots,…]

Without --db the demo database is built. The server is started once; each page is opened once
to warm the server's caches (not counted), then RUNS times, each in a new browser session (as a
link opened on the meeting room's computer; with --warm-browser a new tab of one browser that
has shown the app before, its HTTP cache holding Streamlit's scripts, still a new Streamlit
session each time). Moving: from Översikt, a click on each page in the
navigation, timed until that page is drawn, RUNS rounds. Prints one JSON line: median seconds
per page, the pages over the target, and the load average (2 shared cores: read it).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import _app

MOVE_SCRIPT = """(old) => {
  const h = document.querySelector('[data-testid="stMain"] h1');
  return h && h.textContent !== old;
}"""


def heading(page) -> str:
    return page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"] h1') || {}).textContent || ''")


def move(page, title: str) -> float | None:
    """Seconds from a click on ``title`` in the navigation to that page drawn."""
    old = heading(page)
    link = page.locator('[data-testid="stSidebarNav"] a', has_text=title).first
    started = time.perf_counter()
    link.click()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not page.evaluate(MOVE_SCRIPT, old):
        time.sleep(0.02)
    if not _app.wait_drawn(page):
        return None
    return time.perf_counter() - started - 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", help="url paths, comma separated ('' or oversikt for Översikt)")
    parser.add_argument("--target", type=float, default=1.5, help="seconds per page (2 at 1M)")
    parser.add_argument("--no-moves", action="store_true")
    parser.add_argument("--warm-browser", action="store_true",
                        help="new tabs of one browser (HTTP cache warm) instead of new browsers")
    args = parser.parse_args()
    wanted = None if not args.pages else {"" if p == "oversikt" else p for p in args.pages.split(",")}
    pages = [(path, title) for path, title in _app.PAGES if wanted is None or path in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or _app.demo_db(Path(tmp))
        load_before = _app.load()
        with _app.app(db) as (base, _, pid), _app.chromium() as browser:
            results, failed = {}, []
            shared = _app.new_page(browser)[0] if args.warm_browser else None
            for path, _title in pages:
                _app.open_timed(browser, f"{base}/{path}", shared)  # warm the server's caches
                times = []
                for _ in range(args.runs):
                    seconds, ok = _app.open_timed(browser, f"{base}/{path}", shared)
                    if ok:
                        times.append(seconds)
                    else:
                        failed.append(path or "oversikt")
                results[path or "oversikt"] = _app.median(times)
            moves = {}
            if not args.no_moves:
                context, page = _app.new_page(browser)
                page.goto(f"{base}/", wait_until="commit")
                _app.wait_drawn(page)
                per_page: dict[str, list[float]] = {}
                for _ in range(args.runs + 1):  # the first round warms, not counted
                    for path, title in pages:
                        if not path:
                            continue
                        seconds = move(page, title)
                        back = move(page, "Översikt")
                        if seconds is not None:
                            per_page.setdefault(path, []).append(seconds)
                        if back is not None:
                            per_page.setdefault("oversikt", []).append(back)
                moves = {k: _app.median(v[1:] if len(v) > 1 else v) for k, v in per_page.items()}
                context.close()
            server_peak = _app.peak_memory_mb(pid)
        over = sorted(k for k, v in results.items() if v is None or v > args.target)
        print(json.dumps({"open_by_address_median_s": results, "over_target": over,
                          "browser": "warm (new tabs)" if args.warm_browser else "new each time",
                          "target_s": args.target, "move_median_s": moves,
                          "moves_over_0.7_s": sorted(k for k, v in moves.items() if v is None or v > 0.7),
                          "not_drawn": failed, "runs": args.runs, "server_peak_memory_mb": server_peak,
                          "load_average_1min": [load_before, _app.load()]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
