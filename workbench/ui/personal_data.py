"""Warn before saving text that looks like personal data (the gate finds it; the store redacts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from workbench.access import gate

T = TypeVar("T")


def confirm(key: str, submitted: T | None, texts: Callable[[T], dict[str, Any]]) -> T | None:
    """``submitted`` when it holds no personal data; otherwise a warning naming what was found, and
    the values come back only when the person chooses to save them with the data masked."""
    pending = f"personal_data_{key}"
    if submitted is not None:
        warning = gate.personal_data_warning(texts(submitted))
        if warning is None:
            st.session_state.pop(pending, None)
            return submitted
        st.session_state[pending] = (submitted, warning)
    if pending not in st.session_state:
        return None
    held, warning = st.session_state[pending]
    st.warning(warning)
    save, cancel = st.columns(2)
    if save.button("Spara med uppgifterna maskerade", key=f"{pending}_save", type="primary"):
        st.session_state.pop(pending, None)
        return held
    if cancel.button("Ändra texten", key=f"{pending}_cancel"):
        st.session_state.pop(pending, None)
        st.rerun()
    return None
