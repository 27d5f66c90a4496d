"""Spreadsheet cells that cannot run as formulas (OWASP CSV injection) in every XLSX/CSV export.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return – also after
leading spaces or line breaks – is what Excel and LibreOffice read as a formula (and openpyxl
stores a string beginning with ``=`` as one). Such text gets a leading apostrophe so it is shown
literally. Only text is touched: numbers (also negative ones), dates, booleans and missing values
keep their type.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet skips before it looks for the formula sign.
_LEADING_BLANKS = " \t\r\n\u00a0\u2007\u202f\u3000"


def neutralise(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    >>> neutralise('=HYPERLINK("http://x","klicka")')
    '\\'=HYPERLINK("http://x","klicka")'
    >>> neutralise("  =1+1"), neutralise("Klotter vid Åhaga"), neutralise(-2), neutralise(None)
    ("'  =1+1", 'Klotter vid Åhaga', -2, None)
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip(_LEADING_BLANKS).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_text_column(series: pd.Series) -> bool:
    dtype = series.dtype
    return (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype))


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column headers cannot run as formulas.

    Only object, string and categorical columns are changed; numeric, boolean and date columns
    are returned as they were (a negative number stays a number).

    >>> out = neutralise_frame(pd.DataFrame({"=x": ["@SUM(A1)", "Åby"], "n": [-1, 2]}))
    >>> list(out.columns), out.iloc[:, 0].tolist(), out["n"].tolist()
    (["'=x", 'n'], ["'@SUM(A1)", 'Åby'], [-1, 2])
    """
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not _is_text_column(column):
            continue
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        out.isetitem(position, column.map(neutralise, na_action="ignore"))
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = [neutralise(c) for c in out.columns]
    return out


def storable(value: Any) -> Any:
    """Text without the control characters openpyxl refuses (one would abort the whole export)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV for Swedish Excel (';', UTF-8 with BOM), no cell runs as a formula."""
    buffer = io.StringIO()
    neutralise_frame(frame).to_csv(buffer, index=False, sep=";")
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """The frame as one Excel sheet: no formulas, no control characters Excel cannot store."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_frame(frame.map(storable)).to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()
