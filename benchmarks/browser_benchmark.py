"""Benchmark: page load to drawn map in headless Chromium (Debian's), for Översikt and Hot-spots.

    .venv/bin/python benchmarks/browser_benchmark.py [--db URL] [--runs 5]

Starts `workbench app` on a free port (the demo database by default: it is built first),
opens each page with the network closed to everything but 127.0.0.1 and times from navigation
to the moment the map's polygons are drawn. The first run warms the server's caches and is not
counted. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
PAGES = {"": 11, "hotspots": 20}  # URL path (Översikt is the default page at /) → polygons drawn


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _drawn(page, minimum: int, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    script = f"() => window.L && document.querySelectorAll('path.leaflet-interactive').length >= {minimum}"
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(script):
                    return True
            except Exception:  # noqa: BLE001 - frames detach while Streamlit renders
                continue
        time.sleep(0.02)
    return False


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{Path(tmp) / 'demo.sqlite'}"
        if not args.db:
            subprocess.run([sys.executable, "-m", "workbench", "demo", "--db", db], check=True,
                           capture_output=True)
        port = _port()
        server = subprocess.Popen([sys.executable, "-m", "workbench", "app", "--port", str(port),
                                   "--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            results = {}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for path, minimum in PAGES.items():
                    # first visit: a new browser profile each time (nothing cached);
                    # return visit: one profile, a new tab each time (the browser cache is warm)
                    for mode in ("first_visit", "return_visit"):
                        times = []
                        shared = browser.new_context(viewport={"width": 1500, "height": 1000})
                        for run in range(args.runs + 1):
                            context = shared if mode == "return_visit" else browser.new_context(
                                viewport={"width": 1500, "height": 1000})
                            context.route("**/*", lambda route: route.continue_()
                                          if "127.0.0.1" in route.request.url
                                          or route.request.url.startswith("data:") else route.abort())
                            page = context.new_page()
                            started = time.perf_counter()
                            page.goto(f"{base}/{path}", wait_until="commit")
                            ok = _drawn(page, minimum)
                            elapsed = time.perf_counter() - started
                            page.close()
                            if context is not shared:
                                context.close()
                            if run and ok:
                                times.append(elapsed)
                        shared.close()
                        key = f"{path or 'oversikt'}_{mode}"
                        results[f"{key}_median_s"] = round(statistics.median(times), 2) if times else None
                browser.close()
            print(json.dumps(results))
        finally:
            server.terminate()


if __name__ == "__main__":
    main()
