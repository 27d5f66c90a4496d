"""Entrypoint: page config, navigation and nothing else (pages draw the shared sidebar)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from workbench.ui import text_sv as T

# A local icon: Material/emoji icons make the browser fetch a favicon from a CDN.
st.set_page_config(page_title=T.APP_TITLE, page_icon=str(Path(__file__).with_name("assets") / "favicon.png"),
                   layout="wide")

PAGES = Path(__file__).with_name("app_pages")
navigation = st.navigation([
    st.Page(PAGES / "oversikt.py", title="Översikt", default=True),  # the default page lives at /
    st.Page(PAGES / "est_mote.py", title="EST-möte", url_path="est-mote"),
    st.Page(PAGES / "hotspots.py", title="Hot-spots", url_path="hotspots"),
    st.Page(PAGES / "platser.py", title="Platser", url_path="platser"),
    st.Page(PAGES / "atgarder.py", title="Åtgärder", url_path="atgarder"),
    st.Page(PAGES / "overenskommelse.py", title="Överenskommelse", url_path="overenskommelse"),
    st.Page(PAGES / "samhallsplanering.py", title="Samhällsplanering", url_path="samhallsplanering"),
    st.Page(PAGES / "rapporter.py", title="Rapporter", url_path="rapporter"),
    st.Page(PAGES / "polisomrade.py", title="Polisområde", url_path="polisomrade"),
    st.Page(PAGES / "importera.py", title="Importera", url_path="importera"),
])
navigation.run()
