"""Shared state of every page: settings, the store, and the sidebar filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from workbench.config import Settings
from workbench.errors import WorkbenchError
from workbench.schema import KIND_INCIDENT
from workbench.situation import Period, preset_period
from workbench.store import repositories as repo
from workbench.store.db import Store, open_store
from workbench.ui import text_sv as T


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    return Settings.load()


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return open_store(url)


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected; pages read it, never the widgets."""

    organisation_id: int
    organisation: str
    area_id: int | None
    area: str | None
    period: Period
    reference: Period
    reference_kind: str
    shared_screen: bool


MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$&")


def plain(text: str) -> str:
    """User text made inert for st.markdown: no links, images, HTML or colour directives."""
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIAL else c for c in str(text))


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
        st.error(str(exc))
        st.stop()
    return settings, store


@st.cache_data(ttl=300, show_spinner=False)
def latest_date(url: str, organisation_id: int) -> date | None:
    _, latest = repo.data_extent(get_store(url).engine, KIND_INCIDENT, [organisation_id])
    return latest.date() if latest else None


@st.cache_data(ttl=300, show_spinner=False)
def _organisations(url: str):
    return repo.list_organisations(get_store(url).engine)


@st.cache_data(ttl=300, show_spinner=False)
def _area_names(url: str, organisation_id: int) -> list[tuple[int, str]]:
    areas = repo.load_areas(get_store(url).engine, [organisation_id])
    return list(zip(areas["id"].astype(int), areas["name"], strict=True))


def sidebar(settings: Settings, store: Store) -> Filters | None:
    """Draw the shared sidebar and return the filters (None when the database is empty)."""
    orgs = _organisations(store.url)
    with st.sidebar:
        st.markdown(f"### {T.APP_TITLE}")
        if orgs.empty:
            st.info(T.EMPTY_DATABASE)
            return None
        names = list(orgs["name"])
        default = names.index(settings.organisation) if settings.organisation in names else 0
        organisation = st.selectbox(T.ORGANISATION, names, index=default, key="organisation")
        org_id = int(orgs.loc[orgs["name"] == organisation, "id"].iloc[0])
        areas = _area_names(store.url, org_id)
        area_labels = [T.ALL_AREAS] + [name for _, name in areas]
        area = st.selectbox(T.AREA, area_labels, key="area")
        area_id = next((i for i, n in areas if n == area), None)

        latest = latest_date(store.url, org_id) or date.today()
        end_default = min(latest, date.today())
        preset = st.selectbox(T.PERIOD, list(T.PERIOD_PRESETS), key="period_preset",
                              format_func=T.PERIOD_PRESETS.get)
        period = preset_period(preset, end_default)
        if preset == "custom":
            chosen = st.date_input("Från – till", value=(period.start, period.end), key="period_custom",
                                   format="YYYY-MM-DD")
            if isinstance(chosen, tuple) and len(chosen) == 2:
                period = Period(chosen[0], chosen[1])
        st.caption(f"{period.label()} ({period.days} dagar)")
        reference_kind = st.radio(T.REFERENCE, list(T.REFERENCE_OPTIONS), key="reference",
                                  format_func=T.REFERENCE_OPTIONS.get, horizontal=True)
        reference = period.previous() if reference_kind == "previous" else period.same_last_year()
        shared = st.toggle(T.SHARED_SCREEN, value=True, key="shared_screen", help=T.SHARED_SCREEN_HELP)
    return Filters(org_id, organisation, area_id, None if area_id is None else area, period,
                   reference, reference_kind, shared)


FLASH = "_flash"


def flash(message: str) -> None:
    """A confirmation to show after the coming st.rerun() (a message drawn just before a rerun
    is lost, and a toast sent just before one was seen to vanish too)."""
    st.session_state[FLASH] = message


def page(title: str) -> tuple[Settings, Store, Filters]:
    """The start of every data page: settings, store, the shared sidebar and the title.

    Stops the page with a clear message when the database is empty."""
    settings, store = context()
    filters = sidebar(settings, store)
    st.title(title)
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    if filters is None:
        st.info(T.EMPTY_DATABASE)
        st.stop()
    return settings, store, filters


def count_label(filters: Filters, settings: Settings):
    """A function showing a count as the current screen may: '<3' on a shared screen."""
    from workbench.anonymise.suppress import suppressed_label

    def show(n) -> str:
        return suppressed_label(n, settings.min_count) if filters.shared_screen else str(int(n))

    return show
