"""Encodings and headers (issue 15, items 9 and 12): a UTF-8 export with one Windows-1252 row,
Excel's "Unicode-text" (UTF-16 with BOM, tabs), a repeated header, and no library warning with
site-packages paths on stderr."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from tests.builders import ORG
from workbench.io.uploads import check_upload, sniff
from workbench.services import imports
from workbench.services.imports import read_file
from workbench.store.db import open_store

REPO = Path(__file__).resolve().parents[2]
HEADER = "Händelsenummer;Brottstyp;Från datum;Från tid;X;Y;Fritext"


def _rows(store) -> dict[str, tuple[str, str]]:
    with store.engine.connect() as conn:
        result = conn.execute(sa.text("SELECT source_id, category_original, description FROM incident"))
        return {r[0]: (r[1], r[2]) for r in result}


def test_a_utf8_file_with_one_cp1252_row_keeps_its_letters(sqlite_url):
    """An export in UTF-8 where someone pasted one row from an old Windows file."""
    store = open_store(sqlite_url)
    data = (f"{HEADER}\r\n".encode()
            + "5000-K1-26;Skadegörelse;2026-10-01;21:30;6400500;376500;Fönster krossat\r\n".encode()
            + "5000-K2-26;Skadegörelse;2026-10-02;22:10;6400510;376510;Dörr sönder på gården\r\n".encode("cp1252")
            + "5000-K3-26;Stöld;2026-10-03;08:00;6400520;376520;Cykel på gården\r\n".encode())
    detected = imports.detect("incidents", data, "polisen.csv")
    assert "windows-1252" in detected.encoding and "3" in detected.encoding  # the row it came from
    assert "Händelsenummer" in detected.headers
    report = imports.import_table(store, "incidents", data, "polisen.csv", ORG)
    assert report.imported == 3 and report.problems == ()
    stored = _rows(store)
    assert stored["5000-K2-26"] == ("Skadegörelse", "Dörr sönder på gården")
    assert stored["5000-K3-26"] == ("Stöld", "Cykel på gården")
    assert not any("Ã" in (c or "") + (d or "") for c, d in stored.values())
    # a file wholly in Windows-1252 still reads as such
    legacy = f"{HEADER}\r\n5000-K9-26;Skadegörelse;2026-10-09;21:30;6400500;376500;Fönster\r\n".encode("cp1252")
    assert imports.detect("incidents", legacy, "gammal.csv").encoding == "cp1252"
    assert imports.import_table(store, "incidents", legacy, "gammal.csv", ORG).imported == 1
    assert _rows(store)["5000-K9-26"] == ("Skadegörelse", "Fönster")


def _unicode_text(endian: str = "le") -> bytes:
    """What Excel writes as "Unicode-text (*.txt)": UTF-16 with a byte order mark, tab-separated."""
    lines = [HEADER.replace(";", "\t"),
             "5000-K1-26\tSkadegörelse\t2026-10-01\t21:30\t6400500\t376500\tFönster krossat på förskolan",
             "5000-K2-26\tOfredande\t2026-10-02\t23:45\t6400510\t376510\tÅtta personer bråkade"]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode(f"utf-16-{endian}")


def test_excel_unicode_text_utf16_is_read(tmp_path, sqlite_url):
    for endian in ("le", "be"):
        data = _unicode_text(endian)
        assert sniff(data)[0] == "text"
        check_upload(data, "polisen.txt", max_bytes=10_000_000, allowed="incidents")
        detected = imports.detect("incidents", data, "polisen.txt")
        assert (detected.encoding, detected.delimiter) == ("utf-16", "\t")
    path = tmp_path / "polisen.txt"
    path.write_bytes(_unicode_text())
    data, name = read_file(path, allowed="incidents")  # the CLI's way in
    store = open_store(sqlite_url)
    report = imports.import_table(store, "incidents", data, name, ORG)
    assert report.imported == 2
    assert _rows(store)["5000-K2-26"] == ("Ofredande", "Åtta personer bråkade")


def test_a_repeated_header_is_a_warning_naming_the_column(sqlite_url):
    csv = ("Händelsenummer;Brottstyp;Brottstyp;Från datum;X;Y\r\n"
           "5000-K1-26;Skadegörelse;Klotter;2026-10-01;6400500;376500\r\n").encode("cp1252")
    report = imports.import_table(open_store(sqlite_url), "incidents", csv, "polisen.csv", ORG)
    assert report.imported == 1 and report.rejected == 0
    (problem,) = report.problems
    assert (problem.row, problem.column) == (1, "Brottstyp")
    assert "kolumn B och C" in problem.message and "bara kolumn B" in problem.message
    book = openpyxl.Workbook()
    book.active.append(["Område", "År", "Befolkning", "Befolkning"])
    book.active.append(["Norr", 2025, 1200, 1300])
    buffer = io.BytesIO()
    book.save(buffer)
    from workbench.io.importers.indicators import parse_indicators

    _values, problems, _hash = parse_indicators(buffer.getvalue(), "indikatorer.xlsx")
    assert [(p.row, p.column) for p in problems] == [(1, "Befolkning")]
    assert "kolumn C och D" in problems[0].message


def test_library_warnings_do_not_reach_stderr(tmp_path):
    """A GeoJSON whose population is a number in one feature and text in another made GDAL's
    reader print a UserWarning with its site-packages path; now it is a problem or nothing."""
    layer = tmp_path / "omraden.geojson"
    layer.write_text(
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","properties":{"namn":"Hulta","befolkning":4512},"geometry":{"type":"Polygon",'
        '"coordinates":[[[12.93,57.72],[12.95,57.72],[12.95,57.73],[12.93,57.73],[12.93,57.72]]]}},'
        '{"type":"Feature","properties":{"namn":"Norrby","befolkning":"ca 3 000"},"geometry":{"type":"Polygon",'
        '"coordinates":[[[12.96,57.72],[12.97,57.72],[12.97,57.73],[12.96,57.73],[12.96,57.72]]]}}]}',
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"WORKBENCH_DEBUG", "PYTHONWARNINGS"}}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run([sys.executable, "-m", "workbench", "import", "areas", str(layer), "--db",
                             f"sqlite:///{tmp_path / 'db.sqlite'}", "--organisation", ORG],
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "site-packages" not in result.stderr, result.stderr
    assert "2 importerade" in result.stderr  # the CLI's summary and problems go to stderr
    assert "rad 2, kolumn 'befolkning'" in result.stderr  # 'ca 3 000' is said, in Swedish
