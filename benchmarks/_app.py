"""Shared by the browser benchmarks: start `workbench app`, open pages in headless Chromium
(Debian's, network closed to all but 127.0.0.1) and wait until a page is drawn.

A page is drawn when Streamlit has finished the run (no status widget, the page's heading shown,
twice 50 ms apart) and every map on it has drawn its layers (Leaflet's overlay pane holds an SVG
or canvas, or a marker) — not when the HTML arrives.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
# (url path, title in the navigation); Översikt is the default page at /
PAGES = (("", "Översikt"), ("est-mote", "EST-möte"), ("inrapportering", "Inrapportering"),
         ("hotspots", "Hot-spots"), ("platser", "Platser"), ("atgarder", "Åtgärder"),
         ("overenskommelse", "Överenskommelse"), ("samhallsplanering", "Samhällsplanering"),
         ("rapporter", "Rapporter"), ("polisomrade", "Polisområde"), ("importera", "Importera"),
         ("logg", "Logg"))

_DONE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  return true;
}"""
_MAP_DRAWN = """() => {
  const maps = document.querySelectorAll('.leaflet-container');
  for (const m of maps) {
    if (!m.querySelector('.leaflet-overlay-pane svg, .leaflet-overlay-pane canvas, .leaflet-marker-icon'))
      return false;
  }
  return document.readyState === 'complete';
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def load() -> float:
    return round(os.getloadavg()[0], 2)


def demo_db(folder: Path) -> str:
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    subprocess.run([sys.executable, "-m", "workbench", "demo", "--db", url], check=True, capture_output=True)
    return url


@contextmanager
def app(db: str, *, port: int | None = None, env: dict | None = None):
    """`workbench app` on a free port (single-user, no basemap tiles); yields (base URL, seconds
    from the process start to a healthy /_stcore/health, the server's pid)."""
    port = port or free_port()
    environment = dict(os.environ, WORKBENCH_AUTH="single-user", WORKBENCH_BASEMAP="none", **(env or {}))
    log = tempfile.NamedTemporaryFile(prefix="workbench-app-", suffix=".log", delete=False)
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "workbench", "app", "--port", str(port), "--db", db],
                              stdout=log, stderr=subprocess.STDOUT, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit(f"the app did not start: {Path(log.name).read_text()[-2000:]}") from None
                time.sleep(0.05)
        yield base, time.perf_counter() - started, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        Path(log.name).unlink(missing_ok=True)


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser):
    """A new browser session (its own context: nothing cached, as a link opened in a new
    browser), network closed to all but the app."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="sv-SE")
    context.route("**/*", lambda route: route.continue_()
                  if "127.0.0.1" in route.request.url or route.request.url.startswith(("data:", "blob:", "about:"))
                  else route.abort())
    return context, context.new_page()


def wait_drawn(page, timeout_s: float = 120) -> bool:
    """True when the page is drawn (see the module's docstring), False at the timeout."""
    deadline = time.monotonic() + timeout_s
    done_since = None
    while time.monotonic() < deadline:
        try:
            done = page.evaluate(_DONE) and all(_frame_drawn(f) for f in page.frames)
        except Exception:  # noqa: BLE001 - the page navigates or re-renders under us
            done = False
        if done:
            if done_since is not None:
                return True
            done_since = time.monotonic()
        else:
            done_since = None
        time.sleep(0.05)
    return False


def _frame_drawn(frame) -> bool:
    try:
        return bool(frame.evaluate(_MAP_DRAWN))
    except Exception:  # noqa: BLE001 - a frame detached while Streamlit re-renders: not drawn yet
        return False


def open_timed(browser, url: str, context=None) -> tuple[float, bool]:
    """Seconds from navigation to a drawn page, in a new browser session: a new context (nothing
    cached), or a new tab of ``context`` (a browser that has shown the app before: its HTTP
    cache holds Streamlit's scripts; still a new Streamlit session)."""
    own = context is None
    if own:
        context, page = new_page(browser)
    else:
        page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        ok = wait_drawn(page)
        return time.perf_counter() - started - (0.05 if ok else 0), ok  # minus the confirming poll
    finally:
        (context if own else page).close()


def peak_memory_mb(pid: int) -> float | None:
    """The process's peak resident memory so far (Linux VmHWM), MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return None
