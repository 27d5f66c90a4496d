"""Every date field shows dates the Swedish way (ISO 8601, 2026-12-04). Streamlit's default is
YYYY/MM/DD, which the tour's screenshots showed on Åtgärder's Start and Klart senast."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "workbench" / "ui"


def test_every_date_input_is_iso():
    wrong = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "date_input":
                fmt = {k.arg: k.value for k in node.keywords}.get("format")
                if not (isinstance(fmt, ast.Constant) and fmt.value == "YYYY-MM-DD"):
                    wrong.append(f"{path.relative_to(UI)}:{node.lineno}")
    assert wrong == [], "date_input without format='YYYY-MM-DD': " + ", ".join(wrong)
