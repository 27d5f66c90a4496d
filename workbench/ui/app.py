"""Entrypoint: page config, sign-in and the navigation of the pages the user's role may open."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from workbench import roles as r
from workbench.errors import RestoreRunningError
from workbench.ui import signin, swedish
from workbench.ui import text_sv as T
from workbench.ui.state import (
    context,
    draw_sidebar,
    forget_sidebar,
    resolve_access,
    restore_sidebar_choices,
)

# A local icon: Material/emoji icons make the browser fetch a favicon from a CDN.
st.set_page_config(page_title=T.APP_TITLE, page_icon=str(Path(__file__).with_name("assets") / "favicon.png"),
                   layout="wide")
swedish.install()  # Streamlit's own placeholders and frontend texts in Swedish

PAGES = Path(__file__).with_name("app_pages")
# (file, title, url path, permissions of which the role needs one). Hiding a page is a courtesy;
# each page checks again, and the gate (workbench/access/gate.py) checks every read and write.
NAVIGATION = (
    ("oversikt.py", "Översikt", "", (r.READ_AGGREGATES,)),
    ("est_mote.py", "EST-möte", "est-mote", (r.READ_LOOP,)),
    ("inrapportering.py", "Inrapportering", "inrapportering", (r.READ_LOOP,)),
    ("hotspots.py", "Hot-spots", "hotspots", (r.READ_POINTS,)),
    ("platser.py", "Platser", "platser", (r.READ_POINTS,)),
    ("atgarder.py", "Åtgärder", "atgarder", (r.READ_LOOP,)),
    ("vandringar.py", "Trygghetsvandringar", "vandringar", (r.READ_LOOP, r.RECORD_WALK)),
    ("overenskommelse.py", "Överenskommelse", "overenskommelse", (r.READ_LOOP,)),
    ("samhallsplanering.py", "Samhällsplanering", "samhallsplanering", (r.PLANNING,)),
    ("rapporter.py", "Rapporter", "rapporter", (r.EXPORT,)),
    ("polisomrade.py", "Polisområde", "polisomrade", (r.POLICE_AREA, r.ADMINISTER)),
    ("importera.py", "Importera", "importera", (r.IMPORT,)),
    ("logg.py", "Logg", "logg", (r.AUDIT,)),
    ("rapportera.py", "Rapportera", "rapportera", (r.REPORT,)),
)

# Pages on the meeting room's shared screen (small counts hidden by default).
SHARED_ROOM = frozenset({"est-mote"})


def _pages(scope) -> list:
    pages = [st.Page(PAGES / file, title=title, url_path=path or None, default=not path)
             for file, title, path, needs in NAVIGATION
             if scope is None or any(scope.can(n) for n in needs)]
    if not any(page.url_path == "" for page in pages):  # a reporter: no Översikt, Rapportera is home
        home = pages[0]

        def start() -> None:
            """The address without a page opens the role's first page under its own address."""
            st.switch_page(home)

        pages.insert(0, st.Page(start, title=home.title, url_path="start", default=True, visibility="hidden"))
    return pages


def _run() -> None:
    settings, store = context()
    restore_sidebar_choices()
    if signin.signing_in(settings):
        # A deep link (/est-mote?omrade=…) opened while signed out: resolving the page now, hidden,
        # makes the run after signing in open that page (else Streamlit fell back to Översikt). Only
        # the app's own page paths can match; a page the role may not open falls back to Översikt.
        st.navigation(_pages(None), position="hidden")
    scope = resolve_access(settings, store).scope
    # expanded: all pages listed (collapsed, Streamlit adds an English "View N more" after ten)
    current = st.navigation(_pages(scope), expanded=True)
    # The shared sidebar, drawn once here before the page (Streamlit keeps an entrypoint's widgets
    # across pages); the page reads its filters (state.sidebar). Every page draws at least the
    # user line, so the demo role chosen there is never forgotten on the way to another page.
    try:
        # a role without figures (the reporter) gets only the user line and the organisation
        draw_sidebar(settings, store, shared_room=current.url_path in SHARED_ROOM,
                     reporter=scope is not None and not scope.can(r.READ_AGGREGATES))
        current.run()
    finally:
        forget_sidebar()


try:
    _run()
except RestoreRunningError as exc:  # a transaction of this run waited for a restore for too long
    st.error(T.plain(str(exc)))
except SQLAlchemyError as exc:  # its message is the SQL and its parameters: cells of the data
    logging.getLogger("workbench.ui").error("Databasfel på sidan: %s", type(exc).__name__)
    st.error(T.DATABASE_ERROR.format(kind=type(exc).__name__))
