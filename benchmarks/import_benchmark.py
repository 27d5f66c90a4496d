"""Benchmark: import a synthetic kommunpolis-style CSV end to end (read → validate → store).

    .venv/bin/python benchmarks/import_benchmark.py [--rows 1000000] [--db URL] [--repeat 5]

Generates the file (semicolon, Swedish headers, SWEREF 99 TM with X = northing, time spans,
some free text with personal data to redact), then runs the same import the CLI runs, in a
fresh process (a new database each time) so peak memory (ru_maxrss) is the import's own. Prints
one JSON line per run and, with --repeat, the medians. ``cpu_seconds`` (user + sys of the import)
is the fair figure on a shared machine; ``seconds`` is wall time, and ``load`` the 1-minute load
average when the run ended.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CATEGORIES = ["Misshandel, utomhus", "Skadegörelse", "Skadegörelse genom klotter", "Stöld",
              "Cykelstöld", "Inbrott i bostad", "Butiksstöld/snatteri", "Ofredande", "Olaga hot",
              "Ordningsstörning", "Narkotikabrott, innehav", "Misshandel, närstående"]


def write_csv(path: Path, rows: int, seed: int = 1, *, start: str = "2024-01-01",
              end: str = "2025-12-31", number: str = "5000-K{:07d}-24") -> None:
    """A kommunpolis export of ``rows`` incidents clustered over Borås in [start, end)."""
    rng = np.random.default_rng(seed)
    first = pd.Timestamp(start)
    minutes = rng.integers(0, int((pd.Timestamp(end) - first).total_seconds() // 60), rows)
    when = first + pd.to_timedelta(np.sort(minutes), unit="min")
    span = rng.random(rows) < 0.3
    until = when + pd.to_timedelta(rng.integers(30, 2000, rows), unit="min")
    centres = np.array([[377301, 6399514], [376881, 6399438], [379022, 6401245], [375901, 6402453]])
    which = rng.integers(0, len(centres), rows)
    east = (centres[which, 0] + rng.normal(0, 900, rows)).round(-1).astype(int)
    north = (centres[which, 1] + rng.normal(0, 900, rows)).round(-1).astype(int)
    text = np.where(rng.random(rows) < 0.05, "Ring 070-123 45 67 vid frågor", "")
    frame = pd.DataFrame({
        "Händelsenummer": [number.format(i) for i in range(rows)],
        "Brottstyp": np.array(CATEGORIES)[rng.integers(0, len(CATEGORIES), rows)],
        "Från datum": when.strftime("%Y-%m-%d"),
        "Från tid": when.strftime("%H:%M"),
        "Till datum": np.where(span, until.strftime("%Y-%m-%d"), ""),
        "Till tid": np.where(span, until.strftime("%H:%M"), ""),
        "X": north, "Y": east, "Områdeskod": "", "Fritext": text,
    })
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def run_import(path: str, db_url: str) -> None:
    from workbench.services import imports
    from workbench.store.db import open_store

    store = open_store(db_url)
    data, name = imports.read_file(path)
    started, cpu = time.perf_counter(), time.process_time()
    report = imports.import_table(store, "incidents", data, name, "Benchmarkkommun")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"imported": report.imported, "rejected": report.rejected,
                      "redacted": report.redacted, "seconds": round(seconds, 2),
                      "cpu_seconds": round(cpu, 2), "load": round(os.getloadavg()[0], 1),
                      "peak_memory_mb": round(peak_mb)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temp dir)")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the medians are printed last")
    parser.add_argument("--_import", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._import:
        run_import(args._import, args.db)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "polisexport.csv"
        started = time.perf_counter()
        write_csv(path, args.rows)
        generated = time.perf_counter() - started
        results = []
        for run in range(args.repeat):
            db = args.db or f"sqlite:///{Path(tmp) / f'bench{run}.sqlite'}"
            out = subprocess.run([sys.executable, __file__, "--_import", str(path), "--db", db],
                                 check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result.update({"rows": args.rows, "file_mb": round(path.stat().st_size / 2**20, 1),
                           "generate_seconds": round(generated, 1)})
            print(json.dumps(result), flush=True)
            results.append(result)
            if not args.db:
                Path(tmp, f"bench{run}.sqlite").unlink(missing_ok=True)
        if args.repeat > 1:
            print(json.dumps({"median_" + k: statistics.median(r[k] for r in results)
                              for k in ("seconds", "cpu_seconds", "peak_memory_mb", "load")}))


if __name__ == "__main__":
    main()
