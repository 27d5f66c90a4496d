"""Pages draw st_folium maps only through ``folium_map.st_folium``, which registers the component
with the running server first: the server's warm-up imports the pages outside a script run, where
Streamlit declares streamlit-folium's component without registering it, and a map drawn by
``streamlit_folium.st_folium`` directly then got 404 in the browser (a blank map)."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "workbench" / "ui"


def test_no_page_calls_streamlit_folium_directly():
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        if path.name == "folium_map.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "streamlit_folium":
                offenders.append(f"{path.relative_to(UI)}:{node.lineno}")
            if isinstance(node, ast.Import) and any(a.name == "streamlit_folium" for a in node.names):
                offenders.append(f"{path.relative_to(UI)}:{node.lineno}")
    assert offenders == [], "use workbench.ui.folium_map.st_folium: " + ", ".join(offenders)


def test_the_wrapper_registers_before_drawing(monkeypatch):
    from workbench.ui import folium_map

    calls = []
    monkeypatch.setattr(folium_map, "registered", lambda c: calls.append("registered") or c)
    monkeypatch.setattr(folium_map.sf, "st_folium", lambda fig, **kw: calls.append("drawn") or {"ok": 1})
    assert folium_map.st_folium(object(), key="k") == {"ok": 1}
    assert calls == ["registered", "drawn"]
