"""Read a table file (CSV/TSV/XLSX) into strings, detecting encoding and delimiter."""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.errors import ImportValidationError
from workbench.io.uploads import check_content, check_zip_container

ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (";", ",", "\t", "|")


@dataclass(frozen=True)
class TableFormat:
    """What was detected about a table file."""

    encoding: str | None
    delimiter: str | None
    sheet: str | None = None


def decode(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in data[:4096]:
        raise ImportValidationError(f"{file_name}: filen är inte en textfil (CSV) utan binär data.")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportValidationError(f"{file_name}: okänd teckenkodning.")  # cp1252 decodes almost all


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of columns."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ";"
    best, best_score = ";", -1.0
    for delimiter in DELIMITERS:
        try:
            counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        except csv.Error:  # e.g. one line longer than the csv module's field limit: not a table
            continue
        header = counts[0]
        if header < 2:
            continue
        consistent = sum(1 for c in counts if c == header) / len(counts)
        score = consistent * 100 + header
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_table(data: bytes, file_name: str) -> tuple[pd.DataFrame, TableFormat]:
    """All cells as strings ("" for empty); fully empty trailing columns and rows dropped."""
    suffix = Path(file_name).suffix.lower()
    check_content(data, file_name)  # a program, PDF or database renamed to .csv is refused here
    if suffix in {".xlsx", ".xlsm"}:
        check_zip_container(data, file_name)  # an XLSX that unpacks to gigabytes
        try:
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object, engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - any openpyxl failure means "not a usable workbook"
            detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]  # one sentence
            raise ImportValidationError(f"{file_name}: kan inte läsas som Excel-fil ({detail}).") from exc
        sheet, frame = next(((n, f) for n, f in sheets.items() if not f.dropna(how="all").empty),
                            (None, pd.DataFrame()))
        frame = frame.map(_excel_cell)
        fmt = TableFormat(None, None, sheet)
    else:
        text, encoding = decode(data, file_name)
        if not text.strip():
            raise ImportValidationError(f"{file_name}: filen är tom.")
        delimiter = sniff_delimiter(text)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                                    skipinitialspace=False, engine="c", quotechar='"',
                                    skip_blank_lines=False, index_col=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
            raise ImportValidationError(f"{file_name}: filen går inte att läsa som tabell ({exc}).") from exc
        fmt = TableFormat(encoding, delimiter)
    frame.columns = [str(c).strip() for c in frame.columns]
    empty_cols = [c for c in frame.columns
                  if (c == "" or c.startswith("Unnamed:")) and frame[c].astype(str).str.strip().eq("").all()]
    frame = frame.drop(columns=empty_cols)
    frame = frame.fillna("").astype(str)
    frame = frame[~frame.apply(lambda col: col.str.strip().eq("")).all(axis=1)]
    if frame.empty:
        raise ImportValidationError(f"{file_name}: filen har rubriker men inga rader.")
    if frame.shape[1] < 2:
        raise ImportValidationError(
            f"{file_name}: hittade bara {frame.shape[1]} kolumn(er) – är det verkligen en tabell?"
        )
    return frame, fmt


def _excel_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
