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
    slot = st.empty()  # cleared once the person has chosen, also when the page does not rerun
    with slot.container():
        st.warning(warning)
        save, cancel = st.columns(2)
        chosen_save = save.button("Spara med uppgifterna maskerade", key=f"{pending}_save", type="primary")
        chosen_cancel = cancel.button("Ändra texten", key=f"{pending}_cancel")
    if chosen_save:
        st.session_state.pop(pending, None)
        slot.empty()
        return held
    if chosen_cancel:
        st.session_state.pop(pending, None)
        st.rerun()
    return None
