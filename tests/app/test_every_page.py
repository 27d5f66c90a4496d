"""Every page as every role in demo mode (the sidebar's role picker) on the demo town: each page
renders or says in Swedish why it cannot, and the run logs no traceback, warning or deprecation
notice (the signed-in matrix is tests/app/test_roles_pages.py, with the same log check)."""

from __future__ import annotations

import re

import pytest

from tests.app.test_roles_pages import NAVIGATION, blank_text_cells, rendered
from workbench import roles

MATRIX = [(role, file, title) for role in roles.ROLE_NAMES for file, title, needs in NAVIGATION
          if any(roles.ROLES[role].can(n) for n in needs)]


@pytest.fixture(scope="module")
def demo_sessions():
    return {}


@pytest.mark.parametrize(("role", "file", "title"), MATRIX, ids=[f"{r}-{f[:-3]}" for r, f, _ in MATRIX])
def test_every_page_renders_for_every_demo_role_without_log_warnings(app_for, demo_db, server_log,
                                                                     role, file, title):
    at = app_for(demo_db).run()
    at.selectbox(key="demo_role").set_value(role).run()
    at.switch_page(f"app_pages/{file}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value.startswith(title), [t.value for t in at.title]
    text = rendered(at)
    for frame in at.get("iframe"):  # the maps' scripts are not text a user reads
        text = text.replace(frame.proto.srcdoc, "")
    for raw in ("Traceback", "KeyError", "None", "nan", "NaN", "safety_walk", "cause_analysis"):
        assert not re.search(rf"(?<![\w-]){raw}(?![\w-])", text), (raw, text[max(0, text.find(raw) - 200):][:400])
    assert blank_text_cells(at) == set()
    assert server_log.problems() == []
