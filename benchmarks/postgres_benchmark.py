"""Benchmark: N incidents in PostgreSQL (issue 21 asks 10,000,000): import time and memory, the
cold `workbench hotspots`, and the app's page times and memory at that size.

    .venv/bin/python benchmarks/postgres_benchmark.py [--url postgresql+psycopg://…] [--rows 10000000]
        [--chunk 1000000] [--runs 3]

Without --url a throwaway PostgreSQL is started with .ci/start-postgres.sh (and stopped). The
demo town is loaded, then ROWS synthetic kommunpolis incidents are imported in files of CHUNK
rows (import_benchmark.write_csv; each file its own process: time and peak memory per file).
Then: `workbench hotspots` from a cold process (median of RUNS, peak memory), and `workbench app`
with Översikt, Hot-spots and EST-möte opened by their address in new browser sessions (median
of RUNS after one warming visit) and the server's peak memory. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _app
from cold_hotspots_benchmark import one_run
from import_benchmark import write_csv

REPO = Path(__file__).resolve().parents[1]


def start_postgres(folder: Path) -> str:
    folder.parent.chmod(0o755)  # run as root, the server runs as postgres: it must reach the folder
    out = subprocess.run(["bash", str(REPO / ".ci" / "start-postgres.sh"), str(folder)], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def timed_import(path: Path, url: str) -> tuple[float, float]:
    """(seconds, peak MB) of `workbench import` of one file, in its own process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "workbench", "import", "incidents", str(path), "--db", url,
                              "--organisation", "Borås stad"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"import failed: {child.stderr.read().decode()[-500:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-import", action="store_true",
                        help="measure only (a --url already holding the incidents)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pg_dir = folder / "pg"
        url = args.url or start_postgres(pg_dir)
        try:
            result = run(url, folder, args)
        finally:
            if not args.url:
                subprocess.run(["bash", str(REPO / ".ci" / "stop-postgres.sh"), str(pg_dir)],
                               capture_output=True)
    print(json.dumps(result, ensure_ascii=False))


def run(url: str, folder: Path, args) -> dict:
    load_before = _app.load()
    imports = []
    done = args.rows if args.no_import else 0
    if not args.no_import:
        subprocess.run([sys.executable, "-m", "workbench", "demo", "--db", url], check=True, capture_output=True)
    while done < args.rows:
        n = min(args.chunk, args.rows - done)
        path = folder / "chunk.csv"
        # the two years up to the demo's last day: the pages' default period holds its share
        write_csv(path, n, seed=1000 + done, start="2024-11-01", end="2026-11-01",
                  number=f"5000-K{{:08d}}-{done // args.chunk:03d}")
        imports.append(timed_import(path, url))
        done += n
        print(f"importerat {done:,} av {args.rows:,}", file=sys.stderr, flush=True)
    hot = [one_run(url, folder / "hot.geojson") for _ in range(args.runs)]
    pages = {}
    with _app.app(url) as (base, _, pid), _app.chromium() as browser:
        for path in ("", "hotspots", "est-mote", "platser"):
            _app.open_timed(browser, f"{base}/{path}")
            times = [s for s, ok in (_app.open_timed(browser, f"{base}/{path}") for _ in range(args.runs)) if ok]
            pages[path or "oversikt"] = _app.median(times)
        server_peak = _app.peak_memory_mb(pid)
    return {
        "incidents": args.rows, "chunk": args.chunk,
        "import_s_per_chunk_median": _app.median([s for s, _ in imports]) if imports else None,
        "import_total_s": round(sum(s for s, _ in imports), 1) if imports else None,
        "import_peak_memory_mb": round(max(m for _, m in imports)) if imports else None,
        "hotspots_cold_median_s": round(statistics.median(h[0] for h in hot), 2),
        "hotspots_cold_cpu_median_s": round(statistics.median(h[1] for h in hot), 2),
        "hotspots_cold_peak_memory_mb": round(max(h[2] for h in hot)),
        "page_median_s": pages, "app_peak_memory_mb": server_peak,
        "load_average_1min": [load_before, _app.load()], "cores": os.cpu_count(),
    }


if __name__ == "__main__":
    main()
