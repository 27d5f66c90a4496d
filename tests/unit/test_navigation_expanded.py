"""The menu lists every page the role may open. Collapsed (Streamlit's default) it shows ten and an
English "View N more" button: a coordinator has thirteen pages since Inrapportering and
Trygghetsvandringar came, and the tour's screenshots showed the English button."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "workbench" / "ui" / "app.py"


def test_the_visible_menu_is_expanded():
    calls = [node for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "navigation"]
    visible = [c for c in calls if not any(k.arg == "position" and getattr(k.value, "value", None) == "hidden"
                                            for k in c.keywords)]
    assert visible, "app.py draws a menu"
    for call in visible:
        expanded = {k.arg: k.value for k in call.keywords}.get("expanded")
        assert isinstance(expanded, ast.Constant) and expanded.value is True, ast.unparse(call)
