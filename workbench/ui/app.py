"""Entrypoint: page config, navigation and nothing else (pages draw the shared sidebar)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from workbench.ui import text_sv as T

st.set_page_config(page_title=T.APP_TITLE, page_icon=":material/shield:", layout="wide")

PAGES = Path(__file__).with_name("app_pages")
navigation = st.navigation([
    st.Page(PAGES / "oversikt.py", title="Översikt", icon=":material/dashboard:", default=True,
            url_path="oversikt"),
])
navigation.run()
