"""AppTest helpers: run a page against a given database with fresh Streamlit caches."""

from __future__ import annotations

import logging
import warnings
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


# what AppTest's runtime-less ("bare") mode logs, which a served app never does
BARE_MODE = ("No runtime found", "bare mode")


class LogRecorder(logging.Handler):
    """Every warning or error a page run logs (Streamlit's deprecation notices included) and
    every Python warning, as the server log of a session would show them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []
        self.caught: list = []

    def problems(self) -> list[str]:
        """The warnings and errors so far (Python warnings from third-party internals that
        never reach a server log are left out; Streamlit's own are kept)."""
        return self.lines + [f"{w.category.__name__}: {w.message}" for w in self.caught
                             if "site-packages" not in str(w.filename) or "streamlit" in str(w.filename)]

    def emit(self, record: logging.LogRecord) -> None:
        if any(bare in record.getMessage() for bare in BARE_MODE):
            return
        self.lines.append(f"{record.name}: {record.getMessage()}"
                          + (" (traceback)" if record.exc_info else ""))


@pytest.fixture
def server_log(monkeypatch):
    """Records what the server log would hold: warnings and errors of every logger (Streamlit's
    loggers do not propagate, so the recorder is attached to each) and Python warnings."""
    from streamlit import deprecation_util

    recorder = LogRecorder()
    monkeypatch.setattr(deprecation_util, "_shown_warnings", set())  # each test sees them again
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
                                       if name.startswith(("streamlit", "workbench"))]
    for logger in loggers:
        logger.addHandler(recorder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        recorder.caught = caught
        yield recorder
    for logger in loggers:
        logger.removeHandler(recorder)


def shown(markdown: str) -> str:
    """What a reader sees of Markdown whose user text went through ``plain()`` (each special
    character escaped with a backslash): the text with the escapes removed."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown)
