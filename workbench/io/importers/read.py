"""Read a table file (CSV/TSV/XLSX) into strings, detecting encoding and delimiter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from workbench.errors import ImportProblem, ImportValidationError
from workbench.io.uploads import check_content, check_zip_container

DELIMITERS = (";", ",", "\t", "|")


@dataclass(frozen=True)
class TableFormat:
    """What was detected about a table file."""

    encoding: str | None
    delimiter: str | None
    sheet: str | None = None
    problems: tuple[ImportProblem, ...] = ()  # about the file as a whole (a repeated header)


# A multi-byte UTF-8 character; Windows-1252 text practically never contains one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode(data: bytes, file_name: str) -> tuple[str, str]:
    r"""Decode bytes as UTF-16 (with a byte order mark: Excel's "Unicode-text"), UTF-8 (with or
    without BOM), else line by line: UTF-8 where a line is UTF-8, Windows-1252 where it is not.

    A UTF-8 export with one row pasted from an old cp1252 file keeps its å, ä, ö everywhere
    (decoding it all as cp1252 stored 'SkadegÃ¶relse'). The encoding returned names the mix.

    >>> decode("Brottstyp\nSkadegörelse\n".encode() + "Stöld\n".encode("cp1252"), "a.csv")
    ('Brottstyp\nSkadegörelse\nStöld\n', 'utf-8 + windows-1252 (rad 3)')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ImportValidationError(
                f"{file_name}: filen börjar som UTF-16 (Unicode-text) men går inte att avkoda "
                f"(byte {exc.start}).") from None
    if b"\x00" in data[:4096]:
        raise ImportValidationError(f"{file_name}: filen är inte en textfil (CSV) utan binär data.")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if not _UTF8_SEQUENCE.search(data):  # not one UTF-8 letter: plain Windows-1252, decoded at once
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass  # the line it fails on is named below
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    decoded, legacy, utf8 = [], [], 0
    for number, line in enumerate(lines, start=1):
        try:
            decoded.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                raise ImportValidationError(
                    f"{file_name}: rad {number} har en okänd teckenkodning (varken UTF-8 eller "
                    "Windows-1252).") from None
            legacy.append(number)
    text = "\n".join(decoded)
    if not utf8:
        return text, "cp1252"
    shown = ", ".join(str(n) for n in legacy[:5]) + (" …" if len(legacy) > 5 else "")
    return text, f"utf-8 + windows-1252 (rad {shown})"


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
    return frame, replace(fmt, problems=duplicate_headers(list(frame.columns), file_name))


_REPEATED = re.compile(r"^(.+)\.(\d+)$")  # pandas names the second 'Brottstyp' 'Brottstyp.1'


def duplicate_headers(headers: list[str], file_name: str) -> tuple[ImportProblem, ...]:
    """A warning per header that occurs more than once: only the first column is read.

    >>> [p.message for p in duplicate_headers(["Id", "Brottstyp", "Brottstyp.1"], "a.csv")]
    ["rubriken 'Brottstyp' finns i både kolumn B och C – bara kolumn B läses; byt namn på den andra om den behövs"]
    """
    position = {h: i for i, h in enumerate(headers)}
    problems = []
    for i, header in enumerate(headers):
        match = _REPEATED.match(header)
        if match and match.group(1) in position and position[match.group(1)] < i:
            first = _letter(position[match.group(1)])
            problems.append(ImportProblem(
                file_name, 1, match.group(1),
                f"rubriken '{match.group(1)}' finns i både kolumn {first} och {_letter(i)} – bara "
                f"kolumn {first} läses; byt namn på den andra om den behövs"))
    return tuple(problems)


def _letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _excel_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        # A date cell comes back as a datetime at midnight: kept as a date, so the row is stored
        # "date only" unless a time column gives the time (an exact 00:00:00 reads the same).
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):  # a time cell (Klockslag, Från tid)
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):  # a duration-formatted time cell
        seconds = int(value.total_seconds()) % 86400
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
