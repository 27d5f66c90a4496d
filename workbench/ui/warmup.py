"""Warm what every session needs when the server starts, in a background thread, so the first
person to open the app does not wait for it (issue 21: the first page after `make run` took 8.6 s).

Started by ``workbench.ui.serve`` before Streamlit's server; it waits until Streamlit's runtime
exists (so st.cache_data lands in the runtime's cache, the one the sessions read), then
1. imports the modules the start page imports (pandas, geopandas, folium, the services: seconds
   of a cold first run), and
2. fills the shared caches of ui/cached.py for the accesses the server will see: the events
   of each organisation and role (keyed by the data version, read from the database like every
   page does), the areas, and Översikt's figures and map for the sidebar's default period.
   then imports the other pages' modules (the start page's visitor does not wait behind them);
3. then reads the data version of each warmed access every 2 s and warms it again when it
   changed (an import here, in another app process sharing the database, or by the CLI).
The health check is answered by Streamlit's own thread meanwhile; nothing here blocks it.
Any failure is logged and forgotten: the sessions then compute what they need as before.
"""

from __future__ import annotations

import ast
import importlib
import logging
import sys
import threading
import time
from datetime import date
from pathlib import Path

from workbench import numbers

LOG = logging.getLogger("workbench.ui.warmup")
PAGES = Path(__file__).with_name("app_pages")
MAX_SCOPES = 8  # roles × organisations warmed; more are warmed by their first visitor
FIRST_PAGE = "oversikt.py"  # the start page: what the first visitor after a start opens
POLL_S = 2.0  # how often the data versions of the warmed accesses are read
_started = threading.Event()


def start(url: str, port: int | None = None) -> threading.Thread | None:
    """Start the warm-up thread once per process (a daemon: it never holds the server up)."""
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=run, args=(url,), kwargs={"port": port}, name="workbench-warmup",
                              daemon=True)
    thread.start()
    return thread


def run(url: str, *, wait_for_runtime: bool = True, port: int | None = None,
        follow: bool = True) -> dict[str, float]:
    """Warm everything; returns the seconds each step took (logged)."""
    steps: dict[str, float] = {}
    try:
        if wait_for_runtime:
            _wait_for_runtime(port)
        _quiet_missing_context()
        # what the first visitor needs first: the start page's modules and data, then the rest
        started = time.perf_counter()
        page_modules(FIRST_PAGE)
        steps["imports"] = time.perf_counter() - started
        started = time.perf_counter()
        warmed = {scope: warm_scope(url, scope) for scope in scopes(url)}
        steps["data"] = time.perf_counter() - started
        started = time.perf_counter()
        page_modules()
        steps["imports"] += time.perf_counter() - started
        labels = {"imports": "moduler", "data": "data"}
        print("Uppvärmningen är klar: " + ", ".join(
            f"{labels[k]} {numbers.decimal(v)} s" for k, v in steps.items()) + ".", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - a warm-up must never take the server down
        LOG.warning("Uppvärmningen avbröts (%s); sidorna räknar själva.", type(exc).__name__)
        return steps
    if follow:
        follow_versions(url, warmed)
    return steps


def follow_versions(url: str, warmed: dict, *, interval_s: float = POLL_S, rounds: int | None = None) -> None:
    """Re-warm an access when its data version changes: an import by this process, another app
    process or the CLI is read into the caches here within seconds, in the background, instead of
    by the first person to open a page after it (one small query per access and interval)."""
    from workbench.ui import cached

    seen = dict(warmed)  # access → the data version it was warmed at
    done = 0
    while rounds is None or done < rounds:
        time.sleep(interval_s)
        done += 1
        for scope in warmed:
            try:
                version = cached.data_version(url, scope)
                if version != seen[scope]:
                    seen[scope] = warm_scope(url, scope)
            except Exception as exc:  # noqa: BLE001 - the next round tries again
                LOG.warning("Uppvärmning efter ändrade data avbröts (%s).", type(exc).__name__)


class _NotThisThread(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != "workbench-warmup"


def _quiet_missing_context() -> None:
    """Streamlit warns 'missing ScriptRunContext' for every cached call outside a session: true
    and harmless here (the caches are process-wide), so not for this thread."""
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.caching.cache_utils"):
        logging.getLogger(name).addFilter(_NotThisThread())


def _wait_for_runtime(port: int | None, timeout_s: float = 120) -> None:
    """Until the runtime exists and, with the port known, the health check has answered once: the
    warm-up's imports hold the GIL, and started earlier they delayed the health check by seconds."""
    import urllib.request

    from streamlit.runtime import Runtime

    deadline = time.monotonic() + timeout_s
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    while port is not None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.1)


def page_modules(page: str | None = None) -> list[str]:
    """Import every module a page imports at its top (the pages themselves run per session);
    only those of ``page`` (a file name in app_pages) when given."""
    names: set[str] = set()
    for path in sorted(PAGES.glob(page or "*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    for name in sorted(names):
        importlib.import_module(name)
    return sorted(names)


def scopes(url: str) -> list:
    """The shared scopes (role × organisation) the first visitors will have."""
    from workbench.access.scope import open_scope, single_user
    from workbench.errors import WorkbenchError
    from workbench.roles import READ_AGGREGATES
    from workbench.ui.state import get_settings, get_store

    settings = get_settings()
    store = get_store(url)
    principals = [single_user("coordinator")] if settings.auth == "single-user" else _account_principals(store)
    found: list = []
    for principal in principals:
        for organisation in _organisations(store, principal, settings.organisation):
            try:
                scope = open_scope(store, principal, organisation).shared()
            except WorkbenchError:
                continue
            if not scope.can(READ_AGGREGATES):  # a reporter: it opens no page these caches serve
                continue
            if scope not in found:
                found.append(scope)
            if len(found) >= MAX_SCOPES:
                return found
    return found


def _account_principals(store) -> list:
    from workbench.access.scope import from_account
    from workbench.store import accounts

    return [from_account(user, "local" if user.local else "oidc")
            for user in accounts.list_users(store.engine) if user.active]


def _organisations(store, principal, default: str) -> list[str]:
    from workbench.access.scope import organisations_for

    names = [name for _, name in organisations_for(store, principal)]
    return sorted(names, key=lambda name: name != default)  # the default organisation first


def default_periods(url: str, scope):
    """The sidebar's default period and reference (state.sidebar: first preset, first reference)."""
    from workbench.situation import preset_period
    from workbench.ui import text_sv as T
    from workbench.ui.state import latest_date

    latest = latest_date(url, scope) or date.today()
    period = preset_period(next(iter(T.PERIOD_PRESETS)), min(latest, date.today()))
    kind = next(iter(T.REFERENCE_OPTIONS))
    return period, period.previous() if kind == "previous" else period.same_last_year()


def _warm_hotspots(url: str, scope, version: int, period, reference, cell: int) -> None:
    """The Hot-spots page's figures for its first view (police events, the default period and
    cell size), all counted in the database."""
    from workbench.filters import EventFilter
    from workbench.schema import SOURCE_POLICE
    from workbench.ui import cached

    cell = cell if cell in (100, 250, 500, 1000) else 250  # the page's size list
    try:
        cached.extent(url, scope, version)
        chosen = EventFilter(period.start, period.end, (), (SOURCE_POLICE,))
        cached.hotspot_run(url, scope, version, chosen, cell)
        cached.hotspot_tables(url, scope, version, chosen, cell, reference.start, reference.end)
    except ValueError:  # no point data yet, or a grid too large: the page says so itself
        pass


def warm_scope(url: str, scope) -> int:
    """The loaders every page of this access starts from, and Översikt as the sidebar opens it;
    returns the data version warmed."""
    from workbench import roles as r
    from workbench.ui import cached
    from workbench.ui import cached_observations as cobs
    from workbench.ui.state import _area_names, get_settings

    settings = get_settings()
    version = cached.data_version(url, scope)
    _area_names(url, scope)
    period, reference = default_periods(url, scope)
    if scope.points:
        cached.event_categories(url, scope, version)
        _warm_hotspots(url, scope, version, period, reference, settings.grid_size_m)
    if not scope.can(r.READ_AGGREGATES):
        return version
    if scope.area_ids == ():
        return version
    cached.overview(url, scope, period.start, period.end, reference.start, reference.end)
    suppress = bool(scope.always_suppress)  # the desk's default: small counts shown unless the role hides them
    if not cached.areas(url, scope).empty:
        cached.overview_map(url, scope, period.start, period.end, reference.start, reference.end,
                            settings.min_count, suppress, settings.basemap, settings.basemap_attribution)
    cobs.area_counts(url, scope, period, reference)
    return version
