"""Load: 20 concurrent app sessions against 1,000,000 stored incidents on a local server.

Runs ``benchmarks/load_test.py`` (see its docstring) on this checkout: the real server
(``workbench app``, single-user, no basemap), a cached 1M-incident SQLite database
(``$WORKBENCH_LOADTEST_DB``, else /tmp/est-loadtest-1m.sqlite; built in about 1–2 minutes when
missing or stale), one warm-up session, then two rounds of 20 new concurrent sessions speaking
Streamlit's websocket protocol: Översikt → change the period preset → Hot-spots → EST-möte →
Åtgärder → Översikt. Takes about 2–3 minutes on 2 cores with the database cached.

The thresholds are named constants so a change of target is a visible decision. Measured on
2 cores (see benchmarks/load_test.py for the history): p95 0.25 s, max 1.1 s, 0 errors, RSS peak
0.95 GB, +3.5 % round over round; it was 11.6 s before the figures were cut from one in-memory
frame per data version and the hot-spot map was rendered once per selection.

``test_harness_sees_errors`` checks the client itself on a tiny Streamlit script, so "no
errors" cannot pass because the client missed them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "benchmarks" / "load_test.py"

SESSIONS = 20
ROUNDS = 2  # the second round of new sessions shows whether memory keeps growing
INCIDENTS = 1_000_000
P95_TARGET_S = 2.0  # interaction time (request → script_finished), all measured interactions
MAX_ERRORS = 0  # exceptions, st.error, compile errors, timeouts, closed sockets, server tracebacks
MAX_PEAK_RSS_MB = 2048  # server process and children, whole run (measured 1.0–1.12 GB)
MAX_ROUND_GROWTH_PCT = 15.0  # RSS after round 2 over RSS after round 1 (measured +3–6 %)
RUN_TIMEOUT_S = 1500  # a hard stop for the whole run (database build included)


def _load_module():
    spec = importlib.util.spec_from_file_location("load_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def load_result(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("load") / "load_test.json"
    command = [sys.executable, str(SCRIPT), "--sessions", str(SESSIONS), "--rounds", str(ROUNDS),
               "--incidents", str(INCIDENTS), "--json-out", str(out)]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                         env=dict(os.environ))
    assert run.returncode == 0, f"the load test did not finish:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    result = json.loads(out.read_text())
    result["table"] = run.stdout
    print(run.stdout)  # shown with -s or -rA; the numbers are the point of this test
    return result


@pytest.mark.slow
def test_every_interaction_was_measured(load_result):
    expected = SESSIONS * ROUNDS * len(_load_module().SCRIPT)
    assert load_result["interactions"] == expected, load_result["table"]


@pytest.mark.slow
def test_no_errors(load_result):
    assert load_result["errors_total"] <= MAX_ERRORS, (
        f"{load_result['errors_total']} errors: {load_result['error_messages']}\n"
        f"{load_result['server_log_tail']}\n{load_result['table']}")


@pytest.mark.slow
def test_p95_interaction_time(load_result):
    assert load_result["p95_s"] < P95_TARGET_S, (
        f"p95 {load_result['p95_s']} s ≥ target {P95_TARGET_S} s (p50 {load_result['p50_s']} s, "
        f"max {load_result['max_s']} s)\n{load_result['table']}")


@pytest.mark.slow
def test_server_memory_is_bounded(load_result):
    rss = load_result["rss_mb"]
    assert rss["peak"] < MAX_PEAK_RSS_MB, load_result["table"]
    assert load_result["rss_growth_pct"] is not None
    assert load_result["rss_growth_pct"] <= MAX_ROUND_GROWTH_PCT, load_result["table"]


BROKEN_APP = textwrap.dedent("""
    import streamlit as st

    choice = st.selectbox("Val", ["lugnt", "fel", "felruta"], key="choice")
    if choice == "fel":
        raise RuntimeError("avsiktligt fel")
    if choice == "felruta":
        st.error("Databasen är låst")
    st.write("klart")
""")


@pytest.mark.slow
def test_harness_sees_errors(tmp_path):
    """The websocket client counts an exception and an st.error, and sends widget states."""
    import asyncio
    import concurrent.futures

    lt = _load_module()
    app = tmp_path / "app.py"
    app.write_text(BROKEN_APP)
    port, log = lt.free_port(), tmp_path / "server.log"
    with open(log, "wb") as sink:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app),
                                   "--server.headless=true", "--server.address=127.0.0.1",
                                   f"--server.port={port}", "--browser.gatherUsageStats=false",
                                   "--server.fileWatcherType=none"], cwd=tmp_path,
                                  stdout=sink, stderr=subprocess.STDOUT)
    try:
        lt.wait_until_healthy(server, port, log)

        async def talk() -> list[list[str]]:
            session = lt.Session(port, timeout=30)
            await session.connect()
            try:
                found = [(await session.rerun(None))[1]]
                for index in (1, 2, 0):
                    session.choose("choice", index)
                    found.append((await session.rerun(None))[1])
            finally:
                await session.close()
            return found

        # its own thread: a Playwright session earlier in the run keeps an event loop running here
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            calm, exception, alert, calm_again = pool.submit(asyncio.run, talk()).result()
    finally:
        server.terminate()
        server.wait(20)
    assert calm == [] and calm_again == []
    assert len(exception) == 1 and "RuntimeError" in exception[0] and "avsiktligt fel" in exception[0]
    assert alert == ["st.error: Databasen är låst"]
