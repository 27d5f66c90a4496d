"""Exports never hand a spreadsheet a formula (OWASP CSV injection): reports.cells and its callers."""

from __future__ import annotations

import csv
import doctest
import io
import math
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from workbench.config import Settings
from workbench.errors import ImportProblem
from workbench.reports import cells
from workbench.reports.cells import neutralise, neutralise_frame
from workbench.services import reports
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import open_store

HOSTILE = ['=HYPERLINK("http://x","klicka")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("text", [
    "=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "\tx", "\rx",
    "  =1+1", " \u00a0@SUM(A1)", "\n=1+1", "-", "=",
])
def test_each_formula_start_gets_an_apostrophe(text: str):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", [
    "Klotter vid Åhaga – sanera inom 24 h", "Öka belysningen på gång- och cykelvägen",
    "Väktare kvällstid (fre–lör)", "1+1", "a=b", "'=redan neutraliserad", "", "   ", "E-post: –",
])
def test_ordinary_swedish_text_is_untouched(text: str):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-2, -2.5, 0, 3, np.int64(-7), np.float64(-1.5), True,
                                   date(2026, 3, 1), pd.Timestamp("2026-03-01")])
def test_numbers_dates_and_booleans_keep_their_type(value):
    out = neutralise(value)
    assert out is value or (out == value and type(out) is type(value))


@pytest.mark.parametrize("value", [None, math.nan, np.nan, pd.NA, pd.NaT])
def test_missing_values_are_untouched(value):
    assert neutralise(value) is value


def test_frame_text_columns_and_headers_only():
    frame = pd.DataFrame({
        "=Kolumn": ["=1+1", "Åby", None],
        "tal": [-2, 3, 4],
        "decimal": [-2.5, np.nan, 1.0],
        "sträng": pd.Series(["-5", pd.NA, "Torget"], dtype="string"),
        "kategori": pd.Categorical(["@a", "b", "@a"]),
        "datum": pd.to_datetime(["2026-01-01", None, "2026-01-03"]),
    })
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=Kolumn", "tal", "decimal", "sträng", "kategori", "datum"]
    assert out["'=Kolumn"].tolist()[:2] == ["'=1+1", "Åby"] and out["'=Kolumn"].isna().iloc[2]
    assert out["tal"].tolist() == [-2, 3, 4] and out["tal"].dtype == frame["tal"].dtype
    assert out["decimal"].dtype == frame["decimal"].dtype and out["decimal"].iloc[0] == -2.5
    assert out["sträng"].iloc[0] == "'-5" and out["sträng"].isna().iloc[1]
    assert out["kategori"].tolist() == ["'@a", "b", "'@a"]
    assert out["datum"].dtype == frame["datum"].dtype
    assert frame.columns[0] == "=Kolumn" and frame.iloc[0, 0] == "=1+1"  # the input is not changed


def test_docstring_examples_run():
    assert doctest.testmod(cells).failed == 0


# --- round trips through the real exports -------------------------------------------------------


@pytest.fixture
def action_plan(sqlite_url):
    """Actions whose texts a spreadsheet would run, stored and exported like the user does it."""
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Testkommun")
        for i, text in enumerate(HOSTILE):
            loop.create_action(conn, org, {"text": text, "responsible_party": "=Kommunen" if i == 0 else "Kommunen",
                                           "follow_up_method": "-räkna klotter", "status": "planerad",
                                           "due_date": date(2026, 11, 1)}, actor="test")
        loop.create_action(conn, org, {"text": "Röj buskage vid Åhaga\x07", "responsible_party": "Polisen",
                                       "status": "pågår"}, actor="test")
    built = reports.build("action-plan", "xlsx", store, Settings.load({}, db_url=sqlite_url), org)
    return openpyxl.load_workbook(io.BytesIO(built.data)).active


def test_action_plan_xlsx_has_no_formula_and_reads_literally(action_plan):
    sheet = action_plan
    every = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert every and not [c.coordinate for c in every if c.data_type == "f"]
    texts = [c.value for c in every if isinstance(c.value, str)]
    for text in HOSTILE:
        assert "'" + text in texts
    assert "'=Kommunen" in texts and "'-räkna klotter" in texts
    assert "Röj buskage vid Åhaga" in texts  # a control character is dropped, not a failed export
    ids = [c.value for c in sheet["A"][3:]]
    assert all(isinstance(v, int) for v in ids)  # numbers stay numbers
    assert not [t for t in texts if t.lstrip().startswith(cells.FORMULA_STARTS)]


def test_action_plan_xlsx_with_a_negative_number_keeps_it_a_number():
    from workbench.reports.plans import actions_xlsx

    actions = pd.DataFrame({"id": [-3], "text": ["=1+1"], "status": ["planerad"], "overdue": [False]})
    sheet = openpyxl.load_workbook(io.BytesIO(actions_xlsx(actions, title="=Åtgärdsplan"))).active
    assert sheet["A4"].value == -3 and sheet["A4"].data_type == "n"
    assert sheet["B4"].value == "'=1+1" and sheet["B4"].data_type == "s"
    assert sheet["A1"].value == "'=Åtgärdsplan" and sheet["A1"].data_type == "s"


def test_problem_list_csv_reads_literally():
    from workbench.ui.import_widgets import problems_csv

    problems = [ImportProblem("x.csv", 2, text, f"{text} kan inte tolkas") for text in HOSTILE]
    problems += [ImportProblem("x.csv", None, "=Kolumn", "+46 70 är inget datum"),
                 ImportProblem("x.csv", 7, "Från datum", "ogiltigt datum '13/13 2025'")]
    data = problems_csv(problems)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Rad", "Kolumn", "Problem"]
    body = rows[1:]
    assert [r[1] for r in body[:4]] == ["'" + t for t in HOSTILE]
    assert [r[2] for r in body[:4]] == [f"'{t} kan inte tolkas" for t in HOSTILE]
    assert body[4] == ["", "'=Kolumn", "'+46 70 är inget datum"]
    assert body[5] == ["7", "Från datum", "ogiltigt datum '13/13 2025'"]
    assert [r[0] for r in body[:4]] == ["2"] * 4  # row numbers as Excel shows them, not 2.0
    assert not [cell for row in rows for cell in row if cell.lstrip().startswith(cells.FORMULA_STARTS)]
    # and LibreOffice/Excel would open it as text: pandas reads the literal strings back
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    assert frame["Kolumn"].iloc[0] == "'" + HOSTILE[0]
