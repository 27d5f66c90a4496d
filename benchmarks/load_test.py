"""Load test: concurrent app sessions against 1,000,000 stored incidents on a local server.

    .venv/bin/python benchmarks/load_test.py [--sessions 20] [--rounds 2] [--think 2] [--ramp 10]
        [--db PATH] [--rebuild] [--json-out FILE] [--code DIR] [--server-env NAME=VALUE]

The database (default ``$WORKBENCH_LOADTEST_DB`` or /tmp/est-loadtest-1m.sqlite) is built once
and reused while its side file (PATH.json) matches: the demo town is loaded with
``workbench demo`` (districts, places, fault reports, walks, agreement, actions, a closed
meeting), then incidents clustered over Borås in the demo's own two years are imported with
``workbench import incidents`` (the importer users run: validation, redaction, area assignment)
until the organisation holds exactly ``--incidents`` incidents.

The real server is started (``python -m workbench app`` with WORKBENCH_AUTH=single-user and
WORKBENCH_BASEMAP=none) and every session speaks Streamlit's own websocket protocol, as the
browser does: it connects to /_stcore/stream (subprotocol ``streamlit``), sends ``BackMsg``
``rerun_script`` messages (page hash from the ``navigation`` message, widget states by widget id)
and times each interaction from the request to the final ``script_finished``. An ``exception``
element, an ``st.error`` alert, a compile error, a page-not-found, a closed socket or a timeout
counts as an error. Not included: the browser's own work (drawing, fetching /media files); this
measures the server.

Each session: open Översikt (default page) → change the period preset in the sidebar → Hot-spots
→ EST-möte → Åtgärder → Översikt, with a random think time (mean ``--think`` seconds) between
interactions. Presets rotate over the sessions (several people, several periods). First one
warm-up session runs the script alone (the server's caches after its first visitor; reported,
not counted), then ``--rounds`` rounds of ``--sessions`` new concurrent sessions whose starts are
spread over ``--ramp`` seconds. The server's RSS (with children) is sampled throughout. Prints a
table and writes JSON (``--json-out``; every interaction under "all").

``--think 1 --ramp 0`` is the harsher burst (everyone clicks at once). ``--server-env`` tries a
server setting without changing code, e.g. ``STREAMLIT_RUNNER_POST_SCRIPT_GC=false``; ``--code``
runs another source tree, e.g. a commit exported with ``git archive HEAD | tar -x -C DIR``.

Measured on 2 cores (load average about 1), defaults, after the figures were cut from one
in-memory frame per data version and the hot-spot map was prepared once per selection
(ui/folium_map): p50 0.06 s, p95 0.25 s, max 1.06 s, 0 errors, server RSS peak 953 MB (while the
warm-up reads the million rows), +3.5 % from round 1 to round 2; the first visitor after a start
or an import waits 7.5 s (module imports and the one read of every event). The burst
(``--think 1 --ramp 0``): p50 0.18 s, p95 1.62 s, max 3.3 s, 0 errors.

History. Measured on 2 cores shared with other jobs (load average 4–8), defaults, at commit 48846ef (the
sidebar keeps the chosen period across pages): p50 2.8 s, p95 11.6 s, max 34 s (a period nobody
had chosen yet), 0 errors, server RSS peak 1.12 GB, +4.6 % from round 1 to round 2. At c7968eb
(period reset on every page change): p50 2.1–2.8 s, p95 12.6–15.3 s. With
STREAMLIT_RUNNER_POST_SCRIPT_GC=false (Streamlit otherwise runs gc.collect(2), ~0.1–0.2 s holding
the GIL, after every script run of every session) at 48846ef: p50 0.27 s, p95 5.7 s (8.3 s in
round 1, which computes each new period once; 1.95 s in the warm round 2), max 15 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_benchmark import write_csv  # noqa: E402  (the import benchmark's police export)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = os.environ.get("WORKBENCH_LOADTEST_DB", str(Path(tempfile.gettempdir()) / "est-loadtest-1m.sqlite"))
ORGANISATION = "Borås stad"  # the demo organisation: its districts, places and meetings
GENERATOR = 1  # bump when the generated data changes: a cached database is then rebuilt
PERIOD_KEY = "period_preset"
PERIOD_CAPTION = re.compile(r"\(\d+ dagar\)$")  # the sidebar's caption under the period
# the sidebar presets the sessions switch to, in rotation, by position in the selectbox:
# 0 = the last 4 weeks (the default), 1 = the last whole month, 2 = the tertial, 3 = this year
PRESETS = (1, 2, 3)
# (label, page url path ("" = default page), change the period preset first?)
SCRIPT = (("Översikt", "", False), ("Översikt: byt period", "", True), ("Hot-spots", "hotspots", False),
          ("EST-möte", "est-mote", False), ("Åtgärder", "atgarder", False),
          ("Översikt igen", "", False))


# --- the database ------------------------------------------------------------------------------

def write_incidents_csv(path: Path, rows: int, start: str, end: str, seed: int = 7) -> None:
    """A kommunpolis export (import_benchmark.write_csv) in [start, end), numbers of its own."""
    write_csv(path, rows, seed, start=start, end=end, number="5000-L{:07d}-25")


def _incident_extent(path: Path) -> tuple[int, str, str]:
    with sqlite3.connect(path) as conn:
        count, first, last = conn.execute(
            "SELECT count(*), min(i.occurred_from), max(i.occurred_from) FROM incident i "
            "JOIN organisation o ON o.id = i.organisation_id WHERE o.name = ?", (ORGANISATION,)).fetchone()
    return int(count), str(first), str(last)


def code_env(code: Path) -> dict[str, str]:
    """The environment that runs the workbench from ``code`` (a checkout or an exported tree)."""
    path = os.environ.get("PYTHONPATH")
    return dict(os.environ, PYTHONPATH=str(code) + (os.pathsep + path if path else ""))


def _workbench(code: Path, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "workbench", *args], cwd=code, env=code_env(code),
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"workbench {args[0]} failed (exit {out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


def build_database(path: Path, incidents: int, *, rebuild: bool = False, code: Path = REPO) -> dict:
    """The cached database with ``incidents`` incidents in the demo organisation (built if needed)."""
    meta_path = path.with_name(path.name + ".json")
    # a database written by a newer schema is refused by older code: the migrations are in the key
    migrations = sorted(p.name for p in (code / "workbench" / "store" / "migrations" / "versions").glob("*.py"))
    wanted = {"incidents": incidents, "generator": GENERATOR, "organisation": ORGANISATION,
              "migrations": migrations}
    if not rebuild and path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if {k: meta.get(k) for k in wanted} == wanted and _incident_extent(path)[0] == incidents:
            return meta | {"reused": True}
    tmp = path.with_name(f"{path.name}.building-{os.getpid()}")
    try:
        meta = _build(tmp, path, incidents, code)
    finally:  # a failed build leaves no half-written file behind
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    meta = wanted | meta
    meta_path.write_text(json.dumps(meta, indent=1))
    return meta | {"reused": False}


def _build(tmp: Path, path: Path, incidents: int, code: Path) -> dict:
    started = time.perf_counter()
    url = f"sqlite:///{tmp}"
    _workbench(code, "demo", "--db", url)
    demo_seconds = time.perf_counter() - started
    existing, first, last = _incident_extent(tmp)
    extra = incidents - existing
    if extra < 0:
        raise SystemExit(f"--incidents {incidents} is below the demo's own {existing}")
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "polisexport_last.csv"
        t0 = time.perf_counter()
        # the demo's two years: the sidebar's presets end at the newest demo date
        write_incidents_csv(csv, extra, first[:10], (pd.Timestamp(last[:10]) + pd.Timedelta(days=1)).date().isoformat())
        generate_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = json.loads(_workbench(code, "import", "incidents", str(csv), "--organisation", ORGANISATION,
                                       "--db", url, "--json"))
        import_seconds = time.perf_counter() - t0
    with sqlite3.connect(tmp) as conn:  # one self-contained file (no -wal beside it)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    count = _incident_extent(tmp)[0]
    if count != incidents:
        raise SystemExit(f"built {count} incidents, wanted {incidents} (import: {report})")
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, path)
    return {
        "build_seconds": round(time.perf_counter() - started, 1), "demo_seconds": round(demo_seconds, 1),
        "generate_seconds": round(generate_seconds, 1), "import_seconds": round(import_seconds, 1),
        "imported": report.get("imported"), "rejected": report.get("rejected"),
        "size_mb": round(path.stat().st_size / 2**20), "method": "workbench demo + workbench import incidents",
    }


# --- the server and its memory -----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_path: Path, port: int, log_path: Path, code: Path = REPO,
                 extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    env = dict(code_env(code), WORKBENCH_AUTH="single-user", WORKBENCH_BASEMAP="none",
               WORKBENCH_ORGANISATION=ORGANISATION) | (extra_env or {})
    with open(log_path, "wb") as log:  # the server writes to its own copy of the descriptor
        server = subprocess.Popen([sys.executable, "-m", "workbench", "app", "--port", str(port),
                                   "--db", f"sqlite:///{db_path}"], cwd=code, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    wait_until_healthy(server, port, log_path)
    return server


def wait_until_healthy(server: subprocess.Popen, port: int, log_path: Path, seconds: float = 90) -> None:
    """Wait for Streamlit's /_stcore/health; a server that stops or never answers is an error."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}): {log_path.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not answer /_stcore/health within {seconds:.0f} s")


class RssSampler(threading.Thread):
    """The server's resident memory (process and children, MB), sampled every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        import psutil

        super().__init__(daemon=True)
        self.process, self.interval = psutil.Process(pid), interval
        self.samples: list[tuple[float, float]] = []
        self._halt = threading.Event()

    def rss_mb(self) -> float:
        import psutil

        total = 0
        try:
            for proc in [self.process, *self.process.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            pass
        return total / 2**20

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append((time.monotonic(), self.rss_mb()))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def peak(self, since: float = 0.0, until: float = float("inf")) -> float:
        return max((mb for t, mb in self.samples if since <= t <= until), default=0.0)


# --- one session, speaking Streamlit's websocket protocol --------------------------------------

@dataclass
class Interaction:
    session: int
    round: int
    step: str
    seconds: float
    errors: list[str] = field(default_factory=list)
    runs: int = 0  # script runs it took (st.rerun() makes more than one)
    kbytes: int = 0  # what the server sent for it
    period: str = ""  # the sidebar's period caption: which period this run used


class Session:
    """One browser tab's conversation with the server, without the browser."""

    def __init__(self, port: int, timeout: float) -> None:
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.timeout = timeout
        self.pages: dict[str, str] = {}  # url path → page_script_hash (from the navigation message)
        self.page_hash = ""
        self.widgets: dict[str, object] = {}  # widget id → its proto of the last run
        self.values: dict[str, tuple[str, object]] = {}  # widget id → (field, value) the user set
        self.period = ""
        self.ws = None

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(self.url, subprotocols=["streamlit"], max_size=None,
                                open_timeout=self.timeout, ping_interval=None)

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await self.ws.close()
            except Exception:  # noqa: BLE001, S110 - already gone: reported by the step that saw it
                pass

    def widget_id(self, key: str) -> str | None:
        return next((wid for wid in self.widgets if wid.endswith(f"-{key}")), None)

    def choose(self, key: str, index: int) -> str:
        """Pick option number ``index`` of the selectbox ``key`` (its label is what is sent)."""
        wid = self.widget_id(key)
        if wid is None:
            raise LookupError(f"no widget with key {key!r} on the page")
        options = list(self.widgets[wid].options)
        if not 0 <= index < len(options):
            raise LookupError(f"{key!r} has no option {index}: {options}")
        self.values[wid] = ("string_value", options[index])
        return options[index]

    async def rerun(self, page: str | None) -> tuple[float, list[str], int, int]:
        """Ask for a run of ``page`` (url path; None = the current page) and wait for its end."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        if page is not None and self.pages:
            if page not in self.pages:
                return 0.0, [f"page {page!r} is not in the navigation: {sorted(self.pages)}"], 0, 0
            state.page_script_hash = self.pages[page]
        else:
            state.page_script_hash = self.page_hash
        for wid, (kind, value) in self.values.items():
            if wid in self.widgets:  # what the browser sends: the widgets it shows
                widget = state.widget_states.widgets.add()
                widget.id = wid
                setattr(widget, kind, value)
        state.context_info.timezone = "Europe/Stockholm"
        state.context_info.locale = "sv-SE"
        errors: list[str] = []
        runs = received = 0
        seen: dict[str, object] = {}
        started = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as exc:  # noqa: BLE001 - a closed socket is an error of this step
            return 0.0, [f"websocket: {type(exc).__name__}: {exc}"], 0, 0
        deadline = started + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                errors.append(f"timeout: no script_finished within {self.timeout:.0f} s")
                break
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError:
                continue
            except Exception as exc:  # noqa: BLE001 - a closed socket is an error of this step
                errors.append(f"websocket: {type(exc).__name__}: {exc}")
                break
            received += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                seen = {}
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_hash = fwd.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    errors.append(f"exception: {element.exception.type}: {element.exception.message[:300]}")
                elif what == "alert" and element.alert.format == Alert.ERROR:
                    errors.append(f"st.error: {element.alert.body[:300]}")
                elif what == "markdown" and PERIOD_CAPTION.search(element.markdown.body):
                    self.period = element.markdown.body
                elif what is not None:
                    widget = getattr(element, what)
                    if isinstance(getattr(widget, "id", None), str) and widget.id:
                        seen[widget.id] = widget
            elif kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                errors.append(f"compile error: {fwd.session_event.script_compilation_exception.message[:300]}")
            elif kind == "page_not_found":
                errors.append(f"page not found: {fwd.page_not_found.page_name!r}")
            elif kind == "script_finished":
                runs += 1
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    errors.append("script finished with a compile error")
                if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break
        self.widgets = seen
        return time.perf_counter() - started, errors, runs, received


async def run_session(index: int, round_no: int, port: int, *, think: float, timeout: float,
                      rng: random.Random, delay: float = 0.0) -> list[Interaction]:
    await asyncio.sleep(delay)
    session = Session(port, timeout)
    done: list[Interaction] = []
    preset = PRESETS[index % len(PRESETS)]
    try:
        connected = time.perf_counter()
        await session.connect()
        connect_s = time.perf_counter() - connected
    except Exception as exc:  # noqa: BLE001
        return [Interaction(index, round_no, "anslut", 0.0, [f"connect: {type(exc).__name__}: {exc}"])]
    try:
        for number, (label, page, change_period) in enumerate(SCRIPT):
            if number:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
            errors: list[str] = []
            if change_period:
                try:
                    session.choose(PERIOD_KEY, preset)  # e.g. "Senaste hela månaden"
                except LookupError as exc:
                    errors.append(str(exc))
            seconds, found, runs, received = await session.rerun(page)
            if number == 0:
                seconds += connect_s  # opening the page includes the websocket handshake
            done.append(Interaction(index, round_no, label, seconds, errors + found, runs,
                                    received // 1024, session.period))
            if any(e.startswith(("websocket", "timeout")) for e in found):
                break
    finally:
        await session.close()
    return done


async def run_round(round_no: int, sessions: int, port: int, *, think: float, timeout: float,
                    seed: int, ramp: float = 0.0) -> list[Interaction]:
    """``sessions`` new sessions at once, their starts spread evenly over ``ramp`` seconds."""
    results = await asyncio.gather(*[
        run_session(i, round_no, port, think=think, timeout=timeout, rng=random.Random(seed * 1000 + i),
                    delay=ramp * i / sessions)
        for i in range(sessions)])
    return [interaction for session in results for interaction in session]


# --- the whole test ----------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def summary(interactions: list[Interaction]) -> dict:
    times = [i.seconds for i in interactions]
    return {"interactions": len(interactions), "errors": sum(len(i.errors) for i in interactions),
            "p50_s": round(percentile(times, 50), 3), "p95_s": round(percentile(times, 95), 3),
            "max_s": round(max(times, default=float("nan")), 3)}


def run_load_test(*, db_path: Path, incidents: int, sessions: int, rounds: int, think: float,
                  ramp: float, timeout: float, warmup: bool, rebuild: bool, code: Path = REPO,
                  server_env: dict[str, str] | None = None, seed: int = 1) -> dict:
    began = time.perf_counter()
    database = build_database(db_path, incidents, rebuild=rebuild, code=code)
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "server.log"
        t0 = time.perf_counter()
        server = start_server(db_path, port, log_path, code, server_env)
        server_start_s = time.perf_counter() - t0
        sampler = RssSampler(server.pid)
        rss_start = sampler.rss_mb()
        sampler.start()
        try:
            warm: list[Interaction] = []
            if warmup:
                warm = asyncio.run(run_round(0, 1, port, think=0.0, timeout=timeout, seed=seed))
            rss_after_warmup = sampler.rss_mb()
            measured: list[Interaction] = []
            per_round = []
            for round_no in range(1, rounds + 1):
                t_round = time.monotonic()
                done = asyncio.run(run_round(round_no, sessions, port, think=think, timeout=timeout,
                                             seed=seed + round_no, ramp=ramp))
                measured += done
                time.sleep(1.0)  # let the server settle before reading its memory
                per_round.append(summary(done) | {
                    "seconds": round(time.monotonic() - t_round, 1),
                    "rss_peak_mb": round(sampler.peak(t_round)), "rss_end_mb": round(sampler.rss_mb())})
            exit_code = server.poll()  # None: still serving, as it should
        finally:
            sampler.stop()
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        log = log_path.read_text(errors="replace")
    tracebacks = log.count("Traceback (most recent call last)")
    server_errors = [] if exit_code is None else [f"the server exited during the test (code {exit_code})"]
    steps = {}
    for label, _, _ in SCRIPT:
        chosen = [i for i in measured if i.step == label]
        steps[label] = summary(chosen) | {
            "mean_kb": round(statistics.mean([i.kbytes for i in chosen])) if chosen else 0,
            "runs": sum(i.runs for i in chosen)}
    slowest = sorted(measured, key=lambda i: i.seconds, reverse=True)[:10]
    overall = summary(measured)
    return {
        "code": str(code), "server_env": server_env or {}, "sessions": sessions, "rounds": rounds, "think_s": think, "ramp_s": ramp, "incidents": incidents,
        "database": database | {"path": str(db_path)},
        "server_start_s": round(server_start_s, 1), "cpu_count": os.cpu_count(),
        "load_average_before": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "warmup": [asdict(i) for i in warm],
        **overall,
        "errors_total": overall["errors"] + sum(len(i.errors) for i in warm) + tracebacks + len(server_errors),
        "server_tracebacks": tracebacks,
        "error_messages": (server_errors + sorted({e for i in (*warm, *measured) for e in i.errors}))[:20],
        "per_round": per_round, "per_step": steps,
        "slowest": [asdict(i) for i in slowest],
        "all": [asdict(i) | {"errors": i.errors} for i in measured],
        # memory added by the last round of new sessions over the first one (same interactions)
        "rss_growth_pct": round(100 * (per_round[-1]["rss_end_mb"] / per_round[0]["rss_end_mb"] - 1), 1)
        if len(per_round) >= 2 else None,
        "rss_mb": {"start": round(rss_start), "after_warmup": round(rss_after_warmup),
                   "peak": round(sampler.peak()), "end": round(per_round[-1]["rss_end_mb"]) if per_round else None},
        "duration_s": round(time.perf_counter() - began, 1),
        "server_log_tail": log[-3000:] if tracebacks or server_errors else "",
    }


def print_table(result: dict) -> None:
    db = result["database"]
    print(f"database: {result['incidents']:,} incidents, "
          + ("reused" if db.get("reused") else f"built in {db.get('build_seconds')} s")
          + f" ({db.get('path')})")
    if result["warmup"]:
        print("warm-up (one session alone, not counted): "
              + ", ".join(f"{i['step']} {i['seconds']:.2f} s" for i in result["warmup"]))
    print(f"\n{result['sessions']} sessions × {result['rounds']} rounds, think ≈ {result['think_s']} s, "
          f"starts spread over {result['ramp_s']} s"
          + (f", server env {result['server_env']}" if result["server_env"] else ""))
    print(f"{'step':<24}{'n':>5}{'p50 s':>9}{'p95 s':>9}{'max s':>9}{'errors':>8}{'kB':>8}")
    for step, s in result["per_step"].items():
        print(f"{step:<24}{s['interactions']:>5}{s['p50_s']:>9.2f}{s['p95_s']:>9.2f}{s['max_s']:>9.2f}"
              f"{s['errors']:>8}{s['mean_kb']:>8}")
    print(f"{'all':<24}{result['interactions']:>5}{result['p50_s']:>9.2f}{result['p95_s']:>9.2f}"
          f"{result['max_s']:>9.2f}{result['errors']:>8}")
    for r, s in enumerate(result["per_round"], 1):
        print(f"round {r}: p50 {s['p50_s']:.2f} s, p95 {s['p95_s']:.2f} s, max {s['max_s']:.2f} s, "
              f"errors {s['errors']}, {s['seconds']} s, RSS peak {s['rss_peak_mb']} MB, end {s['rss_end_mb']} MB")
    rss = result["rss_mb"]
    print(f"server RSS (MB): start {rss['start']}, after warm-up {rss['after_warmup']}, "
          f"peak {rss['peak']}, end {rss['end']}"
          + (f"; last round over first: {result['rss_growth_pct']:+.1f} %" if result["rss_growth_pct"] is not None else ""))
    print(f"errors in total (warm-up, sessions, server tracebacks): {result['errors_total']}")
    for message in result["error_messages"]:
        print(f"  {message}")
    print(f"duration {result['duration_s']} s on {result['cpu_count']} cores")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB,
                        help="SQLite file, built once and reused (env WORKBENCH_LOADTEST_DB)")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="build the database even if cached")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of new sessions (memory growth)")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds between one session's interactions (uniform 0.5–1.5 × mean)")
    parser.add_argument("--ramp", type=float, default=10.0,
                        help="seconds over which a round's sessions open the app (0: all at once)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one interaction may take")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false",
                        help="measure from a cold server (no warm-up session)")
    parser.add_argument("--json-out", help="write the result here as JSON")
    parser.add_argument("--code", default=str(REPO),
                        help="workbench source tree to run (default: this checkout), e.g. an "
                             "exported commit: git archive HEAD | tar -x -C DIR")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the server, to try a setting (repeatable), "
                             "e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false")
    parser.add_argument("--build-only", action="store_true", help="only build (or check) the database")
    args = parser.parse_args(argv)
    if args.build_only:
        print(json.dumps(build_database(Path(args.db), args.incidents, rebuild=args.rebuild,
                                        code=Path(args.code))))
        return 0
    result = run_load_test(db_path=Path(args.db), incidents=args.incidents, sessions=args.sessions,
                           rounds=args.rounds, think=args.think, ramp=args.ramp, timeout=args.timeout,
                           warmup=args.warmup, rebuild=args.rebuild, code=Path(args.code),
                           server_env=dict(item.split("=", 1) for item in args.server_env))
    print_table(result)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
