"""The audit log viewer's data: filters over real entries, and exports that read literally."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import openpyxl
import pytest

from tests.builders import ORG, make_org
from workbench.access import gate
from workbench.access.scope import open_scope, operator, sign_in_local
from workbench.errors import AccessDenied
from workbench.reports.audit_log import audit_table
from workbench.reports.cells import csv_bytes, xlsx_bytes
from workbench.store import accounts
from workbench.store.db import open_store

PASSWORD = "ett-langt-losenord-1"
HOSTILE = '=HYPERLINK("http://x","klicka")\x07 <b>fet</b>'


@pytest.fixture
def logged(sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    accounts.add_user(store.engine, "kim", organisation=ORG, role="coordinator", password=PASSWORD, actor="t")
    with pytest.raises(AccessDenied):
        sign_in_local(store, "kim", "fel-losenord-123")
    scope = open_scope(store, sign_in_local(store, "kim", PASSWORD), ORG)
    gate.create_action(store, scope, {"text": HOSTILE, "responsible_party": "Kommunen"})
    gate.log_export(store, scope, "action-plan", "atgardsplan.xlsx", format="xlsx")
    return store, scope


def test_filters_find_sign_ins_exports_and_changes(logged):
    store, scope = logged
    log = gate.audit_entries(store, scope)
    assert {"import", "user_add", "sign_in_failed", "sign_in", "insert", "export"} <= set(log["verb"])
    assert list(log["at"]) == sorted(log["at"], reverse=True)  # newest first
    only = gate.audit_entries(store, scope, verbs=["export", "sign_in"], actor="KI")
    assert set(only["verb"]) == {"export", "sign_in"} and set(only["actor"]) == {"kim"}
    assert gate.audit_entries(store, scope, entities=["action"])["entity"].eq("action").all()
    assert gate.audit_entries(store, scope, end=datetime.now() - timedelta(days=1)).empty
    verbs, entities = gate.audit_vocabulary(store, scope)
    assert "sign_in_failed" in verbs and "action" in entities
    other = open_scope(store, operator("t"), ORG)
    assert len(gate.audit_entries(store, other, limit=3)) == 3


def test_exports_of_the_log_read_literally_and_run_nothing(logged):
    store, scope = logged
    table = audit_table(gate.audit_entries(store, scope))
    assert {"loggade in", "misslyckad inloggning", "exporterade", "skapade"} <= set(table["Händelse"])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table, "Logg")))["Logg"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert any("=HYPERLINK" in str(c.value) and "<b>fet</b>" in str(c.value) for c in cells)
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(table.columns) and len(rows) == len(table) + 1
    assert not [v for r in rows for v in r if v.lstrip().startswith(("=", "+", "-", "@"))]
