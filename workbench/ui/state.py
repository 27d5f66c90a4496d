"""Shared state of every page: settings, the store, and the sidebar filters."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import streamlit as st

from workbench import numbers as nf
from workbench.access import gate
from workbench.access.scope import Principal, Scope, open_scope, organisations_for
from workbench.config import Settings
from workbench.errors import AccessDenied, WorkbenchError
from workbench.roles import READ_AGGREGATES, ROLE_NAMES
from workbench.situation import Period, preset_period
from workbench.store.db import Store, open_store
from workbench.ui import signin
from workbench.ui import text_sv as T
from workbench.ui.labels import label_of
from workbench.ui.session_keys import (
    ACCESS,
    FLASH,
    SAVED,
    SHARED_SCREEN_MEETING,
    SIDEBAR_DRAWN,
    URL_RESTORED,
)
from workbench.ui.text_sv import plain  # noqa: F401  (pages import it from here)


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    return Settings.load()


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return open_store(url)


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected; pages read it, never the widgets."""

    scope: Scope
    area_id: int | None
    area: str | None
    period: Period
    reference: Period
    reference_kind: str
    shared_screen: bool

    @property
    def organisation_id(self) -> int:
        return self.scope.organisation_id

    @property
    def organisation(self) -> str:
        return self.scope.organisation


@dataclass(frozen=True)
class Access:
    """Who is signed in, which organisations they may open, and the scope of the chosen one —
    resolved once per run by the entrypoint (app.py) and read by the page's sidebar."""

    principal: Principal
    allowed: tuple[str, ...]
    scope: Scope | None


# Streamlit's badge colours for the levels, best to worst (a scale of at most 7 levels).


def show_html_map(html: str, *, height: int) -> None:
    """Show a self-contained map document (built server-side, every user text escaped)."""
    if hasattr(st, "iframe"):
        st.iframe(html, height=height)
    else:  # Streamlit before st.iframe
        import streamlit.components.v1 as components

        components.html(html, height=height)


def context() -> tuple[Settings, Store]:
    """Settings and the opened store, or a clear message and stop."""
    try:
        settings = get_settings()
        store = get_store(settings.db_url)
    except WorkbenchError as exc:
        st.error(plain(str(exc)))
        st.stop()
    return settings, store


def by_access(cached):
    """Call the cached function with ``scope.shared()``: keyed by the access, not the person, so
    signed-in users with the same role in the same organisation share its cached value."""
    @functools.wraps(cached)
    def call(url: str, scope: Scope, *args, **kwargs):
        return cached(url, scope.shared(), *args, **kwargs)

    call.clear = cached.clear
    return call


# The sidebar's reads are keyed by the data version read from the database on every run, like
# ui/cached.py's loaders: an import by another app process sharing the database (or the CLI) is
# seen at once, not after a ttl (they were cached for 5 minutes by time alone).

def latest_date(url: str, scope: Scope) -> date | None:
    return _latest_date(url, scope, gate.data_version(get_store(url), scope))


@by_access
@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def _latest_date(url: str, scope: Scope, version: int) -> date | None:
    latest = gate.latest(get_store(url), scope)
    return latest.date() if latest else None


def _area_names(url: str, scope: Scope) -> list[tuple[int, str]]:
    return _area_names_at(url, scope, gate.data_version(get_store(url), scope))


@by_access
@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def _area_names_at(url: str, scope: Scope, version: int) -> list[tuple[int, str]]:
    areas = gate.areas(get_store(url), scope)
    return list(zip(areas["id"].astype(int), areas["name"], strict=True))


# sidebar choice → query parameter: a reload (a new session) keeps the role (demo), kommun,
# area and period. Only a request: each value is checked as a choice in the sidebar would be.
URL_PARAMS = {"demo_role": "roll", "organisation": "org", "area": "omrade", "period_preset": "period",
              "reference": "jmf"}
# a page's own parameters (a link to one åtgärd): kept in the address until that page reads them
PAGE_PARAMS = ("atgard",)


def restore_sidebar_choices() -> None:
    """On a session's first run (a reload, a link), take the sidebar's choices from the address.
    Between pages they need no help: the entrypoint draws the sidebar once per run, before the
    page, so its widgets keep their values (as Streamlit recommends for shared widgets)."""
    if st.session_state.get(URL_RESTORED):
        return
    st.session_state[URL_RESTORED] = True
    params = st.query_params
    valid = {"demo_role": set(ROLE_NAMES), "period_preset": set(T.PERIOD_PRESETS),
             "reference": set(T.REFERENCE_OPTIONS)}
    for key, param in URL_PARAMS.items():
        value = params.get(param)
        if value and key not in st.session_state and (key not in valid or value in valid[key]):
            st.session_state[key] = value
    try:
        start, end = date.fromisoformat(params.get("fran", "")), date.fromisoformat(params.get("till", ""))
    except ValueError:
        return
    if start <= end and "period_custom" not in st.session_state:
        st.session_state["period_custom"] = (start, end)


def _write_to_url(period: Period) -> None:
    """The current choices into the address, so that a reload finds them."""
    wanted = {param: str(st.session_state[key]) for key, param in URL_PARAMS.items()
              if st.session_state.get(key) is not None}
    if st.session_state.get("period_preset") == "custom":
        wanted |= {"fran": period.start.isoformat(), "till": period.end.isoformat()}
    wanted |= {param: st.query_params[param] for param in PAGE_PARAMS if param in st.query_params}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def draw_sidebar(settings: Settings, store: Store, *, shared_room: bool = False,
                 reporter: bool = False) -> Filters | None:
    """Called once per run by the entrypoint before the page runs (``reporter``: the reporter's
    page, which has only the user line and the organisation); the page reads the result with
    ``sidebar`` (a page run on its own, as some tests do, finds nothing and draws it itself).
    Returns the filters (None for the reporter and for an empty database)."""
    filters = None
    if reporter:
        _reporter_sidebar(settings, store)
    else:
        filters = _draw(settings, store, shared_room=shared_room)
    st.session_state[SIDEBAR_DRAWN] = (filters,)
    return filters


def forget_sidebar() -> None:
    """After the page ran: the next run draws its own."""
    st.session_state.pop(SIDEBAR_DRAWN, None)


def _reporter_sidebar(settings: Settings, store: Store) -> None:
    access = st.session_state.get(ACCESS) or resolve_access(settings, store)
    with st.sidebar:
        signin.who(settings, store, access.principal)
        if access.scope is not None and len(access.allowed) > 1:
            allowed = list(access.allowed)
            st.selectbox(T.ORGANISATION, allowed, index=allowed.index(access.scope.organisation),
                         key="organisation")


def reporter_sidebar(settings: Settings, store: Store) -> None:
    """The reporter page's sidebar: drawn by the entrypoint, or here when the page runs alone."""
    if SIDEBAR_DRAWN not in st.session_state:
        _reporter_sidebar(settings, store)


def resolve_access(settings: Settings, store: Store) -> Access:
    """Sign-in, the organisations the user may open and the scope of the chosen one (once per
    run: the entrypoint calls this before the page runs)."""
    principal = signin.principal(settings, store)
    allowed = tuple(name for _, name in organisations_for(store, principal))
    access = Access(principal, allowed, _current_scope(settings, store, principal, allowed))
    st.session_state[ACCESS] = access
    return access


def _current_scope(settings: Settings, store: Store, principal: Principal,
                   allowed: tuple[str, ...]) -> Scope | None:
    """The scope of the organisation chosen in the sidebar (or the default one); None when the
    principal may open no organisation. The choice is a request: open_scope checks it."""
    if not allowed:
        return None
    wanted = st.session_state.get("organisation")
    if wanted is None:
        wanted = settings.organisation if settings.organisation in allowed else allowed[0]
    try:
        return open_scope(store, principal, wanted)
    except AccessDenied as exc:  # a tampered or stale choice: refuse it, do not fall back silently
        st.error(plain(str(exc)))
        st.session_state.pop("organisation", None)
        st.stop()


def sidebar(settings: Settings, store: Store, *, shared_room: bool = False) -> Filters | None:
    """The filters of the shared sidebar the entrypoint drew in this run (None when the database
    is empty); a page run on its own draws it here."""
    drawn = st.session_state.get(SIDEBAR_DRAWN)
    if drawn is not None:
        return drawn[0]
    return _draw(settings, store, shared_room=shared_room)


def _draw(settings: Settings, store: Store, *, shared_room: bool = False) -> Filters | None:
    """Draw the shared sidebar and return the filters (None when the database is empty).
    A tampered organisation choice was already refused by resolve_access.

    ``shared_room``: the page is on a shared screen (the meeting), so small counts are hidden
    unless turned off there; at the desk they are shown as the role allows. Each has its own
    switch, so hiding them at the meeting does not carry over to the desk or back."""
    access = st.session_state.get(ACCESS) or resolve_access(settings, store)
    principal, allowed, scope = access.principal, list(access.allowed), access.scope
    with st.sidebar:
        st.markdown(f"### {T.APP_TITLE}")
        signin.who(settings, store, principal)
        if scope is None:
            st.info(T.EMPTY_DATABASE if principal.role_everywhere else T.NO_ORGANISATION)
            return None
    if not scope.can(READ_AGGREGATES):  # a reporter: none of the data pages, not even their sidebar
        try:
            scope.require(READ_AGGREGATES)
        except AccessDenied as exc:
            st.error(plain(str(exc)))
        st.stop()
    with st.sidebar:
        if "organisation" in st.session_state:
            st.selectbox(T.ORGANISATION, allowed, key="organisation")
        else:
            st.selectbox(T.ORGANISATION, allowed, index=allowed.index(scope.organisation), key="organisation")
        areas = _area_names(store.url, scope)
        area_labels = [T.ALL_AREAS] + [name for _, name in areas]
        if st.session_state.get("area") not in (None, *area_labels):
            del st.session_state["area"]  # an area of the kommun chosen before
        area = st.selectbox(T.AREA, area_labels, key="area")
        area_id = next((i for i, n in areas if n == area), None)

        latest = latest_date(store.url, scope) or date.today()
        end_default = min(latest, date.today())
        preset = st.selectbox(T.PERIOD, list(T.PERIOD_PRESETS), key="period_preset",
                              format_func=label_of(T.PERIOD_PRESETS))
        period = preset_period(preset, end_default)
        if preset == "custom":
            st.session_state.setdefault("period_custom", (period.start, period.end))
            # kept while another preset (or a page without the sidebar's data choices) is shown
            chosen = st.date_input("Från – till", key="period_custom", format="YYYY-MM-DD",
                                   persist_state="session")
            if isinstance(chosen, tuple) and len(chosen) == 2:
                period = Period(chosen[0], chosen[1])
        st.caption(f"{period.label()} ({period.days} dagar)")
        reference_kind = st.radio(T.REFERENCE, list(T.REFERENCE_OPTIONS), key="reference",
                                  format_func=label_of(T.REFERENCE_OPTIONS), horizontal=True)
        reference = period.previous() if reference_kind == "previous" else period.same_last_year()
        said = period.compared_with(reference, reference_kind)
        st.caption(said[:1].upper() + said[1:])  # the period itself is named above the choice
        if scope.always_suppress:
            st.caption(T.ALWAYS_SUPPRESSED.format(role=scope.role_label, n=settings.min_count))
            shared = True
        else:
            key = SHARED_SCREEN_MEETING if shared_room else "shared_screen"
            st.session_state.setdefault(key, shared_room)
            # the meeting's and the desk's switch each keep their value while the other is shown
            shared = st.toggle(T.SHARED_SCREEN, help=T.SHARED_SCREEN_HELP.format(n=settings.min_count), key=key,
                               persist_state="session")
    _write_to_url(period)
    return Filters(scope, area_id, None if area_id is None else area, period,
                   reference, reference_kind, shared)


def already_saved(form: str, values: dict) -> object | None:
    """What the same submission of ``form`` created before (a second click, or a double click
    whose values the browser sent twice), or None when these values are new."""
    key = repr(sorted(values.items(), key=lambda kv: kv[0]))
    saved = st.session_state.get(SAVED, {}).get(form)
    return saved[1] if saved and saved[0] == key else None


def saved(form: str, values: dict, result: object, prefix: str) -> None:
    """Remember what ``form`` created from ``values`` and empty its fields (the widgets whose keys
    start with ``prefix``) for the next entry."""
    key = repr(sorted(values.items(), key=lambda kv: kv[0]))
    st.session_state.setdefault(SAVED, {})[form] = (key, result)
    for name in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[name]


def flash(message: str) -> None:
    """A confirmation to show after the coming st.rerun() (a message drawn just before a rerun
    is lost, and a toast sent just before one was seen to vanish too)."""
    st.session_state[FLASH] = message


def page(title: str, *needs: str, shared_room: bool = False) -> tuple[Settings, Store, Filters]:
    """The start of every data page: settings, store, sign-in, the shared sidebar and the title.

    Stops the page with a clear message when the database is empty or when the user's role has
    none of the permissions ``needs`` (the gate checks every read and write again)."""
    settings, store = context()
    filters = sidebar(settings, store, shared_room=shared_room)
    st.title(title)
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    if filters is None:
        st.info(T.EMPTY_DATABASE)
        st.stop()
    if needs and not any(filters.scope.can(n) for n in needs):
        try:
            filters.scope.require(needs[0])
        except AccessDenied as exc:
            st.error(plain(str(exc)))
        st.stop()
    return settings, store, filters


def count_label(filters: Filters, settings: Settings):
    """A function showing a count as the current screen may: '<3' on a shared screen."""
    from workbench.anonymise.suppress import suppressed_label

    hide = filters.scope.suppress(filters.shared_screen)

    def show(n) -> str:
        return suppressed_label(n, settings.min_count) if hide else nf.integer(n)

    return show


def download(where, store: Store, scope: Scope, label: str, data, file_name: str, mime: str, *,
             key: str, what: str, needs: str = "export", **details) -> None:
    """A download button that records the export in the audit log when it is clicked (a file
    that leaves the workbench may become an allmän handling). Needs the export permission.
    ``data`` is bytes, or a function that writes them only when the button is clicked."""
    if not scope.can(needs):
        return
    where.download_button(label, data, file_name=file_name, mime=mime, key=key, on_click=gate.log_export,
                          args=(store, scope, what, file_name), kwargs=details)
