"""Benchmark: `workbench hotspots` from a cold process to the written file (issue 21: ≤ 2 s at
1,000,000 incidents).

    .venv/bin/python benchmarks/cold_hotspots_benchmark.py [--db URL] [--rows 1000000] [--runs 5]

Without --db it builds the demo town and imports ROWS synthetic kommunpolis incidents into it
(import_benchmark.write_csv: 2024–2025 over Borås), once, in a temporary folder. Then it runs
`python -m workbench hotspots --from 2025-01-01 --to 2025-12-31 > file` RUNS times, each a new
process, and prints one JSON line: the median wall time, the median CPU time of the process
(user + system: what the command costs when the machine is not shared), its peak memory, the
load average before the runs and the import time of the command's modules (`-X importtime`).
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

HERE = Path(__file__).resolve().parent
ARGS = ["hotspots", "--from", "2025-01-01", "--to", "2025-12-31"]


def build(folder: Path, rows: int) -> str:
    sys.path.insert(0, str(HERE))
    from import_benchmark import write_csv

    url = f"sqlite:///{folder / 'cold.sqlite'}"
    csv = folder / "polisexport.csv"
    write_csv(csv, rows)
    subprocess.run([sys.executable, "-m", "workbench", "demo", "--db", url], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "workbench", "import", "incidents", str(csv), "--db", url,
                    "--organisation", "Borås stad"], check=True, capture_output=True)
    return url


def one_run(url: str, out: Path) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MB) of one cold command."""
    started = time.perf_counter()
    with out.open("wb") as handle:
        child = subprocess.Popen([sys.executable, "-m", "workbench", *ARGS, "--db", url], stdout=handle,
                                 stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak memory
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"workbench hotspots failed ({child.returncode})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def import_seconds(url: str) -> float:
    """Cumulative import time of every top-level module the command loads (-X importtime)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "workbench", *ARGS, "--db", url],
                         capture_output=True, text=True, check=True)
    total = 0
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit() and not name.startswith("  "):
                total += int(cumulative)
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a database with the incidents (default: build one)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or build(Path(tmp), args.rows)
        out = Path(tmp) / "hotspots.geojson"
        load = os.getloadavg()[0]
        one_run(url, out)  # the first run fills the page cache; not counted
        runs = [one_run(url, out) for _ in range(args.runs)]
        print(json.dumps({
            "command": "workbench " + " ".join(ARGS),
            "median_wall_s": round(statistics.median(r[0] for r in runs), 2),
            "median_cpu_s": round(statistics.median(r[1] for r in runs), 2),
            "walls_s": [round(r[0], 2) for r in runs],
            "peak_memory_mb": round(max(r[2] for r in runs)),
            "imports_s": round(import_seconds(url), 2),
            "file_bytes": out.stat().st_size,
            "load_average_1min_before": round(load, 2),
            "cores": os.cpu_count(),
        }))


if __name__ == "__main__":
    main()
