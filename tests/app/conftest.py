"""AppTest helpers: run a page against a given database with fresh Streamlit caches."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "workbench" / "ui" / "app.py"


@pytest.fixture
def app_for(monkeypatch):
    def make(db_url: str, **env: str) -> AppTest:
        monkeypatch.setenv("WORKBENCH_DB", db_url)
        monkeypatch.setenv("WORKBENCH_AUTH", "single-user")  # sign-in is tested on its own
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        st.cache_data.clear()
        st.cache_resource.clear()
        return AppTest.from_file(str(APP), default_timeout=120)

    return make
