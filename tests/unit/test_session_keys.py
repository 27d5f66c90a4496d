"""Every key the UI reads or writes through st.session_state is declared in one place,
workbench/ui/session_keys.py (issue 22, item 7): a key typed differently in two modules, or a new
one nobody declared, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

from workbench.ui import session_keys

UI = Path(__file__).resolve().parents[2] / "workbench" / "ui"


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text", and names imported from session_keys."""
    names = {n: v for n, v in vars(session_keys).items() if isinstance(v, str)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            names.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    return names


def session_keys_used(source: str) -> list[str]:
    """The keys ``source`` uses with st.session_state: [k], .get/.pop/.setdefault(k), k in …;
    a constant is read as its value. Keys built at run time (f-strings, loop variables) are left
    out."""
    tree = ast.parse(source)
    constants = _constants(tree)

    def is_state(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "session_state"

    def value(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return constants.get(node.id) if isinstance(node, ast.Name) else None

    found = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and is_state(node.value):
            key = value(node.slice)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_state(node.func.value)
              and node.func.attr in {"get", "pop", "setdefault"} and node.args):
            key = value(node.args[0])
        elif isinstance(node, ast.Compare) and any(is_state(c) for c in node.comparators):
            key = value(node.left)

        if key is not None:
            found.append(key)
    return found


def test_every_session_key_is_declared():
    undeclared = {}
    for path in UI.rglob("*.py"):
        keys = set(session_keys_used(path.read_text(encoding="utf-8"))) - set(session_keys.SESSION_KEYS)
        if keys:
            undeclared[str(path.relative_to(UI))] = sorted(keys)
    assert undeclared == {}


def test_every_declared_key_is_used():
    used = {key for path in UI.rglob("*.py") for key in session_keys_used(path.read_text(encoding="utf-8"))}
    widget_only = {"reference", "shared_screen", session_keys.SHARED_SCREEN_MEETING}  # read via the widgets' keys
    assert set(session_keys.SESSION_KEYS) - used - widget_only == set()


def test_the_scan_reads_each_form():
    code = ('import streamlit as st\nfrom workbench.ui.session_keys import FLASH\nMINE = "mine"\n'
            'st.session_state["a"] = 1\nst.session_state.get("b")\nst.session_state.pop(MINE, None)\n'
            '"c" in st.session_state\nst.session_state[FLASH]\nst.session_state[f"x_{1}"]\n')
    assert session_keys_used(code) == ["a", "b", "mine", "c", "_flash"]
