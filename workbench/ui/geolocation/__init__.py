"""The phone's position when the reporter allows it: a button in a small local component (no
network, no library) that asks the browser's Geolocation API and returns lat/lon/accuracy, or the
error code when the reporter refuses or no position can be had."""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

_component = components.declare_component("workbench_geolocation", path=str(Path(__file__).parent))


def position(key: str) -> dict | None:
    """The last position (or {"error": code}) the button returned, or None before it is pressed."""
    from workbench.ui.folium_map import registered

    return registered(_component)(key=key, default=None)
